package io.stampede.bench;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/** (e) Jetty 12 HttpClient, one shared instance; each user blocks on {@code send()}. */
final class JettyCandidate implements Candidate {
    private final URI uri;
    private final HttpClient client = new HttpClient();

    JettyCandidate(URI uri, int users) throws Exception {
        this.uri = uri;
        client.setMaxConnectionsPerDestination(users);
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, users));
        client.setConnectTimeout(TIMEOUT_MS);
        client.start();
    }

    @Override
    public Session newSession() {
        return () -> {
            ContentResponse response = client.newRequest(uri).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS).send();
            response.getContent(); // already buffered fully by send()
            return response.getStatus();
        };
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
