package io.stampede.chaos;

import io.stampede.chaos.http.HttpFaultProxy;
import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.target.Signal;
import io.stampede.target.docker.ContainerTarget;
import java.time.Duration;
import java.util.List;

/**
 * A target as faults see it at run time, one type per kind: {@link ManagedHandle} (a process
 * Stampede starts), {@link ExternalHandle} (a process by PID), {@link ContainerHandle} (one container
 * of a {@link ContainersHandle}) and {@link AddressHandle} (a network address). Each knows how to
 * signal, pause and resume itself ({@link Signals}, {@link Lifecycle}), so a fault is written once
 * against the capability it needs:
 *
 * <pre>{@code
 * public Injection inject(TargetHandle target) {
 *     return target.as(TargetHandle.Signals.class, this).pause();   // a process or a container
 * }
 * }</pre>
 *
 * Network and HTTP fault proxies attach to any of them as {@link Fronts} when the plan puts one in front.
 */
public sealed interface TargetHandle permits AddressHandle, ContainersHandle, TargetHandle.Signals {

    /** The target's name in the plan. */
    String name();

    /** What kind of target this is, which decides the faults that can act on it. */
    Kind kind();

    /** The fault proxies in front of the target. */
    Fronts fronts();

    /** The same target with these proxies in front. */
    TargetHandle withFronts(Fronts fronts);

    /** What one injection may hit: the target itself, or each container of a container target. */
    default List<TargetHandle> members() {
        return List.of(this);
    }

    /** The target in messages: its name, and for one container which one. */
    default String label() {
        return name();
    }

    /**
     * Tells the target's health monitor, if it has one, that a fault started ({@code true}) or ended
     * ({@code false}) on it: health is probed fast while one is in effect, to time its impact closely.
     */
    default void sampleHealthFast(boolean inEffect) {
    }

    /** The HTTP fault proxy in front; present whenever a planned fault's {@link Fault#front()} asked for it. */
    default HttpFaultProxy httpProxy() {
        return fronts().http().orElseThrow(() -> new IllegalStateException("no HTTP fault proxy in front of target " + name()));
    }

    /** The TCP fault proxy in front; present whenever a planned fault's {@link Fault#front()} asked for it. */
    default FaultProxy tcpProxy() {
        return fronts().tcp().orElseThrow(() -> new IllegalStateException("no TCP fault proxy in front of target " + name()));
    }

    /**
     * This target as {@code type}, for a fault that needs that capability. The plan's check has
     * already refused faults on targets that lack it (see {@link Fault#unsupportedOn}), so failing
     * here is a fault that forgot to say so; the message is its own.
     */
    default <T> T as(Class<T> type, Fault fault) {
        if (!type.isInstance(this)) {
            String why = fault.unsupportedOn(kind());
            throw new IllegalStateException(why != null ? why : fault.describe() + " cannot act on a " + kind() + " target");
        }
        return type.cast(this);
    }

    /** A container target: its members are the containers the engine chooses among. */
    static TargetHandle of(ContainerTarget containers) {
        return new ContainersHandle(containers.name(), containers, Fronts.NONE);
    }

    /**
     * A target whose processes a signal reaches: a process (managed or by PID) or one container.
     * Every operation checks its effect and says what it hit, for the "injected" event; one that
     * changed nothing throws with a message starting {@code no effect:}.
     */
    sealed interface Signals extends TargetHandle permits ProcessTargetHandle, Lifecycle {

        /** Sends {@code signal} to the target's processes and returns what it hit. */
        String kill(Signal signal);

        /** Freezes every process of the target; the rollback thaws them. */
        Injection pause();

        /** Checked at the start of a run, before any user starts: refuses processes that must never be signalled. */
        default void checkSignallable() {
        }
    }

    /** A target Stampede can stop and start again: a managed process or a container. */
    sealed interface Lifecycle extends Signals permits ManagedHandle, ContainerHandle {

        /** Stops the target (SIGTERM, SIGKILL after {@code grace}) and keeps it down until the rollback starts it. */
        Injection stop(Duration grace);

        /** Stops the target as {@link #stop} does and starts it again at once; returns what happened. */
        String restart(Duration grace);
    }

    /** What kind of target this is, which decides the faults that can act on it. */
    enum Kind {
        /** A process Stampede starts and supervises: every process fault applies. */
        MANAGED,
        /** A process by PID: only signals (kill, pause). */
        EXTERNAL,
        /** A network address behind the fault proxy: only network faults. */
        ADDRESS,
        /** Docker containers: the engine's kill, pause, stop, restart; crash; kernel network faults. */
        CONTAINER
    }
}
