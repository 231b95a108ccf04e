package io.stampede.bench;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** (a) JDK java.net.http.HttpClient, HTTP/1.1: one client per user, or one shared by all users. */
final class JdkCandidate implements Candidate {
    private final URI uri;
    // Async completion tasks run on virtual threads (the default would be a platform cached pool per client).
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient shared;

    JdkCandidate(URI uri, boolean shared) {
        this.uri = uri;
        this.shared = shared ? newClient() : null;
    }

    private HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .cookieHandler(new CookieManager()) // per client: per user only in the per-user variant
                .connectTimeout(Duration.ofMillis(TIMEOUT_MS))
                .build();
    }

    @Override
    public Session newSession() {
        HttpClient client = shared != null ? shared : newClient();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(TIMEOUT_MS)).GET().build();
        return new Session() {
            @Override
            public int get() throws Exception {
                return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
            }

            @Override
            public void close() {
                if (client != shared) client.shutdownNow();
            }
        };
    }

    @Override
    public void close() {
        if (shared != null) shared.shutdownNow();
        executor.shutdownNow();
    }
}
