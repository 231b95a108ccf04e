package io.stampede.cli;

import io.stampede.StampedeException;
import io.stampede.engine.ClusterWorker;
import io.stampede.input.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stampede worker}: runs users for a coordinator ({@code stampede run --master}) on another
 * machine. It needs no files: the coordinator sends the run and the scenario's source.
 *
 * <pre>
 * stampede worker --master-host 10.0.0.5 --cluster-token s3cret
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
            description = "The coordinator's shared secret (default: env " + RunOptions.CLUSTER_TOKEN_ENV + ").")
    String clusterToken;

    @Option(names = "--connect-timeout", paramLabel = "TIME",
            description = "How long to keep trying to reach the coordinator, e.g. 60s (default: 60s).")
    String connectTimeout;

    @Override
    public Integer call() {
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
        return ClusterWorker.serve(masterHost, masterPort, RunOptions.clusterToken(clusterToken), timeout, err);
    }
}
