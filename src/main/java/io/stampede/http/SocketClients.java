package io.stampede.http;

import io.stampede.input.Authority;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The JDK HTTP clients behind users' WebSockets and event streams, one per connect timeout and TLS
 * settings for the whole process (a run has one or two of each). Why shared: each {@link HttpClient}
 * owns a selector thread, so one per user would cost a platform thread per user; one client carries
 * any number of connections. Callbacks run on virtual threads, like the users. {@code wss://} and
 * {@code https://} streams trust, present and offer what the users' requests do ({@link Tls}).
 */
final class SocketClients {

    private record Key(Duration connectTimeout, Tls tls) {
    }

    private static final Map<Key, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private SocketClients() {
    }

    /** The client for a socket or stream to {@code uri}: the TLS settings of its host. */
    static HttpClient forUri(URI uri, HttpOptions options) {
        boolean secure = "wss".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        Authority authority = Authority.of(uri);
        Tls tls = secure ? options.tls().forHost(authority.host().toLowerCase(Locale.ROOT), authority.port()) : options.tls();
        return forTimeout(options.connectTimeout(), tls);
    }

    /**
     * Why a socket or stream to {@code uri} is not opened, or null: the JDK's client connects where the
     * URL's name resolves and has no way to connect elsewhere, so a host with a connect-to entry would
     * be reached at another address than the run's requests; it fails instead, naming the entry.
     */
    static String connectToRefusal(URI uri, HttpOptions options) {
        Authority authority = Authority.of(uri);
        if (!options.connectTo().maps(authority.host(), authority.port())) {
            return null;
        }
        return "connect-to not supported for WebSockets and event streams: " + authority + " is mapped to "
                + options.connectTo().route(authority.host(), authority.port()) + " (hosts:, --connect-to)";
    }

    private static HttpClient forTimeout(Duration connectTimeout, Tls tls) {
        return CLIENTS.computeIfAbsent(new Key(connectTimeout, tls), key -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(key.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(key.tls().context())
                .sslParameters(key.tls().parameters())
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build());
    }
}
