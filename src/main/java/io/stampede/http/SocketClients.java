package io.stampede.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The JDK HTTP clients behind users' WebSockets and event streams, one per connect timeout for the
 * whole process. Why shared: each {@link HttpClient} owns a selector thread, so one per user would
 * cost a platform thread per user; one client carries any number of connections. Callbacks run on
 * virtual threads, like the users.
 */
final class SocketClients {

    private static final Map<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private SocketClients() {
    }

    static HttpClient forTimeout(Duration connectTimeout) {
        return CLIENTS.computeIfAbsent(connectTimeout, timeout -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build());
    }
}
