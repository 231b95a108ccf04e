package io.stampede.input;

/**
 * A value and where the user wrote it: {@code "lab.yaml:7:10: load.users"} or {@code "-u/--users"}.
 * Every message about the value starts with {@link #where}.
 */
public record Located<T>(T value, String where) {
}
