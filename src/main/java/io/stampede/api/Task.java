package io.stampede.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public, no-argument method of a {@link User} as a task. Between two tasks the user waits
 * for its {@link User#waitTime()}; the next task is picked at random in proportion to the weights.
 *
 * <pre>{@code
 * @Task(weight = 3) public void index() { http().get("/"); }
 * @Task(weight = 1) public void health() { http().get("/health", Check.bodyContains("OK")); }
 * }</pre>
 *
 * In a {@link Sequential} user, tasks run one after the other in ascending {@link #order()}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Task {

    /** Relative chance of being picked; 0 disables the task. */
    int weight() default 1;

    /** Position in a {@link Sequential} user's flow; ignored otherwise. */
    int order() default 0;
}
