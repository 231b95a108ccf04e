package io.stampede.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stampede.cli.Main;
import io.stampede.plan.PlanFile;
import io.stampede.testing.EndToEnd;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    static final Path OVERLAY = Path.of("deploy/kubernetes-example");
    static final Path COMPOSE = Path.of("deploy/compose.yaml");
    static final long PROCESS_TIMEOUT_SECONDS = 120;

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
    void theExampleOverlayChangesPlanImageNamespaceAndWorkersTogether() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed: the overlay is not built");
        PlanFile.read(OVERLAY.resolve("lab13.yaml")); // a plan Stampede accepts
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", OVERLAY.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String built = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kustomize.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(kustomize.exitValue()).as(built).isZero();
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(built)) {
            documents.forEachRemaining(objects::add);
        }
        assertThat(objects).extracting(o -> o.at("/metadata/namespace").asText()).containsOnly("load");
        JsonNode workers = objects.stream().filter(o -> o.at("/metadata/name").asText().equals("stampede-worker")).findFirst().orElseThrow();
        JsonNode coordinator = objects.stream().filter(o -> o.at("/metadata/name").asText().equals("stampede-coordinator")
                && o.at("/kind").asText().equals("Job")).findFirst().orElseThrow();
        JsonNode plan = objects.stream().filter(o -> o.at("/kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        assertThat(workers.at("/spec/completions").asInt()).isEqualTo(5);
        assertThat(workers.at("/spec/parallelism").asInt()).isEqualTo(5);
        assertThat(coordinator.at("/spec/template/spec/containers/0/args/4").asText()).isEqualTo("5");
        assertThat(coordinator.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("registry.example/stampede:0.1.0");
        assertThat(plan.at("/data/lab13.yaml").asText()).isEqualTo(Files.readString(OVERLAY.resolve("lab13.yaml")));
        // the generated ConfigMap's name (with its hash) is the one the coordinator mounts
        assertThat(coordinator.at("/spec/template/spec/volumes/2/configMap/name").asText()).isEqualTo(plan.at("/metadata/name").asText());
    }

    @Test
    @EndToEnd
    void dockerCompose129AcceptsTheComposeFile() throws Exception {
        Assumptions.assumeTrue(System.getenv("CI") != null || onPath("docker-compose"), "docker-compose is not installed (./run-tests installs it)");
        Process ok = compose(Map.of("STAMPEDE_CLUSTER_TOKEN", "a-token", "STAMPEDE_WORKERS", "4"));
        String config = new String(ok.getInputStream().readAllBytes());
        assertThat(ok.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(ok.exitValue()).as(config).isZero();
        assertThat(config).contains("coordinator:", "worker:", "- --expect-workers\n    - '4'", "network_mode: host", "STAMPEDE_CLUSTER_TOKEN: a-token");

        Process noToken = compose(Map.of());
        String refused = new String(noToken.getInputStream().readAllBytes());
        assertThat(noToken.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
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
