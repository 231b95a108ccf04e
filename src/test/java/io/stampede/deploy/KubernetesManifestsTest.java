package io.stampede.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.stampede.deploy.ClusterLayout.ClusterToken;
import io.stampede.deploy.ClusterLayout.MountedFile;
import io.stampede.deploy.ClusterLayout.Sizes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every rendered manifest read back with the Kubernetes API's own model (fabric8's), strictly: a field the
 * API does not have, or a value of the wrong type (a number where the API wants a string), fails.
 */
class KubernetesManifestsTest {

    /** Awkward on purpose: a tab, trailing spaces, a quote, non-ASCII, a line that looks like YAML, no final newline. */
    static final byte[] PLAN = "name: lab\t# tab\nhost: http://127.0.0.1:5001   \nscenario: users/Shop.java\n'quoted': \"x\"\n  - é ✓\n---x"
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] SCENARIO = "public class Shop extends io.stampede.api.User {}\n\n\n".getBytes(StandardCharsets.UTF_8);
    static final String TOKEN = "s3cret-token_value";

    /** Fabric8's classes keep unknown fields in a map ({@code @JsonAnySetter}); without it they fail the read. */
    static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                    return false;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    static {
        STRICT.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    static final ObjectMapper PLAIN = new ObjectMapper();

    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("Secret", Secret.class, "ConfigMap", ConfigMap.class,
            "Service", Service.class, "Job", Job.class);

    static ClusterLayout layout(int workers, ClusterToken token, byte[] plan) {
        return new ClusterLayout("lab", "load", "registry.example:5000/team/stampede:1.2", workers,
                List.of(new MountedFile("plan.yaml", plan), new MountedFile("users/Shop.java", SCENARIO)), List.of("-t", "10m"), token,
                new Sizes("500m", "1Gi"), new Sizes("2", "3Gi"));
    }

    /** Each manifest as the API model reads it, checked to hold every field it was written with. */
    static List<HasMetadata> readBack(ClusterLayout layout) throws Exception {
        List<HasMetadata> objects = new ArrayList<>();
        for (Kube.Resource resource : KubernetesManifests.of(layout)) {
            objects.add(readStrictly(ManifestFiles.yaml(resource)));
        }
        return objects;
    }

    /** One manifest as the API model reads it, checked to hold every field it was written with. */
    static HasMetadata readStrictly(String yaml) throws Exception {
        String kind = STRICT.readTree(yaml).get("kind").asText();
        assertThat(KINDS).as("a kind the manifests use").containsKey(kind);
        HasMetadata object = STRICT.readValue(yaml, KINDS.get(kind));
        // through JSON text, so a number is the same node whichever Java type held it
        JsonNode written = PLAIN.readTree(PLAIN.writeValueAsString(STRICT.readTree(yaml)));
        JsonNode again = PLAIN.readTree(PLAIN.writeValueAsString(asWritten(PLAIN.valueToTree(object))));
        assertThat(again).as("%s read and written again by the API model", kind).isEqualTo(written);
        return object;
    }

    /** Fabric8 writes IntOrString and Quantity through a module of its client; plain Jackson shows their fields: keep the value. */
    static JsonNode asWritten(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("value") && (object.has("strVal") || object.has("intVal"))) {
                return object.get("value");
            }
            if (object.size() == 2 && object.has("amount") && object.has("format")) { // Quantity, the same way
                return TextNode.valueOf(object.get("amount").asText() + object.get("format").asText());
            }
            object.properties().forEach(field -> field.setValue(asWritten(field.getValue())));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, asWritten(array.get(i)));
            }
        }
        return node;
    }

    @Test
    void everyManifestIsAKubernetesObjectAndSaysWhatTheRunNeeds() throws Exception {
        List<HasMetadata> objects = readBack(layout(7, new ClusterToken("lab-cluster-token", TOKEN), PLAN));
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Secret", "ConfigMap", "Service", "Job", "Job");
        Secret secret = (Secret) objects.get(0);
        ConfigMap plan = (ConfigMap) objects.get(1);
        Service service = (Service) objects.get(2);
        Job coordinator = (Job) objects.get(3);
        Job workers = (Job) objects.get(4);
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("load"));

        assertThat(workers.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(workers.getSpec().getCompletions()).isEqualTo(7);
        assertThat(workers.getSpec().getParallelism()).isEqualTo(7);
        for (Job job : List.of(coordinator, workers)) { // a failed run fails its Job, once
            assertThat(job.getSpec().getBackoffLimit()).isZero();
            assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
            Container container = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
            assertThat(container.getImage()).isEqualTo("registry.example:5000/team/stampede:1.2");
            EnvVar token = container.getEnv().stream().filter(e -> e.getName().equals("STAMPEDE_CLUSTER_TOKEN")).findFirst().orElseThrow();
            assertThat(token.getValue()).isNull();
            assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret.getMetadata().getName());
            assertThat(secret.getData()).containsKey(token.getValueFrom().getSecretKeyRef().getKey());
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKey("memory");
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        }
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8)).isEqualTo(TOKEN);

        List<String> coordinatorArgs = coordinator.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs();
        assertThat(String.join(" ", coordinatorArgs)).isEqualTo("run /etc/stampede/plan/plan.yaml --master --expect-workers 7"
                + " --master-bind-host 0.0.0.0 --master-bind-port 5557 --headless --results /work/results -t 10m");
        List<String> workerArgs = workers.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs();
        assertThat(workerArgs).containsExactly("worker", "--master-host", service.getMetadata().getName(), "--master-port", "5557");

        // the Service reaches the coordinator's pod, on the port workers dial and the web UI's
        assertThat(coordinator.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(workers.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainEntry("app.kubernetes.io/component", "coordinator");
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(5557, 8089);

        // the plan byte for byte, and the scenario at its path beside it, mounted where the args say
        assertThat(plan.getData().get("plan.yaml").getBytes(StandardCharsets.UTF_8)).isEqualTo(PLAN);
        assertThat(plan.getData().get("users__Shop.java").getBytes(StandardCharsets.UTF_8)).isEqualTo(SCENARIO);
        var volume = coordinator.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow();
        assertThat(volume.getConfigMap().getName()).isEqualTo(plan.getMetadata().getName());
        assertThat(volume.getConfigMap().getItems()).extracting(i -> i.getKey() + "->" + i.getPath())
                .containsExactly("plan.yaml->plan.yaml", "users__Shop.java->users/Shop.java");
    }

    @Test
    void aPlanThatIsNotUtf8GoesAsBinaryDataByteForByte() throws Exception {
        byte[] latin1 = "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        ConfigMap plan = (ConfigMap) readBack(layout(1, new ClusterToken("lab-cluster-token", TOKEN), latin1)).get(1);
        assertThat(Base64.getDecoder().decode(plan.getBinaryData().get("plan.yaml"))).isEqualTo(latin1);
        assertThat(plan.getData()).containsOnlyKeys("users__Shop.java");
    }

    @Test
    void anExistingSecretIsReferredToAndNoneIsRendered() throws Exception {
        List<HasMetadata> objects = readBack(layout(2, new ClusterToken("my-token", null), PLAN));
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("ConfigMap", "Service", "Job", "Job");
        Job workers = (Job) objects.get(3);
        assertThat(workers.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().getFirst().getValueFrom().getSecretKeyRef()
                .getName()).isEqualTo("my-token");
    }

    @Test
    void workersMountTheirClientCertificatesSecretAndPresentIt() throws Exception {
        ClusterLayout plain = layout(2, new ClusterToken("my-token", null), PLAN);
        ClusterLayout mutual = new ClusterLayout(plain.name(), plain.namespace(), plain.image(), plain.workers(), plain.files(),
                plain.runFlags(), plain.token(), plain.coordinatorSize(), plain.workerSize(), "client-tls");
        List<HasMetadata> objects = readBack(mutual);
        assertThat(objects).extracting(HasMetadata::getKind).as("the Secret is the user's: none rendered")
                .containsExactly("ConfigMap", "Service", "Job", "Job");
        Job coordinator = (Job) objects.get(2);
        Job workers = (Job) objects.get(3);
        Container worker = workers.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(worker.getArgs()).containsSubsequence("--client-cert", "/etc/stampede/client/tls.crt", "--client-key",
                "/etc/stampede/client/tls.key");
        assertThat(worker.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("client-cert");
            assertThat(m.getMountPath()).isEqualTo(KubernetesManifests.CLIENT_CERT_DIR);
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(workers.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getSecret() != null).singleElement()
                .satisfies(v -> {
                    assertThat(v.getName()).isEqualTo("client-cert");
                    assertThat(v.getSecret().getSecretName()).isEqualTo("client-tls");
                    assertThat(v.getSecret().getDefaultMode()).isEqualTo(0440);
                });
        assertThat(coordinator.getSpec().getTemplate().getSpec().getVolumes()).noneMatch(v -> v.getSecret() != null);
        assertThat(((Job) readBack(plain).get(3)).getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs())
                .doesNotContain("--client-cert");
    }

    @Test
    void thePlansClientKeyGoesToASecretMountedBesideThePlanNeverToTheConfigMap() throws Exception {
        ClusterLayout plain = layout(2, new ClusterToken("my-token", null), PLAN);
        byte[] key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.UTF_8);
        List<MountedFile> shared = new ArrayList<>(plain.files());
        shared.add(new MountedFile("certs/ca.pem", "-----BEGIN CERTIFICATE-----\n".getBytes(StandardCharsets.UTF_8)));
        ClusterLayout withTls = new ClusterLayout(plain.name(), plain.namespace(), plain.image(), plain.workers(), shared,
                List.of(new MountedFile("certs/user.key", key)), plain.runFlags(), plain.token(), plain.coordinatorSize(),
                plain.workerSize(), null);
        List<HasMetadata> objects = readBack(withTls);
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Secret", "ConfigMap", "Service", "Job", "Job");
        Secret keys = (Secret) objects.get(0);
        ConfigMap plan = (ConfigMap) objects.get(1);
        assertThat(keys.getMetadata().getName()).isEqualTo("lab-plan-keys");
        assertThat(Base64.getDecoder().decode(keys.getData().get("certs__user.key"))).isEqualTo(key);
        assertThat(plan.getData()).containsOnlyKeys("plan.yaml", "users__Shop.java", "certs__ca.pem");
        var volume = ((Job) objects.get(3)).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("plan")).findFirst().orElseThrow();
        assertThat(volume.getConfigMap()).isNull();
        var sources = volume.getProjected().getSources();
        assertThat(sources).hasSize(2);
        assertThat(sources.get(0).getConfigMap().getName()).isEqualTo(plan.getMetadata().getName());
        assertThat(sources.get(0).getConfigMap().getItems()).extracting(i -> i.getKey() + "->" + i.getPath())
                .containsExactly("plan.yaml->plan.yaml", "users__Shop.java->users/Shop.java", "certs__ca.pem->certs/ca.pem");
        assertThat(sources.get(1).getSecret().getName()).isEqualTo("lab-plan-keys");
        assertThat(sources.get(1).getSecret().getItems()).singleElement().satisfies(item -> {
            assertThat(item.getPath()).isEqualTo("certs/user.key");
            assertThat(item.getMode()).isEqualTo(0440);
        });
        assertThat(((Job) objects.get(4)).getSpec().getTemplate().getSpec().getVolumes()).as("workers never get the plan's key")
                .noneMatch(v -> v.getProjected() != null || v.getSecret() != null);
    }

    @Test
    void theStrictReadFailsOnAFieldTheApiDoesNotHave() {
        String misspelt = "apiVersion: batch/v1\nkind: Job\nmetadata: { name: x }\nspec: { backofLimit: 0 }\n";
        assertThatThrownBy(() -> STRICT.readValue(misspelt, Job.class)).hasMessageContaining("backofLimit");
        String numberForString = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata: { a: 3 }\n";
        assertThatThrownBy(() -> STRICT.readValue(numberForString, ConfigMap.class)).isNotNull();
    }

    @Test
    void imageReferencesFollowDockersGrammar() {
        assertThat(List.of("stampede:local", "stampede", "registry.example:5000/team/stampede:1.2", "ghcr.io/a/b-c_d.e@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")).allSatisfy(i -> assertThat(Names.imageProblem(i)).isNull());
        assertThat(List.of("Stampede:local", "stampede:", "stampede:-x", "has space", "a//b", "", ":tag", "x".repeat(256)))
                .allSatisfy(i -> assertThat(Names.imageProblem(i)).isNotNull());
    }
}
