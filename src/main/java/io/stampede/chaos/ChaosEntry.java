package io.stampede.chaos;

import io.stampede.StampedeException;
import io.stampede.input.Durations;
import io.stampede.input.Located;
import io.stampede.target.TargetSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.regex.PatternSyntaxException;

/**
 * One chaos entry as written, each value with where it was written: an item of a plan's
 * {@code chaos:} list or the flags of {@code stampede chaos}. {@link #toSpec} holds the schedule's
 * rules, so both front ends give the same message for the same mistake, after the value's origin.
 *
 * @param where  the entry's location, for problems that belong to no single value
 * @param key    how the front end names a key in a message: {@code 'duration'} or {@code --duration}
 * @param params the fault's own parameters
 * @param target a target name, or {@code re2:REGEX}
 */
public record ChaosEntry(String where, UnaryOperator<String> key, FaultFactory factory,
                         Map<String, Located<String>> params, Located<String> target, boolean all,
                         Located<Integer> limit, Located<String> at, Located<String> every, Located<String> startAfter,
                         Located<String> duration, Located<Integer> count) {

    /** The factory for a fault kind; an unknown kind names the valid ones. */
    public static FaultFactory factory(Located<String> kind) {
        FaultFactory factory = Faults.get(kind.value());
        if (factory == null) {
            throw problem(kind, "unknown fault '" + kind.value() + "'; valid: " + Faults.names());
        }
        return factory;
    }

    /** Checks the entry against the declared targets; the first problem is a {@link StampedeException.BadInput}. */
    public ChaosSpec toSpec(List<TargetSpec> targets) {
        FaultParams given = new FaultParams(params, where);
        Fault fault = factory.create(given);
        List<String> unread = given.unread(); // a fault that reads a key only with some values of the others
        if (!unread.isEmpty()) {
            throw problem(params.get(unread.get(0)), key.apply(unread.get(0)) + " has no effect on " + factory.kind()
                    + " as written");
        }
        String selector = target.value();
        List<String> names = targets.stream().map(TargetSpec::name).toList();
        List<String> matched;
        try {
            matched = ChaosEngine.matching(selector, names);
        } catch (PatternSyntaxException e) {
            throw problem(target, "bad regex: " + e.getDescription());
        }
        if (matched.isEmpty()) {
            throw problem(target, (selector.startsWith(ChaosEngine.REGEX_PREFIX) ? selector + " matches no target"
                    : "target '" + selector + "' is not declared") + "; declared: "
                    + (names.isEmpty() ? "none (add a targets: section)" : String.join(", ", names)));
        }
        for (String name : matched) {
            TargetSpec spec = targets.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
            String why = fault.unsupportedOn(kindOf(spec));
            if (why == null && fault.front() == Fault.Front.HTTP && spec.url() == null) {
                why = factory.kind() + " acts on HTTP traffic: the target needs a url";
            }
            if (why != null) {
                throw problem(target, why + " (target " + name + ")");
            }
        }

        Optional<Duration> once = duration(at);
        Optional<Duration> repeat = duration(every);
        if (once.isPresent() == repeat.isPresent()) {
            throw new StampedeException.BadInput(where + ": give either " + key.apply("at") + " (once) or "
                    + key.apply("every") + " (repeatedly)");
        }
        if (once.isPresent()) { // read with 'at', they would change nothing
            repeatOnly(startAfter, "startAfter");
            repeatOnly(count, "count");
        }
        if (repeat.isPresent() && repeat.get().isZero()) {
            throw problem(every, "must be longer than 0");
        }
        Duration first = duration(startAfter).orElse(repeat.orElse(Duration.ZERO));
        Optional<Duration> lasting = duration(duration);
        if (factory.lasting() && lasting.isEmpty()) {
            throw new StampedeException.BadInput(where + ": " + factory.kind() + " lasts: give its " + key.apply("duration")
                    + ", e.g. 10s");
        }
        if (!factory.lasting() && lasting.isPresent()) {
            throw problem(duration, factory.kind() + " is instant: " + key.apply("duration") + " does not apply");
        }
        if (lasting.isPresent() && repeat.isPresent() && lasting.get().compareTo(repeat.get()) > 0) {
            throw problem(duration, "duration " + duration.value().strip() + " is longer than every " + every.value().strip()
                    + ": the fault would overlap itself");
        }
        return new ChaosSpec(factory.kind(), fault, selector, all, atLeastOne(limit), once, repeat, first, lasting,
                atLeastOne(count), where);
    }

    /** A key of the repeated schedule, given with {@code at}: refused, as it would change nothing. */
    private void repeatOnly(Located<?> value, String name) {
        if (value != null) {
            throw problem(value, key.apply(name) + " goes with " + key.apply("every") + " (repeatedly); "
                    + key.apply("at") + " fires once, at its own time");
        }
    }

    /** The kind of target a fault sees, before the target is started. */
    static TargetHandle.Kind kindOf(TargetSpec target) {
        return switch (target) {
            case TargetSpec.Managed m -> TargetHandle.Kind.MANAGED;
            case TargetSpec.External e -> TargetHandle.Kind.EXTERNAL;
            case TargetSpec.Address a -> TargetHandle.Kind.ADDRESS;
            case TargetSpec.Container c -> TargetHandle.Kind.CONTAINER;
        };
    }

    private static Optional<Duration> duration(Located<String> value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(value.value()));
        } catch (IllegalArgumentException e) {
            throw problem(value, e.getMessage());
        }
    }

    private static OptionalInt atLeastOne(Located<Integer> value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value.value() < 1) {
            throw problem(value, "must be at least 1, got " + value.value());
        }
        return OptionalInt.of(value.value());
    }

    /** A message after the value's origin; a value with no origin (a command's own argument) has none. */
    private static StampedeException.BadInput problem(Located<?> value, String message) {
        return new StampedeException.BadInput(value.where().isEmpty() ? message : value.where() + ": " + message);
    }
}
