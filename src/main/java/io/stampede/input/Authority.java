package io.stampede.input;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * A host and an optional port, split once here for every address a user writes: {@code [::1]:8080},
 * {@code [::1]}, {@code ::1} (an IPv6 address alone), {@code 127.0.0.1:80}, {@code host}. The host is
 * kept bare, without the brackets of an IPv6 literal: the form {@link java.net.InetAddress}, TLS
 * names and per-host keys take. {@link #toString} writes it back as a URL does ({@code [::1]:8080}).
 *
 * <pre>{@code
 * Authority a = Authority.parse("[::1]:8080", Addresses.MIN_PORT);  // host "::1", port 8080
 * Authority b = Authority.parse("::1", Addresses.MIN_PORT);         // host "::1", no port
 * Authority c = Authority.of(URI.create("https://[::1]"));           // host "::1", port 443
 * String up = c.toString();                                          // "[::1]:443", never "::1:443" or "[::1]:-1"
 * }</pre>
 *
 * <p>Code that needs a URL's host and port takes them from {@link #of(URI)}, not from
 * {@link URI#getHost()} and {@link URI#getPort()}: the first keeps an IPv6 address's brackets and the
 * second is -1 when the URL leaves the port to its scheme.
 *
 * @param host the host name or IP address, never in brackets
 * @param port the port, or {@link #NO_PORT}
 */
public record Authority(String host, int port) {

    /** The port of an authority written without one. */
    public static final int NO_PORT = -1;
    /** The port of an {@code http://} or {@code ws://} URL written without one. */
    public static final int HTTP_PORT = 80;
    /** The port of an {@code https://} or {@code wss://} URL written without one. */
    public static final int HTTPS_PORT = 443;

    /** The host is kept bare whichever form it was given in, so two spellings of one address are equal. */
    public Authority {
        host = Addresses.bareHost(Objects.requireNonNull(host, "host"));
    }

    /**
     * A URL's host and port, the port filled in from the scheme when the URL has none (80 for http and
     * ws, 443 for https and wss).
     *
     * @throws IllegalArgumentException when the URL has no host, or no port and a scheme without a default
     */
    public static Authority of(URI url) {
        if (url.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' has no host name");
        }
        int port = url.getPort();
        if (port == NO_PORT) {
            port = defaultPort(url.getScheme());
        }
        if (port == NO_PORT) {
            throw new IllegalArgumentException("'" + url + "' has no port");
        }
        return new Authority(url.getHost(), port);
    }

    /** The port a URL of {@code scheme} means when it writes none, or {@link #NO_PORT} for a scheme without one. */
    public static int defaultPort(String scheme) {
        return switch (scheme == null ? "" : scheme.toLowerCase(Locale.ROOT)) {
            case "http", "ws" -> HTTP_PORT;
            case "https", "wss" -> HTTPS_PORT;
            default -> NO_PORT;
        };
    }

    /**
     * Splits and checks {@code host[:port]}: the host as {@link Addresses#host} checks it, a port from
     * {@code minPort} to 65535. Unbracketed text with two colons or more is an IPv6 address alone
     * ({@code ::1}); with a port it goes in brackets ({@code [::1]:8080}).
     *
     * @throws IllegalArgumentException naming the problem, without a location
     */
    public static Authority parse(String text, int minPort) {
        String authority = text == null ? "" : text.strip();
        return parse(authority, authority, minPort);
    }

    /** As {@link #parse(String, int)}; {@code whole} is the text the messages quote (a URL around the authority). */
    static Authority parse(String authority, String whole, int minPort) {
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + whole + "' opens an IPv6 address with '[' but does not close it");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("'" + whole + "' has '" + after + "' after the IPv6 address; expected :PORT");
                }
                port = after.substring(1);
            }
            if (!host.contains(":") && !host.isEmpty()) {
                throw new IllegalArgumentException("'" + whole + "': only an IPv6 address goes in brackets, got '" + host + "'");
            }
        } else if (isBareIpv6(authority)) {
            host = authority;
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
            if (host.contains("]")) {
                throw new IllegalArgumentException("'" + whole + "' closes an IPv6 address with ']' but does not open it");
            }
        }
        Addresses.checkHost(host, whole);
        return new Authority(host, port == null ? NO_PORT : Addresses.port(port, minPort));
    }

    /** Whether {@code authority} is an IPv6 address without brackets: two colons or more. */
    static boolean isBareIpv6(String authority) {
        return !authority.startsWith("[") && authority.indexOf(':') != authority.lastIndexOf(':');
    }

    public boolean hasPort() {
        return port != NO_PORT;
    }

    /** This host and another port: where a proxy for this address listens, say. */
    public Authority withPort(int newPort) {
        return new Authority(host, newPort);
    }

    /** The host as a URL writes it: an IPv6 address in brackets ({@code [::1]}), anything else unchanged. */
    public String urlHost() {
        return Addresses.urlHost(host);
    }

    /** {@code scheme://host[:port]}, without a path. */
    public URI url(String scheme) {
        return URI.create(scheme + "://" + this);
    }

    /** The address to bind or connect to, the host resolved now (a name may block on DNS). */
    public InetSocketAddress socketAddress() {
        if (!hasPort()) {
            throw new IllegalStateException(this + " has no port");
        }
        return new InetSocketAddress(host, port);
    }

    /** {@code host} or {@code host:port}, an IPv6 host in brackets. */
    @Override
    public String toString() {
        return Addresses.urlHost(host) + (hasPort() ? ":" + port : "");
    }
}
