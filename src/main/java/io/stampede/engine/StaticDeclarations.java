package io.stampede.engine;

import io.stampede.StampedeException;
import io.stampede.api.User;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds and calls a {@code public static T name()} a scenario declares once on one of its user
 * classes ({@code load()}, {@code tls()}); a wrong signature, two declarations, a throw or a null
 * is bad input naming the file and the method.
 */
final class StaticDeclarations {

    private StaticDeclarations() {
    }

    /** A declared value and which method declared it: {@code "File.java: WebsiteUser.load()"}. */
    record Found<T>(T value, String declaredBy) {
    }

    /**
     * @param what the value's name in messages: "load", "TLS settings"
     */
    static <T> Optional<Found<T>> find(List<Class<? extends User>> users, Path source, String method, Class<T> type,
                                       String what) {
        Set<Method> found = new LinkedHashSet<>();
        for (Class<? extends User> user : users) {
            for (Method m : user.getDeclaredMethods()) {
                if (m.getName().equals(method) && type.isAssignableFrom(m.getReturnType())
                        && (!Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers()) || m.getParameterCount() != 0)) {
                    throw new StampedeException.BadInput(source + ": " + user.getSimpleName() + "." + method
                            + "() must be declared 'public static " + type.getSimpleName() + " " + method + "()' to set the " + what);
                }
            }
            for (Method m : user.getMethods()) {
                if (m.getName().equals(method) && m.getParameterCount() == 0 && Modifier.isStatic(m.getModifiers())
                        && type.isAssignableFrom(m.getReturnType())) {
                    found.add(m);
                }
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.size() > 1) {
            throw new StampedeException.BadInput(source + ": " + found.stream()
                    .map(m -> m.getDeclaringClass().getSimpleName() + "." + method + "()").toList()
                    + " each declare the " + what + "; declare it once per scenario file");
        }
        Method declaration = found.iterator().next();
        String declaredBy = source + ": " + declaration.getDeclaringClass().getSimpleName() + "." + method + "()";
        Object value;
        try {
            value = declaration.invoke(null);
        } catch (InvocationTargetException e) {
            throw new StampedeException.BadInput(declaredBy + " threw " + e.getCause());
        } catch (IllegalAccessException e) {
            throw new StampedeException.BadInput(declaredBy + " is not accessible: " + e.getMessage());
        }
        if (value == null) {
            throw new StampedeException.BadInput(declaredBy + " returned null");
        }
        return Optional.of(new Found<>(type.cast(value), declaredBy));
    }
}
