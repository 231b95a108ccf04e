package io.stampede.chaos.http;

import io.stampede.target.DemoOptions;
import io.stampede.target.DemoService;
import io.stampede.testing.JdkHttpClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The test bench: the demo service on a free loopback port, a fault proxy in front of it, and a
 * JDK HTTP client (HTTP/1.1, kept-alive connections) to talk to either.
 */
final class ProxyLab implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30); // against hangs only: a loaded machine can take seconds

    final DemoService app;
    final HttpFaultProxy proxy;
    final HttpClient client;

    private ProxyLab(DemoService app, HttpFaultProxy proxy) {
        this.app = app;
        this.proxy = proxy;
        this.client = newClient();
    }

    static ProxyLab start() throws IOException {
        DemoService app = new DemoService(DemoOptions.defaults().withPort(0));
        app.start();
        try {
            return new ProxyLab(app, HttpFaultProxy.start("lab", "127.0.0.1", 0, URI.create(app.baseUrl())));
        } catch (IOException | RuntimeException failed) {
            app.close();
            throw failed;
        }
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT)
                .build();
    }

    /** GET through the proxy. */
    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(request(proxy.url(), pathAndQuery).GET());
    }

    /** GET straight to the demo service. */
    HttpResponse<String> getDirect(String pathAndQuery) throws IOException, InterruptedException {
        return send(request(URI.create(app.baseUrl()), pathAndQuery).GET());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder request(URI base, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(REQUEST_TIMEOUT);
    }

    @Override
    public void close() {
        JdkHttpClients.stop(client);
        proxy.close();
        app.close();
    }
}
