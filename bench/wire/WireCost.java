import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.stats.*;
import java.lang.management.ManagementFactory;

/** CPU per interval on the worker wire: encode, one line of JSON, parse, decode. 10 keys x 1,000 samples. Run: bench/wire/run.sh */
public class WireCost {
    public static void main(String[] a) throws Exception {
        ObjectMapper json = new ObjectMapper();
        StatsRecorder r = new StatsRecorder(System.currentTimeMillis());
        java.util.Random rnd = new java.util.Random(1);
        for (int k = 0; k < 10; k++) for (int i = 0; i < 1000; i++) {
            long lat = (long) Math.exp(Math.log(20_000) + rnd.nextGaussian());
            r.record("GET", "/key" + k, lat, 100, i % 100 == 0 ? "HTTP 503" : null);
        }
        IntervalStats interval = r.takeInterval(System.currentTimeMillis(), 50);
        var threads = ManagementFactory.getThreadMXBean();
        int n = 2000; long bytes = 0;
        for (int round = 0; round < 6; round++) {
            long before = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                String line = json.writeValueAsString(IntervalCodec.encode(interval)); bytes = line.length(); IntervalStats back = IntervalCodec.decode(json.readValue(line, IntervalCodec.Encoded.class)); if (back.users() != 50) throw new AssertionError();
            }
            long cpu = threads.getCurrentThreadCpuTime() - before;
            System.out.printf("round %d: %.1f us of CPU per interval, %d bytes a line%n", round, cpu / 1000.0 / n, bytes);
        }
    }
}
