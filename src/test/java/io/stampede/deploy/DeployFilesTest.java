package io.stampede.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.cli.Main;
import io.stampede.testing.EndToEnd;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/: the Kustomize base is what {@code k8s render} writes, and Debian's docker-compose 1.29 accepts compose.yaml. */
class DeployFilesTest {

    static final Path BASE = Path.of("deploy/kubernetes");
    static final Path COMPOSE = Path.of("deploy/compose.yaml");
    static final long COMPOSE_TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void theKustomizeBaseIsTheRenderedOutput() throws Exception {
        Path out = dir.resolve("out");
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "k8s", "render",
                "examples/lab13.yaml", "--workers", "3", "--existing-secret", "stampede-cluster-token", "--out", out.toString());
        assertThat(code).isZero();
        List<String> rendered;
        try (Stream<Path> files = Files.list(out)) {
            rendered = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        for (String name : rendered) {
            assertThat(Files.readString(BASE.resolve(name))).as(name + ": run the command in kustomization.yaml again")
                    .isEqualTo(Files.readString(out.resolve(name)));
        }
        String kustomization = Files.readString(BASE.resolve("kustomization.yaml"));
        List<String> listed = kustomization.lines().filter(l -> l.startsWith("  - ")).map(l -> l.substring(4)).toList();
        assertThat(listed).isEqualTo(rendered);
    }

    @Test
    @EndToEnd
    void dockerCompose129AcceptsTheComposeFile() throws Exception {
        Assumptions.assumeTrue(System.getenv("CI") != null || onPath("docker-compose"), "docker-compose is not installed (./run-tests installs it)");
        Process ok = compose(Map.of("STAMPEDE_CLUSTER_TOKEN", "a-token", "STAMPEDE_WORKERS", "4"));
        String config = new String(ok.getInputStream().readAllBytes());
        assertThat(ok.waitFor(COMPOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(ok.exitValue()).as(config).isZero();
        assertThat(config).contains("coordinator:", "worker:", "- --expect-workers\n    - '4'", "network_mode: host", "STAMPEDE_CLUSTER_TOKEN: a-token");

        Process noToken = compose(Map.of());
        String refused = new String(noToken.getInputStream().readAllBytes());
        assertThat(noToken.waitFor(COMPOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(noToken.exitValue()).isNotZero();
        assertThat(refused).contains("set STAMPEDE_CLUSTER_TOKEN");
    }

    private static Process compose(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config").redirectErrorStream(true);
        builder.environment().remove("STAMPEDE_CLUSTER_TOKEN");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

}
