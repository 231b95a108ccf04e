package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.StampedeException;
import io.stampede.http.HttpOptions;
import io.stampede.stats.IntervalCodec;
import io.stampede.stats.IntervalStats;
import io.stampede.stats.StatsRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worker protocol: one record per message on one line, its type named, its version checked at once. */
class WorkerProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyMessageSurvivesItsLine() throws Exception {
        StatsRecorder recorder = new StatsRecorder(1_000);
        recorder.started(System.nanoTime());
        recorder.record("GET", "/", 1_500, 10, "HTTP 503");
        IntervalStats interval = recorder.takeInterval(2_000, 3);
        LoadModel closed = new LoadModel.Closed(10, 2.5, List.of(new LoadModel.Stage(Duration.ofSeconds(5), 20, 4)));
        LoadModel open = new LoadModel.Open(50, List.of(new LoadModel.RateStage(Duration.ofSeconds(3), 80)), 100, 10);
        List<WorkerProtocol.Message> messages = List.of(
                new WorkerProtocol.Ready(WorkerProtocol.VERSION),
                new WorkerProtocol.Interval(IntervalCodec.encode(interval), Map.of("User.task: boom", 2L)),
                new WorkerProtocol.Done(List.of(new RunEnd.Abandoned("User", "slow", 1))),
                WorkerProtocol.go("http://127.0.0.1:5001", closed, Optional.of(Duration.ofSeconds(30)), Segment.of(1, 3),
                        Duration.ZERO),
                WorkerProtocol.go("http://127.0.0.1:5001", open, Optional.empty(), Segment.WHOLE, Duration.ofMillis(12_345)),
                new WorkerProtocol.Users(12, 2.5),
                new WorkerProtocol.Slice(Segment.of(0, 2), 12_000),
                new WorkerProtocol.Stop(),
                new WorkerProtocol.Hello(WorkerProtocol.VERSION, "s3cret", "node-1", true),
                new WorkerProtocol.Heartbeat(97.5),
                new WorkerProtocol.Refused("its cluster token is wrong"),
                new WorkerProtocol.Assign("w2", WorkerProtocol.RunPart.of(new RunSpec("lab", "http://127.0.0.1:5001", closed,
                        Optional.empty(), HttpOptions.defaults(), Set.of("a"), Set.of(), Duration.ofSeconds(2))),
                        new WorkerProtocol.Source("WebsiteUser.java", "public class WebsiteUser {}")),
                new WorkerProtocol.Beat(WorkerProtocol.Beat.NO_PROMISE));
        for (WorkerProtocol.Message message : messages) {
            String line = WorkerProtocol.line(message);
            assertThat(line).doesNotContain("\n");
            WorkerProtocol.Message read = WorkerProtocol.read(line);
            assertThat(read.getClass()).isEqualTo(message.getClass());
            if (!(message instanceof WorkerProtocol.Interval)) { // its interval holds arrays: compared below
                assertThat(read).isEqualTo(message);
            }
        }
        WorkerProtocol.Interval read = (WorkerProtocol.Interval) WorkerProtocol.read(WorkerProtocol.line(messages.get(1)));
        IntervalStats decoded = IntervalCodec.decode(read.interval());
        assertThat(decoded.slots()).isEqualTo(interval.slots());
        assertThat(decoded.total().failures()).isEqualTo(1);
        assertThat(read.errors()).containsEntry("User.task: boom", 2L);
        assertThat(((WorkerProtocol.Go) WorkerProtocol.read(WorkerProtocol.line(messages.get(3)))).load().model()).isEqualTo(closed);
        assertThat(((WorkerProtocol.Go) WorkerProtocol.read(WorkerProtocol.line(messages.get(4)))).load().model()).isEqualTo(open);
    }

    @Test
    void eachLineNamesItsTypeAndTheStartCarriesTheVersion() throws Exception {
        JsonNode go = JSON.readTree(WorkerProtocol.line(WorkerProtocol.go("http://h", new LoadModel.Closed(4, 1, List.of()),
                Optional.empty(), Segment.of(1, 3), Duration.ofSeconds(2))));
        assertThat(go.fieldNames()).toIterable().containsExactly("type", "protocol", "host", "load", "segment", "joinedAtMillis");
        assertThat(go.get("segment").toString()).isEqualTo("{\"from\":1,\"to\":2,\"of\":3}");
        assertThat(go.get("joinedAtMillis").asLong()).isEqualTo(2_000);
        assertThat(go.get("type").asText()).isEqualTo("go");
        assertThat(go.get("protocol").asInt()).isEqualTo(WorkerProtocol.VERSION);
        assertThat(go.at("/load/model").asText()).isEqualTo("closed");
        assertThat(JSON.readTree(WorkerProtocol.line(new WorkerProtocol.Stop())).toString()).isEqualTo("{\"type\":\"stop\"}");
        assertThat(JSON.readTree(WorkerProtocol.line(new WorkerProtocol.Ready(WorkerProtocol.VERSION))).toString())
                .isEqualTo("{\"type\":\"ready\",\"protocol\":" + WorkerProtocol.VERSION + "}");
    }

    @Test
    void aWorkerOfAnotherVersionIsAClearErrorNotAWait() {
        // real processes standing in for workers of another version; each then waits on its input
        long started = System.nanoTime();
        assertThatThrownBy(() -> WorkerPool.start(List.of("sh", "-c",
                "echo '{\"type\":\"ready\",\"protocol\":1}'; cat >/dev/null", "worker"), 1, new TaskErrors()).close())
                .isInstanceOf(StampedeException.CannotRun.class)
                .hasMessage("worker process 1 of 1 speaks worker protocol 1, this coordinator " + WorkerProtocol.VERSION
                        + ": run the same version of Stampede on both");
        assertThatThrownBy(() -> WorkerPool.start(List.of("sh", "-c", "echo '{\"ready\": true}'; cat >/dev/null", "worker"), 1,
                new TaskErrors()).close())
                .isInstanceOf(StampedeException.CannotRun.class)
                .hasMessage("worker process 1 of 1 does not speak worker protocol " + WorkerProtocol.VERSION
                        + " (it said {\"ready\": true}): run the same version of Stampede on both");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ReadyLimits.DEFAULT.stall());
    }
}
