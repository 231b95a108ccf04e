package io.stampede.deploy;

import java.util.List;

/**
 * What a distributed run on Kubernetes is made of, checked: a coordinator and {@code workers}
 * workers of {@code image} in {@code namespace} (null: kubectl's current one), the plan and the
 * files it names, the run flags added to the coordinator's command line, and the cluster token.
 *
 * @param name prefixes every object's name (stampede-coordinator, stampede-worker, ...)
 * @param plan the plan's path under its folder: one of {@code files} or, when it holds a password, of {@code privateFiles}
 * @param files the files that are not private (the plan, the scenario, CA files), each at its path under the plan's
 *              folder; they go into a ConfigMap
 * @param privateFiles client certificates and keys ({@code http.tls.cert}, {@code key}), and a plan or scenario that
 *                     holds a password, at their paths under the plan's folder; they go into a Secret, never a
 *                     ConfigMap, and appear in the same folder
 * @param privateValues values the coordinator gets from that Secret as environment variables (a password given
 *                      among the run flags), never as arguments: a pod's arguments are its process's command line
 * @param runFlags the coordinator's extra arguments as the API takes them: {@code $$} is a '$' (see {@link #literal})
 * @param workerClientCert a {@code kubernetes.io/tls} Secret each worker presents for mutual TLS (its
 *                         {@code tls.crt} and {@code tls.key}, mounted as files), created beforehand; null: none
 */
public record ClusterLayout(String name, String namespace, String image, int workers, String plan, List<MountedFile> files,
        List<MountedFile> privateFiles, List<PrivateValue> privateValues, List<String> runFlags, ClusterToken token,
        Sizes coordinatorSize, Sizes workerSize, String workerClientCert) {

    public ClusterLayout {
        files = List.copyOf(files);
        privateFiles = List.copyOf(privateFiles);
        privateValues = List.copyOf(privateValues);
        runFlags = List.copyOf(runFlags);
    }

    /** The plan first among {@code files}, no private values. */
    public ClusterLayout(String name, String namespace, String image, int workers, List<MountedFile> files,
            List<MountedFile> privateFiles, List<String> runFlags, ClusterToken token, Sizes coordinatorSize, Sizes workerSize,
            String workerClientCert) {
        this(name, namespace, image, workers, files.getFirst().path(), files, privateFiles, List.of(), runFlags, token,
                coordinatorSize, workerSize, workerClientCert);
    }

    /** A plan without private files of its own. */
    public ClusterLayout(String name, String namespace, String image, int workers, List<MountedFile> files, List<String> runFlags,
            ClusterToken token, Sizes coordinatorSize, Sizes workerSize, String workerClientCert) {
        this(name, namespace, image, workers, files, List.of(), runFlags, token, coordinatorSize, workerSize, workerClientCert);
    }

    /** Workers without a client certificate. */
    public ClusterLayout(String name, String namespace, String image, int workers, List<MountedFile> files, List<String> runFlags,
            ClusterToken token, Sizes coordinatorSize, Sizes workerSize) {
        this(name, namespace, image, workers, files, runFlags, token, coordinatorSize, workerSize, null);
    }

    /**
     * {@code arg} as a container's argument that means itself: the API reads {@code $(NAME)} in arguments as an
     * environment variable's value and {@code $$} as '$', so every '$' is doubled.
     */
    public static String literal(String arg) {
        return arg.replace("$", "$$");
    }

    /** A secret value, kept in the plan's keys Secret under {@code env} and given to the coordinator as {@code env}. */
    public record PrivateValue(String env, String value) {
    }

    /** A file the coordinator reads, at {@code path} (relative, '/'-separated) under the plan's folder. */
    public record MountedFile(String path, byte[] content) {
    }

    /**
     * The cluster token's Secret: rendered with {@code token} in it, or, when {@code token} is null,
     * one the user created beforehand ({@code kubectl create secret generic NAME --from-literal=token=...}).
     */
    public record ClusterToken(String secretName, String token) {
        public boolean rendered() {
            return token != null;
        }
    }

    /** A container's CPU and memory, as Kubernetes quantities; requests, and memory's limit too. */
    public record Sizes(String cpu, String memory) {
    }
}
