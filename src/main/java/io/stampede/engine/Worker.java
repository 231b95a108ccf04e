package io.stampede.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.ExitCode;
import io.stampede.plan.Plan;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A worker process's side of a run spread over processes ({@code --worker i/n}): says it is ready,
 * runs its part of the load when told to go, sends its statistics each second, obeys changes and
 * stop, and stops by itself when its input ends (the coordinator is gone). Targets, faults, the UI
 * and the results stay with the coordinator.
 */
public final class Worker {

    private Worker() {
    }

    /**
     * @param plan     the plan as this process read it; host, load and run time come from the go message
     * @param commands the coordinator's lines
     * @param protocol where this worker's lines go (nothing else may be written there)
     * @return the exit code
     */
    public static int serve(Plan plan, List<UserType> types, InputStream commands, PrintStream protocol) {
        BufferedReader in = new BufferedReader(new InputStreamReader(commands, StandardCharsets.UTF_8));
        protocol.println(WorkerProtocol.line(WorkerProtocol.object().put("ready", true)));
        protocol.flush();
        JsonNode go = next(in, "go");
        if (go == null) {
            return 0; // stopped, or the coordinator went away, before the start
        }
        JsonNode runTime = go.path("runTimeMillis");
        Plan mine = plan.withHost(go.path("host").asText())
                .withLoad(WorkerProtocol.load(go.path("load")),
                        runTime.isNumber() ? Optional.of(Duration.ofMillis(runTime.asLong())) : Optional.empty());
        Runner[] runner = new Runner[1];
        runner[0] = new Runner(mine, types, List.of(new RunListener() {
            @Override
            public void onInterval(IntervalStats interval, RunStats stats) {
                protocol.println(WorkerProtocol.line(WorkerProtocol.interval(interval, runner[0].taskErrors().snapshot())));
                protocol.flush();
            }
        }));
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread.ofPlatform().daemon().name("stampede-worker-commands").start(() -> obey(in, runner[0], running));
        runner[0].run();
        running.set(false);
        com.fasterxml.jackson.databind.node.ObjectNode done = WorkerProtocol.object().put("done", true);
        com.fasterxml.jackson.databind.node.ArrayNode abandoned = done.putArray("abandoned");
        for (RunEnd.Abandoned a : runner[0].end().abandoned()) {
            abandoned.addObject().put("userClass", a.userClass()).put("task", a.task()).put("users", a.users());
        }
        protocol.println(WorkerProtocol.line(done));
        protocol.flush();
        return 0;
    }

    private static void obey(BufferedReader in, Runner runner, java.util.concurrent.atomic.AtomicBoolean running) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode message = WorkerProtocol.JSON.readTree(line);
                if (message.has("stop")) {
                    break;
                }
                if (message.has("users")) {
                    runner.changeUsers(message.path("users").asInt(), message.path("spawnRate").asDouble());
                }
            }
            if (line == null && running.get()) {
                // the coordinator is gone (killed, even by SIGKILL): nobody reads what a graceful stop would
                // send, and every moment spent stopping is more load on the service; end now
                Runtime.getRuntime().halt(ExitCode.CANNOT_RUN);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("stampede worker: " + e.getMessage());
        }
        runner.stop(); // stop, or an unreadable line
    }

    /** The body of the next message with {@code key}; null at a stop or the end of input. */
    private static JsonNode next(BufferedReader in, String key) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode message = WorkerProtocol.JSON.readTree(line);
                if (message.has(key)) {
                    return message.get(key);
                }
                if (message.has("stop")) {
                    return null;
                }
            }
        } catch (IOException e) {
            System.err.println("stampede worker: " + e.getMessage());
        }
        return null;
    }
}
