package io.stampede.engine;

import java.util.List;
import java.util.random.RandomGenerator;

/** Picks a user's next task: at random in proportion to the weights, or in order for a flow. */
final class TaskPicker {

    private final List<UserType.TaskDef> tasks;
    private final long[] cumulativeWeights;
    private final boolean sequential;
    private int next;

    TaskPicker(List<UserType.TaskDef> tasks, boolean sequential) {
        this.tasks = tasks;
        this.sequential = sequential;
        this.cumulativeWeights = new long[tasks.size()];
        long sum = 0;
        for (int i = 0; i < tasks.size(); i++) {
            sum += sequential ? 1 : tasks.get(i).weight();
            cumulativeWeights[i] = sum;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("all tasks have weight 0");
        }
    }

    UserType.TaskDef next(RandomGenerator random) {
        if (sequential) {
            UserType.TaskDef task = tasks.get(next);
            next = (next + 1) % tasks.size();
            return task;
        }
        long ticket = random.nextLong(cumulativeWeights[cumulativeWeights.length - 1]);
        int low = 0;
        int high = cumulativeWeights.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulativeWeights[mid] > ticket) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return tasks.get(low);
    }
}
