package io.stampede.engine;

import io.stampede.api.Load;
import io.stampede.api.User;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The load a Java scenario declares with {@code public static Load load()} on one of its user
 * classes, and which method declared it (for messages about values without a line number).
 */
public record DeclaredLoad(Load load, String declaredBy) {

    /** The method name a scenario declares its load with. */
    public static final String METHOD = "load";

    /** Finds and calls the scenario's {@code load()}; empty when no user class declares one. */
    public static Optional<DeclaredLoad> find(List<Class<? extends User>> users, Path source) {
        return StaticDeclarations.find(users, source, METHOD, Load.class, "load")
                .map(found -> new DeclaredLoad(found.value(), found.declaredBy()));
    }
}
