package io.stampede.engine;

import io.stampede.StampedeException;
import io.stampede.api.Load;
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
 * The load a Java scenario declares with {@code public static Load load()} on one of its user
 * classes, and which method declared it (for messages about values without a line number).
 */
public record DeclaredLoad(Load load, String declaredBy) {

    /** The method name a scenario declares its load with. */
    public static final String METHOD = "load";

    /** Finds and calls the scenario's {@code load()}; empty when no user class declares one. */
    public static Optional<DeclaredLoad> find(List<Class<? extends User>> users, Path source) {
        Set<Method> found = new LinkedHashSet<>();
        for (Class<? extends User> type : users) {
            for (Method m : type.getDeclaredMethods()) {
                if (m.getName().equals(METHOD) && Load.class.isAssignableFrom(m.getReturnType())
                        && (!Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers()) || m.getParameterCount() != 0)) {
                    throw new StampedeException.BadInput(source + ": " + type.getSimpleName() + "." + METHOD
                            + "() must be declared 'public static Load " + METHOD + "()' to set the load");
                }
            }
            for (Method m : type.getMethods()) {
                if (m.getName().equals(METHOD) && m.getParameterCount() == 0 && Modifier.isStatic(m.getModifiers())
                        && Load.class.isAssignableFrom(m.getReturnType())) {
                    found.add(m);
                }
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.size() > 1) {
            throw new StampedeException.BadInput(source + ": " + found.stream()
                    .map(m -> m.getDeclaringClass().getSimpleName() + "." + METHOD + "()").toList()
                    + " each declare the load; declare it once per scenario file");
        }
        Method method = found.iterator().next();
        String declaredBy = source + ": " + method.getDeclaringClass().getSimpleName() + "." + METHOD + "()";
        Object load;
        try {
            load = method.invoke(null);
        } catch (InvocationTargetException e) {
            throw new StampedeException.BadInput(declaredBy + " threw " + e.getCause());
        } catch (IllegalAccessException e) {
            throw new StampedeException.BadInput(declaredBy + " is not accessible: " + e.getMessage());
        }
        if (load == null) {
            throw new StampedeException.BadInput(declaredBy + " returned null");
        }
        return Optional.of(new DeclaredLoad((Load) load, declaredBy));
    }
}
