package io.stampede.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The share of users of this class when a run has several user classes (default 1): with
 * {@code @Weight(3)} on one class and {@code @Weight(1)} on another, 100 users split 75/25.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Weight {
    int value();
}
