package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.stampede.deploy.RenderedManifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code k8s render} and what a run holds that is secret: the TLS files and the password given among the run
 * flags, a plan or Java scenario that holds a password, the files a scenario's {@code tls()} names. Each goes
 * where the pod finds it; nothing secret is in a ConfigMap or in the arguments; every manifest is read back
 * with the Kubernetes API's model.
 */
class K8sRenderSecretsTest {

    static final String PLAN_DIR = "/etc/stampede/plan";
    /** A dry run or a render in a JVM of its own, on a loaded machine. */
    static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    Path file(String path, String content) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** The rendered objects, read strictly by the API model, by their kind and name. */
    Map<String, HasMetadata> render(String... args) throws Exception {
        Path out = dir.resolve("out");
        K8sRenderTest.Outcome outcome = K8sRenderTest.render(Stream.concat(Stream.of("--out", out.toString()), Stream.of(args))
                .toArray(String[]::new));
        assertThat(outcome.code()).as(outcome.err()).isZero();
        Map<String, HasMetadata> objects = new LinkedHashMap<>();
        for (HasMetadata object : RenderedManifests.read(out)) {
            objects.put(object.getKind() + "/" + object.getMetadata().getName(), object);
        }
        try (Stream<Path> files = Files.list(out)) {
            for (Path written : files.toList()) {
                assertThat(Files.readString(written)).as(written + ": no password in any file, in clear or base64")
                        .doesNotContain("pa$$word", "hunter2", Base64.getEncoder().encodeToString("hunter2\n".getBytes(StandardCharsets.UTF_8)));
            }
        }
        return objects;
    }

    static Container coordinator(Map<String, HasMetadata> objects) {
        return ((Job) objects.get("Job/stampede-coordinator")).getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    /** The coordinator's plan folder, path by path: "configMap" or "secret" and the key it comes from. */
    static Map<String, String> planFolder(Map<String, HasMetadata> objects) {
        Volume volume = ((Job) objects.get("Job/stampede-coordinator")).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("plan")).findFirst().orElseThrow();
        Map<String, String> folder = new LinkedHashMap<>();
        if (volume.getConfigMap() != null) {
            volume.getConfigMap().getItems().forEach(item -> folder.put(item.getPath(), "configMap:" + item.getKey()));
            return folder;
        }
        for (VolumeProjection source : volume.getProjected().getSources()) {
            List<KeyToPath> items = source.getSecret() != null ? source.getSecret().getItems() : source.getConfigMap().getItems();
            String from = source.getSecret() != null ? "secret:" : "configMap:";
            items.forEach(item -> folder.put(item.getPath(), from + item.getKey()));
        }
        return folder;
    }

    static String secretText(Map<String, HasMetadata> objects, String key) {
        String value = ((Secret) objects.get("Secret/stampede-plan-keys")).getData().get(key);
        assertThat(value).as("the plan's keys Secret holds " + key).isNotNull();
        return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    Path plan() throws Exception {
        return file("plan.yaml", "host: https://127.0.0.1:8443\ntasks:\n  - { get: / }\n");
    }

    @Test
    void tlsFilesAmongTheRunFlagsGoBesideThePlanTheKeyAndPasswordToTheSecretAndTheFlagsNameThemInThePod() throws Exception {
        Path plan = plan();
        Path ca = file("elsewhere/ca.pem", "-----BEGIN CERTIFICATE-----\nca\n");
        Path cert = file("elsewhere/user.p12", "pkcs12 bytes\n");
        Path key = file("elsewhere/user.key", "-----BEGIN PRIVATE KEY-----\nkey\n");
        Map<String, HasMetadata> objects = render(plan.toString(), "--workers", "2", "--", "--ca-file", ca.toString(),
                "--client-cert=" + cert, "--client-key", key.toString(), "--client-cert-password", "pa$$word", "-H",
                "https://127.0.0.1:8443/$(HOME)");

        assertThat(planFolder(objects)).containsExactly(Map.entry("plan.yaml", "configMap:plan.yaml"),
                Map.entry("ca.pem", "configMap:ca.pem"), Map.entry("user.p12", "secret:user.p12"), Map.entry("user.key", "secret:user.key"));
        assertThat(((ConfigMap) objects.get("ConfigMap/stampede-plan")).getData().get("ca.pem")).isEqualTo(Files.readString(ca));
        assertThat(secretText(objects, "user.p12")).isEqualTo(Files.readString(cert));
        assertThat(secretText(objects, "user.key")).isEqualTo(Files.readString(key));
        assertThat(secretText(objects, "STAMPEDE_CLIENT_CERT_PASSWORD")).isEqualTo("pa$$word");

        Container coordinator = coordinator(objects);
        // the API reads $$ as $: every argument means itself; the password is no argument (the API would put
        // a $(NAME) argument's value into the command line, which ps shows) but the variable the run reads
        assertThat(String.join(" ", coordinator.getArgs())).endsWith("--ca-file " + PLAN_DIR + "/ca.pem --client-cert " + PLAN_DIR
                + "/user.p12 --client-key " + PLAN_DIR + "/user.key -H https://127.0.0.1:8443/$$(HOME)");
        assertThat(coordinator.getArgs()).noneMatch(arg -> arg.contains("password") || arg.contains("PASSWORD"));
        assertThat(coordinator.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("STAMPEDE_CLIENT_CERT_PASSWORD");
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("stampede-plan-keys");
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("STAMPEDE_CLIENT_CERT_PASSWORD");
        });
        Container worker = ((Job) objects.get("Job/stampede-worker")).getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(worker.getEnv()).extracting(env -> env.getName()).containsExactly("STAMPEDE_CLUSTER_TOKEN");
    }

    /** An argument as the kubelet expands it: {@code $(NAME)} is the variable's value when it has one, {@code $$} is '$'. */
    static String expanded(String arg, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            int close = arg.indexOf(')', i);
            if (c == '$' && i + 1 < arg.length() && arg.charAt(i + 1) == '$') {
                out.append('$');
                i++;
            } else if (c == '$' && i + 1 < arg.length() && arg.charAt(i + 1) == '(' && close > 0
                    && env.containsKey(arg.substring(i + 2, close))) {
                out.append(env.get(arg.substring(i + 2, close)));
                i = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    void openssl(String... args) throws Exception {
        Process process = new ProcessBuilder(Stream.concat(Stream.of("openssl"), Stream.of(args)).toList())
                .directory(dir.resolve("elsewhere").toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(K8sRenderTlsTest.OPENSSL_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void theCoordinatorsArgumentsAsTheKubeletExpandsThemInThePodsFolderMakeARunWhoseTlsChecks() throws Exception {
        Files.createDirectories(dir.resolve("elsewhere"));
        for (String name : List.of("ca", "user")) {
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc", "-keyout", name + ".key",
                    "-out", name + ".pem", "-subj", "/CN=" + name, "-days", "2");
        }
        openssl("pkcs12", "-export", "-in", "user.pem", "-inkey", "user.key", "-out", "user.p12", "-passout", "pass:pa$$word");
        Path plan = plan();
        Map<String, HasMetadata> objects = render(plan.toString(), "--workers", "2", "--", "--ca-file",
                dir.resolve("elsewhere/ca.pem").toString(), "--client-cert", dir.resolve("elsewhere/user.p12").toString(),
                "--client-cert-password", "pa$$word");

        // the plan folder as the pod sees it, from the rendered objects alone
        Path pod = dir.resolve("pod");
        ConfigMap configMap = (ConfigMap) objects.get("ConfigMap/stampede-plan");
        Secret keys = (Secret) objects.get("Secret/stampede-plan-keys");
        for (Map.Entry<String, String> file : planFolder(objects).entrySet()) {
            String key = file.getValue().substring(file.getValue().indexOf(':') + 1);
            byte[] content = file.getValue().startsWith("secret:") ? Base64.getDecoder().decode(keys.getData().get(key))
                    : configMap.getData().get(key).getBytes(StandardCharsets.UTF_8);
            Path target = pod.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, content);
        }
        // the container's environment as the kubelet sets it: each variable from its Secret's key
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar variable : coordinator(objects).getEnv()) {
            SecretKeySelector from = variable.getValueFrom().getSecretKeyRef();
            if (from.getName().equals("stampede-plan-keys")) {
                env.put(variable.getName(), secretText(objects, from.getKey()));
            }
        }
        assertThat(env).containsOnlyKeys("STAMPEDE_CLIENT_CERT_PASSWORD");
        String[] args = Stream.concat(coordinator(objects).getArgs().stream().map(arg -> expanded(arg, env))
                .map(arg -> arg.replace(PLAN_DIR, pod.toString())), Stream.of("--dry-run")).toArray(String[]::new);
        assertThat(args).noneMatch(arg -> arg.contains("pa$$word"));
        StampedeProcess.Result run = StampedeProcess.runWithEnv(dir, RUN_LIMIT, env, args);
        assertThat(run.exitCode()).as("run %s: %s", List.of(args), run.stderr()).isZero();

        StampedeProcess.Result refused = StampedeProcess.runWithEnv(dir, RUN_LIMIT, Map.of("STAMPEDE_CLIENT_CERT_PASSWORD", "pa$word"), args);
        assertThat(refused.exitCode()).as("the same run with another password: %s", refused.stderr()).isEqualTo(2);
        assertThat(refused.stderr()).isEqualTo("stampede: STAMPEDE_CLIENT_CERT_PASSWORD or --client-cert: cannot open "
                + pod.resolve("user.p12") + " as PKCS#12: wrong password\n");
    }

    @Test
    void everySecretFlagGoesToTheSecretAndTheCoordinatorsEnvironmentNeverToItsArguments() throws Exception {
        Map<String, HasMetadata> objects = render(plan().toString(), "--workers", "1", "--", "--web-auth=hunter2",
                "--client-cert-password", "pa$$word", "-u", "3");
        assertThat(secretText(objects, "STAMPEDE_WEB_AUTH")).isEqualTo("hunter2");
        assertThat(secretText(objects, "STAMPEDE_CLIENT_CERT_PASSWORD")).isEqualTo("pa$$word");
        Container coordinator = coordinator(objects);
        assertThat(String.join(" ", coordinator.getArgs())).endsWith("--results /work/results -u 3");
        assertThat(coordinator.getEnv()).extracting(env -> env.getName() + " <- " + env.getValueFrom().getSecretKeyRef().getName()
                + "/" + env.getValueFrom().getSecretKeyRef().getKey()).containsExactly("STAMPEDE_CLUSTER_TOKEN <- stampede-cluster-token/token",
                "STAMPEDE_WEB_AUTH <- stampede-plan-keys/STAMPEDE_WEB_AUTH",
                "STAMPEDE_CLIENT_CERT_PASSWORD <- stampede-plan-keys/STAMPEDE_CLIENT_CERT_PASSWORD");
    }

    @Test
    void aClusterTokenAmongTheRunFlagsIsRefusedTheTokenIsTheSecretsBothSidesRead() throws Exception {
        for (String[] given : List.of(new String[] {"--cluster-token", "s3cret"}, new String[] {"--cluster-token=s3cret"})) {
            K8sRenderTest.Outcome outcome = K8sRenderTest.render(Stream.concat(Stream.of(plan().toString(), "--workers", "1", "--out",
                    dir.resolve("out").toString(), "--"), Stream.of(given)).toArray(String[]::new));
            assertThat(outcome.code()).as(outcome.err()).isEqualTo(2);
            assertThat(outcome.err()).isEqualTo("stampede: --cluster-token: the cluster's token is its Secret's, which the coordinator"
                    + " and the workers read: set STAMPEDE_CLUSTER_TOKEN when rendering, or give --existing-secret\n");
        }
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void secretsSetInTheRenderersEnvironmentGoToTheSecretAsARunWouldTakeThemAndAFlagWins() throws Exception {
        Path out = dir.resolve("out");
        Map<String, String> env = Map.of("STAMPEDE_CLIENT_CERT_PASSWORD", "from-env", "STAMPEDE_WEB_AUTH", "token-from-env",
                "STAMPEDE_CLUSTER_TOKEN", "cluster-from-env");
        StampedeProcess.Result rendered = StampedeProcess.runWithEnv(dir, RUN_LIMIT, env, "k8s", "render", plan().toString(), "--workers",
                "1", "--out", out.toString(), "--", "--web-auth", "token-from-flag");
        assertThat(rendered.exitCode()).as(rendered.stderr()).isZero();
        Map<String, HasMetadata> objects = new LinkedHashMap<>();
        for (HasMetadata object : RenderedManifests.read(out)) {
            objects.put(object.getKind() + "/" + object.getMetadata().getName(), object);
        }
        assertThat(secretText(objects, "STAMPEDE_CLIENT_CERT_PASSWORD")).isEqualTo("from-env");
        assertThat(secretText(objects, "STAMPEDE_WEB_AUTH")).isEqualTo("token-from-flag");
        assertThat(new String(Base64.getDecoder().decode(((Secret) objects.get("Secret/stampede-cluster-token")).getData().get("token")),
                StandardCharsets.UTF_8)).isEqualTo("cluster-from-env");
        assertThat(coordinator(objects).getArgs()).noneMatch(arg -> arg.contains("from-") || arg.contains("--web-auth"));
    }

    @Test
    void aRunFlagsTlsFileMissingIsOneLineNamingTheFlag() throws Exception {
        String plan = plan().toString();
        Path missing = dir.resolve("nowhere/ca.pem");
        Path key = file("user.key", "key\n");
        for (String flag : List.of("--ca-file", "--client-cert", "--client-key")) {
            for (List<String> given : List.of(List.of(flag, missing.toString()), List.of(flag + "=" + missing))) {
                K8sRenderTest.Outcome outcome = K8sRenderTest.render(Stream.concat(Stream.of(plan, "--workers", "1", "--out",
                        dir.resolve("out").toString(), "--"), given.stream()).toArray(String[]::new));
                assertThat(outcome.code()).as(outcome.err()).isEqualTo(2);
                assertThat(outcome.err().lines().toList()).containsExactly("stampede: " + flag + ": file not found: " + missing);
            }
        }
        Path other = file("other/user.key", "another key\n");
        K8sRenderTest.Outcome clash = K8sRenderTest.render(plan, "--workers", "1", "--out", dir.resolve("out").toString(), "--",
                "--client-key", other.toString(), "--ca-file", key.toString());
        assertThat(clash.code()).as(clash.err()).isEqualTo(2);
        assertThat(clash.err().lines().toList()).containsExactly("stampede: --ca-file: " + key
                + ": another file at user.key is already beside the plan");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aPlanThatHoldsAPasswordGoesToTheSecretAndNoConfigMapHoldsIt() throws Exception {
        file("certs/user.p12", "pkcs12 bytes\n");
        file("certs/trust.p12", "trust store bytes\n");
        Path plan = file("plan.yaml", """
                host: https://127.0.0.1:8443
                http:
                  tls:
                    cert: certs/user.p12
                    password: hunter2
                    hosts:
                      "auth.local": { caFile: certs/trust.p12, caPassword: hunter2 }
                tasks:
                  - { get: / }
                """);
        Map<String, HasMetadata> objects = render(plan.toString(), "--workers", "1");
        assertThat(planFolder(objects)).containsExactly(Map.entry("certs/trust.p12", "configMap:certs__trust.p12"),
                Map.entry("plan.yaml", "secret:plan.yaml"), Map.entry("certs/user.p12", "secret:certs__user.p12"));
        assertThat(secretText(objects, "plan.yaml")).isEqualTo(Files.readString(plan));
        assertThat(((ConfigMap) objects.get("ConfigMap/stampede-plan")).getData()).containsOnlyKeys("certs__trust.p12");
        assertThat(coordinator(objects).getArgs()).startsWith("run", PLAN_DIR + "/plan.yaml");
    }

    @Test
    void aPlanThatHoldsAPasswordAndNothingPublicRendersNoConfigMap() throws Exception {
        file("user.p12", "pkcs12 bytes\n");
        Path plan = file("plan.yaml", "host: https://127.0.0.1:8443\nhttp:\n  tls: { cert: user.p12, password: hunter2 }\n"
                + "tasks:\n  - { get: / }\n");
        Map<String, HasMetadata> objects = render(plan.toString(), "--workers", "1");
        assertThat(objects.keySet()).noneMatch(name -> name.startsWith("ConfigMap/"));
        assertThat(planFolder(objects)).containsExactly(Map.entry("plan.yaml", "secret:plan.yaml"), Map.entry("user.p12", "secret:user.p12"));
    }

    static final String SCENARIO = """
            import io.stampede.api.*;

            public class Shop extends User {
                public static TlsSettings tls() {
                    return TlsSettings.caFile("certs/ca.pem")
                            .clientCertificate("certs/user.pem", "certs/user.key");
                }
            }
            """;

    @Test
    void theFilesAJavaScenariosTlsNamesGoWithItAsThePlansDo() throws Exception {
        file("users/Shop.java", SCENARIO);
        file("users/certs/ca.pem", "ca\n");
        file("users/certs/user.pem", "cert\n");
        file("users/certs/user.key", "key\n");
        Path plan = file("plan.yaml", "host: https://127.0.0.1:8443\nscenario: users/Shop.java\n");
        Map<String, HasMetadata> objects = render(plan.toString(), "--workers", "1");
        // relative to the scenario's folder, as the run reads them, and so at the same place under the plan's folder in the pod
        assertThat(planFolder(objects)).containsExactly(Map.entry("plan.yaml", "configMap:plan.yaml"),
                Map.entry("users/Shop.java", "configMap:users__Shop.java"), Map.entry("users/certs/ca.pem", "configMap:users__certs__ca.pem"),
                Map.entry("users/certs/user.pem", "secret:users__certs__user.pem"),
                Map.entry("users/certs/user.key", "secret:users__certs__user.key"));
    }

    @Test
    void aDashFScenariosTlsFilesGoUnderThePlansFolderInThePodAsTheyAreUnderTheScenariosHere() throws Exception {
        Path plan = plan();
        Path scenario = file("other/Shop.java", """
                import io.stampede.api.*;

                public class Shop extends User {
                    public static TlsSettings tls() {
                        return TlsSettings.caFile("certs/ca.pem").clientKeyStore("certs/user.p12", "hunter2");
                    }
                }
                """);
        file("other/certs/ca.pem", "ca\n");
        file("other/certs/user.p12", "pkcs12\n");
        Map<String, HasMetadata> objects = render(plan.toString(), "--workers", "1", "--", "-f", scenario.toString());
        // the scenario declares a password: it goes to the Secret with its key store
        assertThat(planFolder(objects)).containsExactly(Map.entry("plan.yaml", "configMap:plan.yaml"),
                Map.entry("certs/ca.pem", "configMap:certs__ca.pem"), Map.entry("Shop.java", "secret:Shop.java"),
                Map.entry("certs/user.p12", "secret:certs__user.p12"));
        assertThat(coordinator(objects).getArgs()).containsSubsequence("-f", PLAN_DIR + "/Shop.java");
    }

    @Test
    void aFileAJavaScenariosTlsNamesThatIsMissingIsOneLineNamingTheScenariosLine() throws Exception {
        Path scenario = file("users/Shop.java", SCENARIO);
        file("users/certs/ca.pem", "ca\n");
        file("users/certs/user.pem", "cert\n");
        Path plan = file("plan.yaml", "host: https://127.0.0.1:8443\nscenario: users/Shop.java\n");
        K8sRenderTest.Outcome outcome = K8sRenderTest.render(plan.toString(), "--workers", "1", "--out", dir.resolve("out").toString());
        assertThat(outcome.code()).as(outcome.err()).isEqualTo(2);
        assertThat(outcome.err().lines().toList()).containsExactly("stampede: " + scenario + ":6: http.tls.key: file not found: "
                + dir.resolve("users/certs/user.key"));
    }
}
