package io.stampede.guardian;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.EndToEnd;
import io.stampede.testing.Waiting;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guardian as a real process fed a journal on its stdin: at the end of the pipe it undoes what
 * is open and only that, never a process whose start time differs from the one recorded (a reused
 * PID), and after {@code end} it touches nothing. Its targets are {@code sleep} processes the test
 * starts and stops.
 */
@EndToEnd
class GuardianTest {

    private static final Duration EXITS_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Process sleeper;

    @AfterEach
    void stopSleeper() {
        if (sleeper != null) {
            sleeper.destroyForcibly();
            try {
                // the group the test made with setsid, when it did: its ID is the sleeper's PID
                new ProcessBuilder("kill", "-9", "--", "-" + sleeper.pid()).start().waitFor();
            } catch (IOException | InterruptedException ignored) {
                // nothing left to stop
            }
        }
    }

    @Test
    void atTheEndOfThePipeItContinuesAStoppedProcessAndRemovesTheJournal() throws Exception {
        Proc stopped = stoppedSleeper();
        Path file = dir.resolve("journal.jsonl");
        Files.writeString(file, "kept until the guardian is done\n");
        Process guardian = feed(file, JournalLine.open(1, new Undo.Continue(stopped)));

        assertThat(guardian.waitFor(EXITS_WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(Proc.stateOf(stopped.pid())).isNotEqualTo("T");
        assertThat(new String(guardian.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("SIGCONT to pid " + stopped.pid());
        assertThat(file).doesNotExist();
    }

    @Test
    void aReplacementWhoseOwnerDiedBeforeWritingToItUndoesWhatTheFileHolds() throws Exception {
        // Stampede replaced a dead guardian and died before the new one's pipe got a line: only the file knows
        Proc stopped = stoppedSleeper();
        Path file = dir.resolve("journal.jsonl");
        Files.writeString(file, JournalLine.header(Proc.current(), Guardian.bootId(), new Proc(1, 1)).json() + "\n"
                + JournalLine.open(1, new Undo.Continue(stopped)).json() + "\n");
        Process guardian = Guardian.start(file, ProcessBuilder.Redirect.PIPE);
        guardian.getOutputStream().close();

        assertThat(guardian.waitFor(EXITS_WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(Proc.stateOf(stopped.pid())).isNotEqualTo("T");
        assertThat(new String(guardian.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("SIGCONT to pid " + stopped.pid());
        assertThat(file).as("removed only once undone").doesNotExist();
    }

    @Test
    void aFileOfAnotherOwnerIsNeitherUndoneNorRemoved() throws Exception {
        Proc stopped = stoppedSleeper();
        Path file = dir.resolve("journal.jsonl");
        String another = JournalLine.header(new Proc(stopped.pid(), stopped.startTicks()), Guardian.bootId(), new Proc(1, 1)).json()
                + "\n" + JournalLine.open(1, new Undo.Continue(stopped)).json() + "\n";
        Files.writeString(file, another);
        Process guardian = Guardian.start(file, ProcessBuilder.Redirect.PIPE);
        guardian.getOutputStream().close();

        assertThat(guardian.waitFor(EXITS_WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(Proc.stateOf(stopped.pid())).isEqualTo("T");
        assertThat(file).hasContent(another.strip());
    }

    @Test
    void aChildLeadingItsOwnGroupIsStoppedWithTheWholeGroup() throws Exception {
        // setsid: a session and group of its own, as a managed child has; sh leaves a second sleep in it
        sleeper = new ProcessBuilder("setsid", "sh", "-c", "sleep 120 & exec sleep 120").start();
        long leader = sleeper.pid();
        List<Long> members = Waiting.await("the group's two members").atMost(EXITS_WITHIN)
                .until(() -> groupMembers(leader), m -> m.size() >= 2);
        assertThat(members).hasSize(2);
        // recorded before setsid ran (the parent's group): the guardian checks the group when it acts
        Process guardian = feed(dir.resolve("journal.jsonl"), JournalLine.open(1, new Undo.StopChild(Proc.of(leader), -1)));

        assertThat(guardian.waitFor(EXITS_WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(new String(guardian.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("SIGCONT and SIGTERM to child pid " + leader + " and its process group");
        assertThat(groupMembers(leader)).as("no member of the group remains").isEmpty();
    }

    @Test
    void aPidWithAnotherStartTimeIsNotTheRecordedProcessAndIsLeftAlone() throws Exception {
        Proc stopped = stoppedSleeper();
        Proc reused = new Proc(stopped.pid(), stopped.startTicks() - 1);
        Process guardian = feed(dir.resolve("journal.jsonl"), JournalLine.open(1, new Undo.Continue(reused)),
                JournalLine.open(2, new Undo.StopChild(reused, reused.pid())));

        assertThat(guardian.waitFor(EXITS_WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(Proc.stateOf(stopped.pid())).isEqualTo("T");
        assertThat(sleeper.isAlive()).isTrue();
    }

    @Test
    void doneEntriesAndACleanEndAreLeftAlone() throws Exception {
        Proc stopped = stoppedSleeper();
        Process doneOnly = feed(dir.resolve("a.jsonl"), JournalLine.open(1, new Undo.Continue(stopped)), JournalLine.done(1));
        Process ended = feed(dir.resolve("b.jsonl"), JournalLine.open(1, new Undo.Continue(stopped)), JournalLine.ending());

        assertThat(doneOnly.waitFor(EXITS_WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ended.waitFor(EXITS_WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(Proc.stateOf(stopped.pid())).isEqualTo("T");
    }

    @Test
    void aJournalReadBackKeepsWhatIsOpenInOrderAndSkipsATornLastLine() throws Exception {
        Proc a = new Proc(100, 1);
        String text = String.join("\n", JournalLine.header(new Proc(7, 70), "boot-1", new Proc(8, 80)).json(),
                JournalLine.open(1, new Undo.Continue(a)).json(),
                JournalLine.open(2, new Undo.RemoveContainer("stampede-app-7")).json(),
                JournalLine.open(3, new Undo.InNetwork(a, List.of("tc", "qdisc", "del", "dev", "eth0", "root"))).json(),
                JournalLine.done(1).json(),
                "{\"open\":4,\"undo\":{\"kind\":\"cont");
        OpenEntries entries = OpenEntries.read(new BufferedReader(new StringReader(text)));

        assertThat(entries.open()).containsExactly(new Undo.RemoveContainer("stampede-app-7"),
                new Undo.InNetwork(a, List.of("tc", "qdisc", "del", "dev", "eth0", "root")));
        assertThat(entries.owner()).isEqualTo(new Proc(7, 70));
        assertThat(entries.guardian()).isEqualTo(new Proc(8, 80));
        assertThat(entries.boot()).isEqualTo("boot-1");
        assertThat(entries.ended()).isFalse();
    }

    @Test
    void theNextStartUndoesAJournalWhoseOwnerAndGuardianAreGoneAndLeavesALiveOnesAlone() throws Exception {
        Proc stopped = stoppedSleeper();
        Proc gone = new Proc(stopped.pid(), stopped.startTicks() + 1); // no process has this start time
        String open = JournalLine.open(1, new Undo.Continue(stopped)).json() + "\n";
        Path live = dir.resolve("journal-1.jsonl");
        Files.writeString(live, JournalLine.header(Proc.current(), Guardian.bootId(), gone).json() + "\n" + open);
        ByteArrayOutputStream said = new ByteArrayOutputStream();

        Leftovers.undo(dir, new PrintStream(said, true, StandardCharsets.UTF_8));
        assertThat(Proc.stateOf(stopped.pid())).as("its owner runs: not a leftover").isEqualTo("T");
        assertThat(live).exists();

        Path left = dir.resolve("journal-2.jsonl");
        Files.writeString(left, JournalLine.header(gone, Guardian.bootId(), gone).json() + "\n" + open);
        Files.delete(live);
        Leftovers.undo(dir, new PrintStream(said, true, StandardCharsets.UTF_8));
        assertThat(Proc.stateOf(stopped.pid())).isNotEqualTo("T");
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("an earlier Stampede (pid " + stopped.pid()
                + ") and its guardian ended before undoing their changes", "SIGCONT to pid " + stopped.pid());
        assertThat(dir.toFile().list()).isEmpty();
    }

    /** Live processes (not zombies) whose process group is {@code group}. */
    private static List<Long> groupMembers(long group) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::parseLong)
                    .filter(pid -> Proc.groupOf(pid) == group && !"Z".equals(Proc.stateOf(pid))).toList();
        }
    }

    /** A {@code sleep} stopped with SIGSTOP by the test itself. */
    private Proc stoppedSleeper() throws IOException, InterruptedException {
        sleeper = new ProcessBuilder("sleep", "120").start();
        new ProcessBuilder("kill", "-STOP", Long.toString(sleeper.pid())).start().waitFor();
        Waiting.await("the sleeper stopped").atMost(EXITS_WITHIN).until(() -> "T".equals(Proc.stateOf(sleeper.pid())));
        return Proc.of(sleeper.pid());
    }

    /** Starts a guardian, writes {@code lines} to its stdin and closes it, as Stampede's death would. */
    private static Process feed(Path file, JournalLine... lines) throws IOException {
        Process guardian = Guardian.start(file, ProcessBuilder.Redirect.PIPE);
        try (OutputStream pipe = guardian.getOutputStream()) {
            pipe.write((JournalLine.header(Proc.current(), Guardian.bootId(), Proc.of(guardian.pid())).json() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (JournalLine line : lines) {
                pipe.write((line.json() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return guardian;
    }
}
