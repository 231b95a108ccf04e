import com.sun.management.OperatingSystemMXBean;
import io.stampede.http.HttpOptions;
import io.stampede.http.Tls;
import io.stampede.http.TlsDraft;
import io.stampede.http.UserHttpSession;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import io.stampede.stats.SampleSink;
import java.lang.management.ManagementFactory;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU per TLS reconnect, counted in handshakes rather than seconds, so a busy machine changes how long
 * it takes, not what it measures: one user (Stampede's own session and TLS code from the jar) sends
 * {@code GET /} with {@code Connection: close} ROUNDS x COUNT times, so every request opens a connection
 * and resumes the TLS session. Per round: the process's CPU (JIT compiler and GC included) and the
 * user thread's CPU per handshake; the last rounds are the steady state.
 * Run: java -cp target/stampede.jar bench/tls/HandshakeCost.java https://localhost:PORT CA.pem [count] [rounds] [keep-alive]
 * (bench/tls/run.sh does, MODES=handshake). With -Dprofile=FILE.jfr the last round is recorded by JFR
 * (settings "profile"): where a warm handshake's CPU goes. "keep-alive" sends the requests on one
 * connection instead: CPU per kept-alive TLS request.
 */
public class HandshakeCost {
    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        Path ca = Path.of(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        boolean keepAlive = args.length > 4 && args[4].equals("keep-alive"); // one connection: CPU per kept-alive request
        Problems problems = new Problems();
        Tls tls = new TlsDraft(new Located<>(ca, "ca"), null, null, null, null, null, null, null).check(problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.list().toString());
        }
        HttpOptions options = new HttpOptions(Duration.ofSeconds(5), Duration.ofSeconds(30), 1 << 20, false, Map.of())
                .withTls(tls);
        AtomicLong failures = new AtomicLong();
        SampleSink sink = (method, name, latency, bytes, error) -> {
            if (error != null && failures.getAndIncrement() < 3) {
                System.err.println("failure: " + error);
            }
        };
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        try (UserHttpSession session = new UserHttpSession(base, options, sink)) {
            for (int round = 1; round <= rounds; round++) {
                Recording recording = null;
                if (round == rounds && System.getProperty("profile") != null) {
                    recording = new Recording(Configuration.getConfiguration("profile"));
                    recording.start();
                }
                long process = os.getProcessCpuTime();
                long thread = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    if (keepAlive) {
                        session.request("GET", "/").send();
                    } else {
                        session.request("GET", "/").header("Connection", "close").send();
                    }
                }
                System.out.printf("round %d: %.0f us process CPU, %.0f us thread CPU per %s (%.1f s wall, %d failures)%n",
                        round, (os.getProcessCpuTime() - process) / 1e3 / count, (threads.getCurrentThreadCpuTime() - thread) / 1e3 / count,
                        keepAlive ? "kept-alive request" : "handshake",
                        (System.nanoTime() - wall) / 1e9, failures.get());
                if (recording != null) {
                    recording.dump(Path.of(System.getProperty("profile")));
                    recording.close();
                }
            }
        }
    }
}
