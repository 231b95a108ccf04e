package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.EndToEnd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario code that reaches System.exit past the compile-time rule: a lookup by a literal name is
 * refused at compile time; one by a name computed at run time ends the run as aborted, "scenario code
 * called System.exit", exit code 1, never the code it asked for. Real scenario files, a real demo service.
 */
@EndToEnd
class ScenarioExitTest {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DemoService service;

    @BeforeEach
    void startService() throws IOException {
        service = new DemoService(DemoOptions.defaults().withPort(0));
        service.start();
    }

    @AfterEach
    void stopService() {
        service.close();
    }

    @Test
    void aReflectiveLookupOfExitByALiteralNameIsRefusedAtCompileTime() throws Exception {
        Path scenario = dir.resolve("Reflector.java");
        Files.writeString(scenario, """
                import io.stampede.api.*;
                import java.lang.invoke.*;
                public class Reflector extends User {
                    @Task public void a() throws Exception { System.class.getMethod("exit", int.class).invoke(null, 0); }
                    @Task public void b() throws Throwable {
                        MethodHandles.lookup().findVirtual(Runtime.class, "halt", MethodType.methodType(void.class, int.class));
                    }
                }
                """);
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "-f", scenario.toString(),
                "-H", service.baseUrl(), "-u", "1", "-t", "2s", "--headless", "--no-results");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("stampede: " + scenario + ":4:69: error: a reflective lookup of 'exit' is not allowed",
                "stampede: " + scenario + ":6:59: error: a reflective lookup of 'halt' is not allowed");
    }

    @Test
    void anExitByAComputedNameAbortsTheRunAndNeverPasses() throws Exception {
        Path scenario = dir.resolve("Sneaky.java");
        Files.writeString(scenario, """
                import io.stampede.api.*;
                public class Sneaky extends User {
                    static final long START = System.nanoTime();
                    @Task public void a() throws Exception {
                        http().get("/");
                        if (System.nanoTime() - START > 2_000_000_000L) {
                            String name = new StringBuilder("tixe").reverse().toString();
                            System.class.getMethod(name, int.class).invoke(null, 0);
                        }
                    }
                }
                """);
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", "-f", scenario.toString(),
                "-H", service.baseUrl(), "-u", "1", "-t", "60s", "--headless", "--results", dir.resolve("results").toString());
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
        assertThat(result.stderr()).contains("stampede: scenario code called System.exit; the run is aborted");
        Path folder;
        try (Stream<Path> folders = Files.list(dir.resolve("results"))) {
            folder = folders.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        JsonNode summary = JSON.readTree(folder.resolve("summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("aborted");
        assertThat(summary.path("stopReason").asText()).contains("scenario code called System.exit");
        assertThat(result.stdout()).contains("Run aborted at ")
                .contains(": scenario code called System.exit - it did not reach its planned end, so it does not pass.");
    }
}
