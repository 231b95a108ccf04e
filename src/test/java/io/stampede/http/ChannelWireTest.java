package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A plain connection's channel keeps a socket's read timeout: a read with nothing to read fails with
 * {@link SocketTimeoutException} no sooner than its deadline, counted from that read's start; a read
 * that gets its bytes in time does not fail; a closed wire is no longer watched. Real sockets on
 * 127.0.0.1.
 */
class ChannelWireTest {

    private static final Duration TIMEOUT = Duration.ofMillis(400);

    private static SocketChannel connect(ServerSocket server) throws Exception {
        return SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    }

    @Test
    void aSilentServiceFailsTheReadAtItsDeadlineAsASocketTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ChannelWire wire = new ChannelWire(connect(server), TIMEOUT);
            try (Socket accepted = server.accept()) {
                ByteBuffer buffer = ReadBuffers.take(1024, false).clear();
                long start = System.nanoTime();
                assertThatThrownBy(() -> wire.read(buffer)).isInstanceOf(SocketTimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT);
                assertThat(wire.isOpen()).isFalse();
                assertThat(ErrorNames.exchangeFailure(new SocketTimeoutException(), TIMEOUT))
                        .isEqualTo("response timeout (400 ms)");
            }
        }
    }

    @Test
    void eachReadHasItsOwnDeadlineAndBytesInTimeDoNotFail() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ChannelWire wire = new ChannelWire(connect(server), TIMEOUT);
            try (Socket accepted = server.accept()) {
                OutputStream out = accepted.getOutputStream();
                // five bytes, each within the timeout of the read waiting for it, over longer than one timeout
                CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < 5; i++) {
                            Thread.sleep(TIMEOUT.toMillis() / 4);
                            out.write('x');
                            out.flush();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                ByteBuffer buffer = ByteBuffer.allocate(16);
                int read = 0;
                while (read < 5) {
                    int n = wire.read(buffer);
                    assertThat(n).isPositive();
                    read += n;
                }
                writes.get(30, TimeUnit.SECONDS);
                assertThat(wire.isOpen()).isTrue();
                wire.close();
            }
        }
    }

    @Test
    void aClosedWireIsNoLongerWatchedAndItsReadsFailAsAClosedSocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ChannelWire wire = new ChannelWire(connect(server), TIMEOUT);
            try (Socket accepted = server.accept()) {
                int watched = ReadDeadlines.watched();
                wire.close();
                assertThat(ReadDeadlines.watched()).isEqualTo(watched - 1);
                assertThatThrownBy(() -> wire.read(ByteBuffer.allocate(16)))
                        .isExactlyInstanceOf(SocketException.class).hasMessage("Socket closed");
            }
        }
    }

    @Test
    void aRequestHeadAndSmallBodyGoOutAsTheyWere() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ChannelWire wire = new ChannelWire(connect(server), TIMEOUT);
            try (Socket accepted = server.accept()) {
                byte[] head = "POST / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                byte[] small = "small".getBytes(StandardCharsets.US_ASCII);
                byte[] large = "L".repeat(ChannelWire.IO_BYTES * 3).getBytes(StandardCharsets.US_ASCII);
                wire.write(head, head.length, small);
                wire.idle();
                wire.write(head, head.length, large);
                byte[] expected = (new String(head, StandardCharsets.US_ASCII) + "small"
                        + new String(head, StandardCharsets.US_ASCII) + new String(large, StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII);
                assertThat(accepted.getInputStream().readNBytes(expected.length)).isEqualTo(expected);
                wire.close();
            }
        }
    }

    @Test
    void bytesLargerThanItsOwnBufferArriveWholeAndInOrderInTheReadersBuffer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ChannelWire wire = new ChannelWire(connect(server), TIMEOUT);
            try (Socket accepted = server.accept()) {
                byte[] sent = new byte[ChannelWire.IO_BYTES * 3 + 17];
                for (int i = 0; i < sent.length; i++) {
                    sent[i] = (byte) (i * 31 + 7);
                }
                accepted.getOutputStream().write(sent);
                accepted.getOutputStream().flush();
                ByteBuffer buffer = ByteBuffer.allocate(sent.length + 100).position(100); // bytes before stay
                while (buffer.position() < 100 + sent.length) {
                    int n = wire.read(buffer);
                    assertThat(n).isBetween(1, ChannelWire.IO_BYTES);
                }
                assertThat(Arrays.copyOfRange(buffer.array(), 100, 100 + sent.length)).isEqualTo(sent);
                wire.close();
            }
        }
    }
}
