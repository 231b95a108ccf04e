import io.stampede.stats.StatsRecorder;

/**
 * A new largest latency once the recording path is compiled: does it deoptimize that path? Records
 * 2,000,000 samples of 0.1-2 ms through {@link StatsRecorder} (an interval taken every 500,000, as
 * the run's second does), waits for C2, then four requests of 0.2-0.8 s (under
 * the 1 s that counts as a stall) and 50,000 more small ones.
 * Run it with the JIT's logs and count the range_check deoptimizations and what was made not entrant:
 *
 * <pre>
 *   . scripts/jdk.sh; stampede_find_jdk; D=$(mktemp -d)
 *   $JAVA_HOME/bin/javac -cp target/stampede.jar -d $D bench/startup/NewMaximum.java
 *   taskset -c 0 $JAVA_HOME/bin/java -cp $D:target/stampede.jar -Xlog:deoptimization=debug:file=$D/deopt.log:uptimemillis \
 *       -Xlog:jit+compilation=debug:file=$D/jit.log:uptimemillis NewMaximum
 *   grep -c range_check $D/deopt.log; grep 'made not entrant: uncommon trap' $D/jit.log; rm -r $D
 * </pre>
 */
public class NewMaximum {
    public static void main(String[] args) throws InterruptedException {
        StatsRecorder recorder = new StatsRecorder(0);
        long interval = 0;
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 50_000; i++) {
                recorder.record("GET", "/", 100 + i % 1900, 6, null);
            }
            if (round % 10 == 9) {
                recorder.takeInterval(++interval, 50);
            }
        }
        Thread.sleep(2000); // C2 finishes the recording path
        for (int i = 1; i <= 4; i++) {
            recorder.record("GET", "/", 200_000L * i, 6, null);
            recorder.takeInterval(++interval, 50);
        }
        for (int i = 0; i < 50_000; i++) {
            recorder.record("GET", "/", 100 + i % 1900, 6, null);
        }
    }
}
