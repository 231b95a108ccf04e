package io.stampede.http;

import java.time.Duration;
import java.util.Map;

/**
 * How users talk HTTP.
 *
 * @param connectTimeout  how long a TCP connect may take before the request fails
 * @param responseTimeout how long the service may stay silent while a response is awaited
 * @param maxBodyBytes    larger response bodies are a failure (guards the generator's memory)
 * @param followRedirects follow 3xx responses to the same host, as browsers and Locust do
 * @param headers         sent with every request
 * @param latencyFrom     with a schedule (open model, constant pacing): from the intended start or the actual one
 * @param tls             trust, client certificate and versions for https:// hosts, one per run
 * @param protocol        HTTP/1.1, HTTP/2, or what ALPN picks
 * @param connectTo       where connections to some hosts go instead ({@code hosts:}, {@code --connect-to})
 */
public record HttpOptions(Duration connectTimeout, Duration responseTimeout, long maxBodyBytes,
                          boolean followRedirects, Map<String, String> headers, LatencyFrom latencyFrom, Tls tls,
                          HttpProtocol protocol, ConnectTo connectTo) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Locust's and k6's default: a minute. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

    public HttpOptions {
        headers = Map.copyOf(headers);
    }

    public HttpOptions(Duration connectTimeout, Duration responseTimeout, long maxBodyBytes, boolean followRedirects,
                       Map<String, String> headers, LatencyFrom latencyFrom, Tls tls, HttpProtocol protocol) {
        this(connectTimeout, responseTimeout, maxBodyBytes, followRedirects, headers, latencyFrom, tls, protocol, ConnectTo.NONE);
    }

    public HttpOptions(Duration connectTimeout, Duration responseTimeout, long maxBodyBytes, boolean followRedirects,
                       Map<String, String> headers, LatencyFrom latencyFrom, Tls tls) {
        this(connectTimeout, responseTimeout, maxBodyBytes, followRedirects, headers, latencyFrom, tls, HttpProtocol.HTTP_1_1);
    }

    public HttpOptions(Duration connectTimeout, Duration responseTimeout, long maxBodyBytes, boolean followRedirects,
                       Map<String, String> headers) {
        this(connectTimeout, responseTimeout, maxBodyBytes, followRedirects, headers, LatencyFrom.INTENDED);
    }

    public HttpOptions(Duration connectTimeout, Duration responseTimeout, long maxBodyBytes, boolean followRedirects,
                       Map<String, String> headers, LatencyFrom latencyFrom) {
        this(connectTimeout, responseTimeout, maxBodyBytes, followRedirects, headers, latencyFrom, Tls.system());
    }

    /** These options with another TLS side. */
    public HttpOptions withTls(Tls value) {
        return new HttpOptions(connectTimeout, responseTimeout, maxBodyBytes, followRedirects, headers, latencyFrom, value,
                protocol, connectTo);
    }

    /** These options with another HTTP version. */
    public HttpOptions withProtocol(HttpProtocol value) {
        return new HttpOptions(connectTimeout, responseTimeout, maxBodyBytes, followRedirects, headers, latencyFrom, tls,
                value, connectTo);
    }

    /** These options with other connect-to entries. */
    public HttpOptions withConnectTo(ConnectTo value) {
        return new HttpOptions(connectTimeout, responseTimeout, maxBodyBytes, followRedirects, headers, latencyFrom, tls,
                protocol, value);
    }

    public static HttpOptions defaults() {
        return new HttpOptions(DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT, DEFAULT_MAX_BODY_BYTES, true, Map.of());
    }
}
