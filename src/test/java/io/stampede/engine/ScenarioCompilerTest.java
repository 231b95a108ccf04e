package io.stampede.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.StampedeException;
import io.stampede.api.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("index", 3),
                        org.assertj.core.groups.Tuple.tuple("health", 1));
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
}
