// Times Docker Engine API calls over the unix socket two ways: Stampede's DockerEngine (HttpCore 5's
// message syntax on a JDK SocketChannel, one watchdog virtual thread per call) and Jetty's HttpClient
// over Transport.TCPUnix (already in the jar under the HTTP fault proxy). Prints the median and p90
// of N calls of GET /_ping each way, and the platform threads each leaves running.
//   java -cp target/stampede.jar bench/docker/EngineCall.java [N]
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Transport;

public class EngineCall {
    static final Path SOCKET = Path.of("/var/run/docker.sock");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int threadsBefore = Thread.activeCount();
        // DockerEngine.connect() is one GET /_ping on a new connection
        Class<?> engine = Class.forName("io.stampede.docker.DockerEngine");
        Method connect = engine.getMethod("connect");
        for (int i = 0; i < 20; i++) {
            connect.invoke(null); // warm-up
        }
        long[] hc = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            connect.invoke(null);
            hc[i] = System.nanoTime() - t;
        }
        int threadsHc = Thread.activeCount();

        HttpClient jetty = new HttpClient();
        jetty.start();
        Transport unix = new Transport.TCPUnix(SOCKET);
        for (int i = 0; i < 20; i++) {
            ping(jetty, unix);
        }
        long[] je = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            ping(jetty, unix);
            je[i] = System.nanoTime() - t;
        }
        int threadsJetty = Thread.activeCount();
        jetty.stop();
        System.out.printf("GET /_ping, %d calls each%n", n);
        System.out.printf("HttpCore 5 + SocketChannel (new connection per call): median %.2f ms, p90 %.2f ms; threads %d -> %d%n",
                pct(hc, 50), pct(hc, 90), threadsBefore, threadsHc);
        System.out.printf("Jetty HttpClient over TCPUnix (pooled connection):    median %.2f ms, p90 %.2f ms; threads %d -> %d%n",
                pct(je, 50), pct(je, 90), threadsHc, threadsJetty);
    }

    static void ping(HttpClient client, Transport unix) throws Exception {
        ContentResponse r = client.newRequest("http://docker/v1.41/_ping").transport(unix)
                .timeout(30, TimeUnit.SECONDS).send();
        if (r.getStatus() != 200) {
            throw new IllegalStateException("HTTP " + r.getStatus());
        }
    }

    static double pct(long[] nanos, int p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * p / 100)] / 1e6;
    }
}
