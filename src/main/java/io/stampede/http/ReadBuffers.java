package io.stampede.http;

import java.nio.ByteBuffer;
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
 *
 * <p>A {@link ChannelWire}'s own buffer, through which its bytes go, is direct and lent the same way:
 * heap and direct buffers are kept apart, {@link #KEPT} of each at most. Direct memory counts against
 * {@code -XX:MaxDirectMemorySize} (by default the heap's maximum): 1 KiB for each user not waiting.
 */
final class ReadBuffers {

    /**
     * Buffers kept free at most (256 KiB): 5,000 requests a second of 1 ms each are 5 under way at
     * once; beyond, a request takes a new buffer, and the one given back goes to the collector.
     */
    static final int KEPT = 256;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Stack HEAP = new Stack();
    private static final Stack DIRECT = new Stack();

    private ReadBuffers() {
    }

    /**
     * An empty buffer of {@code bytes} (position and limit 0): a free one when there is one, else a
     * new one; direct for a {@link ChannelWire}'s own buffer, which the JDK then need not copy through one of its own.
     */
    static ByteBuffer take(int bytes, boolean direct) {
        Stack stack = direct ? DIRECT : HEAP;
        LOCK.lock();
        try {
            while (stack.free > 0) {
                ByteBuffer buffer = stack.buffers[--stack.free];
                stack.buffers[stack.free] = null;
                if (buffer.capacity() == bytes) {
                    return buffer.clear().limit(0);
                }
            }
        } finally {
            LOCK.unlock();
        }
        return (direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes)).limit(0);
    }

    /** Gives {@code buffer} back; its owner must not use it any more. */
    static void give(ByteBuffer buffer) {
        Stack stack = buffer.isDirect() ? DIRECT : HEAP;
        LOCK.lock();
        try {
            if (stack.free < KEPT) {
                stack.buffers[stack.free++] = buffer;
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** How many buffers are free now (for tests). */
    static int free() {
        LOCK.lock();
        try {
            return HEAP.free + DIRECT.free;
        } finally {
            LOCK.unlock();
        }
    }

    /** Free buffers of one kind, under {@link #LOCK}. */
    private static final class Stack {
        final ByteBuffer[] buffers = new ByteBuffer[KEPT];
        int free;
    }
}
