package io.stampede.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How many users a scenario file runs, declared in Java: a closed model (a population of users, as
 * Locust) or an open one (iterations started on a clock, as k6's arrival rate). The two are
 * different types, so a closed model cannot be given an arrival rate by mistake.
 *
 * <p>Declare it as a {@code public static Load load()} method on one {@link User} class of the
 * scenario file; Stampede calls it once at start-up:
 *
 * <pre>{@code
 * public class WebsiteUser extends User {
 *     public static Load load() {
 *         return Load.users(100).spawnRate(10).runTime(Duration.ofMinutes(5));
 *     }
 *     ...
 * }
 *
 * // staged population: 50 users for a minute, then 100 (spawned 5/s) for two
 * Load.users(50).stage(Duration.ofMinutes(1), 50).stage(Duration.ofMinutes(2), 100, 5)
 *
 * // open model: 200 iterations/s ramping to 500/s over a minute, at most 1000 users at once
 * Load.arrivalRate(200).maxConcurrency(1000).preAllocated(300).stage(Duration.ofMinutes(1), 500)
 * }</pre>
 *
 * <p>Every method returns a new, immutable value. Values are checked when the run starts, in the
 * same place and with the same messages as a plan file's {@code load:} section, naming the scenario
 * file and the line that set the value. A plan file's {@code load:} keys and the command-line
 * flags override what the scenario declares (a flag of the other model switches models).
 */
public sealed interface Load permits Load.Closed, Load.Open {

    /** A closed model of {@code users} users, spawned at 1 per second unless {@link Closed#spawnRate} says otherwise. */
    static Closed users(int users) {
        return new Closed(List.of(Setting.at("users", Integer.toString(users))), List.of());
    }

    /** An open model starting {@code perSecond} iterations per second; with stages, the rate they ramp from. */
    static Open arrivalRate(double perSecond) {
        return new Open(List.of(Setting.at("arrivalRate", number(perSecond))), List.of());
    }

    /**
     * The values as written, each with the source line that set it; read by the engine, which checks
     * them. Keys are the plan file's {@code load:} keys ({@code users}, {@code arrivalRate}, ...).
     */
    List<Setting> settings();

    /** The stages as written, in order: each a list of settings with the plan file's stage keys. */
    List<List<Setting>> stages();

    /**
     * One value as text, as a plan file would hold it, and the scenario line that set it (0 when the
     * class was compiled without line numbers).
     */
    record Setting(String key, String value, int line) {
        static Setting at(String key, String value) {
            return new Setting(key, value, callerLine());
        }

        private static int callerLine() {
            return StackWalker.getInstance().walk(frames -> frames
                    .filter(f -> !f.getClassName().equals(Load.class.getName())
                            && !f.getClassName().startsWith(Load.class.getName() + "$"))
                    .findFirst().map(StackWalker.StackFrame::getLineNumber).orElse(0));
        }
    }

    /**
     * Locust's model: a fixed population looping over its tasks, started at the spawn rate. With
     * stages, each stage moves the population to its own size at its own rate and holds it until the
     * stage ends; the run ends with the last stage unless a run time is given.
     */
    final class Closed implements Load {
        private final List<Setting> settings;
        private final List<List<Setting>> stages;

        private Closed(List<Setting> settings, List<List<Setting>> stages) {
            this.settings = List.copyOf(settings);
            this.stages = List.copyOf(stages);
        }

        /** Users started (or stopped) per second; default 1. */
        public Closed spawnRate(double perSecond) {
            return new Closed(with(settings, Setting.at("spawnRate", number(perSecond))), stages);
        }

        /** Stops the run after {@code runTime}; default: at the end of the stages, or when stopped. */
        public Closed runTime(Duration runTime) {
            return new Closed(with(settings, Setting.at("runTime", text(runTime, "runTime"))), stages);
        }

        /** Then: reach {@code users} at the model's spawn rate and hold until {@code duration} ends. */
        public Closed stage(Duration duration, int users) {
            return new Closed(settings, append(stages, List.of(Setting.at("duration", text(duration, "duration")),
                    Setting.at("users", Integer.toString(users)))));
        }

        /** Then: reach {@code users} at {@code spawnRate} per second and hold until {@code duration} ends. */
        public Closed stage(Duration duration, int users, double spawnRate) {
            return new Closed(settings, append(stages, List.of(Setting.at("duration", text(duration, "duration")),
                    Setting.at("users", Integer.toString(users)), Setting.at("spawnRate", number(spawnRate)))));
        }

        @Override
        public List<Setting> settings() {
            return settings;
        }

        @Override
        public List<List<Setting>> stages() {
            return stages;
        }

        @Override
        public String toString() {
            return "Load.Closed" + settings + (stages.isEmpty() ? "" : " stages " + stages);
        }
    }

    /**
     * k6's arrival-rate model: new iterations start on a clock, whether or not earlier ones finished.
     * Each runs one task on an idle user; a new user is made when none is idle, up to
     * {@link #maxConcurrency} (default 1000), past which the iteration is dropped and counted.
     */
    final class Open implements Load {
        private final List<Setting> settings;
        private final List<List<Setting>> stages;

        private Open(List<Setting> settings, List<List<Setting>> stages) {
            this.settings = List.copyOf(settings);
            this.stages = List.copyOf(stages);
        }

        /** At most this many users at once (k6's maxVUs). */
        public Open maxConcurrency(int users) {
            return new Open(with(settings, Setting.at("maxConcurrency", Integer.toString(users))), stages);
        }

        /** Users made (their {@code onStart} run) before the first arrival, as k6's preAllocatedVUs. */
        public Open preAllocated(int users) {
            return new Open(with(settings, Setting.at("preAllocated", Integer.toString(users))), stages);
        }

        /** Stops the run after {@code runTime}; default: at the end of the stages, or when stopped. */
        public Open runTime(Duration runTime) {
            return new Open(with(settings, Setting.at("runTime", text(runTime, "runTime"))), stages);
        }

        /** Then: move the rate linearly to {@code perSecond} iterations per second over {@code duration}. */
        public Open stage(Duration duration, double perSecond) {
            return new Open(settings, append(stages, List.of(Setting.at("duration", text(duration, "duration")),
                    Setting.at("arrivalRate", number(perSecond)))));
        }

        @Override
        public List<Setting> settings() {
            return settings;
        }

        @Override
        public List<List<Setting>> stages() {
            return stages;
        }

        @Override
        public String toString() {
            return "Load.Open" + settings + (stages.isEmpty() ? "" : " stages " + stages);
        }
    }

    private static List<Setting> with(List<Setting> settings, Setting setting) {
        List<Setting> result = new ArrayList<>(settings.size() + 1);
        settings.stream().filter(s -> !s.key().equals(setting.key())).forEach(result::add);
        result.add(setting);
        return result;
    }

    private static List<List<Setting>> append(List<List<Setting>> stages, List<Setting> stage) {
        List<List<Setting>> result = new ArrayList<>(stages);
        result.add(stage);
        return result;
    }

    /** A number as a plan file would hold it: {@code 10}, not {@code 10.0}. */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /** A duration as the plan file's text, exact to the nanosecond ({@code 1500ms}, {@code 0.000001ms}). */
    private static String text(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            return "-" + text(duration.negated(), what);
        }
        return duration.toNanos() % 1_000_000 == 0 ? duration.toMillis() + "ms"
                : new BigDecimal(duration.toNanos()).movePointLeft(6).stripTrailingZeros().toPlainString() + "ms";
    }
}
