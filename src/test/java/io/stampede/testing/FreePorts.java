package io.stampede.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for the servers a test starts in another process (a target, gunicorn, Prometheus,
 * a coordinator), picked below the kernel's ephemeral range. The kernel's own pick ({@code new
 * ServerSocket(0)}) comes from that range, the one every outgoing connection on the machine takes its
 * local port from: on a machine busy with load tests, such a port was seen held by a connection when
 * the child came to bind it ("port 40543 on 127.0.0.1 is already in use", a minute long). Below the
 * range only listeners compete, and the bind check here sees them. Each test JVM starts at its own
 * random place and counts on, so two test JVMs at once rarely try the same port.
 */
public final class FreePorts {

    /** The lowest port handed out: above the well-known and most registered services' ports. */
    private static final int FIRST = 10_000;
    /** Where Linux's ephemeral range starts by default, when its setting cannot be read. */
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int RANGE_LINE_BYTES = 64;

    private static final int END = ephemeralStart();
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(Math.max(1, END - FIRST)));

    private FreePorts() {
    }

    /** A port on 127.0.0.1 that nothing listens on or is bound to now. */
    public static int next() {
        if (END - FIRST < 1_000) {
            return kernelPick(); // an unusual ephemeral range: nothing below it to take
        }
        for (int tries = 0; tries < END - FIRST; tries++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), END - FIRST);
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true); // as the servers under test bind: a TIME_WAIT left over does not stop them
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                // a listener or a bound socket there: the next one
            }
        }
        return kernelPick();
    }

    private static int kernelPick() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first port of the kernel's ephemeral range. */
    public static int ephemeralStart() {
        // one read with room for the whole line: a sysctl file read from an offset past 0 says EOF,
        // so Files.readString (a first read of 1 byte for a file of size 0) sees "3"
        try (InputStream in = Files.newInputStream(EPHEMERAL_RANGE)) {
            return Integer.parseInt(new String(in.readNBytes(RANGE_LINE_BYTES), StandardCharsets.US_ASCII).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unreadable) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
