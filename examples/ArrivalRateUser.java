import io.stampede.api.Load;
import io.stampede.api.Task;
import io.stampede.api.User;
import java.time.Duration;

/**
 * A scenario that declares its own load in Java: the open model (k6's arrival rate), 20 iterations
 * per second ramping to 100 per second over 20 s, then 100 per second for 10 s; at most 200 users at
 * once, 20 of them made before the first arrival. Flags and a plan file's load: section override it.
 *
 *   ./stampede run -f examples/ArrivalRateUser.java -H http://127.0.0.1:5001 --headless
 *   ./stampede run -f examples/ArrivalRateUser.java -H http://127.0.0.1:5001 --headless -u 10 -t 15s   # closed, by flags
 */
public class ArrivalRateUser extends User {

    public static Load load() {
        return Load.arrivalRate(20).maxConcurrency(200).preAllocated(20)
                .stage(Duration.ofSeconds(20), 100)
                .stage(Duration.ofSeconds(10), 100);
    }

    @Task(weight = 3)
    public void index() {
        http().get("/");
    }

    @Task(weight = 1)
    public void health() {
        http().get("/health");
    }
}
