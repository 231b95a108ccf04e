package io.stampede.http;

import io.stampede.testing.FreePorts;
import io.stampede.testing.Nginx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Certificates made with the openssl command in a temporary folder, and Debian's nginx serving them
 * on loopback ports, one server per case: TLS 1.2 only, TLS 1.3 only, mutual TLS, an expired
 * certificate, one from an unknown CA, one for another host name. Every server logs
 * {@code $server_port $connection $ssl_protocol $ssl_session_reused $ssl_server_name $uri}
 * per request, to show what the client
 * negotiated. {@link #close()} stops this nginx (by its process) and deletes the folder ({@link Nginx}).
 */
public final class TlsLab implements AutoCloseable {

    /**
     * NAME_ONLY: a certificate for the name localhost alone, no IP address: checked against the name or failing.
     * STAMPEDE_TEST: a certificate for {@code stampede.test} alone (a name no resolver knows), HTTP/1.1 and
     * HTTP/2 by ALPN, answering {@code sni=$ssl_server_name host=$http_host $server_protocol}: what a
     * connect-to entry must leave as the URL says.
     */
    public enum Server { TLS12, TLS13, MUTUAL, EXPIRED, UNKNOWN_CA, OTHER_NAME, PLAIN, NAME_ONLY, STAMPEDE_TEST }

    /** The name STAMPEDE_TEST's certificate is for. */
    public static final String TEST_NAME = "stampede.test";

    public final Path dir;
    public final Path caPem;
    public final Path clientCert;
    public final Path clientKey;
    public final Path clientP12;
    public final Path otherKey;
    /** The CA that signed UNKNOWN_CA's certificate: another CA, as a second service's may be. */
    public final Path otherCaPem;
    /** The server's certificate (localhost, 127.0.0.1) and key, for a Java server (Jetty) of the test's own. */
    public final Path serverP12;
    public static final String P12_PASSWORD = "secret";
    private final Map<Server, Integer> ports = new EnumMap<>(Server.class);
    private final Nginx nginx;

    /** Whether openssl and nginx are installed (run-tests installs them where it may). */
    public static boolean available() {
        return Nginx.available();
    }

    public TlsLab() throws Exception {
        nginx = new Nginx("stampede-tls");
        dir = nginx.dir;
        try {
            caPem = dir.resolve("ca.pem");
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc",
                    "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Stampede Test CA", "-days", "2");
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc",
                    "-keyout", "other-ca.key", "-out", "other-ca.pem", "-subj", "/CN=Unknown CA", "-days", "2");
            signed("server", "ca", "DNS:localhost,IP:127.0.0.1", "2");
            signed("expired", "ca", "DNS:localhost,IP:127.0.0.1", "-1");
            signed("stranger", "other-ca", "DNS:localhost,IP:127.0.0.1", "2");
            signed("elsewhere", "ca", "DNS:service.example", "2");
            signed("client", "ca", "DNS:client.example", "2");
            clientCert = dir.resolve("client.pem");
            clientKey = dir.resolve("client.key");
            clientP12 = dir.resolve("client.p12");
            openssl("pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key", "-out", "client.p12",
                    "-passout", "pass:" + P12_PASSWORD);
            otherKey = dir.resolve("stranger.key");
            otherCaPem = dir.resolve("other-ca.pem");
            serverP12 = dir.resolve("server.p12");
            openssl("pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-out", "server.p12",
                    "-passout", "pass:" + P12_PASSWORD);
            signed("named", "ca", "DNS:localhost", "2");
            signed("stampede-test", "ca", "DNS:" + TEST_NAME, "2");
            for (Server server : Server.values()) {
                ports.put(server, freePort());
            }
            nginx.start(config(), ports.values());
        } catch (Exception e) {
            nginx.close();
            throw e;
        }
    }

    public int port(Server server) {
        return ports.get(server);
    }

    public String url(Server server, String host) {
        return (server == Server.PLAIN ? "http" : "https") + "://" + host + ":" + ports.get(server);
    }

    /**
     * The access log's lines for {@code uri}, split at spaces ("$server_port $connection $ssl_protocol
     * $ssl_session_reused $ssl_server_name $uri"), once there are at least {@code atLeast}.
     */
    public List<String[]> awaitAccessLog(String uri, int atLeast) {
        return nginx.awaitLog("access.log", f -> f.length == 6 && f[5].equals(uri), atLeast);
    }

    /**
     * The Host headers nginx saw for {@code uri}: lines of hosts.log split at spaces ("$server_port
     * $http_host $uri"), once there are at least {@code atLeast}.
     */
    public List<String[]> awaitHostLog(String uri, int atLeast) {
        return nginx.awaitLog("hosts.log", f -> f.length == 3 && f[2].equals(uri), atLeast);
    }

    private void signed(String name, String ca, String altNames, String days) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=" + name);
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + altNames + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-days", days, "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private void openssl(String... args) throws Exception {
        nginx.openssl(args);
    }

    private String config() {
        StringBuilder servers = new StringBuilder();
        servers.append(server(Server.TLS12, "server", "TLSv1.2", ""));
        servers.append(server(Server.TLS13, "server", "TLSv1.3", ""));
        servers.append(server(Server.MUTUAL, "server", "TLSv1.2 TLSv1.3",
                "ssl_client_certificate " + caPem + "; ssl_verify_client on;"));
        servers.append(server(Server.EXPIRED, "expired", "TLSv1.2 TLSv1.3", ""));
        servers.append(server(Server.UNKNOWN_CA, "stranger", "TLSv1.2 TLSv1.3", ""));
        servers.append(server(Server.OTHER_NAME, "elsewhere", "TLSv1.2 TLSv1.3", ""));
        servers.append(server(Server.NAME_ONLY, "named", "TLSv1.2 TLSv1.3", ""));
        servers.append("  server { listen 127.0.0.1:" + ports.get(Server.STAMPEDE_TEST) + " ssl http2;"
                + " ssl_certificate " + dir.resolve("stampede-test.pem") + "; ssl_certificate_key " + dir.resolve("stampede-test.key") + ";"
                + " location / { default_type text/plain;"
                + " return 200 \"sni=$ssl_server_name host=$http_host $server_protocol\\n\"; } }\n");
        servers.append("  server { listen 127.0.0.1:" + ports.get(Server.PLAIN) + ";"
                + " location / { default_type text/plain; return 200 \"plain $uri\\n\"; } }\n");
        return "  log_format tls '$server_port $connection $ssl_protocol $ssl_session_reused $ssl_server_name $uri';\n"
                + "  access_log " + dir.resolve("access.log") + " tls;\n"
                + "  log_format hosts '$server_port $http_host $uri';\n"
                + "  access_log " + dir.resolve("hosts.log") + " hosts;\n"
                + "  ssl_session_cache shared:stampede:1m;\n"
                + servers;
    }

    private String server(Server server, String cert, String protocols, String extra) {
        return "  server { listen 127.0.0.1:" + ports.get(server) + " ssl;"
                + " ssl_certificate " + dir.resolve(cert + ".pem") + "; ssl_certificate_key " + dir.resolve(cert + ".key") + ";"
                + " ssl_protocols " + protocols + "; " + extra
                + " location / { default_type text/plain; return 200 \"" + server + " $ssl_protocol\\n\"; } }\n";
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    @Override
    public void close() throws Exception {
        nginx.close();
    }
}
