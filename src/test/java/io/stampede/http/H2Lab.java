package io.stampede.http;

import io.stampede.testing.FreePorts;
import io.stampede.testing.Nginx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Debian's nginx speaking HTTP/2 on loopback ports, with a self-signed certificate made here by
 * openssl: h2 over TLS (ALPN), h2c with prior knowledge, and TLS without h2 (HTTP/1.1 only). Each
 * server answers any path with its name and {@code $server_protocol}, serves a 200 KiB file at
 * {@code /big.bin}, the same slowly at {@code /slow.bin}, and logs {@code $server_port $connection $server_protocol $uri} per request;
 * {@code /to-root} redirects to {@code /}; {@code /counted?N} answers {@code N} and {@code /counted.bin?N} trickles, each logged with its query
 * ({@link #awaitCountedLog}), so a test sees every request the service processed, exactly once.
 * {@link #close()} stops this nginx (by its process) and deletes the folder ({@link Nginx}).
 */
public final class H2Lab implements AutoCloseable {

    static final int BIG_BYTES = 200 * 1024;
    /** The h2c server ends a connection (GOAWAY) after this many streams, as nginx does after 1,000 by default. */
    static final int H2C_STREAMS_PER_CONNECTION = 5;
    /** {@code /slow.bin} is big.bin sent at this rate: about two seconds a response, whatever the load. */
    static final int SLOW_BYTES_PER_SECOND = 100 * 1024;
    /** {@code /trickle.bin}: this many bytes sent at half as many a second, so a stream lasts about a second. */
    static final int TRICKLE_BYTES = 2 * 1024;
    /** {@link Server#H2C_FEW_STREAMS}'s http2_max_concurrent_streams: below the 100 a client may open before SETTINGS. */
    static final int FEW_STREAMS = 4;

    public enum Server { H2_TLS, H2C, TLS_HTTP1, H2C_FEW_STREAMS }

    public final Path dir;
    public final Path cert;
    private final Map<Server, Integer> ports = new EnumMap<>(Server.class);
    private final Nginx nginx;

    /** Whether openssl and nginx are installed (run-tests installs them where it may). */
    public static boolean available() {
        return Nginx.available();
    }

    public H2Lab() throws Exception {
        nginx = new Nginx("stampede-h2");
        dir = nginx.dir;
        try {
            cert = dir.resolve("server.pem");
            nginx.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc",
                    "-keyout", "server.key", "-out", "server.pem", "-subj", "/CN=localhost", "-days", "2",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
            Files.createDirectories(dir.resolve("www"));
            byte[] big = new byte[BIG_BYTES];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) ('a' + i % 26);
            }
            Files.write(dir.resolve("www/big.bin"), big);
            Files.write(dir.resolve("www/trickle.bin"), Arrays.copyOf(big, TRICKLE_BYTES));
            for (Path readable : List.of(dir, dir.resolve("www"))) { // nginx's worker runs as nobody under root
                Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            for (String file : List.of("www/big.bin", "www/trickle.bin")) {
                Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
            }
            for (Server server : Server.values()) {
                ports.put(server, freePort());
            }
            nginx.start(config(), ports.values());
        } catch (Exception e) {
            nginx.close();
            throw e;
        }
    }

    public String url(Server server) {
        return (server == Server.H2C || server == Server.H2C_FEW_STREAMS ? "http" : "https") + "://localhost:" + ports.get(server);
    }

    public int port(Server server) {
        return ports.get(server);
    }

    /** The access log's lines for {@code uri} (port, connection, protocol, uri), once there are at least {@code atLeast}. */
    public List<String[]> awaitAccessLog(String uri, int atLeast) {
        return nginx.awaitLog("access.log", f -> f.length == 4 && f[3].equals(uri), atLeast);
    }

    /**
     * The requests for {@code /counted} and {@code /counted.bin} (port, connection, uri, query, status), once
     * there are at least {@code atLeast} for {@code server}.
     */
    public List<String[]> awaitCountedLog(Server server, int atLeast) {
        String port = String.valueOf(port(server));
        return nginx.awaitLog("counted.log", f -> f.length == 5 && f[0].equals(port), atLeast);
    }

    /** How many streams the {@link Server#H2C_FEW_STREAMS} server refused past its limit (its info log says each). */
    public long refusedStreams() throws IOException {
        return nginx.log("few-streams-error.log", f -> String.join(" ", f).contains("concurrent streams exceeded")).size();
    }

    /** The access log's lines that {@code which} keeps (port, connection, protocol, uri), once there are at least {@code atLeast}. */
    public List<String[]> awaitAccessLog(Predicate<String[]> which, int atLeast) {
        return nginx.awaitLog("access.log", f -> f.length == 4 && which.test(f), atLeast);
    }

    /**
     * The requests for {@code /slow.bin}: connection, when nginx ended it (epoch seconds) and how long it took,
     * once there are at least {@code atLeast}. nginx logs a rate-limited response once its last write is done,
     * which can be after the client has read it.
     */
    public List<double[]> awaitSlowLog(int atLeast) {
        return nginx.awaitLog("slow.log", f -> f.length == 3, atLeast).stream()
                .map(f -> Stream.of(f).mapToDouble(Double::parseDouble).toArray()).toList();
    }

    /** The same for {@code /trickle.bin}, once it has at least {@code atLeast} lines. */
    public List<double[]> awaitTrickleLog(int atLeast) {
        return nginx.awaitLog("trickle.log", f -> f.length == 3, atLeast).stream()
                .map(f -> Stream.of(f).mapToDouble(Double::parseDouble).toArray()).toList();
    }

    private String config() {
        String tls = " ssl_certificate " + dir.resolve("server.pem") + "; ssl_certificate_key " + dir.resolve("server.key") + ";";
        return "  log_format h2 '$server_port $connection $server_protocol $uri';\n"
                + "  access_log " + dir.resolve("access.log") + " h2;\n"
                + "  log_format timing '$connection $msec $request_time';\n"
                + "  log_format counted '$server_port $connection $uri $args $status';\n"
                + server(Server.H2_TLS, "ssl http2;" + tls)
                + server(Server.H2C, "http2; keepalive_requests " + H2C_STREAMS_PER_CONNECTION + ";")
                + server(Server.TLS_HTTP1, "ssl;" + tls)
                + server(Server.H2C_FEW_STREAMS, "http2; http2_max_concurrent_streams " + FEW_STREAMS + ";"
                        + " error_log " + dir.resolve("few-streams-error.log") + " info;");
    }

    private String server(Server server, String listen) {
        return "  server { listen 127.0.0.1:" + ports.get(server) + " " + listen
                + " client_max_body_size 1m; root " + dir.resolve("www") + ";"
                + " location / { default_type text/plain; add_header Set-Cookie \"seen=" + server + "\";"
                + " return 200 \"" + server + " $server_protocol\\n\"; }"
                + " location = /big.bin { }"
                + " location = /slow.bin { alias " + dir.resolve("www/big.bin") + "; limit_rate " + SLOW_BYTES_PER_SECOND + ";"
                + " access_log " + dir.resolve("slow.log") + " timing; }"
                + " location = /trickle.bin { alias " + dir.resolve("www/trickle.bin") + "; limit_rate " + TRICKLE_BYTES / 2 + ";"
                + " access_log " + dir.resolve("trickle.log") + " timing; }"
                + " location = /to-root { absolute_redirect off; return 302 /; }"
                + " location = /counted { default_type text/plain; return 200 \"$args\\n\";"
                + " access_log " + dir.resolve("counted.log") + " counted; }"
                + " location = /counted.bin { alias " + dir.resolve("www/trickle.bin") + "; limit_rate " + TRICKLE_BYTES / 2 + ";"
                + " access_log " + dir.resolve("counted.log") + " counted; }"
                + " location = /upload { default_type text/plain; return 200 \"$content_length\"; } }\n";
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    @Override
    public void close() throws Exception {
        nginx.close();
    }
}
