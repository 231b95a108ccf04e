package io.stampede.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A message about where the UI could not listen writes the address as a URL does: {@code [::1]:PORT}, not {@code ::1:PORT}. */
class WebUiListenAddressTest {

    @Test
    void aTakenIpv6PortIsNamedInBrackets() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("::1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> WebUi.start("::1", port, null)).isInstanceOf(UncheckedIOException.class)
                    .hasMessage("the web UI cannot listen on [::1]:" + port + ": port " + port + " is taken");
        }
    }
}
