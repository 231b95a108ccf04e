package io.stampede.cli;

import io.stampede.StampedeException;
import io.stampede.api.WaitTime;
import io.stampede.plan.Located;
import io.stampede.plan.PlanDraft;
import io.stampede.plan.Scenario;
import io.stampede.target.DemoProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stampede demo}: the seed lab in one command. Starts the demo service as a child process and
 * runs 100 users against it (spawn rate 10/s, wait 1–5 s, GET / and GET /health weighted 3:1).
 * Takes the same flags as {@code run}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the lab: the built-in demo service plus 100 users, then a report.")
public final class DemoCommand implements Callable<Integer> {

    static final String DEFAULT_RUN_TIME = "1m";

    @Option(names = "--service-port", paramLabel = "PORT", defaultValue = "5001",
            description = "Port for the demo service; a free one is used if it is taken (default: ${DEFAULT-VALUE}).")
    int servicePort;

    @Mixin
    RunOptions options = new RunOptions();

    @Override
    public Integer call() {
        if (options.host != null || options.file != null) {
            throw new StampedeException.BadInput((options.host != null ? "-H/--host" : "-f/--file")
                    + ": the demo runs its own service and users; use 'stampede run' for another service or scenario");
        }
        PlanDraft draft = labPlan();
        options.applyTo(draft);
        draft.headless = true;
        DemoProcess service = DemoProcess.start(List.of("--port", Integer.toString(portToUse())));
        try {
            draft.host = new Located<>(service.url(), "the demo service");
            System.out.println("stampede demo: demo service (pid " + service.pid() + ") on " + service.url());
            return LoadTest.run(draft.toPlan(), System.out, service::close);
        } finally {
            service.close();
        }
    }

    /** The seed lab: examples/lab13.yaml in code. */
    static PlanDraft labPlan() {
        PlanDraft draft = new PlanDraft();
        draft.name = new Located<>("demo", "demo");
        draft.users = new Located<>("100", "demo");
        draft.spawnRate = new Located<>("10", "demo");
        draft.runTime = new Located<>(DEFAULT_RUN_TIME, "demo");
        Scenario.RequestSpec index = new Scenario.RequestSpec("GET", "/", "/", Map.of(), null, Scenario.Expect.none());
        Scenario.RequestSpec health = new Scenario.RequestSpec("GET", "/health", "/health", Map.of(), null,
                new Scenario.Expect(List.of(200), "OK", Map.of()));
        draft.declaredUsers = new Scenario.Declared(List.of(new Scenario.UserSpec("WebsiteUser", 1,
                WaitTime.between(Duration.ofSeconds(1), Duration.ofSeconds(5)), false, List.of(
                        new Scenario.TaskSpec("/", 3, Set.of(), List.of(index)),
                        new Scenario.TaskSpec("/health", 1, Set.of(), List.of(health))))));
        return draft;
    }

    private int portToUse() {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress("127.0.0.1", servicePort));
            return servicePort;
        } catch (java.io.IOException taken) {
            System.out.println("stampede demo: port " + servicePort + " is taken, using a free port");
            return 0;
        }
    }
}
