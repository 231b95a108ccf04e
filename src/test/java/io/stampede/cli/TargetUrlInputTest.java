package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target's url and the plan's host, each mistake one line naming the file, line, column and
 * field, exit 2; the IPv6 loopback accepted wherever 127.0.0.1 is, a created container's included.
 */
class TargetUrlInputTest {

    private static final Duration PROCESS_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void eachBadUrlIsOneLineAtItsValue() throws Exception {
        Path plan = dir.resolve("urls.yaml");
        Files.writeString(plan, """
                host: "http://127.0.0.1:5001/api"
                targets:
                  nohost: { address: "127.0.0.1:1", url: "http://:8080" }
                  range: { address: "127.0.0.1:1", url: "http://127.0.0.1:99999" }
                  path: { address: "127.0.0.1:1", url: "http://127.0.0.1:8080/api" }
                  noport: { address: "[::1]:1", url: "http://[::1]" }
                  box: { image: demo, url: "http://10.0.0.1:8080" }
                tasks: [ { get: / } ]
                """);

        StampedeProcess.Result result = StampedeProcess.inProcess("run", plan.toString(), "--dry-run");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo(
                "stampede: " + plan + ":1:7: host: 'http://127.0.0.1:5001/api' must be scheme://host[:port] without a path\n"
                + "stampede: " + plan + ":3:42: targets.nohost.url: 'http://:8080' has no host name\n"
                + "stampede: " + plan + ":4:41: targets.range.url: port 99999 is out of range 1..65535\n"
                + "stampede: " + plan + ":5:40: targets.path.url: 'http://127.0.0.1:8080/api' must be scheme://host[:port]"
                + " without a path\n"
                + "stampede: " + plan + ":6:38: targets.noport.url: a target url is http://host:port, got 'http://[::1]'\n"
                + "stampede: " + plan + ":7:28: targets.box.url: a created container is published on a loopback address only;"
                + " use http://127.0.0.1:PORT, http://localhost:PORT (published on 127.0.0.1) or http://[::1]:PORT\n");
    }

    @Test
    void theIpv6LoopbackIsATargetUrlAndAPublishedOne() throws Exception {
        Path plan = dir.resolve("ipv6.yaml");
        Files.writeString(plan, """
                host: "http://[::1]:5001"
                targets:
                  v6: { address: "[::1]:1", url: "http://[::1]:5001/" }
                  box: { image: demo, url: "http://[::1]:8080" }
                tasks: [ { get: / } ]
                """);

        // a real process: the dry run prints its plan to standard output
        StampedeProcess.Result result = StampedeProcess.run(dir, PROCESS_LIMIT, "run", plan.toString(), "--dry-run");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Dry run of run against http://[::1]:5001:", "v6: address [::1]:1", "box: a container from image demo");
    }
}
