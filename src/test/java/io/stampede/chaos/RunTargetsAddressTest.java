package io.stampede.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stampede.chaos.faults.Down;
import io.stampede.chaos.faults.HttpDelay;
import io.stampede.chaos.http.HttpFaultSpec;
import io.stampede.events.EventLog;
import io.stampede.target.TargetSpec;
import io.stampede.testing.JdkHttpClients;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault proxies in front of a target reach the address its url names: an IPv6 address (in
 * brackets in the url, bare to connect to) and a url without a port (its scheme's: 80, 443).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a deadline against hangs, generous for a busy machine
class RunTargetsAddressTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String BODY = "from ::1";

    private static ChaosSpec entry(Fault fault, String target) {
        return new ChaosSpec(fault.toString(), fault, target, false, OptionalInt.empty(), Optional.empty(), Optional.empty(),
                Duration.ZERO, Optional.empty(), OptionalInt.empty(), "test");
    }

    private static ChaosSpec tcpFault(String target) {
        return entry(new Down(), target);
    }

    private static ChaosSpec httpFault(String target) {
        return entry(new HttpDelay(new HttpFaultSpec(HttpFaultSpec.NO_ERROR, null, 1, List.of(), List.of(), Duration.ofMillis(1), 0)),
                target);
    }

    /** A server on the IPv6 loopback only, answering {@link #BODY}. */
    private static HttpServer ipv6Server() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("::1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static HttpResponse<String> get(URI url) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
        try {
            return client.send(HttpRequest.newBuilder(url.resolve("/hello")).timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            JdkHttpClients.stop(client);
        }
    }

    @Test
    void anIpv6TargetIsReachedThroughTheHttpProxyAloneAndThroughBoth() throws Exception {
        HttpServer server = ipv6Server();
        try {
            int port = server.getAddress().getPort();
            String url = "http://[::1]:" + port;
            TargetSpec target = new TargetSpec.Address("v6", "[::1]:" + port, URI.create(url));
            for (List<ChaosSpec> schedule : List.of(List.of(httpFault("v6")), List.of(tcpFault("v6"), httpFault("v6")))) {
                try (RunTargets targets = RunTargets.start(List.of(target), new EventLog(), schedule)) {
                    URI users = URI.create(targets.userFacing(url));
                    assertThat(users).isEqualTo(targets.handles().get("v6").httpProxy().url());
                    if (schedule.size() == 2) {
                        assertThat(targets.handles().get("v6").tcpProxy().upstream()).isEqualTo("[::1]:" + port);
                    }

                    HttpResponse<String> answer = get(users);

                    assertThat(answer.statusCode()).as(schedule.toString()).isEqualTo(200);
                    assertThat(answer.body()).isEqualTo(BODY);
                }
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anIpv6TargetIsReachedThroughTheTcpProxyAlone() throws Exception {
        HttpServer server = ipv6Server();
        try {
            int port = server.getAddress().getPort();
            String url = "http://[::1]:" + port + "/";
            TargetSpec target = new TargetSpec.Address("v6", "[::1]:" + port, URI.create(url));
            try (RunTargets targets = RunTargets.start(List.of(target), new EventLog(), List.of(tcpFault("v6")))) {
                URI users = URI.create(targets.userFacing(url));
                assertThat(users.toString()).isEqualTo("http://" + targets.handles().get("v6").tcpProxy().listen());

                assertThat(get(users).body()).isEqualTo(BODY);
            }
        } finally {
            server.stop(0);
        }
    }

    /** No connection is made: the proxies connect upstream only when a client connects to them. */
    @Test
    void aUrlWithoutAPortMeansItsSchemesPort() {
        List<TargetSpec> specs = List.of(
                new TargetSpec.Address("plain", "127.0.0.1:9", URI.create("http://127.0.0.1")),
                new TargetSpec.Address("tls", "localhost:9", URI.create("https://localhost")),
                new TargetSpec.Address("v6", "[::1]:9", URI.create("http://[::1]")));
        List<ChaosSpec> schedule = List.of(tcpFault("plain"), tcpFault("tls"), tcpFault("v6"), httpFault("v6"));
        try (RunTargets targets = RunTargets.start(specs, new EventLog(), schedule)) {
            assertThat(targets.handles().get("plain").tcpProxy().upstream()).isEqualTo("127.0.0.1:80");
            assertThat(targets.handles().get("tls").tcpProxy().upstream()).isEqualTo("localhost:443");
            assertThat(targets.handles().get("v6").tcpProxy().upstream()).isEqualTo("[::1]:80");

            String plain = targets.handles().get("plain").tcpProxy().listen();
            assertThat(targets.userFacing("http://127.0.0.1")).isEqualTo("http://" + plain);
            // over TLS the name stays, for SNI and the certificate check; only the port changes
            String tls = targets.handles().get("tls").tcpProxy().listen();
            assertThat(targets.userFacing("https://localhost/")).isEqualTo("https://localhost" + tls.substring(tls.lastIndexOf(':')));
            // the HTTP proxy in front of the TCP one
            assertThat(targets.userFacing("http://[::1]")).isEqualTo(targets.handles().get("v6").httpProxy().url().toString());
        }
    }
}
