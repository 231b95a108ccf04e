package io.stampede.api;

import java.util.random.RandomGenerator;

/**
 * A simulated user: extend it, add {@link Task} methods, and Stampede runs many instances at once,
 * each on its own virtual thread, each with its own {@link HttpSession}.
 *
 * <pre>{@code
 * public class WebsiteUser extends User {
 *     @Override public WaitTime waitTime() { return WaitTime.between(Duration.ofSeconds(1), Duration.ofSeconds(5)); }
 *
 *     @Task(weight = 3) public void index()  { http().get("/"); }
 *     @Task(weight = 1) public void health() { http().get("/health", Check.status(200), Check.bodyContains("OK")); }
 * }
 * }</pre>
 *
 * A user class needs a public no-argument constructor. {@link #onStart()} runs once before the
 * first task, {@link #onStop()} once when the user is stopped.
 */
public abstract class User {

    private HttpSession http;
    private RandomGenerator random;

    /** The wait between tasks; default none. Called once per user, after construction. */
    public WaitTime waitTime() {
        return WaitTime.none();
    }

    /** Runs once when the user starts, before its first task (e.g. log in). */
    public void onStart() {
    }

    /** Runs once when the user stops (e.g. log out). */
    public void onStop() {
    }

    /** This user's HTTP session. */
    protected final HttpSession http() {
        return http;
    }

    /** This user's random numbers. */
    protected final RandomGenerator random() {
        return random;
    }

    /** Called by the engine before {@link #onStart()}. */
    public final void attach(HttpSession http, RandomGenerator random) {
        if (this.http != null) {
            throw new IllegalStateException("user already attached");
        }
        this.http = http;
        this.random = random;
    }
}
