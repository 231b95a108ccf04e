package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.EndToEnd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's AOT cache: trained once per jar and JDK 25+, used by later runs, retrained when the
 * jar changes, never on JDK 21-24, and a failed training costs neither the run nor a retry per run.
 * The launcher and scripts/jdk.sh are copied beside a built jar; a fake JDK's {@code java} notes its
 * arguments, answers as the demo service for {@code target --port 0}, and writes the cache it is asked for.
 */
@EndToEnd
class LauncherAotCacheTest {

    private static final String FAKE_JAVA = """
            #!/bin/bash
            echo "$*" >> "$FAKE_LOG"
            case " $* " in
              *" target --port 0 "*) echo "stampede target: demo service on http://127.0.0.1:9 (GET / and GET /health)"; exec sleep 60 ;;
              *-XX:AOTCacheOutput=*)
                [ -n "${FAKE_TRAINING_FAILS:-}" ] && exit 1
                for a in "$@"; do case "$a" in -XX:AOTCacheOutput=*) printf cache > "${a#-XX:AOTCacheOutput=}" ;; esac; done ;;
            esac
            exit 0
            """;

    @TempDir
    Path root;

    private Path log;

    @BeforeEach
    void aBuiltJarBesideTheLauncher() throws IOException {
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(Path.of("stampede"), root.resolve("stampede"));
        Files.copy(Path.of("scripts/jdk.sh"), root.resolve("scripts/jdk.sh"));
        Files.createDirectories(root.resolve("src/main"));
        Files.createDirectories(root.resolve("examples"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.writeString(root.resolve("examples/lab13-chaos.yaml"), "");
        Files.createDirectories(root.resolve("target"));
        Files.writeString(root.resolve("target/stampede.jar"), "jar");
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        for (String source : List.of("pom.xml", "src/main", "examples/lab13-chaos.yaml")) {
            Files.setLastModifiedTime(root.resolve(source), old);
        }
        Files.setLastModifiedTime(root.resolve("target/stampede.jar"), FileTime.from(Instant.now().minusSeconds(600)));
        log = root.resolve("java.log");
    }

    @Test
    void onJdk25TheFirstRunTrainsTheCacheAndLaterRunsUseIt() throws Exception {
        Path jdk = fakeJdk("25.0.1", "25.0.1+8");
        Path cache = root.resolve("target/stampede-jdk25.0.1+8.aot");

        assertThat(launch(jdk, false)).isZero();
        assertThat(Files.readString(cache)).isEqualTo("cache");
        assertThat(calls()).anyMatch(c -> c.contains("target --port 0"))
                .anyMatch(c -> c.contains("-XX:AOTCacheOutput=") && c.contains("-H http://127.0.0.1:9"))
                .last().asString().contains("-XX:AOTCache=" + cache).endsWith("run plan.yaml");

        Files.delete(log);
        assertThat(launch(jdk, false)).isZero();
        assertThat(calls()).singleElement().asString().contains("-XX:AOTCache=" + cache);
    }

    @Test
    void aNewerJarIsNeverRunWithTheOldCache() throws Exception {
        Path jdk = fakeJdk("25.0.1", "25.0.1+8");
        Path cache = root.resolve("target/stampede-jdk25.0.1+8.aot");
        Files.writeString(cache, "stale");
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(1200)));

        assertThat(launch(jdk, false)).isZero();
        assertThat(calls()).anyMatch(c -> c.contains("-XX:AOTCacheOutput="));
        assertThat(Files.readString(cache)).isEqualTo("cache");
    }

    @Test
    void aFailedTrainingLeavesTheRunToClassDataSharingAndIsNotRetriedForThatJar() throws Exception {
        Path jdk = fakeJdk("25.0.1", "25.0.1+8");

        assertThat(launch(jdk, true)).isZero();
        assertThat(calls()).anyMatch(c -> c.contains("-XX:AOTCacheOutput="))
                .last().asString().contains("-XX:ArchiveClassesAtExit=").doesNotContain("AOTCache");
        assertThat(root.resolve("target/stampede-jdk25.0.1+8.aot")).doesNotExist();

        Files.delete(log);
        assertThat(launch(jdk, true)).isZero();
        assertThat(calls()).singleElement().asString().doesNotContain("AOTCache");
    }

    @Test
    void onJdk21NoCacheIsTrainedOrAskedFor() throws Exception {
        Path jdk = fakeJdk("21.0.5", "21.0.5+11");

        assertThat(launch(jdk, false)).isZero();
        assertThat(calls()).singleElement().asString().contains("-XX:ArchiveClassesAtExit=").doesNotContain("AOT");
        try (var files = Files.list(root.resolve("target"))) {
            assertThat(files).noneMatch(f -> f.getFileName().toString().contains(".aot"));
        }
    }

    private Path fakeJdk(String version, String runtimeVersion) throws IOException {
        Path jdk = root.resolve("jdk-" + version);
        Files.createDirectories(jdk.resolve("bin"));
        Files.writeString(jdk.resolve("release"),
                "JAVA_VERSION=\"" + version + "\"\nJAVA_RUNTIME_VERSION=\"" + runtimeVersion + "\"\n");
        Files.writeString(jdk.resolve("bin/java"), FAKE_JAVA);
        Files.writeString(jdk.resolve("bin/javac"), "#!/bin/sh\nexit 0\n");
        assertThat(jdk.resolve("bin/java").toFile().setExecutable(true)).isTrue();
        assertThat(jdk.resolve("bin/javac").toFile().setExecutable(true)).isTrue();
        return jdk;
    }

    /** Runs {@code ./stampede run plan.yaml}; its exit code. */
    private int launch(Path jdk, boolean trainingFails) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("stampede").toString(), "run", "plan.yaml")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("launcher.out").toFile());
        builder.environment().put("JAVA_HOME", jdk.toString());
        builder.environment().put("FAKE_LOG", log.toString());
        builder.environment().remove("STAMPEDE_AOT");
        builder.environment().remove("STAMPEDE_CDS");
        builder.environment().remove("STAMPEDE_JAVA_OPTS");
        if (trainingFails) {
            builder.environment().put("FAKE_TRAINING_FAILS", "1");
        }
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("launcher ended").isTrue();
        return process.exitValue();
    }

    private List<String> calls() throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }
}
