package io.stampede.events;

import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The run's timeline: keeps every event in order and tells subscribers (console, results file, UI)
 * as each one happens. Thread-safe: targets and faults emit from their own threads.
 *
 * <p>Causal order: an action whose outcome is only known after it acts (a kill, whose event names
 * the pid it killed) {@link #reserve reserves} its place first. Events emitted meanwhile (the
 * target's exit it caused) wait behind the reservation until it is filled, so the timeline, the
 * results file and the live stream all show the cause before its effects.
 *
 * <p>The timeline has one clock, given at construction: events are dated on it (see {@link #emitTarget}),
 * and the parts that date their own events (health monitor, chaos engine) take it from here, so a test
 * hands in a manual clock and asserts every date exactly.
 */
public final class EventLog {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    private final InstantSource clock;

    private final List<Event> events = new ArrayList<>();
    private final Deque<Place> queue = new ArrayDeque<>();
    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    /** One deliverer at a time, so subscribers see events in timeline order. */
    private final Object delivery = new Object();

    /** A timeline on the system clock. */
    public EventLog() {
        this(InstantSource.system());
    }

    public EventLog(InstantSource clock) {
        this.clock = clock;
    }

    /** The clock this timeline's events are dated by. */
    public InstantSource clock() {
        return clock;
    }

    /** Emits a target's event ({@code TARGET_*}, or a run-wide one with an empty target) dated now on this timeline's clock. */
    public void emitTarget(Event.Kind kind, String target, String detail) {
        emit(new Event(clock.millis(), kind, target, "", "", detail));
    }

    /** Emits a fault's event dated now on this timeline's clock. */
    public void emitFault(Event.Kind kind, String target, String fault, String injection, String detail) {
        emit(new Event(clock.millis(), kind, target, fault, injection, detail));
    }

    public void emit(Event event) {
        Place place = new Place();
        place.event = event;
        place.settled = true;
        synchronized (queue) {
            queue.addLast(place);
        }
        deliver();
    }

    /**
     * Takes the next place on the timeline now, for an event emitted later through the returned
     * place. Until it is filled or cancelled, later events are held back (not lost).
     */
    public Place reserve() {
        Place place = new Place();
        synchronized (queue) {
            queue.addLast(place);
        }
        return place;
    }

    public void subscribe(Consumer<Event> subscriber) {
        subscribers.add(subscriber);
    }

    /** Every event delivered so far, in order. */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    private void deliver() {
        synchronized (delivery) {
            while (true) {
                Event next;
                synchronized (queue) {
                    Place head = queue.peekFirst();
                    if (head == null || !head.settled) {
                        return; // empty, or waiting for a reservation to be filled
                    }
                    queue.removeFirst();
                    next = head.event;
                }
                if (next == null) {
                    continue; // a cancelled reservation
                }
                synchronized (events) {
                    events.add(next);
                }
                for (Consumer<Event> subscriber : subscribers) {
                    try {
                        subscriber.accept(next);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "event subscriber failed: " + e);
                    }
                }
            }
        }
    }

    /** A place on the timeline: filled once with {@link #emit}, or given up with {@link #cancel}. */
    public final class Place {
        private Event event;
        private boolean settled;

        private Place() {
        }

        /** Puts the event in this place and delivers it with whatever waited behind it. */
        public void emit(Event filled) {
            synchronized (queue) {
                if (settled) {
                    throw new IllegalStateException("place already filled or cancelled");
                }
                event = filled;
                settled = true;
            }
            deliver();
        }

        /** Gives the place up (when nothing is to be said there); does nothing once filled. */
        public void cancel() {
            synchronized (queue) {
                if (settled) {
                    return;
                }
                settled = true;
            }
            deliver();
        }
    }
}
