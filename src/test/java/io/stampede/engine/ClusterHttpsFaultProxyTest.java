package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stampede.api.Response;
import io.stampede.chaos.ChaosSpec;
import io.stampede.chaos.RunTargets;
import io.stampede.chaos.faults.Down;
import io.stampede.events.EventLog;
import io.stampede.http.ConnectTo;
import io.stampede.http.HttpOptions;
import io.stampede.http.Tls;
import io.stampede.http.TlsDraft;
import io.stampede.http.TlsLab;
import io.stampede.http.UserHttpSession;
import io.stampede.input.Authority;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import io.stampede.stats.StatsRecorder;
import io.stampede.target.TargetSpec;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * A coordinator bound to every address fronts an {@code https://} target with the TCP fault proxy on
 * every address too. Unlike the HTTP proxy's URL (a wildcard each worker replaces with the address its
 * connection arrived at), the users' URL stays the service's, name and port: the name is what users
 * send as SNI and check the certificate against, and an address in its place would fail the check of a
 * certificate that names the host only. A connect-to entry sends their sockets to the proxy instead,
 * its wildcard replaced per worker. Against nginx serving such a certificate, through the proxy, on real
 * sockets, with the users' own HTTP client.
 */
class ClusterHttpsFaultProxyTest {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void onEveryAddressTheHttpsUrlKeepsTheServicesNameAndAConnectToEntrySendsWorkersToTheProxy() throws Exception {
        assumeTrue(TlsLab.available(), "nginx and openssl are not installed");
        try (TlsLab lab = new TlsLab()) {
            URI upstream = URI.create(lab.url(TlsLab.Server.NAME_ONLY, "localhost"));
            ChaosSpec down = new ChaosSpec("down", new Down(), "shop", false, OptionalInt.empty(), Optional.empty(), Optional.empty(),
                    Duration.ZERO, Optional.empty(), OptionalInt.empty(), "test");
            HttpOptions options;
            try (RunTargets targets = RunTargets.start(List.of(new TargetSpec.Address("shop", "localhost:" + upstream.getPort(), upstream)),
                    new EventLog(), List.of(down), "0.0.0.0")) {
                String listen = targets.handles().get("shop").tcpProxy().listen();
                assertThat(listen).as("the proxy listens on every address").startsWith("0.0.0.0:");
                int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
                assertThat(targets.userFacing(upstream.toString())).as("the service's own URL").isEqualTo(upstream.toString());
                assertThat(targets.connectTo()).containsExactly(Map.entry(new Authority("localhost", upstream.getPort()),
                        new Authority("0.0.0.0", port)));
                // what a worker that reached the coordinator at 127.0.0.2 is sent
                Authority reached = ClusterPool.reachable(new Authority("0.0.0.0", port), new InetSocketAddress("127.0.0.2", 5557));
                assertThat(reached).isEqualTo(new Authority("127.0.0.2", port));
                Problems problems = new Problems();
                Tls trust = new TlsDraft(new Located<>(lab.caPem, "--ca-file"), null, null, null, null, null, null, null).check(problems);
                assertThat(problems.list()).isEmpty();
                options = HttpOptions.defaults().withTls(trust)
                        .withConnectTo(new ConnectTo(Map.of(new Authority("localhost", upstream.getPort()), reached)));
                try (UserHttpSession users = new UserHttpSession(upstream, options, new StatsRecorder(0))) {
                    Response answer = users.get("/");
                    assertThat(answer.error()).isNull();
                    assertThat(answer.text()).as("through the proxy, the certificate checked against the name").startsWith("NAME_ONLY");
                }
                HttpClient client = HttpClient.newBuilder().sslContext(trusting(lab)).connectTimeout(REQUEST_TIMEOUT).build();
                URI byAddress = URI.create("https://127.0.0.2:" + port + "/");
                assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(byAddress).timeout(REQUEST_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString())).as("the same proxy by address: the certificate does not name it")
                        .isInstanceOf(SSLHandshakeException.class);
            }
            // the proxy is gone, nginx is not: the entry, not the name, chose where the socket went
            try (UserHttpSession users = new UserHttpSession(upstream, options, new StatsRecorder(0))) {
                assertThat(users.get("/").error()).isNotNull();
            }
            try (UserHttpSession direct = new UserHttpSession(upstream, options.withConnectTo(ConnectTo.NONE), new StatsRecorder(0))) {
                assertThat(direct.get("/").text()).startsWith("NAME_ONLY");
            }
        }
    }

    /** The lab's CA alone, with the JDK's host-name check (java.net.http checks it for https). */
    static SSLContext trusting(TlsLab lab) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(lab.caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
