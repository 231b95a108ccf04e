package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.ExitCode;
import io.stampede.http.HttpOptions;
import io.stampede.jetty.JettyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.Test;

/**
 * The handshake of a networked worker against a real WebSocket coordinator that beats before it
 * assigns: a beat may reach a worker before its assign (the coordinator beats every worker it has
 * accepted), and the worker must wait for the assign, not take the beat for an answer.
 */
class ClusterHandshakeTest {

    /** Generous: the worker compiles a scenario on a busy machine. */
    private static final Duration LIMIT = Duration.ofSeconds(120);

    /** A coordinator that answers a hello with a beat, then the assign, then stops the worker once it is ready. */
    private static final class BeatFirst implements ClusterSocket.Handler {
        final BlockingQueue<WorkerProtocol.Message> heard = new LinkedBlockingQueue<>();
        /** Beats on, as a coordinator does: a worker that hears nothing for long halts its process. */
        final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        volatile Session session;

        @Override
        public void opened(Session opened) {
            session = opened;
        }

        @Override
        public void text(String frame) {
            try {
                WorkerProtocol.Message message = WorkerProtocol.read(frame);
                heard.add(message);
                if (message instanceof WorkerProtocol.Hello) {
                    send(new WorkerProtocol.Beat(WorkerProtocol.Beat.NO_PROMISE));
                    beats.scheduleAtFixedRate(() -> send(new WorkerProtocol.Beat(WorkerProtocol.Beat.NO_PROMISE)), 300, 300, TimeUnit.MILLISECONDS);
                    send(new WorkerProtocol.Assign("w1", WorkerProtocol.RunPart.of(new RunSpec("lab", "http://127.0.0.1:9",
                            new LoadModel.Closed(1, 1, List.of()), Optional.empty(), HttpOptions.defaults(), Set.of(), Set.of(),
                            Duration.ofSeconds(1))), new WorkerProtocol.Source("HandshakeUser.java", """
                                    import io.stampede.api.*;
                                    public class HandshakeUser extends User {
                                        @Task public void idle() { }
                                    }
                                    """)));
                } else if (message instanceof WorkerProtocol.Ready) {
                    send(new WorkerProtocol.Stop());
                }
            } catch (Exception e) {
                heard.add(new WorkerProtocol.Refused("unreadable: " + e.getMessage()));
            }
        }

        @Override
        public void closed(String why) {
        }

        void send(WorkerProtocol.ToWorker message) {
            Session open = session;
            if (open != null && open.isOpen()) {
                open.sendText(WorkerProtocol.line(message), Callback.NOOP);
            }
        }
    }

    /** Runs one worker against a coordinator whose answer to the hello is {@code answer}; its exit code and what it said. */
    private static Outcome handshake(Consumer<Session> answer, Duration handshakeTimeout) throws Exception {
        JettyServer server = JettyServer.on("127.0.0.1", 0).threads("test-coordinator", 16).daemon()
                .build(jetty -> WebSocketUpgradeHandler.from(jetty, container -> container.addMapping(ClusterPool.PATH,
                        (request, response, callback) -> new ClusterSocket(new ClusterSocket.Handler() {
                            volatile Session session;

                            @Override
                            public void opened(Session opened) {
                                session = opened;
                            }

                            @Override
                            public void text(String frame) {
                                answer.accept(session);
                            }

                            @Override
                            public void closed(String why) {
                            }
                        }))));
        server.start();
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try (PrintStream err = new PrintStream(said, true, StandardCharsets.UTF_8)) {
            int code = CompletableFuture.supplyAsync(() -> ClusterWorker.serve("127.0.0.1", server.port(), "", Duration.ofSeconds(30),
                    null, handshakeTimeout, err)).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            return new Outcome(code, said.toString(StandardCharsets.UTF_8), "ws://127.0.0.1:" + server.port() + ClusterPool.PATH);
        } finally {
            server.close();
        }
    }

    private record Outcome(int exitCode, String said, String uri) {
    }

    @Test
    void eachWayAHandshakeFailsIsSaidForWhatItIs() throws Exception {
        Outcome refused = handshake(session -> {
            session.sendText(WorkerProtocol.line(new WorkerProtocol.Refused("its cluster token is wrong")), Callback.NOOP);
            session.close(1008, "refused", Callback.NOOP);
        }, LIMIT);
        assertThat(refused.exitCode()).as(refused.said()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(refused.said()).isEqualTo("stampede: the coordinator at " + refused.uri()
                + " refused this worker: its cluster token is wrong\n");

        Outcome closed = handshake(session -> session.close(1001, "going away", Callback.NOOP), LIMIT);
        assertThat(closed.exitCode()).as(closed.said()).isEqualTo(ExitCode.CANNOT_RUN);
        assertThat(closed.said()).isEqualTo("stampede: the coordinator at " + closed.uri()
                + " closed the connection before it answered this worker's hello: the connection closed (going away)\n");

        Outcome stranger = handshake(session -> session.sendText("{\"type\": \"welcome\"}", Callback.NOOP), LIMIT);
        assertThat(stranger.exitCode()).as(stranger.said()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(stranger.said()).isEqualTo("stampede: the coordinator at " + stranger.uri() + " does not speak worker protocol "
                + WorkerProtocol.VERSION + ": run the same version of Stampede on the coordinator and the workers\n");

        Outcome silent = handshake(session -> { }, Duration.ofSeconds(2));
        assertThat(silent.exitCode()).as(silent.said()).isEqualTo(ExitCode.CANNOT_RUN);
        assertThat(silent.said()).isEqualTo("stampede: the coordinator at " + silent.uri() + " did not answer this worker's"
                + " hello within 2s: is it overloaded, or is something else listening on that port?\n");
        for (Outcome failed : List.of(refused, closed, stranger, silent)) {
            assertThat(failed.said()).doesNotContain("Waiting for");
        }
        assertThat(closed.said() + stranger.said() + silent.said()).doesNotContain("refused");
    }

    @Test
    void aBeatBeforeTheAssignIsNotTakenForTheAnswer() throws Exception {
        BeatFirst coordinator = new BeatFirst();
        JettyServer server = JettyServer.on("127.0.0.1", 0).threads("test-coordinator", 16).daemon()
                .build(jetty -> WebSocketUpgradeHandler.from(jetty, container -> container.addMapping(ClusterPool.PATH,
                        (request, response, callback) -> new ClusterSocket(coordinator))));
        server.start();
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try (PrintStream err = new PrintStream(said, true, StandardCharsets.UTF_8)) {
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                    () -> ClusterWorker.serve("127.0.0.1", server.port(), "", Duration.ofSeconds(30), null, err));
            int code = exit.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            String output = said.toString(StandardCharsets.UTF_8);
            assertThat(code).as(output).isEqualTo(ExitCode.PASS);
            assertThat(output).contains("compiled, ready").contains("stopped before the start").doesNotContain("refused");
            assertThat(coordinator.heard).hasAtLeastOneElementOfType(WorkerProtocol.Ready.class);
        } finally {
            coordinator.beats.shutdownNow();
            server.close();
        }
    }
}
