package io.stampede.cli;

import io.stampede.StampedeException;
import io.stampede.deploy.ClusterLayout;
import io.stampede.deploy.ClusterLayout.ClusterToken;
import io.stampede.deploy.ClusterLayout.MountedFile;
import io.stampede.deploy.ClusterLayout.Sizes;
import io.stampede.deploy.KubernetesManifests;
import io.stampede.deploy.ManifestFiles;
import io.stampede.deploy.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stampede k8s render PLAN --workers N}: the manifests of a distributed run on Kubernetes
 * (README, "A distributed run on Kubernetes or Compose").
 */
@Command(name = "k8s", mixinStandardHelpOptions = true, subcommands = K8sCommand.Render.class,
        description = "Run a plan on Kubernetes: a coordinator and N workers.")
public final class K8sCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (render)");
    }

    @Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write the manifests of a distributed run: the token's Secret, the plan's ConfigMap, the coordinator's "
                    + "Service and Job, the workers' indexed Job. Apply them with kubectl apply -f DIR.",
                    "Run flags after -- go to the coordinator, e.g. -- -t 10m -u 2000; a -f FILE there goes into the ConfigMap too."})
    static final class Render implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The largest ConfigMap or Secret the API server stores (etcd's object limit, less room for metadata). */
        static final int MAX_CONFIG_MAP_BYTES = 1000 * 1024;
        static final int MAX_WORKERS = 1000;
        static final int TOKEN_BYTES = 32;

        @Parameters(index = "0", paramLabel = "PLAN", description = "The YAML plan file; a scenario: file it names goes with it.")
        Path plan;

        @Parameters(index = "1..*", paramLabel = "RUN_FLAG", description = "More flags for the coordinator's run (after --).")
        List<String> runFlags = new ArrayList<>();

        @Option(names = "--workers", paramLabel = "N", required = true, description = "Worker pods (1 to " + MAX_WORKERS + ").")
        int workers;

        @Option(names = "--image", paramLabel = "IMG", defaultValue = "stampede:local",
                description = "The image (deploy/Dockerfile builds it). Default: ${DEFAULT-VALUE}.")
        String image;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "stampede-k8s", description = "Where to write. Default: ${DEFAULT-VALUE}.")
        Path out;

        @Option(names = "--namespace", paramLabel = "NS", description = "The namespace (default: kubectl's current one).")
        String namespace;

        @Option(names = "--name", defaultValue = "stampede", description = "Prefix of the objects' names. Default: ${DEFAULT-VALUE}.")
        String name;

        @Option(names = "--existing-secret", paramLabel = "SECRET",
                description = "Take the token from this Secret (key 'token'), created beforehand; none is rendered.")
        String existingSecret;

        @Option(names = "--worker-client-cert", paramLabel = "SECRET",
                description = "A kubernetes.io/tls Secret (kubectl create secret tls) each worker mounts and presents for"
                        + " mutual TLS: its key stays in the cluster, never in the manifests or on the wire.")
        String workerClientCert;

        @Option(names = "--worker-cpu", defaultValue = "1", description = "A worker's CPU request. Default: ${DEFAULT-VALUE}.")
        String workerCpu;

        @Option(names = "--worker-memory", defaultValue = "1Gi", description = "A worker's memory (request and limit). Default: ${DEFAULT-VALUE}.")
        String workerMemory;

        @Override
        public Integer call() throws IOException {
            checkFlags();
            K8sPlanFiles planFiles = K8sPlanFiles.of(plan, runFlags, System.getenv());
            checkSize(planFiles.shared(), "a ConfigMap");
            checkSize(planFiles.secret(), "a Secret");
            ClusterToken token = existingSecret != null
                    ? new ClusterToken(existingSecret, null)
                    : new ClusterToken(name + "-cluster-token", tokenFromEnvironmentOrNew());
            ClusterLayout layout = new ClusterLayout(name, namespace, image, workers, planFiles.plan(), planFiles.shared(),
                    planFiles.secret(), planFiles.values(), planFiles.runFlags(), token, new Sizes("500m", "1Gi"),
                    new Sizes(workerCpu, workerMemory), workerClientCert);
            List<Path> written;
            try {
                written = ManifestFiles.write(out, KubernetesManifests.of(layout));
            } catch (IOException e) {
                throw new StampedeException.BadInput("--out: " + out + ": cannot write: " + e.getMessage());
            }
            written.forEach(file -> System.out.println(file));
            String inNamespace = namespace == null ? "" : " -n " + namespace;
            System.out.println("apply with: kubectl apply -f " + out + "   (the coordinator's log ends with the verdict: kubectl logs" + inNamespace
                    + " -f job/" + KubernetesManifests.coordinatorName(layout) + ")");
            return 0;
        }

        private void checkFlags() {
            if (workers < 1 || workers > MAX_WORKERS) {
                throw new StampedeException.BadInput("--workers: " + workers + " is out of range 1.." + MAX_WORKERS);
            }
            problem("--image", Names.imageProblem(image));
            problem("--name", Names.nameProblem(name));
            if (namespace != null) {
                problem("--namespace", Names.namespaceProblem(namespace));
            }
            if (existingSecret != null) {
                problem("--existing-secret", Names.secretNameProblem(existingSecret));
            }
            if (workerClientCert != null) {
                problem("--worker-client-cert", Names.secretNameProblem(workerClientCert));
            }
            problem("--worker-cpu", Names.quantityProblem(workerCpu));
            problem("--worker-memory", Names.quantityProblem(workerMemory));
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new StampedeException.BadInput("--out: " + out + " is a file, not a directory");
            }
        }

        private static void problem(String flag, String problem) {
            if (problem != null) {
                throw new StampedeException.BadInput(flag + ": " + problem);
            }
        }

        static void checkSize(List<MountedFile> files, String object) {
            if (files.isEmpty()) {
                return;
            }
            long bytes = files.stream().mapToLong(file -> file.content().length).sum();
            if (bytes > MAX_CONFIG_MAP_BYTES) {
                throw new StampedeException.BadInput(files.getFirst().path() + ": the files that go into " + object + " ("
                        + files.stream().map(MountedFile::path).toList() + ") are " + bytes + " bytes; " + object + " holds at most "
                        + MAX_CONFIG_MAP_BYTES);
            }
        }

        /** STAMPEDE_CLUSTER_TOKEN when set (your own token), else 32 random bytes from the system's secure source. */
        private static String tokenFromEnvironmentOrNew() {
            String given = System.getenv(KubernetesManifests.TOKEN_ENV);
            if (given != null && !given.isBlank()) {
                return given;
            }
            byte[] bytes = new byte[TOKEN_BYTES];
            new SecureRandom().nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }
}
