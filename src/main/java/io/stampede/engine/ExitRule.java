package io.stampede.engine;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Refuses scenario code that would end the process ({@code System.exit}, {@code Runtime.exit},
 * {@code Runtime.halt}): the verdict decides the exit code, and an exit from a task would skip the
 * rollback of faults and the results. Checked on resolved symbols once javac has attributed each
 * class, so {@code java.lang.System.exit(0)}, a static import, {@code Runtime.getRuntime().halt(1)}
 * through a variable and a method reference {@code System::exit} are all caught; each is a compile
 * error at its line and column. Reflection is not caught here; the run's shutdown hook still ends a
 * run stopped that way as interrupted.
 */
final class ExitRule implements TaskListener {

    /** Bumped when the rule changes, so the compile cache never serves classes compiled before it. */
    static final String VERSION = "exit-rule-1";

    private static final Map<String, Set<String>> REFUSED = Map.of(
            "java.lang.System", Set.of("exit"),
            "java.lang.Runtime", Set.of("exit", "halt"));

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
                return super.visitMethodInvocation(call, unused);
            }

            @Override
            public Void visitMemberReference(MemberReferenceTree reference, Void unused) {
                check(getCurrentPath(), reference, unit);
                return super.visitMemberReference(reference, unused);
            }
        }.scan(classPath, null);
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
