package io.stampede.chaos.proxy;

import io.stampede.input.Addresses;
import io.stampede.input.Authority;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A {@code host:port} as Toxiproxy writes addresses ({@code [::1]:8080} for IPv6). An empty host
 * means 127.0.0.1: Toxiproxy would listen on every interface, which for a fault proxy that can
 * redirect traffic has to be asked for explicitly ({@code 0.0.0.0:PORT}).
 */
record HostPort(String host, int port) {

    static final String LOOPBACK = "127.0.0.1";

    /**
     * Parses {@code host:port}; {@code what} names the address in messages (listen, upstream).
     *
     * @throws IllegalArgumentException naming {@code what} when it is not host:port with a port 0-65535
     */
    static HostPort parse(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + " address is missing (expected host:port)");
        }
        String written = text.strip();
        Authority address;
        try {
            // ":8080", Toxiproxy's form without a host: the loopback address, see above
            address = Authority.parse(written.startsWith(":") ? LOOPBACK + written : written, Addresses.ANY_FREE_PORT);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(what + " address '" + text + "': " + invalid.getMessage());
        }
        if (!address.hasPort()) {
            throw new IllegalArgumentException(what + " address '" + text + "' has no port (expected host:port, [::1]:8080 for IPv6)");
        }
        return new HostPort(address.host(), address.port());
    }

    /** The address to bind or connect to (resolving the host now). */
    InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    /** Toxiproxy's form of a bound address: the IP, not the name it was asked for. */
    static HostPort of(InetAddress address, int port) {
        return new HostPort(address.getHostAddress(), port);
    }

    @Override
    public String toString() {
        return Addresses.urlHost(host) + ":" + port;
    }
}
