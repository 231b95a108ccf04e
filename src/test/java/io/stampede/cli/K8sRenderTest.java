package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.deploy.RenderedManifests;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stampede k8s render}: the files it writes, and one line with exit 2 for each kind of bad input. */
class K8sRenderTest {

    @TempDir
    Path dir;

    record Outcome(int code, String err) {
    }

    /** {@code stampede k8s render ARGS} in this JVM: its exit code and what it wrote to stderr. */
    static Outcome render(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                Stream.concat(Stream.of("k8s", "render"), Stream.of(args)).toArray(String[]::new));
        return new Outcome(code, err.toString());
    }

    Path plan() throws Exception {
        Files.createDirectories(dir.resolve("users"));
        Files.writeString(dir.resolve("users/Shop.java"), "public class Shop extends io.stampede.api.User {}\n");
        return Files.writeString(dir.resolve("plan.yaml"), "host: http://127.0.0.1:5001\nscenario: users/Shop.java\n");
    }

    @Test
    void writesOneFilePerObjectTheSecretForItsOwnerOnly() throws Exception {
        Path out = dir.resolve("out");
        Outcome outcome = render(plan().toString(), "--workers", "3", "--out", out.toString(), "--", "-t", "1m");
        assertThat(outcome.code()).as(outcome.err()).isZero();
        assertThat(RenderedManifests.read(out)).hasSize(5);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly(
                    "00-secret-stampede-cluster-token.yaml", "01-configmap-stampede-plan.yaml", "02-service-stampede-coordinator.yaml",
                    "03-job-stampede-coordinator.yaml", "04-job-stampede-worker.yaml");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("00-secret-stampede-cluster-token.yaml"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(out.resolve("01-configmap-stampede-plan.yaml"))).contains("users__Shop.java", "scenario: users/Shop.java");
        Path mine = Files.writeString(out.resolve("notes.yaml"), "kept");
        Outcome again = render(plan().toString(), "--workers", "3", "--out", out.toString(), "--existing-secret", "team.token", "--", "-t", "1m");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(RenderedManifests.read(out)).hasSize(4);
        assertThat(out.resolve("00-secret-stampede-cluster-token.yaml")).as("the earlier render's Secret").doesNotExist();
        assertThat(mine).hasContent("kept");
        assertThat(Files.readString(out.resolve("02-job-stampede-coordinator.yaml"))).contains("- --expect-workers\n        - \"3\"", "- -t\n        - 1m");
    }

    @Test
    void aScenarioGivenWithDashFGoesBesideThePlanAndTheFlagNamesItInThePod() throws Exception {
        Path out = dir.resolve("out");
        Path scenario = Files.writeString(dir.resolve("Cart.java"), "public class Cart extends io.stampede.api.User {}\n");
        Outcome outcome = render(plan().toString(), "--workers", "1", "--out", out.toString(), "--", "-f", scenario.toString());
        assertThat(outcome.code()).as(outcome.err()).isZero();
        assertThat(RenderedManifests.read(out)).hasSize(5);
        assertThat(Files.readString(out.resolve("01-configmap-stampede-plan.yaml"))).contains("Cart.java: |\n    public class Cart extends");
        assertThat(Files.readString(out.resolve("03-job-stampede-coordinator.yaml")))
                .contains("- -f\n        - /etc/stampede/plan/Cart.java", "- key: Cart.java\n            path: Cart.java");
    }

    @Test
    void anHttpsTargetBehindAFaultProxyRendersWithoutAWarning() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                host: https://localhost:8443
                targets:
                  api: { address: 127.0.0.1:8443, url: https://localhost:8443 }
                  web: { address: 127.0.0.1:8080, url: http://127.0.0.1:8080 }
                tasks:
                  - { get: / }
                chaos:
                  - { fault: latency, target: "re2:.*", all: true, latency: 300ms, at: 10s, duration: 5s }
                """);
        Path out = dir.resolve("out");
        Outcome outcome = render(plan.toString(), "--workers", "2", "--out", out.toString());
        assertThat(outcome.code()).as(outcome.err()).isZero();
        assertThat(RenderedManifests.read(out)).hasSize(5);
        assertThat(outcome.err()).as("workers reach the https target's proxy by a connect-to entry, the http one's by address")
                .isEmpty();
        Files.writeString(plan, Files.readString(plan).replaceAll("(?s)chaos:.*", ""));
        Outcome noFaults = render(plan.toString(), "--workers", "2", "--out", out.toString());
        assertThat(noFaults.code()).as(noFaults.err()).isZero();
        assertThat(noFaults.err()).isEmpty();
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        String plan = plan().toString();
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Path outside = Files.writeString(dir.resolve("outside.yaml"), "scenario: ../Elsewhere.java\n");
        List<List<String>> cases = List.of(
                List.of(dir.resolve("missing.yaml").toString(), "--workers", "2"),
                List.of(plan, "--workers", "0"),
                List.of(plan, "--workers", "2", "--image", "Not An Image"),
                List.of(plan, "--workers", "2", "--out", file.resolve("sub").toString()),
                List.of(plan, "--workers", "2", "--out", file.toString()),
                List.of(plan, "--workers", "2", "--namespace", "Load_Test"),
                List.of(plan, "--workers", "2", "--worker-memory", "lots"),
                List.of(plan, "--workers", "2", "--existing-secret", "My_Secret"),
                List.of(outside.toString(), "--workers", "2"),
                List.of(plan, "--workers", "2", "--", "-f", dir.resolve("Missing.java").toString()));
        List<String> expected = List.of(
                "stampede: " + dir.resolve("missing.yaml") + ": plan file not found",
                "stampede: --workers: 0 is out of range 1..1000",
                "stampede: --image: 'Not An Image' is not an image reference",
                "stampede: --out: " + file.resolve("sub") + ": cannot write",
                "stampede: --out: " + file + " is a file, not a directory",
                "stampede: --namespace: 'Load_Test' is not a namespace name",
                "stampede: --worker-memory: 'lots' is not a Kubernetes quantity",
                "stampede: --existing-secret: 'My_Secret' is not a Secret name",
                "stampede: " + outside + ":1:11: scenario: ",
                "stampede: -f/--file: " + dir.resolve("Missing.java") + ": no such file");
        for (int i = 0; i < cases.size(); i++) {
            Outcome outcome = render(cases.get(i).toArray(String[]::new));
            assertThat(outcome.code()).as(outcome.err()).isEqualTo(2);
            assertThat(outcome.err().lines().toList()).as(String.join(" ", cases.get(i))).hasSize(1);
            assertThat(outcome.err()).startsWith(expected.get(i));
        }
    }
}
