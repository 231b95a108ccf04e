package io.stampede.chaos;

import io.stampede.StampedeException;
import io.stampede.chaos.http.HttpFaultProxy;
import io.stampede.chaos.proxy.FaultProxy;
import io.stampede.events.EventLog;
import io.stampede.guardian.Journal;
import io.stampede.input.Addresses;
import io.stampede.input.Authority;
import io.stampede.target.ExternalProcess;
import io.stampede.target.ManagedProcess;
import io.stampede.target.TargetSpec;
import io.stampede.target.docker.ContainerTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's targets, live: managed processes started and healthy, external processes checked,
 * containers found (or created) and healthy, in the plan's order. {@link #close()} stops what
 * Stampede started, so no child and no created container outlives the run.
 */
public final class RunTargets implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RunTargets.class.getName());

    /** How long a managed target may take to become healthy at start. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Where fault proxies listen unless told otherwise: only this machine's users reach them. */
    public static final String LOOPBACK = "127.0.0.1";

    private final Map<String, TargetHandle> handles = new LinkedHashMap<>();
    private final Map<String, URI> urls = new LinkedHashMap<>();
    private final Map<String, String> originalUrls = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();
    /** By target: its service's host and port, and the TCP proxy's address users on other machines connect to instead. */
    private final Map<String, Map.Entry<Authority, Authority>> connectTo = new LinkedHashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** Where the fault proxies listen: loopback, unless users on other machines must reach them. */
    private final String proxyHost;

    private RunTargets(String proxyHost) {
        this.proxyHost = proxyHost;
    }

    /** Starts (or finds) every target; on failure stops what was started and rethrows. */
    public static RunTargets start(List<TargetSpec> specs, EventLog events) {
        return start(specs, events, List.of());
    }

    /**
     * Starts every target and puts the fault proxies that {@code schedule}'s faults need in front of
     * theirs; users then reach those targets through {@link #userFacing(String)}.
     */
    public static RunTargets start(List<TargetSpec> specs, EventLog events, List<ChaosSpec> schedule) {
        return start(specs, events, schedule, LOOPBACK);
    }

    /**
     * The same, with the fault proxies listening on {@code proxyHost} instead of loopback: where users
     * on other machines (a coordinator's workers) can reach them. A wildcard address there makes
     * {@link #userFacing(String)} name the wildcard, for each worker to replace with the address it
     * reached the coordinator at; except for an {@code https://} target, whose URL keeps the service's
     * name (the certificate is checked against it) and only changes the port.
     */
    public static RunTargets start(List<TargetSpec> specs, EventLog events, List<ChaosSpec> schedule, String proxyHost) {
        RunTargets targets = new RunTargets(proxyHost);
        if (specs.stream().anyMatch(s -> !(s instanceof TargetSpec.Address))) {
            Journal.prepare(); // up before the first change it must be able to undo
        }
        try {
            for (TargetSpec spec : specs) {
                targets.add(spec, events);
            }
            List<String> names = specs.stream().map(TargetSpec::name).toList();
            // TCP first: when a target needs both, users -> HTTP proxy -> TCP proxy -> target.
            for (Fault.Front front : List.of(Fault.Front.TCP, Fault.Front.HTTP)) {
                for (ChaosSpec entry : schedule) {
                    if (entry.fault().front() == front) {
                        for (String name : ChaosEngine.matching(entry.target(), names)) {
                            if (front == Fault.Front.TCP) {
                                targets.frontWithTcpProxy(name);
                            } else {
                                targets.frontWithHttpProxy(name);
                            }
                        }
                    }
                }
            }
            return targets;
        } catch (RuntimeException e) {
            targets.close();
            throw e;
        }
    }

    private void add(TargetSpec spec, EventLog events) {
        switch (spec) {
            case TargetSpec.Managed managed -> {
                ManagedProcess process = new ManagedProcess(managed, events);
                toClose.add(process);
                process.start(START_TIMEOUT);
                handles.put(spec.name(), new ManagedHandle(spec.name(), process, Fronts.NONE));
            }
            case TargetSpec.External external -> {
                ExternalProcess process = new ExternalProcess(external);
                handles.put(spec.name(), new ExternalHandle(spec.name(), process, Fronts.NONE));
            }
            case TargetSpec.Container container -> {
                ContainerTarget containers = ContainerTarget.start(container, events, START_TIMEOUT);
                toClose.add(containers);
                handles.put(spec.name(), new ContainersHandle(spec.name(), containers, Fronts.NONE));
            }
            case TargetSpec.Address address -> {
                handles.put(spec.name(), new AddressHandle(spec.name()));
                addresses.put(spec.name(), address.upstream());
            }
        }
        if (spec.url() != null) {
            urls.put(spec.name(), spec.url());
        }
    }

    private void frontWithTcpProxy(String name) {
        TargetHandle handle = handles.get(name);
        if (handle.fronts().tcp().isPresent()) {
            return;
        }
        URI upstream = urls.get(name);
        Authority target = upstream != null ? upstreamOf(name, upstream) : null;
        String address = target != null ? target.toString() : addresses.get(name);
        if (address == null) {
            throw new StampedeException.BadInput("target " + name + ": network faults need the target's url or address");
        }
        boolean tls = upstream != null && "https".equalsIgnoreCase(upstream.getScheme());
        FaultProxy proxy;
        try {
            // over TLS on this machine the proxy listens where the service's name resolves (see below);
            // for workers on other machines it listens where they reach the coordinator
            String listenHost = tls && LOOPBACK.equals(proxyHost) ? listenAddressOf(target.host()) : proxyHost;
            proxy = FaultProxy.start(name, new Authority(listenHost, Addresses.ANY_FREE_PORT).toString(), address);
        } catch (RuntimeException e) {
            throw new StampedeException.CannotRun("target " + name + ": cannot start the TCP fault proxy: " + e.getMessage());
        }
        toClose.add(proxy);
        handles.put(name, handle.withFronts(handle.fronts().withTcp(proxy)));
        if (upstream != null) {
            // Over TLS users keep the service's name and only the port changes: the name is what they
            // send as SNI and check the certificate against, and the proxy relays the handshake untouched.
            Authority listen = Authority.parse(proxy.listen(), Addresses.MIN_PORT);
            urls.put(name, (tls ? target.withPort(listen.port()) : listen).url(upstream.getScheme()));
            originalUrls.putIfAbsent(upstream.toString().replaceAll("/$", ""), name);
            if (tls && !LOOPBACK.equals(proxyHost)) {
                // users elsewhere resolve the name to their own machine: they keep the whole URL and
                // connect to the proxy by a connect-to entry instead (a wildcard: each worker's own address)
                connectTo.put(name, Map.entry(target, listen));
            }
        }
    }

    /** The host and port a target's url names, the port its scheme's when the url leaves it out. */
    static Authority upstreamOf(String name, URI url) {
        try {
            return Authority.of(url);
        } catch (IllegalArgumentException e) {
            throw new StampedeException.BadInput("target " + name + ": " + e.getMessage());
        }
    }

    /**
     * Where a proxy for {@code host} listens so that users who connect to the name reach it: the
     * address the name resolves to here (first, as users resolve it), when that is a loopback address.
     */
    private static String listenAddressOf(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            if (address.isLoopbackAddress()) {
                return address.getHostAddress();
            }
        } catch (UnknownHostException unresolved) {
            // the proxy's connect to the service will name the problem
        }
        return LOOPBACK;
    }

    private void frontWithHttpProxy(String name) {
        TargetHandle handle = handles.get(name);
        if (handle.fronts().http().isPresent()) {
            return;
        }
        URI upstream = urls.get(name);
        if (upstream == null) {
            throw new StampedeException.BadInput("target " + name + ": HTTP faults need the target's url");
        }
        HttpFaultProxy proxy;
        try {
            proxy = HttpFaultProxy.start(name, proxyHost, 0, upstream);
        } catch (IOException e) {
            throw new StampedeException.CannotRun("target " + name + ": cannot start the HTTP fault proxy: " + e.getMessage());
        }
        toClose.add(proxy);
        handles.put(name, handle.withFronts(handle.fronts().withHttp(proxy)));
        connectTo.remove(name); // users speak plain HTTP to this proxy, which connects to the TCP one itself
        URI proxied = proxy.url();
        urls.put(name, Authority.of(proxied).url(proxied.getScheme()));
        originalUrls.putIfAbsent(upstream.toString().replaceAll("/$", ""), name);
    }

    /**
     * The URL users should use for {@code host}: when it is a target's own url and a fault proxy
     * stands in front of that target, the proxy's; otherwise {@code host} unchanged.
     */
    public String userFacing(String host) {
        String name = originalUrls.get(host.replaceAll("/$", ""));
        return name == null || connectTo.containsKey(name) ? host : urls.get(name).toString();
    }

    /**
     * Where users on other machines connect instead of where a name resolves for them: for each
     * {@code https://} target behind a TCP fault proxy listening beyond loopback, its host and port to
     * the proxy's address (a wildcard for each worker to replace by the coordinator's address it
     * reached). Its URL stays the service's ({@link #userFacing(String)}), so the Host, the SNI and the
     * name the certificate is checked against are the service's own. Empty on loopback.
     */
    public Map<Authority, Authority> connectTo() {
        Map<Authority, Authority> entries = new LinkedHashMap<>();
        connectTo.values().forEach(entry -> entries.put(entry.getKey(), entry.getValue()));
        return entries;
    }

    public Map<String, TargetHandle> handles() {
        return Collections.unmodifiableMap(handles);
    }

    /** Stops fault proxies and managed processes (newest first). Idempotent. */
    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(toClose);
        Collections.reverse(reversed);
        toClose.clear();
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "stopping a target failed: " + e.getMessage());
            }
        }
        Journal.runEnded(); // all undone: the guardian may go
    }
}
