package io.stampede.cli;

import io.stampede.StampedeException;
import io.stampede.input.Addresses;
import io.stampede.input.Located;
import io.stampede.plan.Plan;
import io.stampede.plan.PlanDraft;
import io.stampede.plan.PlanFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stampede demo}: the seed lab in one command. Runs {@code examples/lab13-chaos.yaml}, kept
 * inside the jar: the demo service as a supervised child process (restarted 1 s after a kill),
 * 100 users (spawn rate 10/s, wait 1–5 s, GET / and GET /health weighted 3:1), a kill every 30 s
 * from 20 s on, then the report. Takes the same flags as {@code run}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the lab: the built-in demo service, 100 users, a kill every 30 s from 20 s on, then a report.")
public final class DemoCommand implements Callable<Integer> {

    /** The lab's plan, the same file as examples/lab13-chaos.yaml (copied into the jar at build time). */
    static final String LAB_PLAN = "/io/stampede/cli/lab13-chaos.yaml";
    static final int DEFAULT_SERVICE_PORT = 5001;

    @Option(names = "--service-port", paramLabel = "PORT", defaultValue = "" + DEFAULT_SERVICE_PORT,
            description = "Port for the demo service; a free one is used if it is taken (default: ${DEFAULT-VALUE}).")
    int servicePort;

    @Mixin
    RunOptions options = new RunOptions();

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (options.host != null || options.file != null) {
            throw new StampedeException.BadInput((options.host != null ? "-H/--host" : "-f/--file")
                    + ": the demo runs its own service and users; use 'stampede run' for another service or scenario");
        }
        try {
            Addresses.port(servicePort, Addresses.ANY_FREE_PORT);
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput("--service-port: " + e.getMessage());
        }
        int port = portToUse();
        Path lab = labPlan(port);
        PlanDraft draft;
        try {
            draft = PlanFile.read(lab);
        } finally {
            deleteQuietly(lab); // read once: nothing is left in the temporary folder
        }
        draft.name(new Located<>("demo", "demo"));
        options.applyTo(draft);
        if (options.dryRun) {
            return LoadTest.dryRun(draft.toPlan(), System.out);
        }
        if (options.workerShare() != null) {
            return LoadTest.worker(draft.toPlan());
        }
        Plan plan = draft.toPlan();
        return LoadTest.run(plan, null, true, options.workers(spec.commandLine().getParseResult().originalArgs(), plan),
                LedgerRuns.of(draft.ledger()), System.out);
    }

    /** The lab plan with the demo service's port put in. */
    private static Path labPlan(int port) {
        try (InputStream in = DemoCommand.class.getResourceAsStream(LAB_PLAN)) {
            if (in == null) {
                throw new IllegalStateException("the lab plan is missing from the jar: " + LAB_PLAN);
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("127.0.0.1:" + DEFAULT_SERVICE_PORT, "127.0.0.1:" + port);
            Path file = Files.createTempFile("stampede-demo", ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException leftBehind) {
            // a temporary file: the system's cleaner takes it
        }
    }

    private int portToUse() {
        if (servicePort != 0 && free(servicePort)) {
            return servicePort;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            if (servicePort != 0) {
                System.out.println("stampede demo: port " + servicePort + " is taken, using " + probe.getLocalPort());
            }
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new StampedeException.CannotRun("no free port on 127.0.0.1: " + e.getMessage());
        }
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
