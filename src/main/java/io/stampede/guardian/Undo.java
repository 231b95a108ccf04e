package io.stampede.guardian;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One change Stampede made and how to undo it should Stampede die before it undoes it itself: a
 * line of the rollback {@link Journal}. Each names exactly what it touches (a process by PID and
 * start time, a container by ID or name), so undoing it can touch nothing else.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Undo.Continue.class, name = "continue"),
        @JsonSubTypes.Type(value = Undo.StopChild.class, name = "stop-child"),
        @JsonSubTypes.Type(value = Undo.UnpauseContainer.class, name = "unpause-container"),
        @JsonSubTypes.Type(value = Undo.StartContainer.class, name = "start-container"),
        @JsonSubTypes.Type(value = Undo.RemoveContainer.class, name = "remove-container"),
        @JsonSubTypes.Type(value = Undo.InNetwork.class, name = "in-network")})
public sealed interface Undo {

    /** True when there is nothing left to undo: the process it names has ended. */
    default boolean moot() {
        return false;
    }

    /** A process Stampede stopped with SIGSTOP: SIGCONT it. */
    record Continue(Proc process) implements Undo {
        /** For {@code pid} as it is now, or null when it is gone. */
        public static Continue of(long pid) {
            Proc p = Proc.of(pid);
            return p == null ? null : new Continue(p);
        }

        @Override
        public boolean moot() {
            return !process.alive();
        }
    }

    /**
     * A child Stampede started: SIGCONT, SIGTERM, SIGKILL after a grace. When the child leads its own
     * process group ({@code group == pid}), the whole group gets the signals; otherwise the child alone.
     */
    record StopChild(Proc process, long group) implements Undo {
        /** For the child {@code pid} as it is now, or null when it is gone. */
        public static StopChild of(long pid) {
            Proc p = Proc.of(pid);
            return p == null ? null : new StopChild(p, Proc.groupOf(pid));
        }

        /** Whether it leads its own group now (checked live: a child may call setsid just after it starts). */
        boolean ownGroup() {
            return group == process.pid() || (process.alive() && Proc.groupOf(process.pid()) == process.pid());
        }

        @Override
        public boolean moot() {
            return !process.alive();
        }
    }

    /** A container Stampede paused: unpause it. */
    record UnpauseContainer(String container) implements Undo {
    }

    /** A container Stampede stopped as a fault: start it again. */
    record StartContainer(String container) implements Undo {
    }

    /** A container Stampede created (by name, known before it exists): remove it with its volumes. */
    record RemoveContainer(String container) implements Undo {
    }

    /** A kernel network rule in the namespace of {@code process} (a container's main process): run {@code command} there. */
    record InNetwork(Proc process, List<String> command) implements Undo {
        @Override
        public boolean moot() {
            return !process.alive();
        }
    }
}
