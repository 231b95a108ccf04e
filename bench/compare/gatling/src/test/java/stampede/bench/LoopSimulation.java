package stampede.bench;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * bench/compare's Gatling row: USERS closed users started at once, each looping GET / on its own
 * keep-alive connection without pause for SECONDS, as wrk, hey, Locust and Stampede do there.
 */
public class LoopSimulation extends Simulation {
    private static final String URL = System.getProperty("target.url", "http://127.0.0.1:8080");
    private static final int USERS = Integer.getInteger("users", 50);
    private static final Duration RUN = Duration.ofSeconds(Integer.getInteger("seconds", 15));

    private final HttpProtocolBuilder protocol = http.baseUrl(URL).disableCaching().disableWarmUp();

    private final ScenarioBuilder loop = scenario("loop").during(RUN).on(exec(http("GET /").get("/")));

    {
        setUp(loop.injectOpen(atOnceUsers(USERS))).protocols(protocol);
    }
}
