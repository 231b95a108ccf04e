package io.stampede.input;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Every URL, host and port a user gives Stampede (a flag, a plan file, the web UI's start form, the
 * proxy's API) is checked here, so one mistake gets one message wherever it was written. Messages
 * carry no location: callers prefix where the value came from ({@code -H/--host: port 99999 is out
 * of range 1..65535}).
 *
 * <pre>{@code
 * URI base = Addresses.httpUrl("http://127.0.0.1:5001");      // checked: scheme, host, port
 * String up = Addresses.hostPort("127.0.0.1:6379");          // host:port, port 1..65535
 * int web = Addresses.port(8089, Addresses.ANY_FREE_PORT);    // 0 allowed: a free port
 * }</pre>
 */
public final class Addresses {

    /** The largest TCP port. */
    public static final int MAX_PORT = 65_535;
    /** The smallest port to connect to. */
    public static final int MIN_PORT = 1;
    /** A port to listen on may be 0: the system picks a free one. */
    public static final int ANY_FREE_PORT = 0;

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final Pattern DOTTED_NUMBERS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.]+)?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private Addresses() {
    }

    /**
     * {@code host} as the host part of a URL (or of {@code host:port}): an IPv6 literal in brackets
     * ({@code ::1} is {@code [::1]}, a zone id kept as {@link URI} writes it: {@code [fe80::1%eth0]}),
     * one already bracketed, an IPv4 address or a name unchanged.
     */
    public static String urlHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /**
     * {@code host} without the brackets of an IPv6 literal ({@code [::1]} is {@code ::1}), as
     * {@link URI#getHost()} or a Host header gives it: the form {@link java.net.InetAddress}, a TLS
     * name and a per-host key take. The inverse of {@link #urlHost}; anything else unchanged.
     */
    public static String bareHost(String host) {
        return host.length() > 1 && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * Whether {@code host} (bare or in brackets) is a wildcard address, every address of the machine:
     * {@code 0.0.0.0}, {@code ::} or {@code [0:0:0:0:0:0:0:0]}. A URL naming one reaches nobody.
     */
    public static boolean isWildcard(String host) {
        String bare = bareHost(host);
        return bare.equals("0.0.0.0") || bare.contains(":") && bare.replace(":", "").replace("0", "").isEmpty();
    }

    /**
     * Checks an {@code http://} or {@code https://} URL: its scheme, host and port (1..65535); a path
     * is allowed and kept.
     *
     * @throws IllegalArgumentException with a message that quotes the text and names the problem
     */
    public static URI httpUrl(String text) {
        String url = text == null ? "" : text.strip();
        if (url.isEmpty()) {
            throw new IllegalArgumentException("a URL is required, e.g. http://127.0.0.1:5001");
        }
        int sep = url.indexOf("://");
        if (sep < 0) {
            throw new IllegalArgumentException("'" + url + "' needs a scheme: http://" + url);
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + url + "' has the scheme " + url.substring(0, sep)
                    + "; Stampede speaks http:// and https://");
        }
        String rest = url.substring(sep + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int at = rest.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String authority = rest.substring(0, end);
        if (authority.contains("@")) {
            throw new IllegalArgumentException("'" + url + "' has a user name; send credentials as a header instead");
        }
        checkAuthority(authority, url, false);
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason() + " at character " + (e.getIndex() + 1));
        }
    }

    /** Like {@link #httpUrl} but only {@code scheme://host[:port]}, without a path; returns it without a trailing '/'. */
    public static String httpBase(String text) {
        URI uri = httpUrl(text);
        String raw = uri.getRawPath();
        if ((raw != null && raw.length() > 1) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + text.strip() + "' must be scheme://host[:port] without a path");
        }
        String base = text.strip();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /**
     * Checks {@code host:port} ({@code [::1]:8080} for IPv6) with a port 1..65535.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static String hostPort(String text) {
        String address = text == null ? "" : text.strip();
        if (address.contains("://")) {
            throw new IllegalArgumentException("an address is host:port without a scheme, got '" + address + "'");
        }
        checkAuthority(address, address, true);
        return address;
    }

    /** Checks a host name or IP address alone (no port), e.g. the web UI's {@code --web-host}. */
    public static String host(String text) {
        String host = text == null ? "" : text.strip();
        Authority checked = Authority.parse(host, Authority.NO_PORT);
        if (checked.hasPort()) {
            throw new IllegalArgumentException("'" + host + "' is a host alone, without a port");
        }
        return host;
    }

    /**
     * Checks a port number against {@code min}..65535 ({@link #MIN_PORT} to connect, {@link #ANY_FREE_PORT}
     * to listen).
     */
    public static int port(long port, int min) {
        if (port < min || port > MAX_PORT) {
            throw new IllegalArgumentException("port " + port + " is out of range " + min + ".." + MAX_PORT);
        }
        return (int) port;
    }

    /** A port written as text, e.g. after the colon of an address. */
    public static int port(String text, int min) {
        String digits = text.strip();
        if (!DIGITS.matcher(digits).matches()) {
            throw new IllegalArgumentException("port '" + text + "' is not a whole number");
        }
        if (digits.length() > 9) { // far out of range, and would not fit a long's parse of any length
            throw new IllegalArgumentException("port " + digits + " is out of range " + min + ".." + MAX_PORT);
        }
        return port(Long.parseLong(digits), min);
    }

    /** {@code authority} as a URL or {@code host:port} writes it: an IPv6 host in brackets. */
    private static void checkAuthority(String authority, String whole, boolean portRequired) {
        if (Authority.isBareIpv6(authority)) {
            throw new IllegalArgumentException("'" + whole + "': an IPv6 address goes in brackets, e.g. [::1]:8080");
        }
        boolean hasPort = Authority.parse(authority, whole, MIN_PORT).hasPort();
        if (portRequired && !hasPort) {
            throw new IllegalArgumentException("'" + whole + "' has no port; an address is host:port, e.g. 127.0.0.1:6379");
        }
    }

    static void checkHost(String host, String whole) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + whole + "' has no host name");
        }
        if (host.contains(":")) {
            if (!IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv6 address");
            }
            return;
        }
        if (DOTTED_NUMBERS.matcher(host).matches()) {
            String[] parts = host.split("\\.", -1);
            boolean valid = parts.length == 4;
            for (String part : parts) {
                valid &= !part.isEmpty() && part.length() <= 3 && Integer.parseInt(part) <= 255;
            }
            if (!valid) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv4 address: four numbers 0..255, e.g. 127.0.0.1");
            }
            return;
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + host + "' is not a host name: letters, digits, '-' and '.' only");
        }
    }
}
