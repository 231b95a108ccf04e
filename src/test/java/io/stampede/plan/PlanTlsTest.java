package io.stampede.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.StampedeException;
import io.stampede.engine.Scenario;
import io.stampede.http.TlsDraft;
import io.stampede.input.Located;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan file's {@code http.tls} section and absolute URLs in tasks. */
class PlanTlsTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("plan.yaml"), yaml);
    }

    @Test
    void tlsKeysKeepWhereTheyWereWrittenAndFilesAreRelativeToThePlan() throws IOException {
        PlanDraft draft = PlanFile.read(write("""
                host: https://127.0.0.1:8443
                http:
                  tls: { caFile: certs/ca.pem, insecure: false, cert: u.p12, password: s3cret, minVersion: "1.3" }
                tasks: [ { get: / } ]
                """));
        TlsDraft tls = draft.tls();
        assertThat(tls.caFile().value()).isEqualTo(dir.resolve("certs/ca.pem"));
        assertThat(tls.caFile().where()).endsWith("plan.yaml:3:18: http.tls.caFile");
        assertThat(tls.cert().value()).isEqualTo(dir.resolve("u.p12"));
        assertThat(tls.password().value()).isEqualTo("s3cret");
        assertThat(tls.minVersion().value()).isEqualTo("1.3");
        assertThat(tls.insecure().value()).isEqualTo("false");
        assertThat(tls.key()).isNull();
    }

    @Test
    void flagsWinOverThePlanAndAJavaScenarioIsUnderBoth() throws IOException {
        PlanDraft draft = PlanFile.read(write("""
                host: https://127.0.0.1:8443
                http: { tls: { caFile: plan-ca.pem, maxVersion: "1.3" } }
                tasks: [ { get: / } ]
                """));
        draft.tlsUnder(new TlsDraft(new Located<>(Path.of("java-ca.pem"), "java"), null, null, null, null,
                null, new Located<>("1.2", "java"), null));
        draft.tls(new TlsDraft(null, null, new Located<>("true", "--insecure"), null, null, null, null, null));
        assertThat(draft.tls().caFile().value()).isEqualTo(dir.resolve("plan-ca.pem"));
        assertThat(draft.tls().minVersion().where()).isEqualTo("java");
        assertThat(draft.tls().insecure().where()).isEqualTo("--insecure");
    }

    @Test
    void eachHostsSettingsKeepWhereTheyWereWritten() throws IOException {
        Path file = write("""
                host: https://127.0.0.1:8443
                http:
                  tls:
                    caFile: ca.pem
                    hosts:
                      "auth.local:9443": { caFile: auth/ca.pem, insecure: false }
                      other.local: { insecure: true }
                tasks: [ { get: / } ]
                """);
        TlsDraft tls = PlanFile.read(file).tls();
        assertThat(tls.caFile().value()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(tls.hosts()).extracting(h -> h.host().value()).containsExactly("auth.local:9443", "other.local");
        TlsDraft.HostTls auth = tls.hosts().get(0);
        assertThat(auth.host().where()).isEqualTo(file + ":6:26: http.tls.hosts.auth.local:9443");
        assertThat(auth.tls().caFile().value()).isEqualTo(dir.resolve("auth/ca.pem"));
        assertThat(auth.tls().caFile().where()).endsWith("plan.yaml:6:36: http.tls.hosts.auth.local:9443.caFile");
        assertThat(tls.hosts().get(1).tls().insecure().value()).isEqualTo("true");
        Path bad = write("""
                host: https://127.0.0.1:8443
                http: { tls: { hosts: { a.local: { hosts: {} } } } }
                tasks: [ { get: / } ]
                """);
        try {
            PlanFile.read(bad);
            throw new AssertionError("expected bad input");
        } catch (StampedeException.BadInput e) {
            assertThat(e.getMessage()).isEqualTo(bad + ":2:43: http.tls.hosts.a.local: unknown key 'hosts'; valid keys: caFile,"
                    + " caPassword, insecure, cert, key, password, minVersion, maxVersion");
        }
    }

    @Test
    void anUnknownTlsKeyListsTheValidOnes() throws IOException {
        Path file = write("""
                host: https://127.0.0.1:8443
                http: { tls: { cafile: ca.pem } }
                tasks: [ { get: / } ]
                """);
        try {
            PlanFile.read(file);
            throw new AssertionError("expected bad input");
        } catch (StampedeException.BadInput e) {
            assertThat(e.getMessage()).isEqualTo(file + ":2:24: http.tls: unknown key 'cafile'; valid keys: caFile, caPassword, insecure,"
                    + " cert, key, password, minVersion, maxVersion, hosts");
        }
    }

    @Test
    void aTaskMayCallAnotherHostByAbsoluteUrl() throws IOException {
        Plan plan = PlanFile.read(write("""
                host: http://127.0.0.1:5001
                tasks:
                  - { get: "https://localhost:9443/token?x=1" }
                """)).toPlan();
        Scenario.Declared declared = (Scenario.Declared) plan.scenario();
        assertThat(((Scenario.RequestSpec) declared.users().get(0).tasks().get(0).steps().get(0)).path()).isEqualTo("https://localhost:9443/token?x=1");
        Path bad = write("""
                host: http://127.0.0.1:5001
                tasks: [ { get: "https://localhost:99999/x" } ]
                """);
        try {
            PlanFile.read(bad);
            throw new AssertionError("expected bad input");
        } catch (StampedeException.BadInput e) {
            assertThat(e.getMessage()).startsWith(bad + ":2:17: tasks[0].get: ").contains("port 99999 is out of range 1..65535");
        }
    }
}
