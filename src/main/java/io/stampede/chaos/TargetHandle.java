package io.stampede.chaos;

import io.stampede.chaos.http.HttpFaultProxy;
import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.target.ManagedProcess;
import io.stampede.target.ProcessTarget;

/**
 * A target as faults see it at run time: its process (when it is one) and whether Stampede
 * supervises it. Network and HTTP fault proxies attach here when the plan puts one in front.
 *
 * @param name    the target's name in the plan
 * @param process the process, or null for a network address
 * @param managed the same process when Stampede started and supervises it, or null
 * @param httpProxy the HTTP fault proxy in front of it, when a planned fault needs one, or null
 * @param tcpProxy  the TCP fault proxy in front of it, when a planned fault needs one, or null
 */
public record TargetHandle(String name, ProcessTarget process, ManagedProcess managed, HttpFaultProxy httpProxy,
                           FaultProxy tcpProxy) {

    public TargetHandle(String name, ProcessTarget process, ManagedProcess managed) {
        this(name, process, managed, null, null);
    }

    TargetHandle withHttpProxy(HttpFaultProxy proxy) {
        return new TargetHandle(name, process, managed, proxy, tcpProxy);
    }

    TargetHandle withTcpProxy(FaultProxy proxy) {
        return new TargetHandle(name, process, managed, httpProxy, proxy);
    }

    /** What kind of target this is, which decides the faults that can act on it. */
    public enum Kind {
        /** A process Stampede starts and supervises: every process fault applies. */
        MANAGED,
        /** A process by PID: only signals (kill, pause). */
        EXTERNAL,
        /** A network address behind the fault proxy: only network faults. */
        ADDRESS
    }

    public Kind kind() {
        return managed != null ? Kind.MANAGED : process != null ? Kind.EXTERNAL : Kind.ADDRESS;
    }
}
