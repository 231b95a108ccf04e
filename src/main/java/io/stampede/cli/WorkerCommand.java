package io.stampede.cli;

import io.stampede.StampedeException;
import io.stampede.engine.ClusterWorker;
import io.stampede.http.Tls;
import io.stampede.http.TlsDraft;
import io.stampede.input.Addresses;
import io.stampede.input.Durations;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stampede worker}: runs users for a coordinator ({@code stampede run --master}) on another
 * machine. It needs no files: the coordinator sends the run, the scenario's source or the plan's
 * users, and the TLS settings' public parts (trusted CAs, versions, per-host settings). A client
 * certificate for mutual TLS is the worker's own: private keys are never sent.
 *
 * <pre>
 * stampede worker --master-host 10.0.0.5 --cluster-token s3cret
 * stampede worker --master-host 10.0.0.5 --client-cert /etc/stampede/tls.crt --client-key /etc/stampede/tls.key
 * </pre>
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run users for a coordinator (stampede run --master) that sends the plan and the scenario.")
public final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--master-host", required = true, paramLabel = "HOST", description = "The coordinator's address.")
    String masterHost;

    @Option(names = "--master-port", paramLabel = "PORT", description = "The coordinator's port (default: 5557).")
    int masterPort = RunOptions.DEFAULT_MASTER_PORT;

    @Option(names = "--cluster-token", paramLabel = "TOKEN",
            description = "The coordinator's shared secret; or set env " + SecretFlag.CLUSTER_TOKEN_ENV + SecretFlag.HELP + ".")
    String clusterToken;

    @Option(names = "--connect-timeout", paramLabel = "TIME",
            description = "How long to keep trying to reach the coordinator, e.g. 60s (default: 60s).")
    String connectTimeout;

    @Option(names = "--client-cert", paramLabel = "FILE",
            description = "This worker's client certificate for mutual TLS: PEM (with --client-key) or PKCS#12 holding the"
                    + " key too; needed when the plan presents one.")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE", description = "The client certificate's PEM PKCS#8 private key.")
    Path clientKey;

    @Option(names = "--client-cert-password", paramLabel = "PASSWORD",
            description = "The PKCS#12 client certificate's password; or set env " + SecretFlag.CLIENT_CERT_PASSWORD_ENV
                    + SecretFlag.HELP + ".")
    String clientCertPassword;

    @Override
    public Integer call() {
        try {
            Addresses.host(masterHost);
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput("--master-host: " + e.getMessage());
        }
        if (masterPort < 1 || masterPort > 65_535) {
            throw new StampedeException.BadInput("--master-port: expected 1 to 65535, got " + masterPort);
        }
        Duration timeout = ClusterWorker.DEFAULT_CONNECT_TIMEOUT;
        if (connectTimeout != null) {
            try {
                timeout = Durations.parse(connectTimeout);
            } catch (IllegalArgumentException e) {
                throw new StampedeException.BadInput("--connect-timeout: " + e.getMessage());
            }
        }
        PrintStream err = System.err;
        System.setOut(err); // the users' own output, if any, with the worker's
        return ClusterWorker.serve(masterHost, masterPort, RunOptions.clusterToken(clusterToken), timeout, clientKeys(), err);
    }

    /** The client certificate and key of this worker's flags, checked now (as {@code run} checks them); null for none. */
    private Tls clientKeys() {
        Located<String> password = SecretFlag.CLIENT_CERT_PASSWORD.value(clientCertPassword);
        if (clientCert == null && clientKey == null) {
            if (clientCertPassword != null) {
                throw new StampedeException.BadInput("--client-cert-password: a password needs its PKCS#12 file (--client-cert)");
            }
            return null;
        }
        Problems problems = new Problems();
        Tls keys = new TlsDraft(null, null, null, located(clientCert, "--client-cert"), located(clientKey, "--client-key"),
                password, null, null).check(problems);
        if (!problems.isEmpty()) {
            throw new StampedeException.BadInput(problems.list().get(0));
        }
        return keys;
    }

    private static Located<Path> located(Path file, String flag) {
        return file == null ? null : new Located<>(file, flag);
    }
}
