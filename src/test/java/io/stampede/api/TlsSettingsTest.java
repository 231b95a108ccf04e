package io.stampede.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Touches the whole TLS DSL, so a change that breaks scenario files fails the build here first. */
class TlsSettingsTest {

    @Test
    void keepsEveryValueUnderThePlanKeyWithTheLineThatSetIt() {
        int line = currentLine() + 1;
        TlsSettings tls = TlsSettings.caFile("ca.pem").caPassword("changeit").clientCertificate("u.pem", "u.key").versions("1.2", "1.3");
        assertThat(tls.settings()).containsExactly(
                new Load.Setting("caFile", "ca.pem", line),
                new Load.Setting("caPassword", "changeit", line),
                new Load.Setting("cert", "u.pem", line),
                new Load.Setting("key", "u.key", line),
                new Load.Setting("minVersion", "1.2", line),
                new Load.Setting("maxVersion", "1.3", line));
    }

    @Test
    void immutableWithALaterValueReplacingAnEarlierOne() {
        TlsSettings base = TlsSettings.systemCas();
        TlsSettings p12 = base.clientKeyStore("a.p12", "one").clientKeyStore("b.p12", "two");
        assertThat(base.settings()).isEmpty();
        assertThat(p12.settings()).extracting(Load.Setting::key, Load.Setting::value)
                .containsExactly(Tuple.tuple("cert", "b.p12"), Tuple.tuple("password", "two"));
        assertThat(TlsSettings.insecure().settings()).extracting(Load.Setting::key, Load.Setting::value)
                .containsExactly(Tuple.tuple("insecure", "true"));
    }

    @Test
    void aHostHasItsOwnSettingsAndALaterEntryForItReplacesTheEarlier() {
        int line = currentLine() + 1;
        TlsSettings tls = TlsSettings.caFile("ca.pem").host("auth.local:9443", TlsSettings.insecure())
                .host("AUTH.local:9443", TlsSettings.caFile("auth-ca.pem")).host("other.local", TlsSettings.insecure());
        assertThat(tls.hosts()).extracting(TlsSettings.Host::host, TlsSettings.Host::line)
                .containsExactly(Tuple.tuple("AUTH.local:9443", line + 1), Tuple.tuple("other.local", line + 1));
        assertThat(tls.hosts().get(0).tls().settings()).extracting(Load.Setting::key, Load.Setting::value)
                .containsExactly(Tuple.tuple("caFile", "auth-ca.pem"));
        assertThat(tls.settings()).extracting(Load.Setting::key).containsExactly("caFile");
    }

    private static int currentLine() {
        return StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst().orElseThrow().getLineNumber());
    }
}
