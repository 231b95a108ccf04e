package io.stampede.http;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * What a connection received and not yet taken, in arrival order, each item with its arrival time
 * and a sequence number: the client's thread adds, the user's thread takes the first item that
 * matches. A lock and a condition rather than {@code synchronized}, so a waiting virtual thread
 * does not pin its carrier.
 *
 * @param <T> what arrives: a message's text, an event
 */
final class Inbox<T> {

    /** Items kept before the oldest is dropped: a user that never takes must not hold the service's whole output. */
    static final int MAX_KEPT = 1_000;

    record Arrival<T>(T value, long seq, long nanoTime) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Arrival<T>> items = new ArrayDeque<>();
    private long nextSeq;
    private boolean ended;
    private String endReason;

    void add(T value, long nanoTime) {
        lock.lock();
        try {
            if (items.size() == MAX_KEPT) {
                items.removeFirst();
            }
            items.addLast(new Arrival<>(value, nextSeq++, nanoTime));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The connection is gone; {@code reason} is null when the user closed it. Only the first call counts. Returns whether it was the first. */
    boolean end(String reason) {
        lock.lock();
        try {
            if (ended) {
                return false;
            }
            ended = true;
            endReason = reason;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** Why it ended, or null (open, or closed by the user). */
    String endReason() {
        lock.lock();
        try {
            return endReason;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence number the next item will get: {@link #take} from it sees only later arrivals. */
    long mark() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes and returns the first item numbered {@code fromSeq} or later that {@code test} accepts,
     * waiting until {@code deadlineNanoTime}; null when the deadline passed or the connection ended
     * with no such item. Items it passes over stay.
     */
    Arrival<T> take(long fromSeq, Predicate<T> test, long deadlineNanoTime) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                for (Iterator<Arrival<T>> it = items.iterator(); it.hasNext(); ) {
                    Arrival<T> item = it.next();
                    if (item.seq() >= fromSeq && test.test(item.value())) {
                        it.remove();
                        return item;
                    }
                }
                long left = deadlineNanoTime - System.nanoTime();
                if (ended || left <= 0) {
                    return null;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
        } finally {
            lock.unlock();
        }
    }
}
