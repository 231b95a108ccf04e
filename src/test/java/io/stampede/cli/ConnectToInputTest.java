package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.http.ConnectTo;
import io.stampede.input.Authority;
import io.stampede.plan.Plan;
import io.stampede.plan.PlanDraft;
import io.stampede.plan.PlanFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The plan's {@code hosts:} (k6's) and {@code run --connect-to} (curl's): what they map, which wins,
 * and bad forms as one line each naming the file, line and key or the flag, exit 2, through the exit
 * code path {@code main} ends with.
 */
class ConnectToInputTest {

    @TempDir
    Path dir;

    private Path plan(String hosts) throws Exception {
        return Files.writeString(dir.resolve("plan.yaml"), "host: https://stampede.test\n" + (hosts.isEmpty() ? "" : "hosts:\n" + hosts)
                + "tasks: [ { get: / } ]\nload: { users: 1, spawnRate: 1, runTime: 1s }\n");
    }

    @Test
    void thePlansHostsAndTheFlagsMakeOneMappingTheFlagsWinning() throws Exception {
        PlanDraft draft = PlanFile.read(plan("""
                  "stampede.test:443": "127.0.0.1:8443"
                  "API.test": "[::1]"
                """));
        RunOptions flags = new RunOptions();
        new CommandLine(flags).parseArgs("--connect-to", "stampede.test:443:127.0.0.2:9443", "--connect-to", "other.test::10.0.0.5:");
        flags.applyTo(draft);
        ConnectTo connectTo = draft.toPlan().http().connectTo();
        assertThat(connectTo.route("stampede.test", 443)).as("the flag's entry for the same key").isEqualTo(new Authority("127.0.0.2", 9443));
        assertThat(connectTo.route("api.test", 8080)).as("a name alone: any port, kept").isEqualTo(new Authority("::1", 8080));
        assertThat(connectTo.route("OTHER.test", 81)).as("empty PORT1 and PORT2").isEqualTo(new Authority("10.0.0.5", 81));
        assertThat(connectTo.route("stampede.test", 80)).as("no entry for this port nor for the name alone")
                .isEqualTo(new Authority("stampede.test", 80));
        Plan withoutFlags = PlanFile.read(plan("  \"stampede.test:443\": \"127.0.0.1:8443\"\n")).toPlan();
        assertThat(withoutFlags.http().connectTo().route("stampede.test", 443)).isEqualTo(new Authority("127.0.0.1", 8443));
    }

    @Test
    void badHostsInThePlanAreOneLineEachNamingFileLineAndKey() throws Exception {
        Path file = plan("""
                  "stampede.test:99999": "127.0.0.1:8443"
                  "a.test": ""
                  "A.test:443": "127.0.0.1"
                  "a.test:443": "127.0.0.1:1"
                  "b.test": "127.0.0.1:0"
                  "c d": "127.0.0.1"
                """);
        StampedeProcess.Result result = StampedeProcess.inProcess("run", file.toString(), "--headless");
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).doesNotContain("\tat ").contains(
                "stampede: " + file + ":3:26: hosts.stampede.test:99999: a host to map is name or name:port (as in the URL),"
                        + " got 'stampede.test:99999': port 99999 is out of range 1..65535\n",
                "stampede: " + file + ":4:13: hosts.a.test: empty; an address to connect to is address or address:port\n",
                "stampede: " + file + ":6:17: hosts.a.test:443: a.test:443 is mapped twice (first at " + file
                        + ":5:17: hosts.A.test:443)\n",
                "stampede: " + file + ":7:13: hosts.b.test: an address to connect to is address or address:port, got"
                        + " '127.0.0.1:0': port 0 is out of range 1..65535\n",
                "stampede: " + file + ":8:10: hosts.c d: a host to map is name or name:port (as in the URL), got 'c d':"
                        + " 'c d' is not a host name: letters, digits, '-' and '.' only\n");
    }

    @Test
    void badConnectToFlagsNameTheFlagAndItsValue() throws Exception {
        Path file = plan("");
        StampedeProcess.Result shape = StampedeProcess.inProcess("run", file.toString(), "--headless", "--connect-to", "x:1:y");
        assertThat(shape.exitCode()).isEqualTo(2);
        assertThat(shape.stderr()).isEqualTo("stampede: --connect-to: expected HOST1:PORT1:HOST2:PORT2 as curl's,"
                + " e.g. stampede.test:443:127.0.0.1:8443, got 'x:1:y'\n");
        StampedeProcess.Result anyHost = StampedeProcess.inProcess("run", file.toString(), "--headless", "--connect-to", ":443:h:1");
        assertThat(anyHost.exitCode()).isEqualTo(2);
        assertThat(anyHost.stderr()).isEqualTo("stampede: --connect-to: HOST1 is empty in ':443:h:1'; name the host whose"
                + " connections go elsewhere (curl's every-host form is not taken)\n");
        StampedeProcess.Result values = StampedeProcess.inProcess("run", file.toString(), "--headless",
                "--connect-to", "stampede.test:443:127.0.0.1:70000", "--connect-to", "Stampede.test:443::8443",
                "--connect-to", "stampede.test:443:127.0.0.1:8443", "--connect-to", "stampede.test:443::");
        assertThat(values.exitCode()).isEqualTo(2);
        assertThat(values.stderr()).as("a form is checked as the flags are read, before the values")
                .isEqualTo("stampede: --connect-to: HOST2 and PORT2 are both empty in 'stampede.test:443::': nothing to connect to\n");
        StampedeProcess.Result twice = StampedeProcess.inProcess("run", file.toString(), "--headless",
                "--connect-to", "stampede.test:443:127.0.0.1:70000", "--connect-to", "Stampede.test:443::8443",
                "--connect-to", "stampede.test:443:127.0.0.1:8443");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.stderr()).isEqualTo("stampede: --connect-to 'stampede.test:443:127.0.0.1:70000': an address to connect"
                + " to is address or address:port, got '127.0.0.1:70000': port 70000 is out of range 1..65535\n"
                + "stampede: --connect-to 'stampede.test:443:127.0.0.1:8443': stampede.test:443 is mapped twice (first at"
                + " --connect-to 'Stampede.test:443::8443')\n");
    }
}
