import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.stampede.api.Request;
import io.stampede.http.HttpOptions;
import io.stampede.http.HttpProtocol;
import io.stampede.http.Tls;
import io.stampede.http.TlsDraft;
import io.stampede.http.UserHttpSession;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import io.stampede.stats.SampleSink;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * CPU and heap allocated per HTTP/2 request on kept-alive connections, counted in requests rather
 * than seconds, so a busy machine changes how long it takes, not what it measures: USERS users
 * (Stampede's own session from the jar, each on a virtual thread as in a run) send {@code GET /}
 * ROUNDS x COUNT times in all. Per round: the process's CPU (JIT and GC included) per request; with
 * one user (on the main thread) also that thread's CPU and the bytes it allocated per request.
 * The last rounds are the steady state.
 * Run: java -cp target/stampede.jar bench/h2/RequestCost.java http://localhost:PORT [count] [rounds] [users] [CA.pem]
 * With -Dbatch=N (one user) the user sends its requests as batches of N concurrent streams on its
 * connection ({@code http().batch}), each stream counted as a request (bench/h2/batch-cost.sh).
 * (h2c by prior knowledge; an https:// URL needs the CA and speaks h2 over TLS). With -Dprofile=FILE.jfr
 * the last round is recorded by JFR (settings "profile"); run with -XX:-UseTLAB to have every allocation
 * in it (jdk.ObjectAllocationOutsideTLAB), which is slow but exact.
 */
public class RequestCost {
    private static final int BATCH = Integer.getInteger("batch", 1);

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int users = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        HttpOptions http2 = new HttpOptions(Duration.ofSeconds(5), Duration.ofSeconds(30), 1 << 20, false, Map.of())
                .withProtocol(HttpProtocol.HTTP_2);
        if (args.length > 4) {
            Problems problems = new Problems();
            Tls tls = new TlsDraft(new Located<>(Path.of(args[4]), "ca"), null, null, null, null, null, null, null)
                    .check(problems);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(problems.list().toString());
            }
            http2 = http2.withTls(tls);
        }
        HttpOptions options = http2;
        AtomicLong failures = new AtomicLong();
        SampleSink sink = (method, name, latency, bytes, error) -> {
            if (error != null && failures.getAndIncrement() < 3) {
                System.err.println("failure: " + error);
            }
        };
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        List<UserHttpSession> sessions = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            sessions.add(new UserHttpSession(base, options, sink));
        }
        int perUser = count / users;
        for (int round = 1; round <= rounds; round++) {
            Recording recording = null;
            if (round == rounds && System.getProperty("profile") != null) {
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
                recording.start();
            }
            long process = os.getProcessCpuTime();
            long thread = threads.getCurrentThreadCpuTime();
            long allocated = threads.getThreadAllocatedBytes(self);
            long wall = System.nanoTime();
            int done = perUser * users;
            if (users == 1 && BATCH > 1) {
                UserHttpSession session = sessions.get(0);
                Request[] batch = new Request[BATCH];
                for (int i = 0; i < perUser / BATCH; i++) {
                    for (int k = 0; k < BATCH; k++) {
                        batch[k] = session.request("GET", "/");
                    }
                    session.batch(batch);
                }
                done = perUser / BATCH * BATCH;
            } else if (users == 1) {
                for (int i = 0; i < perUser; i++) {
                    sessions.get(0).request("GET", "/").send();
                }
            } else {
                List<Thread> running = new ArrayList<>();
                for (UserHttpSession session : sessions) {
                    running.add(Thread.ofVirtual().start(() -> {
                        for (int i = 0; i < perUser; i++) {
                            session.request("GET", "/").send();
                        }
                    }));
                }
                for (Thread t : running) {
                    t.join();
                }
            }
            System.out.printf("round %d: %.1f us process CPU per request%s (%.1f s wall, %d failures)%n",
                    round, (os.getProcessCpuTime() - process) / 1e3 / done,
                    users > 1 ? "" : String.format(", %.1f us thread CPU, %.0f bytes allocated",
                            (threads.getCurrentThreadCpuTime() - thread) / 1e3 / done,
                            (threads.getThreadAllocatedBytes(self) - allocated) / (double) done),
                    (System.nanoTime() - wall) / 1e9, failures.get());
            if (recording != null) {
                recording.dump(Path.of(System.getProperty("profile")));
                recording.close();
            }
        }
        for (UserHttpSession session : sessions) {
            session.close();
        }
    }
}
