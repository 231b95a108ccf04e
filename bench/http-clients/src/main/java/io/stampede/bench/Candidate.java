package io.stampede.bench;

import java.net.URI;
import org.apache.hc.core5.http.config.Http1Config;

/** One HTTP client set-up under test. Shared state (pools, selectors) lives here; per-user state in {@link Session}. */
interface Candidate extends AutoCloseable {

    /** A simulated user's own session: its connection(s), cookies and default headers. */
    interface Session extends AutoCloseable {
        /** Sends {@code GET} to the target, reads the whole body and returns the status code. */
        int get() throws Exception;

        @Override
        default void close() throws Exception {}
    }

    Session newSession() throws Exception;

    @Override
    default void close() throws Exception {}

    int TIMEOUT_MS = 10_000;

    /** Per-connection I/O buffer for the Apache candidates: their default (32 KB in and 32 KB out) costs ~100 KB/user. */
    Http1Config HTTP1_CONFIG = Http1Config.custom().setBufferSize(8192).build();

    /** The bytes of a bare {@code GET} of the URI's path, for the references that write their own requests. */
    static byte[] plainGet(URI uri) {
        String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getRawAuthority() + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static Candidate create(String name, URI uri, int users) throws Exception {
        return switch (name) {
            case "jdk-per-user" -> new JdkCandidate(uri, false);
            case "jdk-shared" -> new JdkCandidate(uri, true);
            case "apache-pooled" -> new ApacheClassicCandidate(uri, users, false);
            case "apache-per-user" -> new ApacheClassicCandidate(uri, users, true);
            case "httpcore" -> new HttpCoreCandidate(uri, false);
            case "httpcore-yield" -> new HttpCoreCandidate(uri, true);
            case "jetty" -> new JettyCandidate(uri, users);
            case "raw" -> new RawSocketCandidate(uri, false);
            case "raw-yield" -> new RawSocketCandidate(uri, true);
            case "channel-yield" -> new ChannelCandidate(uri);
            default -> throw new IllegalArgumentException("unknown --client " + name);
        };
    }
}
