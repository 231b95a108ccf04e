package io.stampede.deploy;

import java.util.List;
import java.util.Map;

/**
 * The part of the Kubernetes API that a distributed run's manifests use, as records whose component
 * names are the API's field names (Jackson writes them as they are; null fields are left out).
 * KubernetesManifestsTest reads every rendered object back with the fabric8 model, failing on an
 * unknown field, so a misspelt name here fails the build rather than {@code kubectl apply}.
 */
public interface Kube {

    /** One object of the API: what {@code kubectl apply} takes. */
    sealed interface Resource permits Secret, ConfigMap, Service, Job {
        String apiVersion();

        String kind();

        ObjectMeta metadata();
    }

    record ObjectMeta(String name, String namespace, Map<String, String> labels) {
    }

    record Secret(String apiVersion, String kind, ObjectMeta metadata, String type, Map<String, String> data) implements Resource {
        Secret(ObjectMeta metadata, Map<String, String> data) {
            this("v1", "Secret", metadata, "Opaque", data);
        }
    }

    /** {@code data} holds UTF-8 text, {@code binaryData} (base64) any other bytes. */
    record ConfigMap(String apiVersion, String kind, ObjectMeta metadata, Map<String, String> data, Map<String, String> binaryData)
            implements Resource {
        ConfigMap(ObjectMeta metadata, Map<String, String> data, Map<String, String> binaryData) {
            this("v1", "ConfigMap", metadata, data.isEmpty() ? null : data, binaryData.isEmpty() ? null : binaryData);
        }
    }

    record Service(String apiVersion, String kind, ObjectMeta metadata, ServiceSpec spec) implements Resource {
        Service(ObjectMeta metadata, ServiceSpec spec) {
            this("v1", "Service", metadata, spec);
        }
    }

    record ServiceSpec(String type, Map<String, String> selector, List<ServicePort> ports) {
    }

    record ServicePort(String name, int port, String targetPort, String protocol) {
    }

    record Job(String apiVersion, String kind, ObjectMeta metadata, JobSpec spec) implements Resource {
        Job(ObjectMeta metadata, JobSpec spec) {
            this("batch/v1", "Job", metadata, spec);
        }
    }

    record JobSpec(String completionMode, Integer completions, Integer parallelism, int backoffLimit, Integer ttlSecondsAfterFinished,
            PodTemplateSpec template) {
    }

    record PodTemplateSpec(ObjectMeta metadata, PodSpec spec) {
    }

    record PodSpec(String restartPolicy, boolean automountServiceAccountToken, Integer terminationGracePeriodSeconds,
            PodSecurityContext securityContext, List<TopologySpreadConstraint> topologySpreadConstraints, List<Container> containers,
            List<Volume> volumes) {
    }

    record PodSecurityContext(boolean runAsNonRoot, long runAsUser, long runAsGroup, long fsGroup, SeccompProfile seccompProfile) {
    }

    record SeccompProfile(String type) {
    }

    record TopologySpreadConstraint(int maxSkew, String topologyKey, String whenUnsatisfiable, LabelSelector labelSelector) {
    }

    record LabelSelector(Map<String, String> matchLabels) {
    }

    record Container(String name, String image, String imagePullPolicy, List<String> args, String workingDir, List<EnvVar> env,
            List<ContainerPort> ports, ResourceRequirements resources, List<VolumeMount> volumeMounts, SecurityContext securityContext) {
    }

    record EnvVar(String name, String value, EnvVarSource valueFrom) {
    }

    record EnvVarSource(SecretKeySelector secretKeyRef) {
    }

    record SecretKeySelector(String name, String key) {
    }

    record ContainerPort(String name, int containerPort, String protocol) {
    }

    record ResourceRequirements(Map<String, String> requests, Map<String, String> limits) {
    }

    record VolumeMount(String name, String mountPath, boolean readOnly) {
    }

    record SecurityContext(boolean allowPrivilegeEscalation, boolean readOnlyRootFilesystem, Capabilities capabilities) {
    }

    record Capabilities(List<String> drop) {
    }

    record Volume(String name, ConfigMapVolumeSource configMap, EmptyDirVolumeSource emptyDir, SecretVolumeSource secret,
            ProjectedVolumeSource projected) {
        Volume(String name, ConfigMapVolumeSource configMap, EmptyDirVolumeSource emptyDir) {
            this(name, configMap, emptyDir, null, null);
        }

        Volume(String name, ConfigMapVolumeSource configMap, EmptyDirVolumeSource emptyDir, SecretVolumeSource secret) {
            this(name, configMap, emptyDir, secret, null);
        }
    }

    /** Several sources in one folder: a ConfigMap's files and a Secret's side by side, each with its own mode. */
    record ProjectedVolumeSource(List<VolumeProjection> sources) {
    }

    /** One source of a projected volume: exactly one of the two is set. */
    record VolumeProjection(ConfigMapProjection configMap, SecretProjection secret) {
    }

    record ConfigMapProjection(String name, List<KeyToPath> items) {
    }

    record SecretProjection(String name, List<KeyToPath> items) {
    }

    /** {@code defaultMode}: the files' mode, in decimal as the API takes it. */
    record SecretVolumeSource(String secretName, Integer defaultMode) {
    }

    record ConfigMapVolumeSource(String name, List<KeyToPath> items) {
    }

    /** {@code mode}: this file's mode, in decimal as the API takes it; null: the volume's default. */
    record KeyToPath(String key, String path, Integer mode) {
        KeyToPath(String key, String path) {
            this(key, path, null);
        }
    }

    record EmptyDirVolumeSource(String sizeLimit) {
    }
}
