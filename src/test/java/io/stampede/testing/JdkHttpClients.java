package io.stampede.testing;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Ends a JDK {@link HttpClient} within a bound. Its {@code close()} waits, without a limit and through
 * interrupts, for its selector thread to end; with both cores busy that thread was seen to stay in
 * {@code epoll_wait} for minutes after the last request, and a test's clean-up hung the suite.
 */
public final class JdkHttpClients {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private JdkHttpClients() {
    }

    /** Stops {@code client}'s operations and waits at most a few seconds for its threads to end. */
    public static void stop(HttpClient client) {
        client.shutdownNow();
        try {
            client.awaitTermination(GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
