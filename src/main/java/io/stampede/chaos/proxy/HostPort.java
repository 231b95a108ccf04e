package io.stampede.chaos.proxy;

import io.stampede.input.Addresses;
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
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(what + " address '" + text + "' has no port (expected host:port)");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Addresses.port(text.substring(colon + 1), Addresses.ANY_FREE_PORT);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(what + " address '" + text + "': " + invalid.getMessage());
        }
        return new HostPort(host.isEmpty() ? LOOPBACK : host, port);
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
