package io.stampede.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.engine.RunInfo;
import io.stampede.events.Event;
import io.stampede.stats.RunStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /** Before onStart: nothing ran yet. */
    static final String WAITING = "waiting";
    static final String RUNNING = "running";
    static final String FINISHED = "finished";

    /** One published state: never modified after publication. */
    record State(RunInfo info, RunStats stats, String status, byte[] json) {
    }

    private volatile State state;
    private final List<Event> events = new ArrayList<>();
    /** Lasting or instant faults in effect: injection id to its target, with whether the target went down. */
    private final Map<String, OpenFault> openFaults = new LinkedHashMap<>();
    private final Set<SseClient> clients = new CopyOnWriteArraySet<>();

    private record OpenFault(String target, boolean lasting, boolean wentDown) {
    }

    LiveRun() {
        state = new State(null, null, WAITING, toBytes(SnapshotJson.waiting()));
    }

    State state() {
        return state;
    }

    /** Called on the listener thread: copies the stats, renders the snapshot, sends it to every stream. */
    void publish(RunInfo info, RunStats stats, String status) {
        RunStats copy = stats == null ? new RunStats(info.startEpochMillis()) : stats.snapshot();
        List<Event> timeline = events();
        byte[] json = toBytes(SnapshotJson.of(info, copy, status, timeline, activeFaults()));
        state = new State(info, copy, status, json);
        String message = SseClient.message("stats", new String(json, java.nio.charset.StandardCharsets.UTF_8));
        clients.forEach(c -> c.send(message));
    }

    /** Called from any thread by the event log: keeps the event and streams it at once. */
    void event(Event event) {
        synchronized (events) {
            int seq = events.size();
            events.add(event);
            track(event);
            String message = SseClient.message("event", eventJson(seq, event));
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

    /**
     * Registers a stream: it gets every event so far, then the current snapshot, then live messages.
     * Under the events' lock, so no event is missed or sent twice.
     */
    void attach(SseClient client) {
        synchronized (events) {
            for (int i = 0; i < events.size(); i++) {
                client.send(SseClient.message("event", eventJson(i, events.get(i))));
            }
            client.send(SseClient.message("stats", new String(state.json(), java.nio.charset.StandardCharsets.UTF_8)));
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

    static String eventJson(int seq, Event event) {
        ObjectNode node = SnapshotJson.event(event);
        node.put("seq", seq);
        return new String(toBytes(node), java.nio.charset.StandardCharsets.UTF_8);
    }

    // As the report's bands: a fault with a rollback is active until it; an instant one (no
    // duration) until its target is healthy again after going down.
    private void track(Event e) {
        switch (e.kind()) {
            case FAULT_INJECTED -> openFaults.put(key(e), new OpenFault(e.target(), e.detail().contains(", for "), false));
            case FAULT_ROLLED_BACK, FAULT_FAILED -> openFaults.remove(key(e));
            case TARGET_EXITED, TARGET_UNHEALTHY -> openFaults.replaceAll((id, f) ->
                    f.target().equals(e.target()) ? new OpenFault(f.target(), f.lasting(), true) : f);
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
            throw new UncheckedIOException(e); // a tree of strings and numbers always serializes
        }
    }
}
