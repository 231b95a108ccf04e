package io.stampede.engine;

import com.sun.management.UnixOperatingSystemMXBean;
import io.stampede.StampedeException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Checks before a run that the process may open a file for every user's connection, so a run too
 * large for {@code ulimit -n} stops at once with one message instead of thousands of failed
 * connects ("Too many open files").
 */
public final class OpenFiles {

    /** Files the JVM, the web UI, the results and the stats need besides the users' sockets. */
    static final int RESERVED_FILES = 100;

    private OpenFiles() {
    }

    /** The process's open-files limits: soft (what applies) and hard (how far the soft one may be raised). */
    public record Limits(long soft, OptionalLong hard, long open) {
    }

    /** The users the model may run at once: the largest population, or the open model's concurrency cap. */
    public static int peakUsers(LoadModel model) {
        return switch (model) {
            case LoadModel.Closed closed -> closed.stages().isEmpty() ? closed.users()
                    : closed.stages().stream().mapToInt(LoadModel.Stage::users).max().orElse(closed.users());
            case LoadModel.Open open -> open.maxConcurrency();
        };
    }

    /**
     * Refuses a closed model that needs more files than the limit allows; for the open model, whose
     * cap is a bound and not a promise, returns a warning instead (empty when the limit suffices).
     *
     * @param filesPerUser 1 for a direct connection, 3 through the in-process fault proxy
     */
    public static String check(LoadModel model, int filesPerUser, Limits limits) {
        long peak = peakUsers(model);
        long needed = peak * filesPerUser + limits.open() + RESERVED_FILES;
        if (needed <= limits.soft()) {
            return "";
        }
        String what = model instanceof LoadModel.Open ? "--max-concurrency " + peak : peak + " users";
        String each = filesPerUser == 1 ? "one socket each" : filesPerUser + " files each (a socket, and two in the fault proxy)";
        String hard = limits.hard().isPresent() ? "; hard limit " + limits.hard().getAsLong() : "";
        long fits = Math.max(0, (limits.soft() - limits.open() - RESERVED_FILES) / filesPerUser);
        String problem = what + " need about " + needed + " open files (" + each + "), but this process may open "
                + limits.soft() + " (ulimit -n" + hard + ")";
        long processes = fits == 0 ? 0 : (peak + fits - 1) / fits;
        String remedy = "about " + fits + " users fit in one process. Spread the users over worker processes"
                + (processes > 1 ? " (--processes " + processes + " or more)" : " (--processes N)")
                + ", or raise the limit: 'ulimit -n N' up to the hard limit; the hard limit itself"
                + " is the system's (limits.conf, systemd's LimitNOFILE, a container's --ulimit nofile)";
        if (model instanceof LoadModel.Open) {
            return "warning: " + problem + ": past " + fits + " users, connections fail with 'too many open files'; " + remedy;
        }
        throw new StampedeException.CannotRun(problem + ": " + remedy);
    }

    /** This process's limits, from /proc/self/limits on Linux, else from the JVM (soft limit only). */
    public static Limits current() {
        long open = 0;
        long soft = Long.MAX_VALUE;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            open = unix.getOpenFileDescriptorCount();
            soft = unix.getMaxFileDescriptorCount();
        }
        OptionalLong hard = OptionalLong.empty();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    soft = parse(fields[0], soft);
                    hard = OptionalLong.of(parse(fields[1], Long.MAX_VALUE));
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // the JVM's figure stands
        }
        return new Limits(soft, hard, open);
    }

    private static long parse(String field, long otherwise) {
        return field.equals("unlimited") ? Long.MAX_VALUE : field.matches("\\d+") ? Long.parseLong(field) : otherwise;
    }
}
