package io.stampede.engine;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Refuses scenario code that would end the process ({@code System.exit}, {@code Runtime.exit},
 * {@code Runtime.halt}): the verdict decides the exit code, and an exit from a task would skip the
 * rollback of faults and the results. Checked on resolved symbols once javac has attributed each
 * class, so {@code java.lang.System.exit(0)}, a static import, {@code Runtime.getRuntime().halt(1)}
 * through a variable and a method reference {@code System::exit} are all caught; each is a compile
 * error at its line and column. A reflective lookup whose name is visible in the source
 * ({@code System.class.getMethod("exit", int.class)}, {@code lookup.findStatic(System.class, "exit", ...)})
 * is refused the same way. A name computed at run time cannot be seen here: for that, the run's
 * shutdown hook asks {@link #signalled()} whether a signal ended the process, and when none did,
 * scenario code did, and the run ends as aborted with {@link #SCENARIO_EXIT_REASON} (never a pass;
 * {@code Runtime.halt} by reflection skips every hook and ends the process with its own code).
 */
public final class ExitRule implements TaskListener {

    /** Bumped when the rule changes, so the compile cache never serves classes compiled before it. */
    static final String VERSION = "exit-rule-2";
    /** Why a run ended by an exit that no signal caused is aborted. */
    public static final String SCENARIO_EXIT_REASON = "scenario code called System.exit";

    private static final Map<String, Set<String>> REFUSED = Map.of(
            "java.lang.System", Set.of("exit"),
            "java.lang.Runtime", Set.of("exit", "halt"));
    /** Reflective lookups by name: refused when a literal name among their arguments is a refused one. */
    private static final Map<String, Set<String>> LOOKUPS = Map.of(
            "java.lang.Class", Set.of("getMethod", "getDeclaredMethod"),
            "java.lang.invoke.MethodHandles.Lookup", Set.of("findStatic", "findVirtual", "findSpecial", "bind"));
    private static final Set<String> EXIT_NAMES = Set.of("exit", "halt");
    private static final List<String> SIGNALS = List.of("TERM", "INT", "HUP");
    private static final AtomicReference<String> SIGNALLED = new AtomicReference<>();
    private static final AtomicBoolean WATCHING = new AtomicBoolean();

    private final Trees trees;

    private ExitRule(JavacTask task) {
        this.trees = Trees.instance(task);
    }

    /** Adds the rule to a compilation. */
    static void addTo(JavacTask task) {
        task.addTaskListener(new ExitRule(task));
    }

    @Override
    public void finished(TaskEvent event) {
        if (event.getKind() != TaskEvent.Kind.ANALYZE || event.getCompilationUnit() == null) {
            return;
        }
        CompilationUnitTree unit = event.getCompilationUnit();
        TreePath classPath = event.getTypeElement() == null ? null : trees.getPath(event.getTypeElement());
        if (classPath == null) {
            return;
        }
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                check(new TreePath(getCurrentPath(), call.getMethodSelect()), call.getMethodSelect(), unit);
                checkLookup(new TreePath(getCurrentPath(), call.getMethodSelect()), call, unit);
                return super.visitMethodInvocation(call, unused);
            }

            @Override
            public Void visitMemberReference(MemberReferenceTree reference, Void unused) {
                check(getCurrentPath(), reference, unit);
                return super.visitMemberReference(reference, unused);
            }
        }.scan(classPath, null);
    }

    /** {@code getMethod("exit", ...)}, {@code findStatic(System.class, "halt", ...)}: a lookup of a refused name. */
    private void checkLookup(TreePath select, MethodInvocationTree call, CompilationUnitTree unit) {
        Element method = trees.getElement(select);
        if (method == null || method.getKind() != ElementKind.METHOD
                || !(method.getEnclosingElement() instanceof TypeElement owner)
                || !LOOKUPS.getOrDefault(owner.getQualifiedName().toString(), Set.of()).contains(method.getSimpleName().toString())) {
            return;
        }
        for (ExpressionTree argument : call.getArguments()) {
            if (argument instanceof LiteralTree literal && literal.getValue() instanceof String name && EXIT_NAMES.contains(name)) {
                trees.printMessage(Diagnostic.Kind.ERROR, "a reflective lookup of '" + name + "' is not allowed in a"
                        + " scenario: Stampede's verdict decides the exit code (a task that throws counts as failed;"
                        + " an abortOnFail threshold stops the run)", argument, unit);
            }
        }
    }

    /**
     * Records which of SIGTERM, SIGINT and SIGHUP reaches the process, then lets the JVM's own
     * handling go on (its shutdown); a signal the process ignores (nohup) stays ignored. Idempotent.
     */
    public static void watchSignals() {
        if (!WATCHING.compareAndSet(false, true)) {
            return;
        }
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                SignalHandler[] previous = new SignalHandler[1];
                previous[0] = Signal.handle(signal, s -> {
                    SIGNALLED.compareAndSet(null, "SIG" + name);
                    if (previous[0] == SignalHandler.SIG_DFL || previous[0] == null) {
                        System.exit(128 + s.getNumber());
                    } else {
                        previous[0].handle(s);
                    }
                });
                if (previous[0] == SignalHandler.SIG_IGN) {
                    Signal.handle(signal, SignalHandler.SIG_IGN);
                }
            } catch (IllegalArgumentException | UnsupportedOperationException notHere) {
                // this JVM does not let the signal be handled (-Xrs): an exit then reads as the scenario's
            }
        }
    }

    /** The signal that started the JVM's shutdown ("SIGTERM", ...), or null: then an exit() call did. */
    public static String signalled() {
        return SIGNALLED.get();
    }

    private void check(TreePath path, Tree at, CompilationUnitTree unit) {
        Element method = trees.getElement(path);
        if (method == null || method.getKind() != ElementKind.METHOD
                || !(method.getEnclosingElement() instanceof TypeElement owner)) {
            return;
        }
        String ownerName = owner.getQualifiedName().toString();
        String name = method.getSimpleName().toString();
        if (REFUSED.getOrDefault(ownerName, Set.of()).contains(name)) {
            trees.printMessage(Diagnostic.Kind.ERROR, owner.getSimpleName() + "." + name + " is not allowed in a"
                    + " scenario: Stampede's verdict decides the exit code (a task that throws counts as failed;"
                    + " an abortOnFail threshold stops the run)", at, unit);
        }
    }
}
