package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.api.WaitTime;
import io.stampede.http.ConnectTo;
import io.stampede.http.HttpOptions;
import io.stampede.http.HttpProtocol;
import io.stampede.http.LatencyFrom;
import io.stampede.http.Tls;
import io.stampede.http.TlsDraft;
import io.stampede.input.Authority;
import io.stampede.input.Located;
import io.stampede.input.Problems;
import java.lang.reflect.RecordComponent;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a networked worker is sent besides the load: every setting that shapes its users' requests
 * (the same run as in one process), the plan's declared users, and the public parts of the TLS
 * settings, never a private key.
 */
class ClusterSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A self-signed CA made once with openssl (public material only: its key was not kept). */
    private static final String CA_PEM = """
            -----BEGIN CERTIFICATE-----
            MIIBmDCCAT2gAwIBAgIUNu1NvPJfSR1DvnTPbWbiObs29+swCgYIKoZIzj0EAwIw
            IDEeMBwGA1UEAwwVU3RhbXBlZGUgV2lyZSBUZXN0IENBMCAXDTI2MTIwNzA5Mzc1
            M1oYDzIxMjYxMTEzMDkzNzUzWjAgMR4wHAYDVQQDDBVTdGFtcGVkZSBXaXJlIFRl
            c3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAS5O98Z4uAfZGJzgLM/BGLu
            l3CNR6RI9s+qJZl9O+6Q1JKv8ycGrm5+/tVFHVvgMshfqLuH2Idew8HGun4WD0hh
            o1MwUTAdBgNVHQ4EFgQU1hBhwZhtkeVFEgE5kRr8RBg74WswHwYDVR0jBBgwFoAU
            1hBhwZhtkeVFEgE5kRr8RBg74WswDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
            AgNJADBGAiEAhMd3uL8zhDyVw2gbpu1gsrIKyaQGpsMfcU6HGNB9aSYCIQD40Uhr
            CtDGnz82Zs951zBpud9rh6iwWk5l8MY+Z7v67Q==
            -----END CERTIFICATE-----
            """;

    @TempDir
    Path dir;

    private Tls tls() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), CA_PEM);
        TlsDraft own = new TlsDraft(null, null, new Located<>("true", "test"), null, null, null, null, null);
        TlsDraft draft = new TlsDraft(new Located<>(ca, "--ca-file"), null, null, null, null, null,
                new Located<>("1.3", "test"), null, List.of(new TlsDraft.HostTls(new Located<>("Other.Example:8443", "test"), own)));
        Problems problems = new Problems();
        Tls tls = draft.check(problems);
        assertThat(problems.list()).isEmpty();
        return tls;
    }

    @Test
    void aWorkersRunHasEveryHttpSettingOfTheCoordinators() throws Exception {
        HttpOptions http = new HttpOptions(Duration.ofMillis(1_234), Duration.ofMillis(5_678), 4_096, false,
                Map.of("X-Run", "7"), LatencyFrom.ACTUAL, tls(), HttpProtocol.HTTP_2, new ConnectTo(Map.of(
                        new Authority("shop.test", 443), new Authority("10.0.0.5", 8443),
                        new Authority("api.test", Authority.NO_PORT), new Authority("::1", Authority.NO_PORT))));
        RunSpec spec = new RunSpec("lab", "https://127.0.0.1:5001", new LoadModel.Closed(3, 1, List.of()), Optional.empty(),
                http, Set.of("a"), Set.of("b"), Duration.ofSeconds(2));
        WorkerProtocol.Assign assign = (WorkerProtocol.Assign) WorkerProtocol.read(WorkerProtocol.line(
                new WorkerProtocol.Assign("w1", WorkerProtocol.RunPart.of(spec), new WorkerProtocol.Source("A.java", "class A {}"))));
        WorkerProtocol.RunPart part = assign.run();
        RunSpec mine = part.spec(spec.host(), spec.load(), spec.runTime(), part.tls().tls(null));

        assertThat(mine).usingRecursiveComparison()
                .ignoringFields("http.tls").isEqualTo(spec);
        // a field added to HttpOptions fails here until it is on the wire and compared above
        assertThat(Arrays.stream(HttpOptions.class.getRecordComponents()).map(RecordComponent::getName)).containsExactly(
                "connectTimeout", "responseTimeout", "maxBodyBytes", "followRedirects", "headers", "latencyFrom", "tls",
                "protocol", "connectTo");
        assertThat(mine.http().connectTo().route("shop.test", 443)).isEqualTo(new Authority("10.0.0.5", 8443));
        assertThat(mine.http().connectTo().route("api.test", 80)).isEqualTo(new Authority("::1", 80));
        Tls sent = mine.http().tls();
        assertThat(sent.cas()).isEqualTo(spec.http().tls().cas()).hasSize(1);
        assertThat(sent.cas().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=Stampede Wire Test CA");
        assertThat(sent.protocols()).containsExactly("TLSv1.3");
        assertThat(sent.skipsVerification()).isFalse();
        assertThat(sent.insecure()).as("one host's own settings skip the checks").isTrue();
        assertThat(sent.hosts()).containsOnlyKeys("other.example:8443");
        assertThat(sent.hosts().get("other.example:8443").skipsVerification()).isTrue();
        assertThat(sent.hosts().get("other.example:8443").cas()).as("a host's settings lie over the run's").hasSize(1);
        assertThat(sent.clientCertificate()).isEmpty();
        assertThat(part.tls().clientCertificate()).isFalse();
    }

    @Test
    void theTlsOnTheWireIsPemAndFlagsNeverAKey() throws Exception {
        JsonNode tls = JSON.readTree(WorkerProtocol.line(new WorkerProtocol.Assign("w1", WorkerProtocol.RunPart.of(
                new RunSpec("lab", "https://h", new LoadModel.Closed(1, 1, List.of()), Optional.empty(),
                        HttpOptions.defaults().withTls(tls()), Set.of(), Set.of(), Duration.ZERO)),
                new WorkerProtocol.Source("A.java", "class A {}")))).at("/run/tls");
        assertThat(tls.fieldNames()).toIterable().containsExactly("run", "hosts", "clientCertificate");
        assertThat(tls.at("/run/caPem/0").asText()).isEqualToIgnoringNewLines(CA_PEM);
        assertThat(tls.at("/hosts/other.example:8443/insecure").asBoolean()).isTrue();
        assertThat(tls.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void eachWorkerIsSentAConnectToEntrysWildcardAsTheAddressItsOwnConnectionArrivedAt() throws Exception {
        Map<Authority, Authority> entries = new LinkedHashMap<>();
        entries.put(new Authority("shop.test", 443), new Authority("0.0.0.0", 40_001));
        entries.put(new Authority("api.test", 443), new Authority("10.0.0.9", 443));
        HttpOptions http = HttpOptions.defaults().withConnectTo(new ConnectTo(entries));
        WorkerProtocol.RunPart part = WorkerProtocol.RunPart.of(new RunSpec("lab", "https://shop.test", new LoadModel.Closed(1, 1,
                List.of()), Optional.empty(), http, Set.of(), Set.of(), Duration.ZERO));
        WorkerProtocol.RunPart sent = part.reachedBy(to -> ClusterPool.reachable(to, new InetSocketAddress("10.213.0.1", 5557)));
        WorkerProtocol.RunPart read = ((WorkerProtocol.Assign) WorkerProtocol.read(WorkerProtocol.line(
                new WorkerProtocol.Assign("w1", sent, new WorkerProtocol.Source("A.java", ""))))).run();
        ConnectTo onWorker = read.spec("https://shop.test", new LoadModel.Closed(1, 1, List.of()), Optional.empty(), Tls.system())
                .http().connectTo();
        assertThat(onWorker.route("shop.test", 443)).as("the proxy on every address: this worker's way in")
                .isEqualTo(new Authority("10.213.0.1", 40_001));
        assertThat(onWorker.route("api.test", 443)).as("an address as given").isEqualTo(new Authority("10.0.0.9", 443));
        assertThat(JSON.readTree(WorkerProtocol.line(new WorkerProtocol.Assign("w1", sent, new WorkerProtocol.Source("A.java", ""))))
                .at("/run/connectTo/0").toString()).isEqualTo("{\"host\":\"shop.test\",\"port\":443,\"toHost\":\"10.213.0.1\",\"toPort\":40001}");
    }

    @Test
    void aRunWithoutTlsSettingsStaysOnTheJdksDefaultsOnAWorker() throws Exception {
        WorkerProtocol.RunPart part = WorkerProtocol.RunPart.of(new RunSpec("lab", "http://h", new LoadModel.Closed(1, 1, List.of()),
                Optional.empty(), HttpOptions.defaults(), Set.of(), Set.of(), Duration.ZERO));
        WorkerProtocol.RunPart read = ((WorkerProtocol.Assign) WorkerProtocol.read(WorkerProtocol.line(
                new WorkerProtocol.Assign("w1", part, new WorkerProtocol.Source("A.java", ""))))).run();
        assertThat(read.tls().tls(null)).isSameAs(Tls.system());
        assertThat(read.version()).isEqualTo(HttpProtocol.HTTP_1_1);
    }

    @Test
    void declaredUsersSurviveTheWireWithEveryKindOfStepAndWait() throws Exception {
        Scenario.Declared declared = new Scenario.Declared(List.of(
                new Scenario.UserSpec("Browser", 3, WaitTime.between(Duration.ofMillis(10), Duration.ofNanos(20_000_001)), true,
                        List.of(new Scenario.TaskSpec("flow", 2, Set.of("checkout"), List.of(
                                new Scenario.RequestSpec("POST", "/cart", "add", Map.of("X-A", "1"), "{\"id\":1}",
                                        new Scenario.Expect(List.of(200, 201), "ok", Map.of("/id", "1")), HttpProtocol.HTTP_2),
                                new Scenario.RequestSpec("GET", "https://other:8443/x", "x", Map.of(), null,
                                        Scenario.Expect.none(), null),
                                new Scenario.BatchSpec(List.of(
                                        new Scenario.RequestSpec("GET", "/a", "a", Map.of(), null, Scenario.Expect.none(), null),
                                        new Scenario.RequestSpec("GET", "/b", "b", Map.of(), null, Scenario.Expect.none(),
                                                HttpProtocol.AUTO))))))),
                new Scenario.UserSpec("Streamer", 1, WaitTime.constantPacing(Duration.ofSeconds(2)), false, List.of(
                        new Scenario.TaskSpec("ws", 1, Set.of(), List.of(new Scenario.SocketSpec("/ws", "chat", Duration.ofSeconds(3),
                                List.of(new Scenario.SocketMessage("hello", "hi", Scenario.ReplySpec.next(), null),
                                        new Scenario.SocketMessage("tick", null, new Scenario.ReplySpec("tick", Map.of("/n", "1")),
                                                Duration.ofMillis(1_500)))))),
                        new Scenario.TaskSpec("sse", 1, Set.of("s"), List.of(new Scenario.EventsSpec("/events", "feed", null, 3,
                                "done"))))),
                new Scenario.UserSpec("User", 1, WaitTime.none(), false, List.of(new Scenario.TaskSpec("GET /", 1, Set.of(),
                        List.of(new Scenario.RequestSpec("GET", "/", "/", Map.of(), null, Scenario.Expect.none(), null)))))));
        WorkerProtocol.Assign read = (WorkerProtocol.Assign) WorkerProtocol.read(WorkerProtocol.line(new WorkerProtocol.Assign(
                "w1", WorkerProtocol.RunPart.of(new RunSpec("lab", "http://h", new LoadModel.Closed(1, 1, List.of()),
                        Optional.empty(), HttpOptions.defaults(), Set.of(), Set.of(), Duration.ZERO)),
                new WorkerProtocol.Declared(ClusterUsers.of(declared)))));

        assertThat(read.scenario()).isInstanceOf(WorkerProtocol.Declared.class);
        Scenario.Declared again = ClusterUsers.declared(((WorkerProtocol.Declared) read.scenario()).users());
        assertThat(again).isEqualTo(declared);
        List<UserType> types = again.users().stream().map(UserTypes::fromSpec).toList();
        assertThat(types).extracting(UserType::name).containsExactly("Browser", "Streamer", "User");
        JsonNode line = JSON.readTree(WorkerProtocol.line(read));
        assertThat(line.at("/scenario/kind").asText()).isEqualTo("declared");
        assertThat(line.at("/scenario/users/1/tasks/0/steps/0/kind").asText()).isEqualTo("websocket");
        assertThat(line.at("/scenario/users/0/tasks/0/steps/2/kind").asText()).isEqualTo("batch");
        assertThat(line.at("/scenario/users/0/waitTime/kind").asText()).isEqualTo("between");
    }
}
