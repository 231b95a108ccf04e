package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.StampedeException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OpenFilesTest {

    private static final OpenFiles.Limits LIMITS = new OpenFiles.Limits(20_000, OptionalLong.of(20_000), 50);

    @Test
    void peakUsersIsTheLargestPopulationOrTheCap() {
        assertThat(OpenFiles.peakUsers(new LoadModel.Closed(100, 10, List.of()))).isEqualTo(100);
        assertThat(OpenFiles.peakUsers(new LoadModel.Closed(1, 10, List.of(
                new LoadModel.Stage(Duration.ofSeconds(1), 300, 10), new LoadModel.Stage(Duration.ofSeconds(1), 20, 10)))))
                .isEqualTo(300);
        assertThat(OpenFiles.peakUsers(new LoadModel.Open(10, List.of(), 4000, 0))).isEqualTo(4000);
    }

    @Test
    void aClosedModelThatFitsPasses() {
        assertThat(OpenFiles.check(new LoadModel.Closed(19_000, 100, List.of()), 1, LIMITS)).isEmpty();
    }

    @Test
    void aClosedModelOverTheLimitIsRefusedWithWhatLimitsAndWhatToDo() {
        assertThatThrownBy(() -> OpenFiles.check(new LoadModel.Closed(25_000, 100, List.of()), 1, LIMITS))
                .isInstanceOf(StampedeException.CannotRun.class)
                .hasMessageStartingWith("25000 users need about 25150 open files (one socket each), but this process"
                        + " may open 20000 (ulimit -n; hard limit 20000): about 19850 users fit in one process.")
                .hasMessageContaining("(--processes 2 or more)");
    }

    @Test
    void theFaultProxyTriplesTheFilesPerUser() {
        assertThatThrownBy(() -> OpenFiles.check(new LoadModel.Closed(7_000, 100, List.of()), 3, LIMITS))
                .hasMessageContaining("3 files each").hasMessageContaining("about 6616 users fit");
    }

    @Test
    void anOpenModelCapOverTheLimitOnlyWarns() {
        assertThat(OpenFiles.check(new LoadModel.Open(10, List.of(), 50_000, 0), 1, LIMITS))
                .startsWith("warning: --max-concurrency 50000 need about 50150 open files");
    }

    @Test
    void thisProcessHasLimits() {
        OpenFiles.Limits limits = OpenFiles.current();
        assertThat(limits.soft()).isPositive();
        assertThat(limits.open()).isPositive();
    }
}
