package io.stampede.target;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One GET against a target's health URL: healthy means a 2xx answer within the timeout. Probes are
 * rare (a few per second), so the JDK's client is plenty here; users' traffic has its own client.
 */
final class HealthProbe {

    /** A probe that takes longer than this counts as unhealthy: a paused process never answers. */
    static final Duration PROBE_TIMEOUT = Duration.ofMillis(1000);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(PROBE_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final URI url;

    HealthProbe(URI url) {
        this.url = url;
    }

    boolean healthy() {
        return status() / 100 == 2;
    }

    /** Any HTTP answer at all, error statuses included, within the timeout. */
    boolean answers() {
        return status() > 0;
    }

    private int status() {
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url).timeout(PROBE_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }

    URI url() {
        return url;
    }
}
