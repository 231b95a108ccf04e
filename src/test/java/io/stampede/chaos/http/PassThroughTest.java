package io.stampede.chaos.http;

import static io.stampede.chaos.http.EchoUpstream.line;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With no fault active, going through the proxy is the same as going straight to the service. */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a deadline against hangs, generous for a busy machine
class PassThroughTest {

    @Test
    void answersEqualDirectAnswers() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            for (String path : List.of("/", "/health", "/item/42", "/item/a%20b", "/nope", "/login", "/profile", "/slow?ms=5", "/slow?ms=x")) {
                HttpResponse<String> direct = lab.getDirect(path);
                HttpResponse<String> proxied = lab.get(path);

                assertThat(proxied.statusCode()).as(path).isEqualTo(direct.statusCode());
                assertThat(proxied.body()).as(path).isEqualTo(direct.body());
                assertThat(proxied.headers().firstValue("content-type")).as(path).isEqualTo(direct.headers().firstValue("content-type"));
                assertThat(proxied.headers().firstValue("content-length")).as(path).isEqualTo(direct.headers().firstValue("content-length"));
                assertThat(proxied.headers().firstValue("allow")).as(path).isEqualTo(direct.headers().firstValue("allow"));
                assertThat(proxied.headers().firstValue(FaultingProxyHandler.FAULT_HEADER)).isEmpty();
            }
        }
    }

    @Test
    void cookiesMakeTheRoundTrip() throws Exception {
        try (ProxyLab lab = ProxyLab.start()) {
            HttpResponse<String> login = lab.send(ProxyLab.request(lab.proxy.url(), "/login").POST(BodyPublishers.ofString("user=demo")));
            String setCookie = login.headers().firstValue("set-cookie").orElseThrow();
            String session = setCookie.substring(0, setCookie.indexOf(';'));

            HttpResponse<String> profile = lab.send(ProxyLab.request(lab.proxy.url(), "/profile").header("Cookie", session).GET());
            HttpResponse<String> anonymous = lab.get("/profile");

            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(session).matches("session=[0-9a-f]{32}");
            assertThat(profile.statusCode()).isEqualTo(200);
            assertThat(profile.body()).isEqualTo("{\"user\":\"demo\"}");
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void methodPathQueryHeadersAndBodyReachTheUpstream() throws Exception {
        try (EchoUpstream echo = new EchoUpstream();
             HttpFaultProxy proxy = HttpFaultProxy.start("echo", "127.0.0.1", 0, URI.create(echo.baseUrl()));
             HttpClient client = ProxyLab.newClient()) {
            String body = "x".repeat(200_000) + "é";
            HttpRequest put = ProxyLab.request(proxy.url(), "/a%2Fb/c?q=1&q=%20two&empty=")
                    .header("X-Custom", "kept")
                    .header("Cookie", "a=1; b=2")
                    .header("Content-Type", "application/x-test")
                    .PUT(BodyPublishers.ofString(body))
                    .build();

            HttpResponse<String> answer = client.send(put, HttpResponse.BodyHandlers.ofString());

            String echoed = answer.body();
            assertThat(answer.statusCode()).as(echoed).isEqualTo(200);
            assertThat(answer.headers().firstValue("x-upstream")).hasValue("echo");
            assertThat(line(echoed, "method")).isEqualTo("PUT");
            assertThat(line(echoed, "path")).isEqualTo("/a%2Fb/c");
            assertThat(line(echoed, "query")).isEqualTo("q=1&q=%20two&empty=");
            assertThat(line(echoed, "x-custom")).isEqualTo("kept");
            assertThat(line(echoed, "cookie")).isEqualTo("a=1; b=2");
            assertThat(line(echoed, "content-type")).isEqualTo("application/x-test");
            assertThat(line(echoed, "body-length")).isEqualTo(String.valueOf(body.length()));
            assertThat(echoed).endsWith("body: " + body);
            // Host names the upstream; the name the client used and the proxy are in Forwarded and Via.
            assertThat(line(echoed, "host")).isEqualTo("127.0.0.1:" + echo.port());
            assertThat(line(echoed, "forwarded")).contains("host=\"" + proxy.url().getAuthority() + "\"");
            assertThat(line(echoed, "via")).isEqualTo("1.1 stampede");
            assertThat(line(echoed, "user-agent")).startsWith("Java-http-client");
        }
    }

    @Test
    void errorStatusesOfTheUpstreamPassThroughUntouched() throws Exception {
        try (EchoUpstream echo = new EchoUpstream();
             HttpFaultProxy proxy = HttpFaultProxy.start("echo", "127.0.0.1", 0, URI.create(echo.baseUrl()));
             HttpClient client = ProxyLab.newClient()) {
            for (int status : List.of(201, 404, 500, 503)) {
                HttpResponse<String> answer = client.send(ProxyLab.request(proxy.url(), "/status/" + status).GET().build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(answer.statusCode()).isEqualTo(status);
                assertThat(answer.headers().firstValue(FaultingProxyHandler.FAULT_HEADER)).isEmpty();
            }
        }
    }

    @Test
    void redirectsToTheUpstreamComeBackThroughTheProxy() throws Exception {
        try (EchoUpstream echo = new EchoUpstream();
             HttpFaultProxy proxy = HttpFaultProxy.start("echo", "127.0.0.1", 0, URI.create(echo.baseUrl()));
             HttpClient client = ProxyLab.newClient()) {
            HttpResponse<String> answer = client.send(ProxyLab.request(proxy.url(), "/redirect").GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(302);
            assertThat(answer.headers().firstValue("location")).hasValue(proxy.url() + "/landed?x=1");
        }
    }

    @Test
    void onEveryAddressARedirectNamesTheAddressTheRequestArrivedOn() throws Exception {
        try (EchoUpstream echo = new EchoUpstream();
             HttpFaultProxy proxy = HttpFaultProxy.start("echo", "0.0.0.0", 0, URI.create(echo.baseUrl()));
             HttpClient client = ProxyLab.newClient()) {
            assertThat(proxy.url().getHost()).isEqualTo("0.0.0.0");
            URI loopback = URI.create("http://127.0.0.1:" + proxy.url().getPort());
            HttpResponse<String> answer = client.send(ProxyLab.request(loopback, "/redirect").GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(302);
            assertThat(answer.headers().firstValue("location")).hasValue(loopback + "/landed?x=1");
        }
    }

    @Test
    void connectionsAreKeptAliveOnBothSides() throws Exception {
        try (EchoUpstream echo = new EchoUpstream();
             HttpFaultProxy proxy = HttpFaultProxy.start("echo", "127.0.0.1", 0, URI.create(echo.baseUrl()));
             Socket socket = new Socket(proxy.url().getHost(), proxy.url().getPort())) {
            socket.setSoTimeout((int) ProxyLab.REQUEST_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            int requests = 20;
            for (int i = 0; i < requests; i++) {
                out.write(("GET /n/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();

                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                skipAnswer(in);
            }
            // Sequential requests on one client connection reuse one upstream connection.
            assertThat(echo.clientPorts).hasSize(1);
        }
    }

    /** Reads the rest of one answer: headers, then Content-Length bytes of body (all ASCII here). */
    private static void skipAnswer(BufferedReader in) throws Exception {
        int length = -1;
        for (String header = in.readLine(); !header.isEmpty(); header = in.readLine()) {
            assertThat(header.toLowerCase()).doesNotStartWith("connection: close");
            if (header.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).trim());
            }
        }
        assertThat(length).as("content-length").isPositive();
        char[] body = new char[length];
        for (int read = 0; read < length; ) {
            read += in.read(body, read, length - read);
        }
    }
}
