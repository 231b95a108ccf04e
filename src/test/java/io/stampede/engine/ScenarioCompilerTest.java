package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.StampedeException;
import io.stampede.api.Load;
import io.stampede.api.User;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.tools.ToolProvider;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioCompilerTest {

    @TempDir
    Path dir;

    @Test
    void compilesTheExampleAndFindsItsUserClass() {
        List<Class<? extends User>> users = ScenarioCompiler.compile(Path.of("examples/WebsiteUser.java"));
        assertThat(users).extracting(Class::getSimpleName).containsExactly("WebsiteUser");
        UserType type = UserTypes.fromClass(users.get(0), "WebsiteUser.java");
        assertThat(type.tasks()).extracting(UserType.TaskDef::name, UserType.TaskDef::weight)
                .containsExactlyInAnyOrder(Tuple.tuple("index", 3),
                        Tuple.tuple("health", 1));
    }

    @Test
    void compileErrorsComeBackAsFileLineMessages() throws Exception {
        Path source = dir.resolve("Broken.java");
        Files.writeString(source, """
                import io.stampede.api.*;
                public class Broken extends User {
                    @Task public void index() { http().gett("/"); }
                }
                """);
        assertThatThrownBy(() -> ScenarioCompiler.compile(source))
                .isInstanceOf(StampedeException.BadInput.class)
                .hasMessageStartingWith(source + ":3:")
                .hasMessageContaining("error: cannot find symbol");
    }

    @Test
    void aFileWithoutUsersIsRejected() throws Exception {
        Path source = dir.resolve("Nothing.java");
        Files.writeString(source, "public class Nothing { }\n");
        assertThatThrownBy(() -> ScenarioCompiler.compile(source))
                .hasMessage(source + ": no public class extending io.stampede.api.User");
    }

    @Test
    void malformedUserClassesAreExplained() throws Exception {
        Path source = dir.resolve("Users.java");
        Files.writeString(source, """
                import io.stampede.api.*;
                public class Users {
                    public static class NoTasks extends User { }
                    public static class TaskWithArgs extends User { @Task public void go(int n) { } }
                    @Sequential public static class SameOrder extends User {
                        @Task(order = 1) public void a() { }
                        @Task(order = 1) public void b() { }
                    }
                }
                """);
        List<Class<? extends User>> users = ScenarioCompiler.compile(source);
        assertThat(users).hasSize(3);
        for (Class<? extends User> type : users) {
            assertThatThrownBy(() -> UserTypes.fromClass(type, "Users.java"))
                    .isInstanceOf(StampedeException.BadInput.class)
                    .hasMessageStartingWith("Users.java: class " + type.getSimpleName());
        }
    }

    @Test
    void theArrivalRateExampleDeclaresAnOpenModel() {
        Path source = Path.of("examples/ArrivalRateUser.java");
        DeclaredLoad declared = DeclaredLoad.find(ScenarioCompiler.compile(source), source).orElseThrow();
        assertThat(declared.load()).isInstanceOf(Load.Open.class);
        assertThat(declared.load().stages()).hasSize(2);
        assertThat(DeclaredLoad.find(ScenarioCompiler.compile(Path.of("examples/WebsiteUser.java")), source)).isEmpty();
    }

    @Test
    void theLoadIsDeclaredOnceAndPublicStatic() throws Exception {
        Path twice = dir.resolve("Twice.java");
        Files.writeString(twice, """
                import io.stampede.api.*;
                public class Twice extends User {
                    public static Load load() { return Load.users(1); }
                    @Task public void a() { }
                    public static class Other extends User {
                        public static Load load() { return Load.users(2); }
                        @Task public void b() { }
                    }
                }
                """);
        assertThatThrownBy(() -> DeclaredLoad.find(ScenarioCompiler.compile(twice), twice))
                .isInstanceOf(StampedeException.BadInput.class)
                .hasMessage(twice + ": [Other.load(), Twice.load()] each declare the load; declare it once per scenario file");
        Path instance = dir.resolve("Instance.java");
        Files.writeString(instance, """
                import io.stampede.api.*;
                public class Instance extends User {
                    public Load load() { return Load.users(1); }
                    @Task public void a() { }
                }
                """);
        assertThatThrownBy(() -> DeclaredLoad.find(ScenarioCompiler.compile(instance), instance))
                .hasMessage(instance + ": Instance.load() must be declared 'public static Load load()' to set the load");
    }

    @Test
    void aFolderKeptByAnotherRunMeanwhileIsUsedAndTheOwnWorkDropped() throws Exception {
        ScenarioCache cache = new ScenarioCache(dir.resolve("cache"), "stamp");
        Path folder = cache.folderFor(dir.resolve("Same.java"), "class Same {}".getBytes(StandardCharsets.UTF_8));
        Path first = cache.workFolder();
        Files.writeString(first.resolve("Same.class"), "first");
        assertThat(ScenarioCache.keep(first, folder)).isEqualTo(folder);
        Path second = cache.workFolder(); // compiled at the same time, kept second: rename(2) says ENOTEMPTY
        Files.writeString(second.resolve("Same.class"), "second");
        assertThat(ScenarioCache.keep(second, folder)).isEqualTo(folder);
        assertThat(second).doesNotExist();
        assertThat(Files.readString(folder.resolve("Same.class"))).isEqualTo("first");
    }

    @Test
    void anUnchangedScenarioIsLoadedFromTheCacheWithoutCompiling() throws Exception {
        Path source = dir.resolve("Cached.java");
        Files.writeString(source, """
                import io.stampede.api.*;
                public class Cached extends User {
                    @Task public void index() { http().get("/"); }
                }
                """);
        ScenarioCache cache = new ScenarioCache(dir.resolve("cache"), "stamp");
        List<Class<? extends User>> first = ScenarioCompiler.compile(source, Optional.of(cache));
        Path folder = cache.folderFor(source, Files.readAllBytes(source));
        assertThat(ScenarioCache.isComplete(folder)).isTrue();
        assertThat(folder.resolve("Cached.class")).exists();

        // Proof that the second load does not compile: the kept class file is what gets loaded.
        Files.writeString(folder.resolve("marker"), "kept");
        List<Class<? extends User>> second = ScenarioCompiler.compile(source, Optional.of(cache));
        assertThat(second).extracting(Class::getSimpleName).containsExactly("Cached");
        assertThat(second.get(0)).isNotSameAs(first.get(0)); // a new class loader over the same folder
        assertThat(folder.resolve("marker")).exists();

        // A change to the source, or another Stampede, is another folder.
        Files.writeString(source, Files.readString(source).replace("\"/\"", "\"/health\""));
        assertThat(cache.folderFor(source, Files.readAllBytes(source))).isNotEqualTo(folder);
        assertThat(new ScenarioCache(dir.resolve("cache"), "other").folderFor(source, Files.readAllBytes(source)))
                .isNotEqualTo(cache.folderFor(source, Files.readAllBytes(source)));
    }

    @Test
    void aScenarioThatDoesNotCompileLeavesNothingInTheCache() throws Exception {
        Path source = dir.resolve("Broken.java");
        Files.writeString(source, "public class Broken extends io.stampede.api.User { int x = ; }\n");
        ScenarioCache cache = new ScenarioCache(dir.resolve("cache"), "stamp");
        assertThatThrownBy(() -> ScenarioCompiler.compile(source, Optional.of(cache)))
                .isInstanceOf(StampedeException.BadInput.class);
        try (var left = Files.list(dir.resolve("cache"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void classesCompiledBeforeTheExitRuleAreNotServedFromTheCache() throws Exception {
        Path source = dir.resolve("Quitter.java");
        Files.writeString(source, """
                import io.stampede.api.*;
                public class Quitter extends User {
                    @Task public void index() { System.exit(0); }
                }
                """);
        byte[] content = Files.readAllBytes(source);
        // The folder a Stampede without the rule would have kept them in: the same key without its version.
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("stamp".getBytes(StandardCharsets.UTF_8));
        sha.update("Quitter.java".getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(content);
        Path old = dir.resolve("cache").resolve(HexFormat.of().formatHex(sha.digest(), 0, 16));
        Files.createDirectories(old);
        ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", old.toString(),
                "-classpath", System.getProperty("java.class.path"), source.toString());
        Files.writeString(old.resolve(".complete"), "");

        ScenarioCache cache = new ScenarioCache(dir.resolve("cache"), "stamp");
        assertThat(cache.folderFor(source, content)).isNotEqualTo(old);
        assertThatThrownBy(() -> ScenarioCompiler.compile(source, Optional.of(cache)))
                .isInstanceOf(StampedeException.BadInput.class)
                .hasMessage(source + ":3:39: error: System.exit is not allowed in a scenario: Stampede's verdict"
                        + " decides the exit code (a task that throws counts as failed; an abortOnFail threshold stops the run)");
    }
}
