package io.stampede.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.StampedeException;
import io.stampede.engine.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid YAML is read as YAML means it (anchors, aliases, merge keys), or refused with its line. */
class YamlInputTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Plan plan(String yaml) throws IOException {
        return PlanFile.draft(write(yaml)).toPlan();
    }

    private String error(String yaml) throws IOException {
        Path file = write(yaml);
        try {
            PlanFile.draft(file).toPlan();
        } catch (StampedeException.BadInput e) {
            assertThat(e.exitCode()).isEqualTo(2);
            return e.getMessage().replace(file.toString(), "plan.yaml");
        }
        throw new AssertionError("expected a bad-input error for:\n" + yaml);
    }

    @Test
    void aliasesExpandToTheAnchoredValue() throws IOException {
        Plan plan = plan("""
                x-defaults:
                  url: &url http://127.0.0.1:5001
                  check: &check { get: /health, expect: { status: 200 } }
                name: &name lab
                host: *url
                results: *name
                tasks:
                  - *check
                  - { <<: *check, weight: 3 }
                """);
        assertThat(plan.host()).isEqualTo("http://127.0.0.1:5001");
        assertThat(plan.output().resultsDir()).contains(dir.resolve("lab"));
        Scenario.Declared declared = (Scenario.Declared) plan.scenario();
        assertThat(declared.users().get(0).tasks()).extracting(Scenario.TaskSpec::weight).containsExactly(1, 3);
        assertThat(((Scenario.RequestSpec) declared.users().get(0).tasks().get(1).steps().get(0)).path()).isEqualTo("/health");
    }

    @Test
    void anUndefinedAliasIsRefused() throws IOException {
        assertThat(error("host: *url\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:1:7: host: the alias *url names no anchor &url above it");
    }

    @Test
    void aliasesThatMultiplyAreStopped() throws IOException {
        StringBuilder yaml = new StringBuilder("x-a: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n");
        for (int level = 1; level <= 8; level++) {
            yaml.append("x-").append(level).append(": &a").append(level).append(" [");
            yaml.append(("*a" + (level - 1) + ", ").repeat(9)).append("*a").append(level - 1).append("]\n");
        }
        assertThat(error(yaml + "host: http://127.0.0.1:5001\ntasks: [ { get: / } ]\n"))
                .endsWith(": aliases expand to more than 100000 values; a plan needs far fewer");
    }

    @Test
    void aKeyWrittenTwiceIsRefused() throws IOException {
        assertThat(error("host: http://127.0.0.1:5001\nload: { users: 5 }\nhost: http://127.0.0.1:5002\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:3:1: duplicate key 'host' (first at line 1); give each key once");
        assertThat(error("host: http://127.0.0.1:5001\nload:\n  users: 5\n  users: 6\ntasks: [ { get: / } ]\n"))
                .isEqualTo("plan.yaml:4:3: load: duplicate key 'users' (first at line 3); give each key once");
    }

    @Test
    void aSecondDocumentIsRefused() throws IOException {
        assertThat(error("host: http://127.0.0.1:5001\ntasks: [ { get: / } ]\n---\nhost: http://127.0.0.1:5002\n"))
                .isEqualTo("plan.yaml:3:1: a second YAML document (after '---'); a plan file holds one");
    }

    @Test
    void tabsGetSnakeYamlsHint() throws IOException {
        assertThat(error("host: http://127.0.0.1:5001\ntasks:\n\t- { get: / }\n"))
                .isEqualTo("plan.yaml:3:1: not valid YAML: while scanning for the next token: found character '\\t(TAB)'"
                        + " that cannot start any token. (Do not use \\t(TAB) for indentation)");
    }

    @Test
    void textThatIsNotUtf8IsRefused() throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        Assertions.assertThatThrownBy(() -> PlanFile.draft(file))
                .hasMessage(file + ": not UTF-8 text; save the plan as UTF-8");
    }

    @Test
    void aPlanAboveTheSizeCapIsRefusedBeforeItIsParsed() throws IOException {
        String line = "host: http://127.0.0.1:5001\ntasks: [ " + "{ get: / }, ".repeat(100_000) + "{ get: / } ]\n";
        assertThat(error(line)).isEqualTo("plan.yaml: the plan file is 1.1 MiB (1,200,050 bytes); a plan file is at most 1 MiB");
    }
}
