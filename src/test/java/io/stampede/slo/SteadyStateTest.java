package io.stampede.slo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** summary.json's steady state keeps its words: other tools and older reports read them. */
class SteadyStateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachResultIsWrittenAsItsWord() throws Exception {
        assertThat(JSON.writeValueAsString(new SteadyState(SteadyState.Result.NOT_STEADY_BEFORE, "before the first fault: x")))
                .isEqualTo("{\"result\":\"not steady before\",\"detail\":\"before the first fault: x\"}");
        assertThat(JSON.writeValueAsString(SteadyState.Result.values()))
                .isEqualTo("[\"pass\",\"deviated\",\"not steady before\",\"no data\",\"not steady\"]");
    }
}
