package io.stampede.deploy;

import java.util.List;

/**
 * What a distributed run on Kubernetes is made of, checked: a coordinator and {@code workers}
 * workers of {@code image} in {@code namespace} (null: kubectl's current one), the plan and the
 * files it names, the run flags added to the coordinator's command line, and the cluster token.
 *
 * @param name prefixes every object's name (stampede-coordinator, stampede-worker, ...)
 * @param files the plan first, then the files it names that are not private (the scenario, CA files), each at its
 *              path under the plan's folder; they go into a ConfigMap
 * @param privateFiles the plan's own client certificates and keys ({@code http.tls.cert}, {@code key}), at their paths
 *                     under the plan's folder; they go into a Secret, never a ConfigMap, and appear in the same folder
 * @param workerClientCert a {@code kubernetes.io/tls} Secret each worker presents for mutual TLS (its
 *                         {@code tls.crt} and {@code tls.key}, mounted as files), created beforehand; null: none
 */
public record ClusterLayout(String name, String namespace, String image, int workers, List<MountedFile> files,
        List<MountedFile> privateFiles, List<String> runFlags, ClusterToken token, Sizes coordinatorSize, Sizes workerSize,
        String workerClientCert) {

    public ClusterLayout {
        files = List.copyOf(files);
        privateFiles = List.copyOf(privateFiles);
        runFlags = List.copyOf(runFlags);
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
