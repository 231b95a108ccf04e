package io.stampede.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    private static final int PORTS = 50;
    private static final int HELD = 5;

    @Test
    void portsAreBelowTheEphemeralRangeDistinctAndFreeToBind() throws Exception {
        int ephemeralStart = FreePorts.ephemeralStart();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < PORTS; i++) {
            int port = FreePorts.next();
            assertThat(port).isBetween(10_000, ephemeralStart - 1);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void portsSomeoneListensOnAreSkipped() throws Exception {
        int port = FreePorts.next();
        for (int tries = 0; port + HELD >= FreePorts.ephemeralStart() && tries < PORTS; tries++) {
            port = FreePorts.next(); // just below the range's start: the next ones wrap around
        }
        assertThat(port + HELD).isLessThan(FreePorts.ephemeralStart());
        List<ServerSocket> held = new ArrayList<>();
        try {
            // the ports after the last one handed out, the next this JVM would try, held by listeners
            for (int p = port + 1; p <= port + HELD; p++) {
                try {
                    held.add(new ServerSocket(p, 1, InetAddress.getLoopbackAddress()));
                } catch (BindException alreadyHeld) {
                    // another process listens there: held all the same
                }
            }
            assertThat(FreePorts.next()).isGreaterThan(port + HELD);
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }
}
