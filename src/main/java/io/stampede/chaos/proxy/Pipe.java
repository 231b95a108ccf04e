package io.stampede.chaos.proxy;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue between two stages of a link: chunks and end signals, in order. Bounded for producers
 * (so a slow toxic slows the sender down, through TCP, instead of filling memory), but the proxy
 * itself may push back or move items past the bound while it rewires a chain, which never waits.
 */
final class Pipe {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private final int capacity;

    Pipe(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    /** Appends, waiting while the pipe holds {@code capacity} items or more. */
    void put(Object item) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (items.size() >= capacity) {
                notFull.await();
            }
            items.addLast(item);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Appends without waiting: for end signals, which must never block the one sending them. */
    void append(Object item) {
        lock.lock();
        try {
            items.addLast(item);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Puts an item back in front, where a stopped stage returns what it had taken. */
    void pushFront(Object item) {
        lock.lock();
        try {
            items.addFirst(item);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The first item, waiting for one. */
    Object take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (items.isEmpty()) {
                notEmpty.await();
            }
            Object item = items.removeFirst();
            notFull.signal();
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Moves everything, in order, to the end of {@code next}; only while this pipe's stages are stopped. */
    void moveAllTo(Pipe next) {
        ArrayDeque<Object> moved;
        lock.lock();
        try {
            moved = new ArrayDeque<>(items);
            items.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        for (Object item : moved) {
            next.append(item);
        }
    }
}
