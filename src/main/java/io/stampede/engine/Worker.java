package io.stampede.engine;

import io.stampede.ExitCode;
import io.stampede.stats.IntervalCodec;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.RunStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker process's side of a run spread over processes ({@code --worker i/n}): says it is ready,
 * runs its part of the load when told to go, sends its statistics each second, obeys changes and
 * stop, and stops by itself when its input ends (the coordinator is gone). Targets, faults, the UI
 * and the results stay with the coordinator.
 */
public final class Worker {

    private static final System.Logger LOG = System.getLogger(Worker.class.getName());

    private Worker() {
    }

    /**
     * @param spec     the run as this process read it; host, load and run time come from the go message
     * @param commands the coordinator's lines
     * @param protocol where this worker's lines go (nothing else may be written there)
     * @return the exit code
     */
    public static int serve(RunSpec spec, List<UserType> types, InputStream commands, PrintStream protocol) {
        BufferedReader in = new BufferedReader(new InputStreamReader(commands, StandardCharsets.UTF_8));
        send(protocol, new WorkerProtocol.Ready(WorkerProtocol.VERSION));
        WorkerProtocol.Go go = awaitGo(in);
        if (go == null) {
            return 0; // stopped, or the coordinator went away, before the start
        }
        if (go.protocol() != WorkerProtocol.VERSION) {
            LOG.log(System.Logger.Level.WARNING, "worker: the coordinator speaks worker protocol " + go.protocol() + ", this worker "
                    + WorkerProtocol.VERSION + ": run the same version of Stampede on both");
            return ExitCode.CANNOT_RUN;
        }
        RunSpec mine = spec.withHostAndLoad(go.host(), go.load().model(), go.runTime());
        IntervalSender intervals = new IntervalSender(protocol);
        Runner runner = new Runner(mine, types, List.of(intervals));
        runner.slice(go.segment(), go.joinedAt());
        intervals.errorsOf(runner);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread.ofPlatform().daemon().name("stampede-worker-commands").start(() -> obey(in, runner, running));
        runner.run();
        running.set(false);
        send(protocol, new WorkerProtocol.Done(runner.end().abandoned()));
        return 0;
    }

    /** Sends each second's statistics to the coordinator, with the task errors of the runner it listens to. */
    private static final class IntervalSender implements RunListener {
        private final PrintStream protocol;
        private volatile TaskErrors errors = new TaskErrors();

        IntervalSender(PrintStream protocol) {
            this.protocol = protocol;
        }

        /** The runner is made with its listeners, so it is named to them after. */
        void errorsOf(Runner runner) {
            errors = runner.taskErrors();
        }

        @Override
        public boolean readsCurrentFigures() {
            return false; // the coordinator keeps the current figures of the whole run
        }

        @Override
        public void onInterval(IntervalStats interval, RunStats stats) {
            send(protocol, new WorkerProtocol.Interval(IntervalCodec.encode(interval), errors.snapshot()));
        }
    }

    private static void send(PrintStream protocol, WorkerProtocol.FromWorker message) {
        protocol.println(WorkerProtocol.line(message));
        protocol.flush();
    }

    private static void obey(BufferedReader in, Runner runner, AtomicBoolean running) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                boolean stop = switch (WorkerProtocol.read(line)) {
                    case WorkerProtocol.Stop s -> true;
                    case WorkerProtocol.Users u -> {
                        runner.changeUsers(u.users(), u.spawnRate());
                        yield false;
                    }
                    case WorkerProtocol.Slice sl -> {
                        runner.reslice(sl.segment(), sl.from());
                        yield false;
                    }
                    case WorkerProtocol.Go g -> false; // already going
                    case WorkerProtocol.Refused r -> false; // only a networked worker is sent these
                    case WorkerProtocol.Assign a -> false;
                    case WorkerProtocol.Beat b -> false;
                    case WorkerProtocol.FromWorker f -> false; // not ours to read
                };
                if (stop) {
                    break;
                }
            }
            if (line == null && running.get()) {
                // the coordinator is gone (killed, even by SIGKILL): nobody reads what a graceful stop would
                // send, and every moment spent stopping is more load on the service; end now
                Runtime.getRuntime().halt(ExitCode.CANNOT_RUN);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "worker: " + e.getMessage());
        }
        runner.stop(); // stop, or an unreadable line
    }

    /** The go message; null at a stop or the end of input. */
    private static WorkerProtocol.Go awaitGo(BufferedReader in) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                switch (WorkerProtocol.read(line)) {
                    case WorkerProtocol.Go go -> {
                        return go;
                    }
                    case WorkerProtocol.Stop s -> {
                        return null;
                    }
                    case WorkerProtocol.Users u -> {
                        // a change before the start: the go that follows carries the load
                    }
                    case WorkerProtocol.Slice sl -> {
                        // the go that follows carries the slice
                    }
                    case WorkerProtocol.Refused r -> {
                        // only a networked worker is sent these
                    }
                    case WorkerProtocol.Assign a -> {
                    }
                    case WorkerProtocol.Beat b -> {
                    }
                    case WorkerProtocol.FromWorker f -> {
                        // not ours to read
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "worker: " + e.getMessage());
        }
        return null;
    }
}
