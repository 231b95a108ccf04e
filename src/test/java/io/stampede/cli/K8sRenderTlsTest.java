package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stampede.deploy.RenderedManifests;
import io.stampede.http.Tls;
import io.stampede.plan.PlanFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code k8s render} of a plan with an {@code http.tls} section: its CA files go into the ConfigMap, its client
 * certificate and key into a Secret, all mounted at the paths the unchanged plan names; the folder the pod
 * would see, rebuilt from the rendered files, is a plan whose TLS settings check as a run checks them.
 */
class K8sRenderTlsTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final long OPENSSL_SECONDS = 60;

    @TempDir
    Path dir;


    void openssl(String... args) throws Exception {
        Process process = new ProcessBuilder(Stream.concat(Stream.of("openssl"), Stream.of(args)).toList())
                .directory(dir.resolve("certs").toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(OPENSSL_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** A self-signed certificate and its PKCS#8 key: a CA, or a client's identity. */
    void certificate(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc", "-keyout", name + ".key",
                "-out", name + ".pem", "-subj", "/CN=" + name, "-days", "2");
    }

    Path plan() throws Exception {
        Files.createDirectories(dir.resolve("certs"));
        certificate("ca");
        certificate("auth-ca");
        certificate("user");
        return Files.writeString(dir.resolve("plan.yaml"), """
                host: https://127.0.0.1:8443
                http:
                  tls:
                    caFile: certs/ca.pem
                    cert: certs/user.pem
                    key: certs/user.key
                    hosts:
                      "auth.local:9443": { caFile: certs/auth-ca.pem }
                tasks:
                  - { get: / }
                """);
    }

    @Test
    void caFilesGoToTheConfigMapTheClientIdentityToASecretAndThePodSeesThemWhereThePlanSays() throws Exception {
        Path plan = plan();
        Path out = dir.resolve("out");
        K8sRenderTest.Outcome outcome = K8sRenderTest.render(plan.toString(), "--workers", "2", "--out", out.toString());
        assertThat(outcome.code()).as(outcome.err()).isZero();
        assertThat(RenderedManifests.read(out)).hasSize(6);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly(
                    "00-secret-stampede-cluster-token.yaml", "01-secret-stampede-plan-keys.yaml", "02-configmap-stampede-plan.yaml",
                    "03-service-stampede-coordinator.yaml", "04-job-stampede-coordinator.yaml", "05-job-stampede-worker.yaml");
        }
        Path keysFile = out.resolve("01-secret-stampede-plan-keys.yaml");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysFile))).isEqualTo("rw-------");
        JsonNode keys = YAML.readTree(keysFile.toFile());
        assertThat(keys.get("data").properties()).extracting(e -> e.getKey()).containsExactlyInAnyOrder("certs__user.pem", "certs__user.key");
        String configMapText = Files.readString(out.resolve("02-configmap-stampede-plan.yaml"));
        JsonNode configMap = YAML.readTree(configMapText);
        assertThat(configMap.get("data").properties()).extracting(e -> e.getKey())
                .containsExactlyInAnyOrder("plan.yaml", "certs__ca.pem", "certs__auth-ca.pem");
        assertThat(configMapText).as("no private key in a ConfigMap").doesNotContain("PRIVATE KEY", "certs__user");
        assertThat(configMap.get("data").get("plan.yaml").asText()).isEqualTo(Files.readString(plan));

        // the coordinator's plan folder as the pod sees it, made from the rendered files alone
        JsonNode coordinator = YAML.readTree(out.resolve("04-job-stampede-coordinator.yaml").toFile());
        JsonNode podSpec = coordinator.at("/spec/template/spec");
        JsonNode mount = Stream.of(podSpec.at("/containers/0/volumeMounts")).flatMap(n -> n.valueStream())
                .filter(m -> m.get("name").asText().equals("plan")).findFirst().orElseThrow();
        assertThat(mount.get("mountPath").asText()).isEqualTo("/etc/stampede/plan");
        JsonNode volume = podSpec.get("volumes").valueStream().filter(v -> v.get("name").asText().equals("plan")).findFirst().orElseThrow();
        Path pod = dir.resolve("pod/etc/stampede/plan");
        for (JsonNode source : volume.at("/projected/sources")) {
            boolean secret = source.has("secret");
            JsonNode object = secret ? keys : configMap;
            JsonNode projection = secret ? source.get("secret") : source.get("configMap");
            assertThat(projection.get("name").asText()).isEqualTo(object.at("/metadata/name").asText());
            for (JsonNode item : projection.get("items")) {
                String value = object.get("data").get(item.get("key").asText()).asText();
                byte[] content = secret ? Base64.getDecoder().decode(value) : value.getBytes(StandardCharsets.UTF_8);
                Path file = pod.resolve(item.get("path").asText());
                Files.createDirectories(file.getParent());
                Files.write(file, content);
                if (secret) {
                    assertThat(item.get("mode").asInt()).as("read by the pod's group only").isEqualTo(0440);
                }
            }
        }
        assertThat(pod.resolve("certs/user.key")).hasSameBinaryContentAs(dir.resolve("certs/user.key"));
        // the run reads the plan there: every TLS file found, the key matching its certificate
        Tls tls = PlanFile.draft(pod.resolve("plan.yaml")).toPlan().http().tls();
        assertThat(tls.clientCertificate()).hasValueSatisfying(c -> assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=user"));
        assertThat(tls.cas()).extracting(c -> c.getSubjectX500Principal().getName()).containsExactly("CN=ca");
        assertThat(tls.hosts().values()).singleElement().satisfies(host ->
                assertThat(host.cas()).extracting(c -> c.getSubjectX500Principal().getName()).containsExactly("CN=auth-ca"));
    }

    @Test
    void aTlsFileMissingOrOutsideThePlansFolderIsOneLineNamingThePlansLineAndField() throws Exception {
        Path plan = plan();
        Files.delete(dir.resolve("certs/auth-ca.pem"));
        K8sRenderTest.Outcome missing = K8sRenderTest.render(plan.toString(), "--workers", "2", "--out", dir.resolve("out").toString());
        assertThat(missing.code()).as(missing.err()).isEqualTo(2);
        assertThat(missing.err().lines().toList()).containsExactly("stampede: " + plan + ":8:36: http.tls.hosts.auth.local:9443.caFile:"
                + " file not found: " + dir.resolve("certs/auth-ca.pem"));
        assertThat(dir.resolve("out")).doesNotExist();

        Path elsewhere = Files.createDirectories(dir.resolve("plans"));
        Path outside = Files.writeString(elsewhere.resolve("plan.yaml"), "host: https://127.0.0.1:8443\nhttp:\n  tls:\n"
                + "    cert: ../certs/user.pem\n    key: ../certs/user.key\ntasks:\n  - { get: / }\n");
        K8sRenderTest.Outcome refused = K8sRenderTest.render(outside.toString(), "--workers", "2", "--out", dir.resolve("out").toString());
        assertThat(refused.code()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err().lines().toList()).containsExactly("stampede: " + outside + ":4:11: http.tls.cert: "
                + dir.resolve("certs/user.pem") + " is outside the plan's folder; only that folder goes to the cluster");
    }

    @Test
    void aPlanWithoutTlsFilesRendersNoKeysSecret() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.yaml"), "host: http://127.0.0.1:5001\ntasks:\n  - { get: / }\n");
        Path out = dir.resolve("out");
        assertThat(K8sRenderTest.render(plan.toString(), "--workers", "1", "--out", out.toString()).code()).isZero();
        assertThat(RenderedManifests.read(out)).hasSize(5);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).noneMatch(name -> name.contains("plan-keys"));
        }
        assertThat(List.of(Files.readString(out.resolve("03-job-stampede-coordinator.yaml")))).allSatisfy(job ->
                assertThat(job).contains("configMap:").doesNotContain("projected:"));
    }
}
