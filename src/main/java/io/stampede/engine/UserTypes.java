package io.stampede.engine;

import io.stampede.StampedeException;
import io.stampede.api.Check;
import io.stampede.api.Request;
import io.stampede.api.Sequential;
import io.stampede.api.Tag;
import io.stampede.api.Task;
import io.stampede.api.User;
import io.stampede.api.WaitTime;
import io.stampede.api.Weight;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns user classes and declared users into {@link UserType}s, with clear errors for malformed classes. */
public final class UserTypes {

    private UserTypes() {
    }

    /** Reads a {@link User} subclass: its {@link Task} methods, {@link Tag}s, {@link Weight} and {@link Sequential}. */
    public static UserType fromClass(Class<? extends User> type, String source) {
        String where = source + ": class " + type.getSimpleName();
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            throw new StampedeException.BadInput(where + " must be public and not abstract");
        }
        Constructor<? extends User> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new StampedeException.BadInput(where + " needs a public constructor without arguments");
        }
        boolean sequential = type.isAnnotationPresent(Sequential.class);
        List<Method> methods = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (method.isAnnotationPresent(Task.class)) {
                if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())) {
                    throw new StampedeException.BadInput(where + ": task " + method.getName()
                            + "() must be an instance method without parameters");
                }
                methods.add(method);
            }
        }
        if (methods.isEmpty()) {
            throw new StampedeException.BadInput(where + " has no public @Task method");
        }
        methods.sort(sequential
                ? Comparator.comparingInt((Method m) -> m.getAnnotation(Task.class).order()).thenComparing(Method::getName)
                : Comparator.comparing(Method::getName));
        if (sequential) {
            Set<Integer> orders = new HashSet<>();
            for (Method m : methods) {
                if (!orders.add(m.getAnnotation(Task.class).order())) {
                    throw new StampedeException.BadInput(where + " is @Sequential but two tasks have order "
                            + m.getAnnotation(Task.class).order());
                }
            }
        }
        List<UserType.TaskDef> tasks = new ArrayList<>();
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        for (Method method : methods) {
            Task task = method.getAnnotation(Task.class);
            if (task.weight() < 0) {
                throw new StampedeException.BadInput(where + ": task " + method.getName() + "() has a negative weight");
            }
            Set<String> tags = method.isAnnotationPresent(Tag.class)
                    ? Set.of(method.getAnnotation(Tag.class).value()) : Set.of();
            MethodHandle handle;
            try {
                handle = lookup.findVirtual(type, method.getName(), MethodType.methodType(method.getReturnType()))
                        .asType(MethodType.methodType(void.class, User.class));
            } catch (ReflectiveOperationException e) {
                throw new StampedeException.BadInput(where + ": task " + method.getName() + "() is not accessible");
            }
            tasks.add(new UserType.TaskDef(method.getName(), task.weight(), tags, user -> {
                handle.invokeExact(user);
            }));
        }
        int weight = type.isAnnotationPresent(Weight.class) ? type.getAnnotation(Weight.class).value() : 1;
        if (weight < 0) {
            throw new StampedeException.BadInput(where + " has a negative @Weight");
        }
        return new UserType(type.getSimpleName(), weight, () -> instantiate(constructor), tasks, sequential);
    }

    private static User instantiate(Constructor<? extends User> constructor) {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("constructor of " + constructor.getDeclaringClass().getSimpleName()
                    + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A user declared in the plan file: each task sends its steps in order. */
    public static UserType fromSpec(Scenario.UserSpec spec) {
        List<UserType.TaskDef> tasks = new ArrayList<>();
        for (Scenario.TaskSpec task : spec.tasks()) {
            List<Scenario.Step> steps = task.steps();
            tasks.add(new UserType.TaskDef(task.name(), task.weight(), task.tags(), user -> {
                for (Scenario.Step step : steps) {
                    ((DeclaredUser) user).run(step);
                }
            }));
        }
        WaitTime wait = spec.waitTime();
        return new UserType(spec.name(), spec.weight(), () -> new DeclaredUser(wait), tasks, spec.sequential());
    }

    /** The user behind plan-file tasks: no code, just requests and checks. */
    static final class DeclaredUser extends User {
        private final WaitTime wait;

        DeclaredUser(WaitTime wait) {
            this.wait = wait;
        }

        @Override
        public WaitTime waitTime() {
            return wait;
        }

        void run(Scenario.Step step) {
            switch (step) {
                case Scenario.RequestSpec request -> request(request).send();
                case Scenario.BatchSpec batch -> http().batch(batch.requests().stream().map(this::request)
                        .toArray(Request[]::new));
                case Scenario.SocketSpec socket -> DeclaredStreams.exchange(http(), socket);
                case Scenario.EventsSpec events -> DeclaredStreams.subscribe(http(), events);
            }
        }

        /** The request a step describes, with its checks, not yet sent. */
        Request request(Scenario.RequestSpec step) {
            Request request = http().request(step.method(), step.path()).name(step.name());
            if (step.version() != null) {
                request.version(step.version().written());
            }
            step.headers().forEach(request::header);
            if (step.body() != null) {
                String type = step.headers().entrySet().stream()
                        .filter(h -> h.getKey().equalsIgnoreCase("content-type"))
                        .map(Map.Entry::getValue)
                        .findFirst().orElse("text/plain; charset=utf-8");
                request.body(step.body(), type);
            }
            Scenario.Expect expect = step.expect();
            if (!expect.status().isEmpty()) {
                request.check(Check.status(expect.status().stream().mapToInt(Integer::intValue).toArray()));
            }
            if (expect.bodyContains() != null) {
                request.check(Check.bodyContains(expect.bodyContains()));
            }
            expect.json().forEach((pointer, value) -> request.check(Check.jsonField(pointer, value)));
            return request;
        }
    }
}
