package io.stampede.chaos;

import io.stampede.events.EventLog;
import io.stampede.plan.TargetSpec;
import io.stampede.target.ExternalProcess;
import io.stampede.target.ManagedProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's targets, live: managed processes started and healthy, external processes checked, in
 * the plan's order. {@link #close()} stops what Stampede started, so no child outlives the run.
 */
public final class RunTargets implements AutoCloseable {

    /** How long a managed target may take to become healthy at start. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, TargetHandle> handles = new LinkedHashMap<>();
    private final Map<String, URI> urls = new LinkedHashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** Starts (or finds) every target; on failure stops what was started and rethrows. */
    public static RunTargets start(List<TargetSpec> specs, EventLog events) {
        RunTargets targets = new RunTargets();
        try {
            for (TargetSpec spec : specs) {
                targets.add(spec, events);
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
                handles.put(spec.name(), new TargetHandle(spec.name(), process, process));
            }
            case TargetSpec.External external -> {
                ExternalProcess process = new ExternalProcess(external);
                handles.put(spec.name(), new TargetHandle(spec.name(), process, null));
            }
            case TargetSpec.Address address -> handles.put(spec.name(), new TargetHandle(spec.name(), null, null));
        }
        if (spec.url() != null) {
            urls.put(spec.name(), spec.url());
        }
    }

    public Map<String, TargetHandle> handles() {
        return Collections.unmodifiableMap(handles);
    }

    /** The URL users should use for a target: through its fault proxy when it has one. */
    public URI url(String name) {
        return urls.get(name);
    }

    /** Stops managed processes (newest first). Idempotent. */
    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(toClose);
        Collections.reverse(reversed);
        toClose.clear();
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("stampede: stopping a target failed: " + e.getMessage());
            }
        }
    }
}
