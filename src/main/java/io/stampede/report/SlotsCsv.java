package io.stampede.report;

import io.stampede.stats.Slots;
import java.nio.charset.StandardCharsets;

/**
 * A run's {@link Slots} as CSV, one row per slot with something in it: what detection and recovery
 * times were computed from, for anyone who wants to check them.
 *
 * <pre>
 * slot_start_ms,ok,failed,stalled,started
 * 1767693600010,3,0,0,3
 * </pre>
 */
public final class SlotsCsv {

    private SlotsCsv() {
    }

    public static byte[] of(Slots slots) {
        StringBuilder out = new StringBuilder(32 * (slots.size() + 1)).append("slot_start_ms,ok,failed,stalled,started\n");
        for (int i = 0; i < slots.size(); i++) {
            out.append(Slots.startMillis(slots.slot()[i])).append(',').append(slots.ok()[i]).append(',')
                    .append(slots.failed()[i]).append(',').append(slots.stalled()[i]).append(',')
                    .append(slots.started()[i]).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
