package io.stampede.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OldGenerationBoundTest {

    private static final long MIB = 1024 * 1024;
    /** What the child promotes in all, several times the floor. */
    private static final long PROMOTED_BYTES = 640 * MIB;
    /** What the growing child keeps live in the end, six times the floor. */
    private static final long GROWN_BYTES = 384 * MIB;

    @Test
    void theNextBoundIsOneAndAHalfTimesTheLiveBytesAfterACollectionThatFreedMuch() {
        assertThat(OldGenerationBound.threshold(0, 0)).isEqualTo(OldGenerationBound.FLOOR_BYTES);
        assertThat(OldGenerationBound.threshold(150 * MIB, 100 * MIB)).isEqualTo(150 * MIB);
        assertThat(OldGenerationBound.threshold(134 * MIB, 100 * MIB)).isEqualTo(150 * MIB);
    }

    @Test
    void theNextBoundIsTwiceTheLiveBytesAfterACollectionThatFreedLittle() {
        assertThat(OldGenerationBound.threshold(132 * MIB, 100 * MIB)).isEqualTo(200 * MIB);
        assertThat(OldGenerationBound.threshold(64 * MIB, 60 * MIB)).isEqualTo(120 * MIB);
        assertThat(OldGenerationBound.threshold(64 * MIB, 20 * MIB)).isEqualTo(OldGenerationBound.FLOOR_BYTES);
    }

    /**
     * A child JVM with the workers' collector promotes objects that die in the old generation: with
     * the bound, full collections keep the old generation near the floor; without, Serial lets it
     * grow and collects it only at the maximum heap.
     */
    @Test
    void underSerialFullCollectionsKeepTheOldGenerationNearTheFloor() throws Exception {
        String[] with = runChild(true, "garbage").split(" ");
        assertThat(Long.parseLong(with[0])).as("full collections with the bound").isPositive();
        assertThat(Long.parseLong(with[1])).as("largest old generation with the bound, MiB")
                .isLessThan(3 * OldGenerationBound.FLOOR_BYTES / MIB);

        String[] without = runChild(false, "garbage").split(" ");
        assertThat(Long.parseLong(without[1])).as("largest old generation without, MiB")
                .isGreaterThan(Long.parseLong(with[1]));
    }

    /**
     * A child whose live set grows to six times the floor, as workers' do while their users start:
     * each full collection finds the old generation mostly live, and the next bound is twice the live
     * bytes: two or three collections (near 64, 128 and 256 MiB), where 1.5 times each time took four in
     * this child (near 64, 96, 144 and 216 MiB, the bound's notification lagging the growth a little).
     */
    @Test
    void aGrowingLiveSetGetsFewFullCollections() throws Exception {
        String[] grown = runChild(true, "growing").split(" ");
        assertThat(Long.parseLong(grown[0])).as("full collections while the live set grew to %d MiB", GROWN_BYTES / MIB)
                .isBetween(1L, 3L);
    }

    /** A heap whose old generation cannot reach the floor is not bounded, and starting does not fail on it. */
    @Test
    void aHeapSmallerThanTheFloorIsLeftToTheCollector() throws Exception {
        assertThat(runChild("-Xmx64m", true, "installOnly")).isEqualTo("declined");
    }

    private static String runChild(boolean bound, String kind) throws IOException, InterruptedException {
        return runChild("-Xmx1g", bound, kind);
    }

    private static String runChild(String maxHeap, boolean bound, String kind) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-XX:+UseSerialGC", "-Xms32m", maxHeap,
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), Boolean.toString(bound), kind))
                .redirectErrorStream(true).start();
        try {
            assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("child ended").isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(child.exitValue()).as(out).isZero();
            return out;
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * "garbage": promotes {@link #PROMOTED_BYTES} that die after several young collections; "growing": keeps
     * {@link #GROWN_BYTES}, all live to the end. Prints "full-GCs largest-old-MiB". "installOnly": prints "declined"
     * when the bound declines to install.
     */
    public static final class Child {
        static volatile long sink;

        public static void main(String[] args) {
            if (args[1].equals("installOnly")) {
                System.out.println(OldGenerationBound.install() ? "installed" : "declined");
                return;
            }
            if (Boolean.parseBoolean(args[0]) && !OldGenerationBound.install()) {
                throw new IllegalStateException("no Serial old generation");
            }
            boolean growing = args[1].equals("growing");
            MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getName().equals(OldGenerationBound.SERIAL_OLD_POOL)).findFirst().orElseThrow();
            // garbage: 32 MiB kept at a time, each array outlives young collections; growing: every array kept
            byte[][] kept = new byte[(int) (growing ? GROWN_BYTES / (64 * 1024) : 512)][];
            long largest = 0;
            for (long i = 0; i * 64 * 1024 < (growing ? GROWN_BYTES : PROMOTED_BYTES); i++) {
                kept[(int) (i % kept.length)] = new byte[64 * 1024];
                for (int j = 0; j < 16; j++) {
                    sink += new byte[4096].length; // young garbage beside it
                }
                largest = Math.max(largest, old.getUsage().getCommitted());
                if (i % 64 == 63) {
                    // 4 MiB promoted, then a pause: waiting users promote slowly, and the bound's listener runs
                    // on a service thread that a loop at full speed on a busy machine would outrun.
                    pause();
                }
            }
            long full = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .filter(gc -> gc.getName().equals("MarkSweepCompact")).mapToLong(GarbageCollectorMXBean::getCollectionCount)
                    .sum();
            System.out.println(full + " " + largest / MIB);
        }

        private static void pause() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
