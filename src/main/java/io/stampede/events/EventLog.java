package io.stampede.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The run's timeline: keeps every event in order and tells subscribers (console, results file, UI)
 * as each one happens. Thread-safe: targets and faults emit from their own threads.
 */
public final class EventLog {

    private final List<Event> events = new ArrayList<>();
    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();

    public void emit(Event event) {
        synchronized (events) {
            events.add(event);
        }
        for (Consumer<Event> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                System.err.println("stampede: event subscriber failed: " + e);
            }
        }
    }

    public void subscribe(Consumer<Event> subscriber) {
        subscribers.add(subscriber);
    }

    /** Every event so far, in order. */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
