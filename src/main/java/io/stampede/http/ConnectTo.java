package io.stampede.http;

import io.stampede.input.Addresses;
import io.stampede.input.Authority;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where users' connections to some hosts go instead of where their names resolve: k6's {@code hosts}
 * option, curl's {@code --connect-to}. The request keeps the URL's host: its Host header, the name sent
 * as SNI and the name the certificate is checked against; only the socket connects to the mapped
 * address. An entry for {@code name:port} wins over one for {@code name} (any port); a mapped address
 * without a port keeps the URL's port.
 *
 * <pre>{@code
 * hosts:
 *   "stampede.test:443": "127.0.0.1:8443"   # this port of the name
 *   "api.local": "10.0.0.7"                 # any port of the name, the same port there
 * }</pre>
 *
 * @param entries from ({@code name} or {@code name:port}, lower case) to the address connected to
 */
public record ConnectTo(Map<Authority, Authority> entries) {

    public static final ConnectTo NONE = new ConnectTo(Map.of());

    /** The entries in the order written, keys lower case. */
    public ConnectTo {
        Map<Authority, Authority> copy = new LinkedHashMap<>();
        entries.forEach((from, to) -> copy.put(key(from), to));
        entries = Collections.unmodifiableMap(copy);
    }

    /**
     * One entry as written, each side with where it was written ({@code plan.yaml:4:3: hosts.NAME},
     * {@code --connect-to 'TEXT'}).
     *
     * @param from {@code name} or {@code name:port}
     * @param to   {@code address} or {@code address:port}
     */
    public record Entry(Located<String> from, Located<String> to) {
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Where a connection to {@code host:port} goes: the address of the entry for {@code host:port},
     * else of the one for {@code host}, with {@code port} when the entry gives none; else
     * {@code host:port} itself.
     */
    public Authority route(String host, int port) {
        Authority to = entryFor(host, port);
        if (to == null) {
            return new Authority(host, port);
        }
        return to.hasPort() ? to : to.withPort(port);
    }

    /** Whether an entry maps {@code host:port}. */
    public boolean maps(String host, int port) {
        return entryFor(host, port) != null;
    }

    /** The address of the entry for {@code host:port}, else of the one for {@code host}; null when neither is. */
    private Authority entryFor(String host, int port) {
        if (entries.isEmpty()) {
            return null;
        }
        String name = Addresses.bareHost(host).toLowerCase(Locale.ROOT);
        Authority to = entries.get(new Authority(name, port));
        return to != null ? to : entries.get(new Authority(name, Authority.NO_PORT));
    }

    /** The socket address for a connection to {@code host:port}, resolved now (a mapped name may block on DNS). */
    public InetSocketAddress address(String host, int port) {
        Authority to = route(host, port);
        return new InetSocketAddress(to.host(), to.port());
    }

    /** These entries with {@code over}'s laid over them: an entry of {@code over} replaces this one's for the same key. */
    public ConnectTo with(ConnectTo over) {
        if (over.isEmpty()) {
            return this;
        }
        Map<Authority, Authority> merged = new LinkedHashMap<>(entries);
        merged.putAll(over.entries);
        return new ConnectTo(merged);
    }

    /**
     * The entries of several sources, each later one laid over the earlier ones (a plan file's, then the
     * flags'); within one source a host given twice is a problem, as is an entry that is not
     * {@code name[:port]} to {@code address[:port]}. What is wrong goes to {@code problems}.
     */
    public static ConnectTo check(List<List<Entry>> sources, Problems problems) {
        ConnectTo result = NONE;
        for (List<Entry> source : sources) {
            Map<Authority, Authority> entries = new LinkedHashMap<>();
            Map<Authority, String> firstAt = new HashMap<>();
            for (Entry entry : source) {
                Authority from = side(entry.from(), "a host to map is name or name:port (as in the URL)", problems);
                Authority to = side(entry.to(), "an address to connect to is address or address:port", problems);
                if (from == null || to == null) {
                    continue;
                }
                Authority key = key(from);
                String earlier = firstAt.putIfAbsent(key, entry.from().where());
                if (earlier != null) {
                    problems.add(entry.from().where() + ": " + key + " is mapped twice (first at " + earlier + ")");
                    continue;
                }
                entries.put(key, to);
            }
            result = result.with(new ConnectTo(entries));
        }
        return result;
    }

    private static Authority side(Located<String> value, String shape, Problems problems) {
        String text = value.value() == null ? "" : value.value().strip();
        if (text.isEmpty()) {
            problems.add(value.where() + ": empty; " + shape);
            return null;
        }
        try {
            return Authority.parse(text, Addresses.MIN_PORT);
        } catch (IllegalArgumentException bad) {
            problems.add(value.where() + ": " + shape + ", got " + Problems.quoted(text) + ": " + bad.getMessage());
            return null;
        }
    }

    /**
     * curl's {@code --connect-to HOST1:PORT1:HOST2:PORT2} as an entry: an empty PORT1 is any port of
     * HOST1, an empty HOST2 is HOST1 itself, an empty PORT2 keeps the URL's port. An IPv6 address goes
     * in brackets ({@code [::1]}). Curl's empty HOST1 (every host) is refused: say which host.
     *
     * @throws IllegalArgumentException naming the problem, without the flag
     */
    public static Entry parseCurl(String text, String where) {
        List<String> parts = splitColons(text == null ? "" : text.strip());
        if (parts.size() != 4) {
            throw new IllegalArgumentException("expected HOST1:PORT1:HOST2:PORT2 as curl's, e.g. stampede.test:443:127.0.0.1:8443,"
                    + " got " + Problems.quoted(text));
        }
        String host1 = parts.get(0);
        String host2 = parts.get(2).isEmpty() ? host1 : parts.get(2);
        if (host1.isEmpty()) {
            throw new IllegalArgumentException("HOST1 is empty in " + Problems.quoted(text)
                    + "; name the host whose connections go elsewhere (curl's every-host form is not taken)");
        }
        if (parts.get(2).isEmpty() && parts.get(3).isEmpty()) {
            throw new IllegalArgumentException("HOST2 and PORT2 are both empty in " + Problems.quoted(text) + ": nothing to connect to");
        }
        return new Entry(new Located<>(join(host1, parts.get(1)), where), new Located<>(join(host2, parts.get(3)), where));
    }

    private static String join(String host, String port) {
        return port.isEmpty() ? host : host + ":" + port;
    }

    /** Splits at colons outside brackets: {@code [::1]:443:h:1} is {@code [::1]}, {@code 443}, {@code h}, {@code 1}. */
    private static List<String> splitColons(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ':' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Authority key(Authority from) {
        return new Authority(from.host().toLowerCase(Locale.ROOT), from.port());
    }
}
