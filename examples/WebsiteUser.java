import io.stampede.api.Check;
import io.stampede.api.Task;
import io.stampede.api.User;
import io.stampede.api.WaitTime;
import java.time.Duration;

/**
 * The seed lab's locustfile in Java: each user waits 1 to 5 s between tasks and loads the home page
 * three times as often as it checks /health.
 *
 *   ./stampede run -f examples/WebsiteUser.java -H http://127.0.0.1:5001 -u 100 -r 10 -t 1m --headless
 */
public class WebsiteUser extends User {

    @Override
    public WaitTime waitTime() {
        return WaitTime.between(Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    @Task(weight = 3)
    public void index() {
        http().get("/");
    }

    @Task(weight = 1)
    public void health() {
        http().get("/health", Check.status(200), Check.bodyContains("OK"));
    }
}
