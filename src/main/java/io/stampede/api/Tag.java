package io.stampede.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tags a task so a run can include ({@code --tags}) or exclude ({@code --exclude-tags}) it, as
 * Locust's {@code @tag}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Tag {
    String[] value();
}
