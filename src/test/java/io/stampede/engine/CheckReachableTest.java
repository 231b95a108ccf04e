package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.StampedeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The check before a run connects where the host's url points: an IPv6 address, the port its scheme's when left out. */
class CheckReachableTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void anIpv6HostIsReachedAndARefusalNamed() throws Exception {
        URI url;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("::1"))) {
            url = URI.create("http://[::1]:" + listener.getLocalPort());
            assertThatCode(() -> Runner.checkReachable(url, CONNECT_TIMEOUT)).doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> Runner.checkReachable(url, CONNECT_TIMEOUT)).isInstanceOf(StampedeException.CannotRun.class)
                .hasMessageStartingWith("cannot reach " + url + ": ");
    }
}
