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

    @Test
    void theNextBoundIsOneAndAHalfTimesTheLiveBytesAndNeverBelowTheFloor() {
        assertThat(OldGenerationBound.threshold(0)).isEqualTo(OldGenerationBound.FLOOR_BYTES);
        assertThat(OldGenerationBound.threshold(100 * MIB)).isEqualTo(150 * MIB);
    }

    /**
     * A child JVM with the workers' collector promotes objects that die in the old generation: with
     * the bound, full collections keep the old generation near the floor; without, Serial lets it
     * grow and collects it only at the maximum heap.
     */
    @Test
    void underSerialFullCollectionsKeepTheOldGenerationNearTheFloor() throws Exception {
        String[] with = runChild(true).split(" ");
        assertThat(Long.parseLong(with[0])).as("full collections with the bound").isPositive();
        assertThat(Long.parseLong(with[1])).as("largest old generation with the bound, MiB")
                .isLessThan(3 * OldGenerationBound.FLOOR_BYTES / MIB);

        String[] without = runChild(false).split(" ");
        assertThat(Long.parseLong(without[1])).as("largest old generation without, MiB")
                .isGreaterThan(Long.parseLong(with[1]));
    }

    /** A heap whose old generation cannot reach the floor is not bounded, and starting does not fail on it. */
    @Test
    void aHeapSmallerThanTheFloorIsLeftToTheCollector() throws Exception {
        assertThat(runChild("-Xmx64m", "installOnly")).isEqualTo("declined");
    }

    private static String runChild(boolean bound) throws IOException, InterruptedException {
        return runChild("-Xmx1g", Boolean.toString(bound));
    }

    private static String runChild(String maxHeap, String mode) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-XX:+UseSerialGC", "-Xms32m", maxHeap,
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), mode))
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
     * "true" or "false" (with the bound or without): promotes {@link #PROMOTED_BYTES} that die after several young
     * collections; prints "full-GCs largest-old-MiB". "installOnly": prints whether the bound installed.
     */
    public static final class Child {
        static volatile long sink;

        public static void main(String[] args) {
            if (args[0].equals("installOnly")) {
                System.out.println(OldGenerationBound.install() ? "installed" : "declined");
                return;
            }
            if (Boolean.parseBoolean(args[0]) && !OldGenerationBound.install()) {
                throw new IllegalStateException("no Serial old generation");
            }
            MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getName().equals(OldGenerationBound.SERIAL_OLD_POOL)).findFirst().orElseThrow();
            byte[][] kept = new byte[512][]; // 32 MiB kept at a time: each array outlives young collections
            long largest = 0;
            for (long i = 0; i * 64 * 1024 < PROMOTED_BYTES; i++) {
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
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
