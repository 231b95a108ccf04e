package io.stampede.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.engine.RunEnd;
import io.stampede.engine.RunInfo;
import io.stampede.events.Event;
import io.stampede.report.LocustCsv;
import io.stampede.slo.Verdict;
import io.stampede.stats.RunStats;
import io.stampede.web.LiveJson.RunState;
import io.stampede.web.LiveJson.Snapshot;
import io.stampede.web.LiveJson.TargetState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * What the web UI knows about the run, shared between the run's listener thread (writer) and the
 * server's threads (readers). The listener publishes an immutable copy each second; readers never
 * touch the runner's {@link RunStats}, which is valid only during the listener call.
 */
final class LiveRun {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One published state: never modified after publication. */
    record State(RunInfo info, RunStats stats, RunState status, Snapshot snapshot, byte[] json) {
    }

    /** Written under the events' lock, read without. */
    private volatile State state;
    /** Locust's stats_history.csv rows so far, one block per second; guarded by itself. */
    private final StringBuilder history = new StringBuilder();
    private long historyEnd = Long.MIN_VALUE;
    /** The verdict as of the last snapshot (final once the run finished), or null. */
    private volatile Verdict verdict;
    /** What the page may do, in every snapshot. */
    private volatile LiveJson.Control control = LiveJson.Control.WATCH;
    /** Counts the runs this server has shown; events of an earlier run that arrive late are dropped. */
    private int run;
    private final List<Event> events = new ArrayList<>();
    /** Lasting or instant faults in effect: injection id to its target, with whether the target went down. */
    private final Map<String, OpenFault> openFaults = new LinkedHashMap<>();
    /** Each target's last known state from its events: starting, up, unhealthy, down. */
    private final Map<String, TargetState> targetStates = new LinkedHashMap<>();
    private final Set<SseClient> clients = new CopyOnWriteArraySet<>();

    private record OpenFault(String fault, String target, boolean lasting, boolean wentDown) {
    }

    /** A fault kind on a target, as /metrics labels it. */
    record FaultOn(String fault, String target) {
    }

    /** Every fault kind and target injected in this run, so /metrics shows 0 once it ended rather than nothing. */
    private final Set<FaultOn> faultsSeen = new LinkedHashSet<>();
    /** A halt condition fired in this run (its CHAOS_HALTED event was seen). */
    private boolean chaosHalted;

    /** The last snapshot streamed, what the next delta is taken against; guarded by {@link #events}. */
    private ObjectNode sent;
    /** Numbers the snapshots: a delta names the one it applies to. Guarded by {@link #events}. */
    private long seq;
    /** The plan's panels (targets, chaos entries, SLOs) and name, shown before its run starts; or null. */
    private volatile LiveJson.Planned planned;

    LiveRun() {
        show(null, null, Snapshot.waiting(RunState.WAITING, null, null));
    }

    /** Sets what the page may do; shown from the next snapshot on (at once while waiting). */
    void control(LiveJson.Control control) {
        this.control = control;
        showWaiting();
    }

    /** What the plan declares, shown until its run starts (and while the page waits for Start). */
    void planned(LiveJson.Planned planned) {
        this.planned = planned;
        showWaiting();
    }

    private void showWaiting() {
        synchronized (events) {
            State now = state;
            if (now.info() == null) {
                String error = now.status() == RunState.FAILED ? now.snapshot().error() : null;
                show(null, null, Snapshot.waiting(now.status(), planned, error));
            }
        }
    }

    /**
     * Forgets the previous run (events, faults, charts) for a new one: the page is told to start
     * over. Returns the run's number, which its events carry into {@link #event(int, Event)}.
     */
    int newRun() {
        synchronized (events) {
            run++;
            events.clear();
            openFaults.clear();
            faultsSeen.clear();
            targetStates.clear();
            chaosHalted = false;
            verdict = null;
            synchronized (history) {
                history.setLength(0);
                historyEnd = Long.MIN_VALUE;
            }
            String reset = SseClient.message("reset", utf8(toBytes(new LiveJson.Reset(run))));
            clients.forEach(c -> c.send(reset));
            sent = null; // the page starts over from a whole snapshot
            show(null, null, Snapshot.waiting(RunState.STARTING, planned, null));
            return run;
        }
    }

    /** The run could not be made (a target never became healthy, ...): shown as "failed" with the reason. */
    void failed(String message) {
        show(null, null, Snapshot.waiting(RunState.FAILED, planned, message));
    }

    /**
     * Publishes a snapshot and streams it: as a delta against the last one when one will do, else
     * whole. Under the events' lock, as {@link #attach}, so a stream that joins gets the whole
     * snapshot the next delta is taken against.
     */
    private void show(RunInfo info, RunStats stats, Snapshot unstamped) {
        synchronized (events) {
            Snapshot snapshot = unstamped.stamped(run, control, ++seq);
            byte[] json = toBytes(snapshot);
            ObjectNode tree = JSON.valueToTree(snapshot);
            ObjectNode delta = SnapshotDelta.between(sent, tree);
            sent = tree;
            state = new State(info, stats, snapshot.status(), snapshot, json);
            String message = delta == null ? SseClient.message("stats", utf8(json))
                    : SseClient.message("delta", utf8(toBytes(delta)));
            clients.forEach(c -> c.send(message));
        }
    }

    private static String utf8(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    Verdict verdict() {
        return verdict;
    }

    void verdict(Verdict verdict) {
        this.verdict = verdict;
    }

    /** The whole {@code stats_history.csv} so far. */
    String historyCsv() {
        synchronized (history) {
            return LocustCsv.historyHeader() + history;
        }
    }

    State state() {
        return state;
    }

    /**
     * Called on the listener thread: copies the stats, renders the snapshot with the panels (chaos,
     * SLOs), sends it to every stream.
     */
    /** How the last run ended, for its downloads; null while one runs. */
    private volatile RunEnd end;

    void end(RunEnd end) {
        this.end = end;
    }

    RunEnd end() {
        return end;
    }

    void publish(RunInfo info, RunStats stats, RunState status, LiveJson.Panels panels) {
        if (stats != null && !stats.points().isEmpty()) {
            synchronized (history) {
                if (stats.endEpochMillis() > historyEnd) {
                    historyEnd = stats.endEpochMillis();
                    history.append(LocustCsv.historyRows(stats));
                }
            }
        }
        RunStats copy = stats == null ? new RunStats(info.startEpochMillis()) : stats.snapshot();
        List<Event> timeline = events();
        show(info, copy, SnapshotJson.of(info, copy, status, timeline, activeFaults(), planned).withPanels(panels));
    }

    void publish(RunInfo info, RunStats stats, RunState status) {
        publish(info, stats, status, null);
    }

    /** Called from any thread by the event log of run number {@code run}: keeps the event and streams it at once. */
    void event(int run, Event event) {
        synchronized (events) {
            if (run != this.run) {
                return; // a late event of an earlier run
            }
            event(event);
        }
    }

    /** Keeps the event and streams it at once. */
    void event(Event event) {
        synchronized (events) {
            int seq = events.size();
            events.add(event);
            track(event);
            String message = SseClient.message("event", eventJson(run, seq, event));
            clients.forEach(c -> c.send(message));
        }
    }

    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    int activeFaults() {
        synchronized (events) {
            return openFaults.size();
        }
    }

    Map<String, TargetState> targetStates() {
        synchronized (events) {
            return Map.copyOf(targetStates);
        }
    }

    /** Whether a halt condition fired in this run. */
    boolean chaosHalted() {
        synchronized (events) {
            return chaosHalted;
        }
    }

    /** Each fault kind and target injected in this run, with how many of its injections are in effect now (maybe 0). */
    Map<FaultOn, Integer> faultsInEffect() {
        synchronized (events) {
            Map<FaultOn, Integer> counts = new LinkedHashMap<>();
            faultsSeen.forEach(f -> counts.put(f, 0));
            openFaults.values().forEach(f -> counts.merge(new FaultOn(f.fault(), f.target()), 1, Integer::sum));
            return counts;
        }
    }

    /** The faults in effect now, by injection id, with their targets. */
    Map<String, String> activeFaultTargets() {
        synchronized (events) {
            Map<String, String> byId = new LinkedHashMap<>();
            openFaults.forEach((id, f) -> byId.put(id, f.target()));
            return byId;
        }
    }

    /**
     * Registers a stream: it gets every event so far, then the current snapshot, then live messages.
     * Under the events' lock, so no event is missed or sent twice.
     */
    void attach(SseClient client) {
        synchronized (events) {
            for (int i = 0; i < events.size(); i++) {
                client.send(SseClient.message("event", eventJson(run, i, events.get(i))));
            }
            client.send(SseClient.message("stats", utf8(state.json())));
            clients.add(client);
        }
    }

    void detach(SseClient client) {
        clients.remove(client);
    }

    void closeStreams() {
        clients.forEach(SseClient::close);
        clients.clear();
    }

    static String eventJson(int run, int seq, Event event) {
        return utf8(toBytes(new LiveJson.EventRow(event, seq, run)));
    }

    // As the report's bands: a fault with a rollback is active until it; an instant one (no
    // duration) until its target is healthy again after going down.
    private void track(Event e) {
        switch (e.kind()) {
            case TARGET_STARTED -> targetStates.put(e.target(), TargetState.STARTING);
            case TARGET_HEALTHY, TARGET_RESUMED -> targetStates.put(e.target(), TargetState.UP);
            case TARGET_UNHEALTHY -> targetStates.put(e.target(), TargetState.UNHEALTHY);
            case TARGET_EXITED -> targetStates.put(e.target(), TargetState.DOWN);
            case TARGET_PAUSED -> targetStates.put(e.target(), TargetState.PAUSED);
            default -> {
            }
        }
        switch (e.kind()) {
            case FAULT_INJECTED -> {
                openFaults.put(key(e), new OpenFault(e.fault(), e.target(), e.lastsMillis() != null, false));
                faultsSeen.add(new FaultOn(e.fault(), e.target()));
            }
            case FAULT_ROLLED_BACK, FAULT_FAILED -> openFaults.remove(key(e));
            case CHAOS_HALTED -> chaosHalted = true;
            case TARGET_EXITED, TARGET_UNHEALTHY -> openFaults.replaceAll((id, f) ->
                    f.target().equals(e.target()) ? new OpenFault(f.fault(), f.target(), f.lasting(), true) : f);
            case TARGET_HEALTHY -> openFaults.values().removeIf(f ->
                    !f.lasting() && f.wentDown() && f.target().equals(e.target()));
            default -> {
            }
        }
    }

    private static String key(Event e) {
        return e.injection().isEmpty() ? e.fault() + "@" + e.target() : e.injection();
    }

    static byte[] toBytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // records of strings and numbers always serialize
        }
    }
}
