package io.stampede.engine;

import java.util.Arrays;
import java.util.List;

/**
 * Which user class the whole run's user number {@code i} (0, 1, 2, ...) is: each user in turn goes
 * to the class furthest below its weighted share, so the first {@code n} users at weights 3:1 are
 * exactly 75% and 25% at every {@code n}. A run's users are always the first {@code n} of this
 * sequence (the newest stops first), and a worker holds those its {@link Segment} owns, so the
 * mix over all workers is the one-process mix exactly: splitting each worker's users by weight on
 * its own made 4 users at 3:1 over 2 workers all of the heavier class.
 */
final class UserMix {

    private final int[] weights;
    private final long weightSum;
    /** The sequence so far: the class of user i, and how many of each class the first users hold. */
    private int[] classOf = new int[64];
    private int known;
    private final int[] countsSoFar;
    /** The last answer of {@link #held}, moved on from where the next question usually is. */
    private int heldUsers;
    private Segment heldSegment = Segment.NONE;
    private final int[] held;

    UserMix(List<Integer> weights) {
        this.weights = weights.stream().mapToInt(Integer::intValue).toArray();
        this.weightSum = Arrays.stream(this.weights).asLongStream().sum();
        this.countsSoFar = new int[this.weights.length];
        this.held = new int[this.weights.length];
    }

    /** The class of the whole run's user {@code i}. */
    int classOf(int i) {
        while (known <= i) {
            if (known == classOf.length) {
                classOf = Arrays.copyOf(classOf, classOf.length * 2);
            }
            int next = furthestBelowShare(known + 1);
            classOf[known++] = next;
            countsSoFar[next]++;
        }
        return classOf[i];
    }

    private int furthestBelowShare(int population) {
        int best = 0;
        double bestGap = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < weights.length; c++) {
            if (weightSum > 0 && weights[c] == 0) {
                continue;
            }
            double share = weightSum > 0 ? (double) population * weights[c] / weightSum : (double) population / weights.length;
            double gap = share - countsSoFar[c];
            if (gap > bestGap) {
                bestGap = gap;
                best = c;
            }
        }
        return best;
    }

    /**
     * How many users of each class {@code segment} holds when the whole run has {@code users}:
     * those of the first {@code users} that the segment owns. The answer is this object's own
     * array, valid until the next call.
     */
    int[] held(int users, Segment segment) {
        if (!segment.equals(heldSegment)) {
            Arrays.fill(held, 0);
            heldUsers = 0;
            heldSegment = segment;
        }
        for (; heldUsers < users; heldUsers++) {
            if (segment.owns(heldUsers)) {
                held[classOf(heldUsers)]++;
            }
        }
        for (; heldUsers > users; heldUsers--) {
            if (segment.owns(heldUsers - 1)) {
                held[classOf(heldUsers - 1)]--;
            }
        }
        return held;
    }
}
