package io.stampede.engine;

import com.sun.source.util.JavacTask;
import io.stampede.StampedeException;
import io.stampede.api.User;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a single Java scenario file at start-up against Stampede's own classpath, so a user
 * writes {@code WebsiteUser.java} and runs it with no build step. Compile errors come back as the
 * compiler's {@code file:line: message} lines.
 */
public final class ScenarioCompiler {

    /** How long a scenario class's static initializer may take before the run gives up on it. */
    static final Duration CLASS_INIT_TIMEOUT = Duration.ofSeconds(10);

    /** Compiled files by path, size and time, so reading the declared load and running the users compile once. */
    private static final Map<String, List<Class<? extends User>>> COMPILED = new ConcurrentHashMap<>();

    private ScenarioCompiler() {
    }

    /** Compiles {@code source} (once while it is unchanged) and returns every public, concrete {@link User} subclass in it. */
    public static List<Class<? extends User>> compile(Path source) {
        String key;
        try {
            key = source.toAbsolutePath().normalize() + "|" + Files.size(source) + "|" + Files.getLastModifiedTime(source).toMillis();
        } catch (IOException e) {
            key = null;
        }
        if (key == null) {
            return compileNow(source);
        }
        List<Class<? extends User>> users = COMPILED.get(key);
        if (users == null) {
            users = compileNow(source);
            COMPILED.put(key, users);
        }
        return users;
    }

    private static List<Class<? extends User>> compileNow(Path source) {
        return compile(source, ScenarioCache.forThisProcess());
    }

    /** Compiles {@code source}, or loads its classes from {@code cache} when they are there. */
    static List<Class<? extends User>> compile(Path source, Optional<ScenarioCache> cache) {
        if (!Files.isRegularFile(source)) {
            throw new StampedeException.BadInput(source + ": scenario file not found");
        }
        if (!source.toString().endsWith(".java")) {
            throw new StampedeException.BadInput(source + ": a scenario file is a .java source file");
        }
        Path kept = null;
        if (cache.isPresent()) {
            try {
                kept = cache.get().folderFor(source, Files.readAllBytes(source));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (ScenarioCache.isComplete(kept)) {
                return load(kept, source);
            }
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new StampedeException.CannotRun("compiling " + source + " needs a JDK, but this Java has no compiler");
        }
        Path classes;
        try {
            if (kept != null) {
                classes = cache.get().workFolder();
            } else {
                // read back into memory and deleted right after compiling (below): a folder left for
                // a shutdown hook stays behind when the process is killed
                classes = Files.createTempDirectory("stampede-scenario");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                    "-proc:none", "-nowarn", "-encoding", "UTF-8");
            StringWriter out = new StringWriter();
            JavaCompiler.CompilationTask task = compiler.getTask(out, files, diagnostics, options, null,
                    files.getJavaFileObjects(source.toFile()));
            ExitRule.addTo((JavacTask) task);
            boolean ok = task.call();
            if (!ok) {
                ScenarioCache.delete(classes);
                throw new StampedeException.BadInput(format(diagnostics, source));
            }
        } catch (IOException e) {
            deleteQuietly(kept == null ? classes : null);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteQuietly(kept == null ? classes : null);
            throw e;
        }
        if (kept != null) {
            return load(ScenarioCache.keep(classes, kept), source);
        }
        try {
            Map<String, byte[]> bytes = classBytes(classes);
            return load(new InMemory(bytes), bytes.keySet(), source);
        } finally {
            deleteQuietly(classes);
        }
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try {
            ScenarioCache.delete(folder);
        } catch (IOException | RuntimeException leftBehind) {
            // a temporary folder: the system's cleaner takes it
        }
    }

    /** Every class file under {@code classes}, by binary name, in the order of their file names. */
    private static Map<String, byte[]> classBytes(Path classes) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        try (Stream<Path> found = Files.walk(classes)) {
            for (Path file : found.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                bytes.put(binaryName(classes, file), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    private static String binaryName(Path classes, Path file) {
        return classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
    }

    /** A scenario's classes defined from bytes held in memory: nothing on disk to clean up. */
    private static final class InMemory extends ClassLoader {
        private final Map<String, byte[]> classes;

        InMemory(Map<String, byte[]> classes) {
            super(ScenarioCompiler.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    private static String format(DiagnosticCollector<JavaFileObject> diagnostics, Path source) {
        List<String> lines = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                lines.add(source + ":" + d.getLineNumber() + ":" + d.getColumnNumber() + ": error: "
                        + d.getMessage(Locale.ROOT));
            }
        }
        return lines.isEmpty() ? source + ": does not compile" : String.join("\n", lines);
    }

    /**
     * Runs a user class's static initializer now, on a thread of its own and with a bound: one that
     * throws or never ends is the scenario's mistake, reported with its file (exit 2), not an
     * exception in the middle of the run or a main thread that hangs.
     */
    private static void initialize(Class<? extends User> type, Path source) {
        Throwable[] failed = new Throwable[1];
        Thread init = Thread.ofPlatform().daemon().name("stampede-scenario-init").start(() -> {
            try {
                Class.forName(type.getName(), true, type.getClassLoader());
            } catch (Throwable e) {
                failed[0] = e instanceof ExceptionInInitializerError init1 && init1.getCause() != null ? init1.getCause() : e;
            }
        });
        try {
            if (!init.join(CLASS_INIT_TIMEOUT)) {
                throw new StampedeException.BadInput(source + ": the static initializer of " + type.getSimpleName()
                        + " did not finish within " + CLASS_INIT_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StampedeException.CannotRun("interrupted while " + type.getSimpleName() + " was initialized");
        }
        if (failed[0] != null) {
            throw new StampedeException.BadInput(source + ": the static initializer of " + type.getSimpleName()
                    + " threw " + failed[0].getClass().getName()
                    + (failed[0].getMessage() == null ? "" : ": " + failed[0].getMessage().lines().findFirst().orElse("")));
        }
    }

    private static List<Class<? extends User>> load(Path classes, Path source) {
        try {
            URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                    ScenarioCompiler.class.getClassLoader());
            return load(loader, classBytes(classes).keySet(), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Class<? extends User>> load(ClassLoader loader, Collection<String> names, Path source) {
        List<Class<? extends User>> users = new ArrayList<>();
        try {
            for (String name : names) {
                Class<?> type = loader.loadClass(name);
                if (User.class.isAssignableFrom(type) && Modifier.isPublic(type.getModifiers())
                        && !Modifier.isAbstract(type.getModifiers())) {
                    users.add(type.asSubclass(User.class));
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            throw new StampedeException.BadInput(source + ": cannot load compiled classes: " + e);
        }
        if (users.isEmpty()) {
            throw new StampedeException.BadInput(source + ": no public class extending io.stampede.api.User");
        }
        users.forEach(type -> initialize(type, source));
        return users;
    }
}
