package io.stampede.http;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A plain connection's {@link SocketChannel} in blocking mode under an {@link Http1Connection}. Its
 * reads and writes go through one direct buffer of its own (a request is written before its response
 * is read, so one serves both), lent by {@link ReadBuffers} while the user is not waiting; the
 * connection parses from a heap buffer, whose array its fast path reads ({@link WholeResponse}). A
 * socket's streams copy every read and write through the carrier thread's temporary direct buffer,
 * and a timed read takes a lock with a timeout (README, "Where a request's time goes").
 *
 * <p>A blocking channel has no read timeout, so each read notes its deadline and {@link ReadDeadlines}
 * closes the channel of a read still pending past it; the read then fails as a socket's would, with
 * a {@link SocketTimeoutException}. Failures are the socket's too ({@link SocketException} with the
 * system's message), so a request's error names do not depend on which wire carried it.
 */
final class ChannelWire implements Http1Wire {

    /**
     * The direct buffer's size: a request head and a small body go out in one write (a larger body is
     * written apart), and a read takes at most this much.
     */
    static final int IO_BYTES = 1024;
    /** {@link #deadline} when no read is under way. */
    static final long IDLE = Long.MIN_VALUE;
    /** {@link #deadline} once {@link ReadDeadlines} has closed the channel under a read past its deadline. */
    static final long TIMED_OUT = Long.MIN_VALUE + 1;

    private static final VarHandle DEADLINE;

    static {
        try {
            DEADLINE = MethodHandles.lookup().findVarHandle(ChannelWire.class, "deadline", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SocketChannel channel;
    /** The response timeout; 0: none, as a socket's read timeout of 0. */
    final long timeoutNanos;
    /** The pending read's deadline (System.nanoTime), {@link #IDLE} or {@link #TIMED_OUT}. */
    @SuppressWarnings("unused") // through DEADLINE
    private volatile long deadline = IDLE;
    private ByteBuffer ioBuffer; // direct; given back while the user waits

    /** @param channel connected, in blocking mode */
    ChannelWire(SocketChannel channel, Duration responseTimeout) {
        this.channel = channel;
        this.timeoutNanos = responseTimeout.toNanos();
        if (timeoutNanos > 0) {
            ReadDeadlines.watch(this);
        }
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
        if (timeoutNanos == 0) {
            return readOrTranslate(buffer, false);
        }
        long due = System.nanoTime() + timeoutNanos;
        // a release store: the sweeper may see it a moment late, which only moves its next look
        DEADLINE.setRelease(this, due);
        int n;
        try {
            n = readOrTranslate(buffer, true);
        } finally {
            if (!DEADLINE.compareAndSet(this, due, IDLE)) {
                throw new SocketTimeoutException("Read timed out"); // expired: the sweeper closes the channel
            }
        }
        return n;
    }

    private int readOrTranslate(ByteBuffer buffer, boolean timed) throws IOException {
        try {
            ByteBuffer io = ioBuffer();
            io.clear().limit(Math.min(io.capacity(), buffer.remaining()));
            int n = channel.read(io);
            if (n > 0) {
                buffer.put(io.flip());
            }
            return n;
        } catch (ClosedByInterruptException stopped) {
            throw stopped;
        } catch (ClosedChannelException closed) { // also AsynchronousCloseException: closed under the read
            if (timed && (long) DEADLINE.getVolatile(this) == TIMED_OUT) {
                throw new SocketTimeoutException("Read timed out");
            }
            throw new SocketException("Socket closed");
        } catch (SocketException as) {
            throw as;
        } catch (IOException failed) {
            throw new SocketException(failed.getMessage(), failed); // as the socket's streams say it
        }
    }

    @Override
    public void write(byte[] head, int headLength, byte[] body) throws IOException {
        ByteBuffer out = ioBuffer();
        int bodyLength = body == null ? 0 : body.length;
        try {
            if (headLength > out.capacity()) {
                writeAll(ByteBuffer.wrap(head, 0, headLength)); // a very large head: through the JDK's copy
            } else {
                out.clear().put(head, 0, headLength);
                if (bodyLength > 0 && bodyLength <= out.remaining()) {
                    out.put(body);
                    bodyLength = 0;
                }
                writeAll(out.flip());
            }
            if (bodyLength > 0) {
                writeAll(ByteBuffer.wrap(body));
            }
        } catch (ClosedByInterruptException stopped) {
            throw stopped;
        } catch (ClosedChannelException closed) {
            throw new SocketException("Socket closed");
        } catch (SocketException as) {
            throw as;
        } catch (IOException failed) {
            throw new SocketException(failed.getMessage(), failed);
        }
    }

    private void writeAll(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private ByteBuffer ioBuffer() {
        ByteBuffer io = ioBuffer;
        if (io == null) {
            io = ioBuffer = ReadBuffers.take(IO_BYTES, true);
        }
        return io;
    }

    @Override
    public void idle() {
        if (ioBuffer != null) {
            ReadBuffers.give(ioBuffer);
            ioBuffer = null;
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        ReadDeadlines.forget(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void closeTransport() {
        close();
    }

    /** The pending read's deadline, {@link #IDLE} or {@link #TIMED_OUT} (for the sweeper). */
    long deadline() {
        return (long) DEADLINE.getOpaque(this);
    }

    /**
     * Fails the read pending with {@code due} as its deadline, if it still is: marks it timed out, then
     * closes the channel, which wakes the reader. Called by the sweeper only.
     */
    void expire(long due) {
        if (DEADLINE.compareAndSet(this, due, TIMED_OUT)) {
            close();
        }
    }
}
