package io.stampede.http;

import io.stampede.testing.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Certificates made with the openssl command in a temporary folder, and Debian's nginx serving them
 * on loopback ports, one server per case: TLS 1.2 only, TLS 1.3 only, mutual TLS, an expired
 * certificate, one from an unknown CA, one for another host name. Every server logs
 * {@code $server_port $connection $ssl_protocol $ssl_session_reused $ssl_server_name $uri}
 * per request, to show what the client
 * negotiated. {@link #close()} stops this nginx (by its process) and deletes the folder.
 */
public final class TlsLab implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** NAME_ONLY: a certificate for the name localhost alone, no IP address: checked against the name or failing. */
    public enum Server { TLS12, TLS13, MUTUAL, EXPIRED, UNKNOWN_CA, OTHER_NAME, PLAIN, NAME_ONLY }

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
    private final Process nginx;

    /** Whether openssl and nginx are installed (run-tests installs them where it may). */
    public static boolean available() {
        return onPath("openssl") && (onPath("nginx") || Files.isExecutable(Path.of("/usr/sbin/nginx")));
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }

    public TlsLab() throws Exception {
        dir = Files.createTempDirectory("stampede-tls");
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
            for (Server server : Server.values()) {
                ports.put(server, freePort());
            }
            Files.createDirectories(dir.resolve("tmp"));
            Files.writeString(dir.resolve("nginx.conf"), config());
            nginx = new ProcessBuilder(nginxCommand(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            awaitListening();
        } catch (Exception e) {
            deleteDir();
            throw e;
        }
    }

    public String url(Server server, String host) {
        return (server == Server.PLAIN ? "http" : "https") + "://" + host + ":" + ports.get(server);
    }

    /** The access log's lines, in order. */
    public List<String> accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private void signed(String name, String ca, String altNames, String days) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=" + name);
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + altNames + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-days", days, "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + ": " + output);
        }
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
        servers.append("  server { listen 127.0.0.1:" + ports.get(Server.PLAIN) + ";"
                + " location / { default_type text/plain; return 200 \"plain $uri\\n\"; } }\n");
        String tmp = dir.resolve("tmp").toString();
        return "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " warn;\n"
                + "events { worker_connections 256; }\n"
                + "http {\n"
                + "  log_format tls '$server_port $connection $ssl_protocol $ssl_session_reused $ssl_server_name $uri';\n"
                + "  access_log " + dir.resolve("access.log") + " tls;\n"
                + "  ssl_session_cache shared:stampede:1m;\n"
                + "  client_body_temp_path " + tmp + "/body; proxy_temp_path " + tmp + "/proxy;"
                + " fastcgi_temp_path " + tmp + "/fcgi; uwsgi_temp_path " + tmp + "/uwsgi; scgi_temp_path " + tmp + "/scgi;\n"
                + servers + "}\n";
    }

    private String server(Server server, String cert, String protocols, String extra) {
        return "  server { listen 127.0.0.1:" + ports.get(server) + " ssl;"
                + " ssl_certificate " + dir.resolve(cert + ".pem") + "; ssl_certificate_key " + dir.resolve(cert + ".key") + ";"
                + " ssl_protocols " + protocols + "; " + extra
                + " location / { default_type text/plain; return 200 \"" + server + " $ssl_protocol\\n\"; } }\n";
    }

    private static String nginxCommand() {
        return onPath("nginx") ? "nginx" : "/usr/sbin/nginx";
    }

    private static int freePort() throws IOException {
        return FreePorts.next();
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (int port : ports.values()) {
            while (true) {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    break;
                } catch (IOException notYet) {
                    if (!nginx.isAlive() || System.nanoTime() > deadline) {
                        nginx.destroy();
                        throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("nginx.out"))
                                + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        nginx.destroy(); // SIGTERM to the nginx started here: its master stops its worker
        if (!nginx.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            nginx.destroyForcibly();
        }
        deleteDir();
    }

    private void deleteDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
