package io.stampede.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.generator.Generator;
import org.eclipse.jetty.http2.hpack.HpackEncoder;
import org.eclipse.jetty.http2.hpack.HpackException;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Retainable;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Frames for one HTTP/2 connection, made by Jetty's {@link Generator} into one heap buffer of this
 * connection's and written to the blocking socket in one write per {@link #flush}: a TLS socket then
 * seals one record, not one per frame. Frames queued while frames are read (SETTINGS and PING
 * acknowledgements, WINDOW_UPDATE, RST_STREAM) go out with the next flush.
 */
final class H2FrameWriter {

    /** Shared by every connection: the parser takes a buffer from it for a header block split across reads. */
    static final ByteBufferPool POOL = new ArrayByteBufferPool();
    private static final int INITIAL_BYTES = 4 * 1024;
    private static final int INITIAL_HPACK_BYTES = 1024;

    private final OutputStream out;
    /**
     * Where the generator encodes each header block before copying it into {@link #pending}: this
     * connection's own, reused, so a request takes nothing from the shared pool (whose acquire and
     * release, with its memory accounting, were a measured part of a request's CPU).
     */
    private final HeaderBlockBuffer hpack = new HeaderBlockBuffer();
    private final Generator generator = new Generator(hpack, false, 0);
    /** The frames not yet written, in a heap buffer of a fixed capacity that grows by replacement. */
    private RetainableByteBuffer.Mutable pending = RetainableByteBuffer.wrap(BufferUtil.allocate(INITIAL_BYTES));

    H2FrameWriter(OutputStream out) {
        this.out = out;
    }

    HpackEncoder encoder() {
        return generator.getHpackEncoder();
    }

    /** The largest frame payload the service accepts (its SETTINGS_MAX_FRAME_SIZE). */
    void maxFrameSize(int bytes) {
        generator.setMaxFrameSize(bytes);
    }

    int maxFrameSize() {
        return generator.getMaxFrameSize();
    }

    /**
     * Queues a frame other than DATA; a header block longer than a frame goes in CONTINUATION frames.
     *
     * @param roomBytes at least the bytes the frames take: the buffer (and, for HEADERS, the one the
     *                  header block is encoded into) grows to it first
     */
    void queue(Frame frame, int roomBytes) throws HpackException {
        if (frame instanceof HeadersFrame) {
            hpack.ensure(roomBytes);
        }
        generator.control(room(roomBytes), frame);
    }

    /** Queues one DATA frame of at most {@code maxBytes} of the frame's remaining bytes, and takes them. */
    int queueData(DataFrame frame, int maxBytes) {
        ByteBuffer data = frame.getByteBuffer();
        int before = data.remaining();
        int n = generator.data(room(Frame.HEADER_LENGTH + Math.min(before, maxBytes)), frame, maxBytes)
                - Frame.HEADER_LENGTH;
        data.position(data.limit() - before + n); // the generator advances the data only for a partial frame
        return n;
    }

    boolean hasPending() {
        return pending.hasRemaining();
    }

    void flush() throws IOException {
        if (pending.hasRemaining()) {
            ByteBuffer frames = pending.getByteBuffer();
            try {
                out.write(frames.array(), frames.arrayOffset() + frames.position(), frames.remaining());
                out.flush();
            } finally {
                pending.clear();
            }
        }
    }

    /** What was queued, given up: the connection is gone. */
    void discard() {
        pending.clear();
    }

    /**
     * The generator's pool, holding one buffer: it is given out for every header block whatever size
     * is asked (the encoder's whole header list limit), since {@link #queue} grew it to the block's
     * bound first, and its release (after the generator copied the block) gives nothing back.
     */
    private static final class HeaderBlockBuffer implements ByteBufferPool {
        private RetainableByteBuffer.Mutable buffer = unreleasable(INITIAL_HPACK_BYTES);

        void ensure(int bytes) {
            if (buffer.capacity() < bytes) {
                buffer = unreleasable(Math.max(bytes, buffer.capacity() * 2));
            }
        }

        /** Not reference counted: the generator's release after each block leaves it usable for the next. */
        private static RetainableByteBuffer.Mutable unreleasable(int bytes) {
            return RetainableByteBuffer.wrap(BufferUtil.allocate(bytes), Retainable.NON_RETAINABLE);
        }

        @Override
        public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
            return buffer;
        }

        @Override
        public void clear() {
            // one buffer, the connection's: nothing pooled to let go
        }
    }

    private RetainableByteBuffer.Mutable room(int bytes) {
        if (pending.space() < bytes) {
            RetainableByteBuffer.Mutable bigger = RetainableByteBuffer.wrap(
                    BufferUtil.allocate(Math.max(pending.capacity() * 2, pending.remaining() + bytes)));
            bigger.add(pending.getByteBuffer());
            pending = bigger;
        }
        return pending;
    }
}
