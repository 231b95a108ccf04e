package io.stampede.engine;

import io.stampede.api.TlsSettings;
import io.stampede.api.User;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The TLS settings a Java scenario declares with {@code public static TlsSettings tls()} on one of
 * its user classes, and which method declared them (for messages about values without a line).
 */
public record DeclaredTls(TlsSettings tls, String declaredBy) {

    /** The method name a scenario declares its TLS settings with. */
    public static final String METHOD = "tls";

    /** Finds and calls the scenario's {@code tls()}; empty when no user class declares one. */
    public static Optional<DeclaredTls> find(List<Class<? extends User>> users, Path source) {
        return StaticDeclarations.find(users, source, METHOD, TlsSettings.class, "TLS settings")
                .map(found -> new DeclaredTls(found.value(), found.declaredBy()));
    }
}
