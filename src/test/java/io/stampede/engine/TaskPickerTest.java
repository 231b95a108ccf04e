package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskPickerTest {

    private static UserType.TaskDef task(String name, int weight) {
        return new UserType.TaskDef(name, weight, Set.of(), user -> { });
    }

    @Test
    void picksInProportionToWeights() {
        TaskPicker picker = new TaskPicker(List.of(task("index", 3), task("health", 1), task("off", 0)), false);
        Random random = new Random(42);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            counts.merge(picker.next(random).name(), 1, Integer::sum);
        }
        assertThat(counts.get("index") / (double) counts.get("health")).isBetween(2.9, 3.1);
        assertThat(counts).doesNotContainKey("off");
    }

    @Test
    void sequentialRunsInOrderAndLoops() {
        TaskPicker picker = new TaskPicker(List.of(task("a", 1), task("b", 5), task("c", 1)), true);
        Random random = new Random(1);
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            order.append(picker.next(random).name());
        }
        assertThat(order).hasToString("abcabca");
    }
}
