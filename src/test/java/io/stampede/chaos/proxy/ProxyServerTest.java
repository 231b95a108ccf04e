package io.stampede.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Toxiproxy's HTTP API, checked on the wire: paths, statuses, JSON shapes and error bodies. */
@Timeout(60) // a deadline against hangs, generous for a busy machine
class ProxyServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private ProxyServer server;
    private TcpServer echo;

    @BeforeEach
    void start() throws IOException {
        echo = TcpServer.echo();
        server = new ProxyServer("127.0.0.1", 0);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        echo.close();
    }

    @Test
    void createsListsShowsAndDeletesProxies() throws Exception {
        Reply created = call("POST", "/proxies", "{\"name\":\"app\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\"}");
        assertThat(created.status).isEqualTo(201);
        assertThat(created.json().get("name").asText()).isEqualTo("app");
        assertThat(created.json().get("upstream").asText()).isEqualTo(echo.address());
        assertThat(created.json().get("enabled").asBoolean()).isTrue();
        assertThat(created.json().get("toxics").isArray()).isTrue();
        String listen = created.json().get("listen").asText();
        assertThat(listen).startsWith("127.0.0.1:").doesNotEndWith(":0");
        try (Socket client = Wire.connect(listen)) {
            Wire.roundTripMillis(client, "through the proxy".getBytes());
        }

        assertThat(call("GET", "/proxies", null).json().get("app").get("listen").asText()).isEqualTo(listen);
        assertThat(call("GET", "/proxies/app", null).json().get("name").asText()).isEqualTo("app");

        assertThat(call("DELETE", "/proxies/app", null).status).isEqualTo(204);
        assertThat(call("DELETE", "/proxies/app", null).error()).isEqualTo("404 proxy not found");
        assertThat(call("GET", "/proxies/app", null).error()).isEqualTo("404 proxy not found");
        assertThat(Wire.refuses(listen)).as("a deleted proxy stops listening").isTrue();
    }

    @Test
    void rejectsBadProxiesLikeToxiproxy() throws Exception {
        String app = "{\"name\":\"app\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\"}";
        assertThat(call("POST", "/proxies", app).status).isEqualTo(201);
        assertThat(call("POST", "/proxies", app).error()).isEqualTo("409 proxy already exists");
        assertThat(call("POST", "/proxies", "{\"listen\":\"127.0.0.1:0\"}").error()).isEqualTo("400 missing required field: name");
        assertThat(call("POST", "/proxies", "{\"name\":\"x\"}").error()).isEqualTo("400 missing required field: upstream");

        Reply malformed = call("POST", "/proxies", "{\"name\": ");
        assertThat(malformed.status).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).startsWith("bad request body: ");
        assertThat(malformed.body).doesNotContain("at io.stampede", "Exception");

        assertThat(call("POST", "/proxies", "{\"name\": 5, \"upstream\": \"x:1\"}").error())
                .isEqualTo("400 bad request body: name must be a string, got the number 5");
        assertThat(call("POST", "/proxies", "[1, 2]").error()).startsWith("400 bad request body: a proxy must be a JSON object");
        assertThat(call("POST", "/proxies", "").error()).isEqualTo("400 bad request body: EOF");
        assertThat(call("POST", "/proxies", "{\"name\":\"y\",\"upstream\":\"nowhere\"}").error())
                .startsWith("400 bad request body: upstream address 'nowhere' has no port");
    }

    @Test
    void addsUpdatesAndRemovesToxics() throws Exception {
        call("POST", "/proxies", "{\"name\":\"app\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\"}");

        Reply added = call("POST", "/proxies/app/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":100}}");
        assertThat(added.status).as("Toxiproxy answers 200 here, and its clients check for it").isEqualTo(200);
        assertThat(added.json().toString()).isEqualTo(
                "{\"attributes\":{\"latency\":100,\"jitter\":0},\"name\":\"latency_downstream\",\"type\":\"latency\","
                        + "\"stream\":\"downstream\",\"toxicity\":1.0}");

        Reply updated = call("PATCH", "/proxies/app/toxics/latency_downstream", "{\"attributes\":{\"jitter\":10},\"toxicity\":0.5}");
        assertThat(updated.json().get("attributes").toString()).isEqualTo("{\"latency\":100,\"jitter\":10}");
        assertThat(updated.json().get("toxicity").asDouble()).isEqualTo(0.5);
        assertThat(call("POST", "/proxies/app/toxics/latency_downstream", "{\"toxicity\":1}").json().get("toxicity").asDouble())
                .isEqualTo(1.0);

        assertThat(call("GET", "/proxies/app/toxics", null).json()).hasSize(1);
        assertThat(call("GET", "/proxies/app", null).json().get("toxics").get(0).get("name").asText()).isEqualTo("latency_downstream");
        assertThat(call("GET", "/proxies/app/toxics/latency_downstream", null).json().get("type").asText()).isEqualTo("latency");

        assertThat(call("DELETE", "/proxies/app/toxics/latency_downstream", null).status).isEqualTo(204);
        assertThat(call("DELETE", "/proxies/app/toxics/latency_downstream", null).error()).isEqualTo("404 toxic not found");
        assertThat(call("GET", "/proxies/app/toxics/latency_downstream", null).error()).isEqualTo("404 toxic not found");
        assertThat(call("GET", "/proxies/nope/toxics", null).error()).isEqualTo("404 proxy not found");
    }

    @Test
    void rejectsBadToxicsWithWhatIsValid() throws Exception {
        call("POST", "/proxies", "{\"name\":\"app\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\"}");
        assertThat(call("POST", "/proxies/app/toxics", "{\"type\":\"latency\",\"stream\":\"sideways\"}").error())
                .isEqualTo("400 stream was invalid, can be either upstream or downstream");
        assertThat(call("POST", "/proxies/app/toxics", "{\"type\":\"lag\"}").error())
                .startsWith("400 invalid toxic type: unknown toxic type 'lag' (valid types: bandwidth, latency,");
        assertThat(call("POST", "/proxies/app/toxics", "{\"type\":\"latency\",\"attributes\":{\"delay\":1}}").error())
                .isEqualTo("400 bad request body: unknown attribute 'delay' for toxic type latency (valid attributes: latency, jitter)");
        assertThat(call("POST", "/proxies/app/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":\"100\"}}").error())
                .isEqualTo("400 bad request body: attribute latency must be a whole number, got a string");
        assertThat(call("POST", "/proxies/app/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":1.5}}").error())
                .isEqualTo("400 bad request body: attribute latency must be a whole number, got the number 1.5");
        assertThat(call("POST", "/proxies/app/toxics", "{\"type\":\"latency\",\"toxicity\":2}").error())
                .isEqualTo("400 bad request body: toxicity must be between 0 and 1, got 2.0");
        assertThat(call("POST", "/proxies/app/toxics", "{\"type\":\"latency\",\"toxicity\":\"all\"}").error())
                .isEqualTo("400 bad request body: toxicity must be a number, got a string");

        assertThat(call("POST", "/proxies/app/toxics", "{\"name\":\"t\",\"type\":\"timeout\",\"stream\":\"upstream\"}").status).isEqualTo(200);
        assertThat(call("POST", "/proxies/app/toxics", "{\"name\":\"t\",\"type\":\"latency\"}").error()).isEqualTo("409 toxic already exists");
        assertThat(call("PATCH", "/proxies/app/toxics/t", "{\"attributes\":{\"timeout\":-1}}").error())
                .isEqualTo("400 bad request body: timeout attribute timeout must be at least 0 ms, got -1");
    }

    @Test
    void populatesResetsAndTellsItsVersion() throws Exception {
        String config = "[{\"name\":\"a\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\"},"
                + "{\"name\":\"b\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\",\"enabled\":false}]";
        Reply populated = call("POST", "/populate", config);
        assertThat(populated.status).isEqualTo(201);
        assertThat(populated.json().get("proxies")).extracting(proxy -> proxy.get("name").asText()).containsExactly("a", "b");
        assertThat(populated.json().get("proxies").get(1).get("enabled").asBoolean()).isFalse();

        Reply missing = call("POST", "/populate", "[{\"name\":\"c\",\"upstream\":\"127.0.0.1:1\"},{\"upstream\":\"127.0.0.1:1\"}]");
        assertThat(missing.error()).isEqualTo("400 missing required field: name at proxy 2");
        assertThat(missing.json().get("proxies").isArray()).isTrue();
        assertThat(call("GET", "/proxies/c", null).status).as("nothing created from a bad populate").isEqualTo(404);

        call("POST", "/proxies/a/toxics", "{\"type\":\"timeout\"}");
        assertThat(call("POST", "/reset", null).status).isEqualTo(204);
        assertThat(call("GET", "/proxies/a/toxics", null).json()).isEmpty();
        assertThat(call("GET", "/proxies/b", null).json().get("enabled").asBoolean()).as("reset enables").isTrue();

        Reply version = call("GET", "/version", null);
        assertThat(version.status).isEqualTo(200);
        assertThat(version.json().get("version").asText()).isEqualTo(ProxyServer.TOXIPROXY_API_VERSION);
    }

    @Test
    void disablesAndEnablesAProxyThroughAnUpdate() throws Exception {
        String listen = call("POST", "/proxies", "{\"name\":\"app\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\"}")
                .json().get("listen").asText();
        assertThat(call("POST", "/proxies/app", "{\"enabled\":false}").json().get("enabled").asBoolean()).isFalse();
        assertThat(Wire.refuses(listen)).as("a disabled proxy refuses connections").isTrue();
        assertThat(call("PATCH", "/proxies/app", "{\"enabled\":true}").json().get("enabled").asBoolean()).isTrue();
        try (Socket client = Wire.connect(listen)) {
            Wire.roundTripMillis(client, "up again".getBytes());
        }
        assertThat(call("PATCH", "/proxies/app", "{\"enabled\":\"yes\"}").error())
                .isEqualTo("400 bad request body: enabled must be true or false, got a string");
    }

    @Test
    void refusesBrowsersAndAnswersUnknownRoutesWithJson() throws Exception {
        HttpRequest fromBrowser = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/proxies"))
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)").timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<String> refused = http.send(fromBrowser, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);

        assertThat(call("GET", "/nothing/here", null).error()).isEqualTo("404 no such route: GET /nothing/here");
        assertThat(call("PUT", "/proxies", "{}").error()).isEqualTo("405 method not allowed: PUT");
    }

    private Reply call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body());
    }

    private record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        /** "STATUS message" from an error body, checking its shape. */
        String error() throws IOException {
            JsonNode json = json();
            assertThat(json.get("status").asInt()).isEqualTo(status);
            return status + " " + json.get("error").asText();
        }
    }
}
