package io.stampede.chaos;

import io.stampede.chaos.http.HttpFaultProxy;
import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.target.ManagedProcess;
import io.stampede.target.ProcessTarget;
import io.stampede.target.docker.ContainerTarget;

/**
 * A target as faults see it at run time: its process (when it is one), whether Stampede
 * supervises it, or its containers. Network and HTTP fault proxies attach here when the plan puts
 * one in front. A fault on a container target is handed one container, chosen by the engine.
 *
 * @param name       the target's name in the plan
 * @param process    the process, or null for a network address or containers
 * @param managed    the same process when Stampede started and supervises it, or null
 * @param httpProxy  the HTTP fault proxy in front of it, when a planned fault needs one, or null
 * @param tcpProxy   the TCP fault proxy in front of it, when a planned fault needs one, or null
 * @param containers the target's containers, or null when it is not a container target
 * @param container  the one container a fault acts on (see {@link #on(ContainerTarget.Container)}), or null
 */
public record TargetHandle(String name, ProcessTarget process, ManagedProcess managed, HttpFaultProxy httpProxy,
                           FaultProxy tcpProxy, ContainerTarget containers, ContainerTarget.Container container) {

    public TargetHandle(String name, ProcessTarget process, ManagedProcess managed) {
        this(name, process, managed, null, null, null, null);
    }

    /** A container target; the engine picks a {@link #container()} per injection. */
    public static TargetHandle of(ContainerTarget containers) {
        return new TargetHandle(containers.name(), null, null, null, null, containers, null);
    }

    TargetHandle withHttpProxy(HttpFaultProxy proxy) {
        return new TargetHandle(name, process, managed, proxy, tcpProxy, containers, container);
    }

    TargetHandle withTcpProxy(FaultProxy proxy) {
        return new TargetHandle(name, process, managed, httpProxy, proxy, containers, container);
    }

    /** This container target narrowed to one of its containers. */
    TargetHandle on(ContainerTarget.Container one) {
        return new TargetHandle(name, process, managed, httpProxy, tcpProxy, containers, one);
    }

    /**
     * Tells the target's health monitor, if it has one, that a fault started ({@code true}) or ended
     * ({@code false}) on it: health is probed fast while one is in effect, to time its impact closely.
     */
    public void sampleHealthFast(boolean inEffect) {
        if (managed != null) {
            managed.sampleHealthFast(inEffect);
        } else if (containers != null) {
            containers.sampleHealthFast(inEffect);
        }
    }

    /** What kind of target this is, which decides the faults that can act on it. */
    public enum Kind {
        /** A process Stampede starts and supervises: every process fault applies. */
        MANAGED,
        /** A process by PID: only signals (kill, pause). */
        EXTERNAL,
        /** A network address behind the fault proxy: only network faults. */
        ADDRESS,
        /** Docker containers: the engine's kill, pause, stop, restart; crash; kernel network faults. */
        CONTAINER
    }

    public Kind kind() {
        return containers != null ? Kind.CONTAINER : managed != null ? Kind.MANAGED : process != null ? Kind.EXTERNAL : Kind.ADDRESS;
    }
}
