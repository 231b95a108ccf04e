package io.stampede.cli;

import io.stampede.StampedeException;
import io.stampede.input.Addresses;
import io.stampede.input.Authority;
import io.stampede.input.Durations;
import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stampede target}: serves the built-in demo service alone until SIGTERM or SIGINT.
 *
 * <pre>
 * stampede target                                    # GET / and GET /health on 127.0.0.1:5001
 * stampede target --port 0 --latency 50ms --jitter 10ms --error-rate 5%
 * </pre>
 *
 * Once listening it prints exactly one line, which supervisors and tests wait for:
 * {@code stampede target: demo service on http://HOST:PORT (GET / and GET /health)}.
 */
@Command(name = "target",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the built-in demo service (the seed lab's app) until stopped with Ctrl-C or SIGTERM.",
            "Routes: GET / (HTML page), GET /health (OK), GET /item/{id} (JSON), POST /login (sets a "
                    + "session cookie), GET /profile (200 with that cookie, else 401), GET /slow?ms=N.",
            ""
        })
public final class TargetCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = DemoOptions.DEFAULT_HOST, paramLabel = "HOST",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + DemoOptions.DEFAULT_PORT, paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--latency", defaultValue = "0s", paramLabel = "DURATION",
            description = "Delay added to every answer, e.g. 50ms (default: ${DEFAULT-VALUE}, at most 60s).")
    String latency;

    @Option(names = "--jitter", defaultValue = "0s", paramLabel = "DURATION",
            description = "The added delay varies by up to this much either way, e.g. 10ms (default: ${DEFAULT-VALUE}).")
    String jitter;

    @Option(names = "--error-rate", defaultValue = "0", paramLabel = "RATE",
            description = "Share of requests answered with --error-status, 0 to 1 or a percentage: 0.1, 10%% (default: ${DEFAULT-VALUE}).")
    String errorRate;

    @Option(names = "--error-status", defaultValue = "" + DemoOptions.DEFAULT_ERROR_STATUS, paramLabel = "STATUS",
            description = "HTTP status of injected errors (default: ${DEFAULT-VALUE}).")
    int errorStatus;

    @Option(names = "--body-size", paramLabel = "SIZE",
            description = "Size of the GET / body: the page padded or cut to it, e.g. 512, 1kb, 2mb (default: the page, 31 bytes).")
    String bodySize;

    @Option(names = "--exit-with", paramLabel = "PID", hidden = true,
            description = "Exit when process PID ends: a supervisor's child must not outlive it, even after kill -9.")
    long exitWithPid;

    @Override
    public Integer call() throws InterruptedException {
        DemoService service = new DemoService(options());
        try {
            service.start();
        } catch (BindException inUse) {
            throw new StampedeException.CannotRun("port " + port + " on " + host
                    + " is already in use (choose another with --port)", inUse);
        } catch (IOException cannotListen) {
            throw new StampedeException.CannotRun("cannot listen on " + new Authority(host, port) + ": "
                    + cannotListen.getMessage() + " (check --host and --port)", cannotListen);
        }
        // SIGTERM and SIGINT run shutdown hooks; closing there lets in-flight answers finish briefly.
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "stampede-target-stop"));

        if (exitWithPid > 0) {
            ProcessHandle.of(exitWithPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("stampede target: demo service on " + service.baseUrl() + " (GET / and GET /health)");
        out.flush();
        service.join();
        return 0;
    }

    /** The flags as one checked options value; a bad one is a {@link StampedeException.BadInput} naming it. */
    DemoOptions options() {
        return new DemoOptions(
                flag("--host", host, Addresses::host),
                flag("--port", port, DemoOptions::checkPort),
                flag("--latency", latency, text -> DemoOptions.checkDelay(Durations.parse(text))),
                flag("--jitter", jitter, text -> DemoOptions.checkDelay(Durations.parse(text))),
                flag("--error-rate", errorRate, DemoOptions::parseRate),
                flag("--error-status", errorStatus, DemoOptions::checkErrorStatus),
                bodySize == null ? DemoService.HOME_PAGE.length() : flag("--body-size", bodySize, DemoOptions::parseBodySize));
    }

    private static <I, O> O flag(String name, I value, Function<I, O> check) {
        try {
            return check.apply(value);
        } catch (IllegalArgumentException invalid) {
            throw new StampedeException.BadInput(name + ": " + invalid.getMessage(), invalid);
        }
    }
}
