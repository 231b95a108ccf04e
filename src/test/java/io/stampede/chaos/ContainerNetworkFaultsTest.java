package io.stampede.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stampede.events.Event;
import io.stampede.events.EventLog;
import io.stampede.input.Located;
import io.stampede.target.TargetSpec;
import io.stampede.target.docker.ContainerTarget;
import io.stampede.target.docker.DockerLab;
import io.stampede.testing.FreePorts;
import io.stampede.testing.Waiting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kernel network faults in a real container's namespace: they act, stay inside it, and are undone. */
class ContainerNetworkFaultsTest {

    private static final Duration EVENT_WITHIN = Duration.ofSeconds(15);
    private static DockerLab lab;
    private static int port;
    private static String name;

    @BeforeAll
    static void startContainer() throws Exception {
        lab = DockerLab.open();
        port = FreePorts.next();
        name = "stampede-net-" + ProcessHandle.current().pid();
        lab.run(name, port, "no");
    }

    @AfterAll
    static void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }

    private static ChaosSpec once(String kind, Map<String, String> params, Duration duration) {
        Map<String, Located<String>> located = new LinkedHashMap<>();
        params.forEach((k, v) -> located.put(k, new Located<>(v, "test." + k)));
        Fault fault = Faults.get(kind).create(new FaultParams(located, "test"));
        return new ChaosSpec(kind, fault, "app", false, OptionalInt.empty(), Optional.of(Duration.ZERO), Optional.empty(),
                Duration.ZERO, Optional.of(duration), OptionalInt.empty(), "test");
    }

    private static ContainerTarget target(EventLog events) {
        TargetSpec.Container spec = new TargetSpec.Container("app", List.of(name), null, null, List.of(), 0, "no",
                URI.create("http://127.0.0.1:" + port), "/health", "test");
        return ContainerTarget.start(spec, events, Duration.ofSeconds(30));
    }

    private static String inside(ContainerTarget target, String... command) {
        return target.inNetwork(target.members().get(0), List.of(command)).output();
    }

    private static void await(EventLog events, Event.Kind kind, String detail) {
        await(events, kind, detail, 0);
    }

    /** Waits for an event of {@code kind} at or after {@code sinceMillis}; returns its time. */
    private static long await(EventLog events, Event.Kind kind, String detail, long sinceMillis) {
        return Waiting.await("a " + kind + " event with '" + detail + "'").atMost(EVENT_WITHIN)
                .until(() -> events.events().stream()
                        .filter(e -> e.kind() == kind && e.detail().contains(detail) && e.epochMillis() >= sinceMillis).findFirst(),
                        Optional::isPresent).orElseThrow().epochMillis();
    }

    /**
     * The fastest of three fetches: a shaped link holds every one of them (64 KiB at 256 kbit/s is 2 s),
     * where a loaded machine holds some of them, not all.
     */
    private static long unshapedFetchMillis(String path) throws Exception {
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            fastest = Math.min(fastest, fetchMillis(path));
        }
        return fastest;
    }

    private static long fetchMillis(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.body()).hasSize(65536);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void netLossDropsEveryPacketUntilTheRuleIsDeleted() throws Exception {
        EventLog events = new EventLog();
        try (ContainerTarget target = target(events);
             ChaosEngine engine = new ChaosEngine(List.of(once("net-loss", Map.of("probability", "1"), Duration.ofSeconds(3))),
                     Map.of("app", TargetHandle.of(target)), events, new Random())) {
            engine.check();
            engine.start();
            await(events, Event.Kind.FAULT_INJECTED, "100.0% of incoming packets dropped");
            assertThat(inside(target, "iptables", "-S", "INPUT")).contains("stampede-net-loss", "--probability 1");
            long unhealthy = await(events, Event.Kind.TARGET_UNHEALTHY, "", 0);
            long rolledBack = await(events, Event.Kind.FAULT_ROLLED_BACK, "", 0);
            assertThat(inside(target, "iptables", "-S", "INPUT")).doesNotContain("stampede-net-loss");
            long healthy = await(events, Event.Kind.TARGET_HEALTHY, "", unhealthy);
            System.out.printf("net-loss 100%%: rollback -> healthy %d ms%n", healthy - rolledBack);
            assertThat(healthy - rolledBack).isLessThan(3000);
        }
        assertThat(lab.state(name)).as("an existing container is left running").isEqualTo("running");
    }

    @Test
    void netRateShapesWhatTheContainerSendsUntilTheQdiscIsRemoved() throws Exception {
        EventLog events = new EventLog();
        long before = unshapedFetchMillis("/64k.bin");
        try (ContainerTarget target = target(events);
             ChaosEngine engine = new ChaosEngine(List.of(once("net-rate", Map.of("rate", "256kbit"), Duration.ofSeconds(8))),
                     Map.of("app", TargetHandle.of(target)), events, new Random())) {
            engine.check();
            engine.start();
            await(events, Event.Kind.FAULT_INJECTED, "egress limited to 256kbit");
            assertThat(inside(target, "tc", "qdisc", "show", "dev", "eth0")).contains("qdisc tbf", "rate 256Kbit");
            long shaped = fetchMillis("/64k.bin"); // 64 KiB = 512 kbit: about 2 s at 256 kbit/s
            System.out.printf("net-rate 256kbit: GET /64k.bin %d ms before, %d ms during%n", before, shaped);
            assertThat(shaped).isBetween(1500L, 6000L);
            assertThat(before).isLessThan(1000L);
            engine.close();
            assertThat(inside(target, "tc", "qdisc", "show", "dev", "eth0")).doesNotContain("tbf");
            assertThat(unshapedFetchMillis("/64k.bin")).isLessThan(1000L);
        }
    }

    @Test
    void netDelayWorksWhereTheKernelHasNetemAndSaysSoWhereItDoesNot() throws Exception {
        EventLog events = new EventLog();
        try (ContainerTarget target = target(events);
             ChaosEngine engine = new ChaosEngine(List.of(once("net-delay", Map.of("delay", "300ms"), Duration.ofSeconds(3))),
                     Map.of("app", TargetHandle.of(target)), events, new Random())) {
            Throwable unsupported = catchThrowable(engine::check);
            if (unsupported != null) {
                assertThat(unsupported).hasMessageContaining("net-delay cannot act on target app (container " + name)
                        .hasMessageContaining("netem is not supported by this kernel (no sch_netem)");
                assertThat(inside(target, "tc", "qdisc", "show", "dev", "lo")).doesNotContain("netem");
                return;
            }
            engine.start();
            await(events, Event.Kind.FAULT_INJECTED, "net-delay 300ms");
            assertThat(inside(target, "tc", "qdisc", "show", "dev", "eth0")).contains("netem");
            await(events, Event.Kind.FAULT_ROLLED_BACK, "");
            assertThat(inside(target, "tc", "qdisc", "show", "dev", "eth0")).doesNotContain("netem");
        }
    }
}
