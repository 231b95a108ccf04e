package io.stampede.http;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Read buffers of HTTP/1.1 connections whose users wait between tasks, shared by all the process's
 * connections. A user waiting 10-30 s between requests needs no read buffer meanwhile, and with
 * 100,000 users one kept each was 100 MB of heap that did nothing; a user that does not wait keeps
 * its buffer, so a busy loop never comes here. Taken back on the next request, so no garbage is
 * made per request. The stack keeps at most {@link #KEPT} buffers, about the requests under way at
 * once, and lets the rest go to the collector: a stack as large as the users would keep all their
 * buffers after a burst (a stalled service, a ramp) had made one for each, and save nothing.
 *
 * <p>Not Jetty's {@code ArrayByteBufferPool} (which HTTP/2 uses): a buffer taken from it must be
 * released, or its pool entry stays taken for good, and a connection closed by another thread (a
 * stop) would then have to hand back a buffer its reader may still use. Here a buffer never given
 * back is simply the collector's.
 */
final class ReadBuffers {

    /**
     * Buffers kept free at most (256 KiB): 5,000 requests a second of 1 ms each are 5 under way at
     * once; beyond, a request takes a new buffer, and the one given back goes to the collector.
     */
    static final int KEPT = 256;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final byte[][] FREE = new byte[KEPT][];
    private static int free;

    private ReadBuffers() {
    }

    /** A buffer of {@code bytes}: a free one when there is one, else a new one. */
    static byte[] take(int bytes) {
        LOCK.lock();
        try {
            while (free > 0) {
                byte[] buffer = FREE[--free];
                FREE[free] = null;
                if (buffer.length == bytes) {
                    return buffer;
                }
            }
        } finally {
            LOCK.unlock();
        }
        return new byte[bytes];
    }

    /** Gives {@code buffer} back; its owner must not use it any more. */
    static void give(byte[] buffer) {
        LOCK.lock();
        try {
            if (free < KEPT) {
                FREE[free++] = buffer;
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** How many buffers are free now (for tests). */
    static int free() {
        LOCK.lock();
        try {
            return free;
        } finally {
            LOCK.unlock();
        }
    }
}
