package io.stampede.deploy;

import io.stampede.deploy.ClusterLayout.MountedFile;
import io.stampede.deploy.ClusterLayout.PrivateValue;
import io.stampede.deploy.Kube.Capabilities;
import io.stampede.deploy.Kube.ConfigMap;
import io.stampede.deploy.Kube.ConfigMapProjection;
import io.stampede.deploy.Kube.ConfigMapVolumeSource;
import io.stampede.deploy.Kube.Container;
import io.stampede.deploy.Kube.ContainerPort;
import io.stampede.deploy.Kube.EmptyDirVolumeSource;
import io.stampede.deploy.Kube.EnvVar;
import io.stampede.deploy.Kube.EnvVarSource;
import io.stampede.deploy.Kube.Job;
import io.stampede.deploy.Kube.JobSpec;
import io.stampede.deploy.Kube.KeyToPath;
import io.stampede.deploy.Kube.LabelSelector;
import io.stampede.deploy.Kube.ObjectMeta;
import io.stampede.deploy.Kube.PodSecurityContext;
import io.stampede.deploy.Kube.PodSpec;
import io.stampede.deploy.Kube.PodTemplateSpec;
import io.stampede.deploy.Kube.ProjectedVolumeSource;
import io.stampede.deploy.Kube.Resource;
import io.stampede.deploy.Kube.ResourceRequirements;
import io.stampede.deploy.Kube.SeccompProfile;
import io.stampede.deploy.Kube.Secret;
import io.stampede.deploy.Kube.SecretKeySelector;
import io.stampede.deploy.Kube.SecretProjection;
import io.stampede.deploy.Kube.SecretVolumeSource;
import io.stampede.deploy.Kube.SecurityContext;
import io.stampede.deploy.Kube.Service;
import io.stampede.deploy.Kube.ServicePort;
import io.stampede.deploy.Kube.ServiceSpec;
import io.stampede.deploy.Kube.TopologySpreadConstraint;
import io.stampede.deploy.Kube.Volume;
import io.stampede.deploy.Kube.VolumeMount;
import io.stampede.deploy.Kube.VolumeProjection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A distributed run as Kubernetes objects: the token's Secret, the plan's ConfigMap, the coordinator's
 * Service and Job, and the workers as one indexed Job. Both Jobs run once: restartPolicy Never and
 * backoffLimit 0, so a failed run (exit 1 for a failed verdict, 2 for bad input) shows as a failed Job
 * instead of being run again, and a worker that dies is not replaced by one the coordinator no longer expects.
 */
public final class KubernetesManifests {

    /** The coordinator's port for workers ({@code --master-bind-port}). */
    public static final int CLUSTER_PORT = 5557;
    /** The live web UI's port. */
    public static final int WEB_PORT = 8089;
    /** The environment variable both sides read the cluster token from. */
    public static final String TOKEN_ENV = "STAMPEDE_CLUSTER_TOKEN";
    /** The token's key in its Secret. */
    public static final String TOKEN_KEY = "token";
    /** Where the coordinator sees the plan's ConfigMap. */
    public static final String PLAN_DIR = "/etc/stampede/plan";
    /** The working directory, writable (an emptyDir): results go under it. */
    public static final String WORK_DIR = "/work";
    /** Where a worker sees its client certificate's Secret: {@code tls.crt} and {@code tls.key}. */
    public static final String CLIENT_CERT_DIR = "/etc/stampede/client";
    /** Read by the owner and the pod's group (fsGroup), the image's user: a key readable by no one else. */
    private static final int PRIVATE_FILE_MODE = 0440;
    /** The image's unprivileged user (deploy/Dockerfile creates it). */
    public static final long USER_ID = 10001;

    private static final String WORK_SIZE_LIMIT = "1Gi";
    private static final String TMP_SIZE_LIMIT = "256Mi";

    private KubernetesManifests() {
    }

    /** The objects in the order to apply them: what others refer to first. */
    public static List<Resource> of(ClusterLayout layout) {
        List<Resource> resources = new ArrayList<>();
        if (layout.token().rendered()) {
            resources.add(new Secret(meta(layout, layout.token().secretName(), null),
                    Map.of(TOKEN_KEY, Base64.getEncoder().encodeToString(layout.token().token().getBytes(StandardCharsets.UTF_8)))));
        }
        if (hasPlanKeys(layout)) {
            Map<String, String> data = base64(layout.privateFiles());
            for (PrivateValue value : layout.privateValues()) {
                data.put(value.env(), Base64.getEncoder().encodeToString(value.value().getBytes(StandardCharsets.UTF_8)));
            }
            resources.add(new Secret(meta(layout, planKeysName(layout), null), data));
        }
        if (!layout.files().isEmpty()) {
            resources.add(planConfigMap(layout));
        }
        resources.add(new Service(meta(layout, coordinatorName(layout), "coordinator"),
                new ServiceSpec("ClusterIP", selector(layout, "coordinator"),
                        List.of(new ServicePort("cluster", CLUSTER_PORT, "cluster", "TCP"), new ServicePort("web", WEB_PORT, "web", "TCP")))));
        resources.add(coordinatorJob(layout));
        resources.add(workerJob(layout));
        return resources;
    }

    public static String coordinatorName(ClusterLayout layout) {
        return layout.name() + "-coordinator";
    }

    public static String workerName(ClusterLayout layout) {
        return layout.name() + "-worker";
    }

    public static String planConfigMapName(ClusterLayout layout) {
        return layout.name() + "-plan";
    }

    /** The Secret of the plan's own client certificates and keys, mounted beside the plan. */
    public static String planKeysName(ClusterLayout layout) {
        return layout.name() + "-plan-keys";
    }

    private static boolean hasPlanKeys(ClusterLayout layout) {
        return !layout.privateFiles().isEmpty() || !layout.privateValues().isEmpty();
    }

    /** A ConfigMap key for a file: keys allow no '/', so a path's separators become "__". */
    public static String configMapKey(MountedFile file) {
        return file.path().replace("/", "__");
    }

    private static ConfigMap planConfigMap(ClusterLayout layout) {
        Map<String, String> text = new LinkedHashMap<>();
        Map<String, String> binary = new LinkedHashMap<>();
        for (MountedFile file : layout.files()) {
            String utf8 = strictUtf8(file.content());
            if (utf8 != null) {
                text.put(configMapKey(file), utf8);
            } else {
                binary.put(configMapKey(file), Base64.getEncoder().encodeToString(file.content()));
            }
        }
        return new ConfigMap(meta(layout, planConfigMapName(layout), null), text, binary);
    }

    private static Map<String, String> base64(List<MountedFile> files) {
        Map<String, String> data = new LinkedHashMap<>();
        for (MountedFile file : files) {
            data.put(configMapKey(file), Base64.getEncoder().encodeToString(file.content()));
        }
        return data;
    }

    /** The bytes as text when they are valid UTF-8 (then the ConfigMap shows them as written), else null. */
    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Job coordinatorJob(ClusterLayout layout) {
        List<String> args = new ArrayList<>(List.of("run", ClusterLayout.literal(PLAN_DIR + "/" + layout.plan()),
                "--master", "--expect-workers", Integer.toString(layout.workers()),
                "--master-bind-host", "0.0.0.0", "--master-bind-port", Integer.toString(CLUSTER_PORT),
                "--headless", "--results", WORK_DIR + "/results"));
        args.addAll(layout.runFlags());
        List<EnvVar> env = layout.privateValues().stream()
                .map(value -> secretEnv(value.env(), planKeysName(layout), value.env())).toList();
        Container container = container(layout, "coordinator", args, env, layout.coordinatorSize(),
                List.of(new ContainerPort("cluster", CLUSTER_PORT, "TCP"), new ContainerPort("web", WEB_PORT, "TCP")),
                new VolumeMount("plan", PLAN_DIR, true));
        List<Volume> volumes = new ArrayList<>(scratchVolumes());
        volumes.add(planVolume(layout));
        PodSpec pod = pod(List.of(), container, volumes);
        return new Job(meta(layout, coordinatorName(layout), "coordinator"),
                new JobSpec(null, 1, 1, 0, null, new PodTemplateSpec(podMeta(layout, "coordinator"), pod)));
    }

    /**
     * The plan's folder as the plan sees it: the ConfigMap's files, and the Secret's beside them at their own
     * paths (one projected volume), so every relative path the plan names resolves in the pod as it did where
     * it was rendered, and the plan stays byte for byte.
     */
    private static Volume planVolume(ClusterLayout layout) {
        List<KeyToPath> items = layout.files().stream().map(file -> new KeyToPath(configMapKey(file), file.path())).toList();
        if (layout.privateFiles().isEmpty()) {
            return new Volume("plan", new ConfigMapVolumeSource(planConfigMapName(layout), items), null);
        }
        List<KeyToPath> keys = layout.privateFiles().stream()
                .map(file -> new KeyToPath(configMapKey(file), file.path(), PRIVATE_FILE_MODE)).toList();
        List<VolumeProjection> sources = new ArrayList<>();
        if (!items.isEmpty()) { // a plan with a password, alone: it is in the Secret and there is no ConfigMap
            sources.add(new VolumeProjection(new ConfigMapProjection(planConfigMapName(layout), items), null));
        }
        sources.add(new VolumeProjection(null, new SecretProjection(planKeysName(layout), keys)));
        return new Volume("plan", null, null, null, new ProjectedVolumeSource(sources));
    }

    private static Job workerJob(ClusterLayout layout) {
        List<String> args = new ArrayList<>(List.of("worker", "--master-host", coordinatorName(layout), "--master-port",
                Integer.toString(CLUSTER_PORT)));
        List<Volume> volumes = new ArrayList<>(scratchVolumes());
        VolumeMount clientCert = null;
        if (layout.workerClientCert() != null) { // the key stays in its Secret: mounted, never in a manifest or on the wire
            args.addAll(List.of("--client-cert", CLIENT_CERT_DIR + "/tls.crt", "--client-key", CLIENT_CERT_DIR + "/tls.key"));
            clientCert = new VolumeMount("client-cert", CLIENT_CERT_DIR, true);
            volumes.add(new Volume("client-cert", null, null, new SecretVolumeSource(layout.workerClientCert(), PRIVATE_FILE_MODE)));
        }
        Container container = container(layout, "worker", args, List.of(), layout.workerSize(), null, clientCert);
        // one worker per node where the cluster has room: workers on one node share its CPU and network
        TopologySpreadConstraint spread = new TopologySpreadConstraint(1, "kubernetes.io/hostname", "ScheduleAnyway",
                new LabelSelector(selector(layout, "worker")));
        PodSpec pod = pod(List.of(spread), container, volumes);
        return new Job(meta(layout, workerName(layout), "worker"),
                new JobSpec("Indexed", layout.workers(), layout.workers(), 0, null, new PodTemplateSpec(podMeta(layout, "worker"), pod)));
    }

    private static Container container(ClusterLayout layout, String name, List<String> args, List<EnvVar> extraEnv,
            ClusterLayout.Sizes size, List<ContainerPort> ports, VolumeMount extraMount) {
        List<VolumeMount> mounts = new ArrayList<>(List.of(new VolumeMount("work", WORK_DIR, false), new VolumeMount("tmp", "/tmp", false)));
        if (extraMount != null) {
            mounts.add(extraMount);
        }
        List<EnvVar> env = new ArrayList<>(List.of(secretEnv(TOKEN_ENV, layout.token().secretName(), TOKEN_KEY)));
        env.addAll(extraEnv);
        // no CPU limit: a throttled load generator reports its own pauses as the service's latency
        ResourceRequirements resources = new ResourceRequirements(Map.of("cpu", size.cpu(), "memory", size.memory()),
                Map.of("memory", size.memory()));
        return new Container(name, layout.image(), "IfNotPresent", args, WORK_DIR, env, ports, resources, mounts,
                new SecurityContext(false, true, new Capabilities(List.of("ALL"))));
    }

    private static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVar(name, null, new EnvVarSource(new SecretKeySelector(secret, key)));
    }

    private static PodSpec pod(List<TopologySpreadConstraint> spread, Container container, List<Volume> volumes) {
        return new PodSpec("Never", false, null,
                new PodSecurityContext(true, USER_ID, USER_ID, USER_ID, new SeccompProfile("RuntimeDefault")),
                spread.isEmpty() ? null : spread, List.of(container), volumes);
    }

    /** The root file system is read-only: a scenario compiles under /tmp and results go under the working directory. */
    private static List<Volume> scratchVolumes() {
        return List.of(new Volume("work", null, new EmptyDirVolumeSource(WORK_SIZE_LIMIT)),
                new Volume("tmp", null, new EmptyDirVolumeSource(TMP_SIZE_LIMIT)));
    }

    private static ObjectMeta meta(ClusterLayout layout, String name, String component) {
        return new ObjectMeta(name, layout.namespace(), labels(layout, component));
    }

    private static ObjectMeta podMeta(ClusterLayout layout, String component) {
        return new ObjectMeta(null, null, labels(layout, component));
    }

    private static Map<String, String> labels(ClusterLayout layout, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "stampede");
        labels.put("app.kubernetes.io/instance", layout.name());
        if (component != null) {
            labels.put("app.kubernetes.io/component", component);
        }
        labels.put("app.kubernetes.io/managed-by", "stampede-k8s-render");
        return labels;
    }

    private static Map<String, String> selector(ClusterLayout layout, String component) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put("app.kubernetes.io/instance", layout.name());
        selector.put("app.kubernetes.io/component", component);
        return selector;
    }
}
