package io.stampede.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.StampedeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.ContentLengthInputStream;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriter;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.impl.io.IdentityInputStream;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.apache.hc.core5.http.impl.io.SessionOutputBufferImpl;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;

/**
 * The Docker Engine API over its unix socket: one HTTP/1.1 request per connection, HttpCore 5 for
 * the message syntax (request line, headers, chunked and length-delimited bodies), Jackson for JSON.
 * Calls are rare (a fault, a probe of state), so there is no connection pool.
 *
 * <p>Pinned to API version {@value #API_VERSION} (engine 20.10); newer engines serve it unchanged.
 */
public final class DockerEngine {

    /** The Engine API version every path is prefixed with. */
    public static final String API_VERSION = "v1.41";
    /** Where the engine listens unless {@code DOCKER_HOST=unix://...} says otherwise. */
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    /** A call that gets no answer in this long (beyond the wait it asked for, e.g. a stop's grace) fails. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path socket;

    private DockerEngine(Path socket) {
        this.socket = socket;
    }

    /** The engine named by {@code DOCKER_HOST} (unix sockets only) or the default socket; checked with a ping. */
    public static DockerEngine connect() {
        String host = System.getenv("DOCKER_HOST");
        Path socket = DEFAULT_SOCKET;
        if (host != null && !host.isBlank()) {
            if (!host.startsWith("unix://")) {
                throw new StampedeException.CannotRun("DOCKER_HOST=" + host + ": only unix:// sockets are supported");
            }
            socket = Path.of(host.substring("unix://".length()));
        }
        DockerEngine engine = new DockerEngine(socket);
        engine.call("GET", "/_ping", null, Duration.ZERO);
        return engine;
    }

    /** An answer from the engine: its status and its body as JSON (empty object when there is none). */
    public record Reply(int status, JsonNode body) {
        public boolean ok() {
            return status / 100 == 2 || status == 304;
        }

        /** The engine's own message ({@code {"message": "..."}}), or the status. */
        public String message() {
            JsonNode m = body.get("message");
            return m != null ? m.asText() : "HTTP " + status;
        }
    }

    /** GET with a JSON answer. */
    public Reply get(String path) {
        return call("GET", path, null, Duration.ZERO);
    }

    /** POST with an optional JSON body; {@code waits} is how long the engine may take on purpose (a stop's grace). */
    public Reply post(String path, Object body, Duration waits) {
        try {
            return call("POST", path, body == null ? null : JSON.writeValueAsBytes(body), waits);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Reply delete(String path) {
        return call("DELETE", path, null, Duration.ZERO);
    }

    public static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Reply call(String method, String path, byte[] body, Duration waits) {
        try (SocketChannel channel = open()) {
            Thread watchdog = closeAfter(channel, CALL_TIMEOUT.plus(waits));
            try {
                Exchange exchange = send(channel, method, path, body);
                JsonNode json;
                try (InputStream in = exchange.body()) {
                    byte[] bytes = in.readAllBytes();
                    json = bytes.length == 0 ? JSON.createObjectNode() : parse(bytes);
                }
                return new Reply(exchange.status(), json);
            } finally {
                watchdog.interrupt();
            }
        } catch (IOException | HttpException e) {
            throw new StampedeException.CannotRun("Docker engine at " + socket + ": " + method + " " + path + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Follows the engine's event stream ({@code GET /events?QUERY}), handing each event
     * to {@code sink} until the returned handle is closed. Runs on its own daemon thread.
     */
    public AutoCloseable follow(String query, Consumer<JsonNode> sink) {
        SocketChannel channel = open();
        Thread reader = Thread.ofPlatform().daemon().name("docker-events").start(() -> {
            try {
                Exchange exchange = send(channel, "GET", "/events?" + query, null);
                try (MappingIterator<JsonNode> events = JSON.readerFor(JsonNode.class).readValues(exchange.body())) {
                    while (events.hasNextValue()) {
                        sink.accept(events.nextValue());
                    }
                }
            } catch (IOException | HttpException | RuntimeException e) {
                // closed by the owner, or the engine went away: the stream ends either way
            }
        });
        return () -> {
            channel.close();
            reader.join(Duration.ofSeconds(2));
        };
    }

    private SocketChannel open() {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            if (e instanceof AccessDeniedException || String.valueOf(e.getMessage()).contains("ermission denied")) {
                throw new StampedeException.CannotRun("permission denied on the Docker socket " + socket
                        + ": run as root or as a member of the 'docker' group");
            }
            throw new StampedeException.CannotRun("no Docker engine at " + socket + " (" + e.getMessage()
                    + "): start dockerd, or set DOCKER_HOST=unix:///path/to/docker.sock");
        }
    }

    /** A response with its body as a stream, framed as its headers say (chunked, by length, or to the end). */
    private record Exchange(int status, InputStream body) {
    }

    private static Exchange send(SocketChannel channel, String method, String path, byte[] body)
            throws IOException, HttpException {
        OutputStream out = Channels.newOutputStream(channel);
        BasicClassicHttpRequest request = new BasicClassicHttpRequest(method, "/" + API_VERSION + path);
        request.addHeader("Host", "docker");
        request.addHeader("Connection", "close");
        if (body != null) {
            request.addHeader("Content-Type", "application/json");
            request.addHeader("Content-Length", Integer.toString(body.length));
        }
        SessionOutputBufferImpl outBuffer = new SessionOutputBufferImpl(8192);
        new DefaultHttpRequestWriter().write(request, outBuffer, out);
        outBuffer.flush(out);
        if (body != null) {
            out.write(body);
        }
        out.flush();
        SessionInputBufferImpl in = new SessionInputBufferImpl(8192);
        InputStream raw = Channels.newInputStream(channel);
        ClassicHttpResponse response = new DefaultHttpResponseParser().parse(in, raw);
        if (response == null) {
            throw new IOException("the engine closed the connection without answering");
        }
        int code = response.getCode();
        if (code == 204 || code == 304) {
            return new Exchange(code, InputStream.nullInputStream());
        }
        Header encoding = response.getFirstHeader("Transfer-Encoding");
        if (encoding != null && encoding.getValue().toLowerCase(Locale.ROOT).contains("chunked")) {
            return new Exchange(code, new ChunkedInputStream(in, raw));
        }
        Header length = response.getFirstHeader("Content-Length");
        if (length != null) {
            return new Exchange(code, new ContentLengthInputStream(in, raw, Long.parseLong(length.getValue().strip())));
        }
        return new Exchange(code, new IdentityInputStream(in, raw));
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            // some errors come as plain text
            return JSON.createObjectNode().put("message", new String(bytes, StandardCharsets.UTF_8).strip());
        }
    }

    /** Blocking channel reads have no timeout: a watchdog closes the channel instead. */
    private static Thread closeAfter(SocketChannel channel, Duration timeout) {
        return Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(timeout);
                channel.close();
            } catch (InterruptedException | IOException e) {
                // the call finished first
            }
        });
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public String toString() {
        return "Docker engine at " + socket;
    }
}
