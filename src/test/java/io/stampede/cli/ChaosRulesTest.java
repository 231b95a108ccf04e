package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.StampedeException;
import io.stampede.plan.PlanFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A plan's chaos entry and {@code stampede chaos}'s flags go through the same schedule rules: the
 * same bad value gets the same message, after its origin (a plan position or a flag). Nothing is
 * started: every case is refused before a target is touched.
 */
class ChaosRulesTest {

    /** A PID no process has: the rules refuse the entry before the process is looked up. */
    private static final String PID = "999999";

    @TempDir
    Path dir;

    @Test
    void aDurationLongerThanTheIntervalIsTheSameMistakeInBoth() throws IOException {
        assertSameAfterOrigin("{ fault: pause, target: p, every: 10s, duration: 20s }", "duration",
                new String[] {"pause", "--every", "10s", "--duration", "20s"}, "--duration",
                "duration 20s is longer than every 10s: the fault would overlap itself");
    }

    @Test
    void aZeroIntervalIsTheSameMistakeInBoth() throws IOException {
        assertSameAfterOrigin("{ fault: kill, target: p, every: 0s }", "every",
                new String[] {"kill", "--every", "0s"}, "--every", "must be longer than 0");
    }

    @Test
    void aZeroCountIsTheSameMistakeInBoth() throws IOException {
        assertSameAfterOrigin("{ fault: kill, target: p, every: 10s, count: 0 }", "count",
                new String[] {"kill", "--every", "10s", "--count", "0"}, "--count", "must be at least 1, got 0");
    }

    @Test
    void aBadDurationIsTheSameMistakeInBoth() throws IOException {
        assertSameAfterOrigin("{ fault: pause, target: p, at: 1s, duration: 5x }", "duration",
                new String[] {"pause", "--at", "1s", "--duration", "5x"}, "--duration",
                "'5x' is not a duration (examples: 250ms, 1s, 2m, 1h)");
    }

    @Test
    void aFaultThatDoesNotFitTheTargetIsRefusedByBothBeforeAnythingStarts() throws IOException {
        String why = "stop needs a target Stampede starts (command or builtin) or a container; use pause for a process by PID";
        assertThat(planError("{ fault: stop, target: p, at: 1s, duration: 5s }"))
                .isEqualTo("plan.yaml:6:28: chaos[0].target: " + why + " (target p)");
        assertThat(chaosError("stop", "--duration", "5s")).isEqualTo(why + " (target pid-" + PID + ")");
    }

    @Test
    void eachFrontEndNamesItsOwnKeysInTheSameRule() throws IOException {
        assertThat(planError("{ fault: kill, target: p, at: 1s, duration: 5s }"))
                .isEqualTo("plan.yaml:6:49: chaos[0].duration: kill is instant: 'duration' does not apply");
        assertThat(chaosError("kill", "--duration", "5s")).isEqualTo("--duration: kill is instant: --duration does not apply");
        assertThat(planError("{ fault: pause, target: p, at: 1s }"))
                .isEqualTo("plan.yaml:6:5: chaos[0]: pause lasts: give its 'duration', e.g. 10s");
        assertThat(chaosError("pause")).isEqualTo("stampede chaos pause: pause lasts: give its --duration, e.g. 10s");
        assertThat(chaosError("kill", "--at", "1s", "--every", "2s"))
                .isEqualTo("stampede chaos kill: give either --at (once) or --every (repeatedly)");
    }

    private void assertSameAfterOrigin(String entry, String key, String[] flags, String flag, String message)
            throws IOException {
        String plan = planError(entry);
        String cli = chaosError(flags);
        assertThat(plan).endsWith(": chaos[0]." + key + ": " + message);
        assertThat(cli).isEqualTo(flag + ": " + message);
        assertThat(plan.substring(plan.indexOf(key + ": ") + key.length())).isEqualTo(cli.substring(flag.length()));
    }

    private String planError(String entry) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, """
                host: http://127.0.0.1:1
                targets:
                  p: { pid: %s }
                tasks: [ { get: / } ]
                chaos:
                  - %s
                """.formatted(PID, entry));
        try {
            PlanFile.read(file).toPlan();
        } catch (StampedeException.BadInput e) {
            return e.getMessage().replace(file.toString(), "plan.yaml");
        }
        throw new AssertionError("expected the plan to be refused: " + entry);
    }

    private static String chaosError(String... args) {
        ChaosCommand command = new ChaosCommand();
        new CommandLine(command).parseArgs(withPid(args));
        try {
            command.call();
        } catch (StampedeException.BadInput e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected stampede chaos to refuse " + String.join(" ", args));
    }

    private static String[] withPid(String[] args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--pid";
        all[args.length + 1] = PID;
        return all;
    }
}
