package io.stampede.testing;

import io.stampede.jetty.JettyServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A WebSocket and server-sent-events service on 127.0.0.1 for tests, on Jetty's own WebSocket
 * server. WebSocket paths: {@code /echo} (each text back), {@code /chat} (a JSON {@code {"id":N}}
 * gets a {@code {"id":"noise"}} first, then {@code {"id":N,"pong":true}}), {@code /silent} (never
 * answers), {@code /drop} (cuts the TCP connection on the first message), {@code /refuse} (403),
 * {@code /push} (a {@code tick N} every {@value #PERIOD_MILLIS} ms). Event streams: {@code /events}
 * (a {@code tick} every {@value #PERIOD_MILLIS} ms, every fifth one a {@code five} instead),
 * {@code /events-drop} (two events, then the response ends), {@code /not-events} (plain text).
 * Every stream and push is bounded by {@value #MAX_EVENTS} messages.
 */
public final class SocketLab implements AutoCloseable {

    public static final long PERIOD_MILLIS = 50;
    public static final int MAX_EVENTS = 200;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final ScheduledExecutorService pushes = Executors.newSingleThreadScheduledExecutor();
    private final JettyServer server;
    private final AtomicInteger upgrades = new AtomicInteger();
    private ServerConnector tlsConnector;

    public SocketLab() throws IOException {
        this(null, null);
    }

    /**
     * The same service, also over TLS on {@link #tlsPort()} ({@code wss://}, {@code https://}) with
     * the certificate and key in a PKCS#12 file.
     */
    public SocketLab(Path serverP12, String password) throws IOException {
        server = JettyServer.on("127.0.0.1", 0).threads("socket-lab", 64).build(jetty -> {
            if (serverP12 != null) {
                SslContextFactory.Server tls = new SslContextFactory.Server();
                tls.setKeyStorePath(serverP12.toString());
                tls.setKeyStoreType("PKCS12");
                tls.setKeyStorePassword(password);
                tlsConnector = new ServerConnector(jetty, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory());
                tlsConnector.setHost("127.0.0.1");
                jetty.addConnector(tlsConnector);
            }
            ContextHandler context = new ContextHandler("/");
            WebSocketUpgradeHandler sockets = WebSocketUpgradeHandler.from(jetty, context, container -> {
                container.setIdleTimeout(Duration.ofSeconds(30));
                container.addMapping("/echo", (rq, rs, cb) -> counted(new Echo()));
                container.addMapping("/chat", (rq, rs, cb) -> counted(new Chat()));
                container.addMapping("/silent", (rq, rs, cb) -> counted(new Silent()));
                container.addMapping("/drop", (rq, rs, cb) -> counted(new Drop()));
                container.addMapping("/push", (rq, rs, cb) -> counted(new Push()));
                container.addMapping("/refuse", (rq, rs, cb) -> {
                    Response.writeError(rq, rs, cb, 403);
                    return null;
                });
            });
            sockets.setHandler(new EventStreams());
            context.setHandler(sockets);
            return context;
        });
        server.start();
    }

    private Object counted(Object endpoint) {
        upgrades.incrementAndGet();
        return endpoint;
    }

    public int port() {
        return server.port();
    }

    /** The TLS connector's port (made with a PKCS#12 file). */
    public int tlsPort() {
        return tlsConnector.getLocalPort();
    }

    /** WebSocket handshakes accepted so far. */
    public int upgrades() {
        return upgrades.get();
    }

    @Override
    public void close() {
        pushes.shutdownNow();
        server.close();
    }

    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, Callback.NOOP);
        }
    }

    /** Public, as are the other endpoints: Jetty calls their methods through method handles. */
    public static final class Silent implements Session.Listener.AutoDemanding {
    }

    public static final class Chat implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            Matcher id = ID.matcher(message);
            if (!id.find()) {
                return;
            }
            session.sendText("{\"id\":\"noise\"}", Callback.from(
                    () -> session.sendText("{\"id\":" + id.group(1) + ",\"pong\":true}",
                            Callback.NOOP), failed -> { }));
        }
    }

    public static final class Drop implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            session.disconnect();
        }
    }

    public final class Push implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketOpen(Session session) {
            AtomicInteger sent = new AtomicInteger();
            pushes.scheduleAtFixedRate(() -> {
                int n = sent.incrementAndGet();
                if (n > MAX_EVENTS || !session.isOpen()) {
                    throw new IllegalStateException("done"); // ends this schedule
                }
                session.sendText("tick " + n, Callback.NOOP);
            }, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
