package io.stampede.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A user whose tasks form a flow: they run in ascending {@link Task#order()}, then the flow starts
 * again (Locust's {@code SequentialTaskSet}). Weights are ignored.
 *
 * <pre>{@code
 * @Sequential
 * public class Shopper extends User {
 *     @Task(order = 1) public void browse() { http().get("/"); }
 *     @Task(order = 2) public void login() { http().post("/login", ""); }
 *     @Task(order = 3) public void profile() { http().get("/profile", Check.status(200)); }
 * }
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Sequential {
}
