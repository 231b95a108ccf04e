package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stampede.chaos.ChaosSpec;
import io.stampede.chaos.RunTargets;
import io.stampede.chaos.faults.Down;
import io.stampede.events.EventLog;
import io.stampede.http.TlsLab;
import io.stampede.target.TargetSpec;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * A coordinator bound to every address fronts an {@code https://} target with the TCP fault proxy on
 * every address too. Unlike the HTTP proxy's URL (a wildcard each worker replaces with the address its
 * connection arrived at), the users' URL keeps the service's name and changes only the port: the name is
 * what users send as SNI and check the certificate against, and an address in its place would fail the
 * check of a certificate that names the host only. Against nginx serving such a certificate, through the
 * proxy, on real sockets.
 */
class ClusterHttpsFaultProxyTest {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void onEveryAddressTheHttpsUrlKeepsTheServicesNameSoTheCertificateCheckHolds() throws Exception {
        assumeTrue(TlsLab.available(), "nginx and openssl are not installed");
        try (TlsLab lab = new TlsLab()) {
            URI upstream = URI.create(lab.url(TlsLab.Server.NAME_ONLY, "localhost"));
            ChaosSpec down = new ChaosSpec("down", new Down(), "shop", false, OptionalInt.empty(), Optional.empty(), Optional.empty(),
                    Duration.ZERO, Optional.empty(), OptionalInt.empty(), "test");
            try (RunTargets targets = RunTargets.start(List.of(new TargetSpec.Address("shop", "localhost:" + upstream.getPort(), upstream)),
                    new EventLog(), List.of(down), "0.0.0.0")) {
                String listen = targets.handles().get("shop").tcpProxy().listen();
                assertThat(listen).as("the proxy listens on every address").startsWith("0.0.0.0:");
                int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
                URI users = URI.create(targets.userFacing(upstream.toString()));
                assertThat(users).isEqualTo(URI.create("https://localhost:" + port));
                // what a worker is sent: the name, not the address its connection came in on
                assertThat(ClusterPool.reachable(users.toString(), new InetSocketAddress("10.213.0.1", 5557))).isEqualTo(users.toString());

                try (Socket other = new Socket()) { // another of this machine's addresses reaches the same proxy
                    other.connect(new InetSocketAddress("127.0.0.2", port), (int) REQUEST_TIMEOUT.toMillis());
                    assertThat(other.isConnected()).isTrue();
                }
                HttpClient client = HttpClient.newBuilder().sslContext(trusting(lab)).connectTimeout(REQUEST_TIMEOUT).build();
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(users.resolve("/")).timeout(REQUEST_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as("through the proxy, the certificate checked against the name").isEqualTo(200);
                URI byAddress = URI.create("https://127.0.0.2:" + port + "/");
                assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(byAddress).timeout(REQUEST_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString())).as("the same proxy by address: the certificate does not name it")
                        .isInstanceOf(SSLHandshakeException.class);
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
