package io.stampede.http;

import io.stampede.input.Located;
import io.stampede.input.Problems;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The users' HTTP options as written, each value with its origin; {@link #check} holds their rules.
 *
 * @param connectTimeout  null: {@link HttpOptions#DEFAULT_CONNECT_TIMEOUT}
 * @param responseTimeout null: {@link HttpOptions#DEFAULT_RESPONSE_TIMEOUT}
 * @param headers         sent with every request
 * @param latencyFrom     {@code intended} or {@code actual}; null: intended
 * @param tls             the TLS settings as written
 * @param version         {@code 1.1}, {@code 2} (or h2, h2c) or {@code auto}; null: 1.1
 * @param connectTo       the connect-to entries of each source in order (plan file, flags): later ones win
 */
public record HttpDraft(Located<String> connectTimeout, Located<String> responseTimeout, Map<String, String> headers,
                        Located<String> latencyFrom, TlsDraft tls, Located<String> version,
                        List<List<ConnectTo.Entry>> connectTo) {

    public HttpDraft {
        headers = Map.copyOf(headers);
        connectTo = connectTo.stream().map(List::copyOf).toList();
    }

    public HttpDraft(Located<String> connectTimeout, Located<String> responseTimeout, Map<String, String> headers,
                     Located<String> latencyFrom, TlsDraft tls, Located<String> version) {
        this(connectTimeout, responseTimeout, headers, latencyFrom, tls, version, List.of());
    }

    public HttpDraft(Located<String> connectTimeout, Located<String> responseTimeout, Map<String, String> headers,
                     Located<String> latencyFrom, TlsDraft tls) {
        this(connectTimeout, responseTimeout, headers, latencyFrom, tls, null);
    }

    /** The options; what is wrong goes to {@code problems}. */
    public HttpOptions check(Problems problems) {
        LatencyFrom from = LatencyFrom.INTENDED;
        if (latencyFrom != null) {
            try {
                from = LatencyFrom.valueOf(latencyFrom.value().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(latencyFrom.where() + ": latencyFrom is intended or actual, got '" + latencyFrom.value() + "'");
            }
        }
        Duration connect = connectTimeout == null ? HttpOptions.DEFAULT_CONNECT_TIMEOUT : problems.positiveDuration(connectTimeout);
        Duration response = responseTimeout == null ? HttpOptions.DEFAULT_RESPONSE_TIMEOUT : problems.positiveDuration(responseTimeout);
        HttpProtocol protocol = HttpProtocol.HTTP_1_1;
        if (version != null) {
            protocol = HttpProtocol.parse(version.value());
            if (protocol == null) {
                problems.add(version.where() + ": expected \"1.1\", \"2\" (or h2, h2c) or \"auto\", got '" + version.value() + "'");
                protocol = HttpProtocol.HTTP_1_1;
            }
        }
        return new HttpOptions(connect, response, HttpOptions.DEFAULT_MAX_BODY_BYTES, true, headers, from, tls.check(problems),
                protocol, ConnectTo.check(connectTo, problems));
    }
}
