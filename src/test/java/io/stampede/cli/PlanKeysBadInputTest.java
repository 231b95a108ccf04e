package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.EndToEnd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One bad plan per key of {@code halt:}, {@code steady:}, {@code recovery:}, {@code targets:},
 * {@code chaos:}, {@code slos:}, {@code thresholds:}, {@code ledger:}/{@code policy:}, {@code load:}
 * and {@code http:} (README, "A plan file" and the sections after it): a wrong type, a wrong value or
 * an unknown sibling key is one line naming the file, line, column and field, exit 2. Keys that would
 * be read and then change nothing (a {@code restart:} on a pid, a {@code health:} nobody probes, a
 * {@code count:} with {@code at:}) are refused the same way. Through {@link Main#execute} in this JVM,
 * as {@link BadInputTest} does: each case reads its plan and stops.
 */
@EndToEnd
class PlanKeysBadInputTest {

    /** Every case's plan starts with these two lines, so its own lines are 3 and on. */
    private static final String BASE = "host: http://127.0.0.1:5001\ntasks: [ { get: / } ]\n";
    private static final String SLO = "slos: [ { name: a, objective: 99% } ]\n";
    private static final String DEMO = "targets: { app: { builtin: demo } }\n";

    /** A real process's limit, for the one case that reads what a dry run prints. */
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** {@code yaml}: the case's lines after {@link #BASE}; {@code message}: the one line after "stampede: FILE:". */
    record Case(String key, String yaml, String message) {
        @Override
        public String toString() {
            return key;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // halt:
                new Case("halt (unknown sibling)", "halt: { when: [ { probe: /health } ], thne: stop }\n",
                        "3:45: halt: unknown key 'thne'; valid keys: when, then"),
                new Case("halt (type)", "halt: stop\n", "3:7: halt: expected a mapping (key: value), got 'stop'"),
                new Case("halt.when", "halt: { when: yes }\n", "3:15: halt.when: expected a list, got 'yes'"),
                new Case("halt.then", "halt: { when: [ { probe: /health } ], then: halt }\n",
                        "3:45: halt.then: 'then' is continue (the users go on, the default) or stop, got 'halt'"),
                new Case("halt.when[] (two kinds)", "halt: { when: [ { probe: /h, prometheus: up } ] }\n",
                        "3:17: halt.when[0]: a halt condition has one of budgetLeftBelow, burnRateAbove, threshold, probe,"
                                + " prometheus, got probe and prometheus"),
                new Case("halt.when[].probe", "halt: { when: [ { probe: [/a] } ] }\n",
                        "3:26: halt.when[0].probe: expected a single value, got a list"),
                new Case("halt.when[] probe (unknown sibling)", "halt: { when: [ { probe: /health, failuresInRow: 3 } ] }\n",
                        "3:50: halt.when[0]: unknown key 'failuresInRow'; valid keys: probe, failuresInARow, timeout"),
                new Case("halt.when[].failuresInARow", "halt: { when: [ { probe: /health, failuresInARow: many } ] }\n",
                        "3:51: halt.when[0].failuresInARow: expected a whole number, got 'many'"),
                new Case("halt.when[].timeout", "halt: { when: [ { probe: /health, timeout: 5s } ] }\n",
                        "3:44: halt.when[0].timeout: a probe's or query's timeout is above 0 and at most 1s (the guard"
                                + " evaluates every 1s), got 5s"),
                new Case("halt.when[].slo", SLO + "halt: { when: [ { slo: b, budgetLeftBelow: 50% } ] }\n",
                        "4:24: halt.when[0].slo: no SLO is named 'b'; the plan's SLOs are [a]"),
                new Case("halt.when[].budgetLeftBelow", SLO + "halt: { when: [ { slo: a, budgetLeftBelow: 200% } ] }\n",
                        "4:44: halt.when[0].budgetLeftBelow: a share of the error budget is above 0% and at most 100%, got 200%"),
                new Case("halt.when[] budget (unknown sibling)", SLO + "halt: { when: [ { slo: a, budgetLeftBelow: 50%, window: 10s } ] }\n",
                        "4:57: halt.when[0]: unknown key 'window'; valid keys: slo, budgetLeftBelow"),
                new Case("halt.when[].burnRateAbove", SLO + "halt: { when: [ { slo: a, burnRateAbove: fast, window: 10s } ] }\n",
                        "4:42: halt.when[0].burnRateAbove: expected a number, got 'fast'"),
                new Case("halt.when[].window", SLO + "halt: { when: [ { slo: a, burnRateAbove: 2, window: 1500ms } ] }\n",
                        "4:53: halt.when[0].window: a window is a whole number of seconds, at least 1s (the statistics'"
                                + " resolution), got 1500ms"),
                new Case("halt.when[].metric", "halt: { when: [ { metric: [x], threshold: \"rate<0.2\" } ] }\n",
                        "3:27: halt.when[0].metric: expected a single value, got a list"),
                new Case("halt.when[].threshold", "halt: { when: [ { metric: http_req_failed, threshold: [1] } ] }\n",
                        "3:55: halt.when[0].threshold: expected a single value, got a list"),
                new Case("halt.when[] threshold window", "halt: { when: [ { metric: http_req_failed, threshold: \"rate<0.1\","
                        + " window: wide } ] }\n",
                        "3:75: halt.when[0].window: 'wide' is not a duration (examples: 250ms, 1s, 2m, 1h)"),
                new Case("halt.when[].prometheus", "halt: { when: [ { prometheus: \" \", url: \"http://127.0.0.1:9\" } ] }\n",
                        "3:31: halt.when[0].prometheus: a PromQL query that returns a non-empty result when the chaos must"
                                + " halt, e.g. prometheus: 'sum(rate(http_requests_total{code=~\"5..\"}[10s])) > 1'"),
                new Case("halt.when[] prometheus (unknown sibling)", "halt: { when: [ { prometheus: up, url: \"http://127.0.0.1:9\","
                        + " window: 10s } ] }\n",
                        "3:70: halt.when[0]: unknown key 'window'; valid keys: prometheus, url, timeout"),
                new Case("halt.when[] prometheus timeout", "halt: { when: [ { prometheus: up, url: \"http://127.0.0.1:9\","
                        + " timeout: 0s } ] }\n",
                        "3:71: halt.when[0].timeout: a probe's or query's timeout is above 0 and at most 1s (the guard"
                                + " evaluates every 1s), got 0s"),
                // steady:
                new Case("steady (unknown sibling)", SLO + "steady: { hold: 10s, within: 60s, every: 1s }\n",
                        "4:42: steady: unknown key 'every'; valid keys: hold, within"),
                new Case("steady (type)", SLO + "steady: 10s\n", "4:9: steady: expected a mapping (key: value), got '10s'"),
                new Case("steady.hold", SLO + "steady: { hold: 1500ms, within: 60s }\n",
                        "4:17: steady.hold: 'hold' is a whole number of seconds, at least 1s (the SLOs are judged second by"
                                + " second), got 1500ms"),
                new Case("steady.within", SLO + "steady: { hold: 10s, within: 5s }\n",
                        "4:30: steady.within: 'within' (5s) is shorter than 'hold' (10s): the steady state could never be reached"),
                new Case("steady without slos", "steady: { hold: 10s, within: 60s }\n",
                        "3:9: steady: the steady state is every SLO holding: declare them under slos:"),
                // recovery:
                new Case("recovery (unknown sibling)", "recovery: { goodSecs: 3 }\n",
                        "3:23: recovery: unknown key 'goodSecs'; valid keys: goodSeconds"),
                new Case("recovery (type)", "recovery: 3\n", "3:11: recovery: expected a mapping (key: value), got '3'"),
                new Case("recovery.goodSeconds (type)", "recovery: { goodSeconds: three }\n",
                        "3:26: recovery.goodSeconds: expected a whole number, got 'three'"),
                new Case("recovery.goodSeconds (value)", "recovery: { goodSeconds: 0 }\n",
                        "3:26: recovery.goodSeconds: must be at least 1, got 0"),
                // targets:
                new Case("targets (type)", "targets: [ app ]\n", "3:10: targets: expected a mapping (key: value), got a list"),
                new Case("targets.NAME (unknown sibling)", "targets: { app: { builtin: demo, restarts: 3 } }\n",
                        "3:44: targets.app: unknown key 'restarts'; valid keys: builtin, command, pid, pidFile, address,"
                                + " container, containers, image, port, url, health, restart, scope"),
                new Case("targets.NAME.builtin", "targets: { app: { builtin: nginx } }\n",
                        "3:28: targets.app.builtin: the only builtin target is 'demo', got 'nginx'"),
                new Case("targets.NAME.command", "targets: { app: { command: { run: x }, url: \"http://127.0.0.1:5002\" } }\n",
                        "3:28: targets.app.command: expected a single value, got a mapping"),
                new Case("targets.NAME.health", "targets: { app: { builtin: demo, health: health } }\n",
                        "3:42: targets.app.health: a health path starts with '/', got 'health'"),
                new Case("targets.NAME.restart (unknown sibling)", "targets: { app: { builtin: demo, restart: { policy: always,"
                        + " retries: 3 } } }\n",
                        "3:70: targets.app.restart: unknown key 'retries'; valid keys: policy, delay, maxRestarts"),
                new Case("targets.NAME.restart.policy", "targets: { app: { builtin: demo, restart: { policy: sometimes } } }\n",
                        "3:53: targets.app.restart.policy: restart policy is always, on-failure or never, got 'sometimes'"),
                new Case("targets.NAME.restart.delay", "targets: { app: { builtin: demo, restart: { delay: soon } } }\n",
                        "3:52: targets.app.restart.delay: 'soon' is not a duration (examples: 250ms, 1s, 2m, 1h)"),
                new Case("targets.NAME.restart.maxRestarts", "targets: { app: { builtin: demo, restart: { maxRestarts: -2 } } }\n",
                        "3:58: targets.app.restart.maxRestarts: must be 0 or more, got -2"),
                new Case("targets.NAME.pid", "targets: { app: { pid: abc } }\n",
                        "3:24: targets.app.pid: expected a whole number, got 'abc'"),
                new Case("targets.NAME.scope", "targets: { app: { pid: 4242, scope: world } }\n",
                        "3:37: targets.app.scope: scope is process, group or tree, got 'world'"),
                new Case("targets.NAME.scope on a started target", "targets: { app: { builtin: demo, scope: tree } }\n",
                        "3:41: targets.app.scope: 'scope' applies to a pid or pidFile target; a target Stampede starts always"
                                + " acts as its whole process group"),
                new Case("targets.NAME.port without image", "targets: { app: { builtin: demo, port: 80 } }\n",
                        "3:40: targets.app.port: 'port' applies to a container created from an image"),
                new Case("targets.NAME.image without url", "targets: { box: { image: nginx } }\n",
                        "3:17: targets.box: 'url' is required for a container created from an image: its port is published on"
                                + " the url's loopback address (127.0.0.1, localhost or [::1]) at the url's port, and its health is"
                                + " probed there"),
                new Case("targets.NAME.restart on a pid", "targets: { app: { pid: 4242, restart: { policy: never } } }\n",
                        "3:39: targets.app.restart: 'restart' applies to a target Stampede starts (builtin, command or image);"
                                + " a target given by pid is restarted by whatever started it"),
                new Case("targets.NAME.restart on an address", "targets: { app: { address: \"127.0.0.1:5001\", restart: { policy:"
                        + " never } } }\n",
                        "3:55: targets.app.restart: 'restart' applies to a target Stampede starts (builtin, command or image);"
                                + " a target given by address is restarted by whatever started it"),
                new Case("targets.NAME.health on an address", "targets: { app: { address: \"127.0.0.1:5001\", health: /status } }\n",
                        "3:54: targets.app.health: 'health' applies to a target Stampede watches (builtin, command, container"
                                + " or image); a target given by address is not probed"),
                new Case("targets.NAME.health on a pidFile", "targets: { app: { pidFile: /run/x.pid, url: \"http://127.0.0.1:5002\","
                        + " health: /status } }\n",
                        "3:78: targets.app.health: 'health' applies to a target Stampede watches (builtin, command, container"
                                + " or image); a target given by pidFile is not probed"),
                new Case("targets.NAME.health on a container without url", "targets: { app: { container: web, health: /status } }\n",
                        "3:43: targets.app.health: 'health' is probed at the container's url: give 'url' too"),
                new Case("targets.NAME.restart on an existing container", "targets: { app: { container: web, restart: { policy:"
                        + " always } } }\n",
                        "3:44: targets.app.restart: an existing container keeps its own restart policy; 'restart' applies to"
                                + " a container created from an image"),
                // chaos:
                new Case("chaos (type)", DEMO + "chaos: kill\n", "4:8: chaos: expected a list, got 'kill'"),
                new Case("chaos[] (unknown sibling)", DEMO + "chaos: [ { fault: kill, target: app, at: 10s, sgnal: SIGTERM } ]\n",
                        "4:54: chaos[0]: unknown key 'sgnal'; valid keys: fault, target, all, limit, at, every, startAfter,"
                                + " duration, count, signal"),
                new Case("chaos[].target", DEMO + "chaos: [ { fault: kill, target: nosuch, at: 10s } ]\n",
                        "4:33: chaos[0].target: target 'nosuch' is not declared; declared: app"),
                new Case("chaos[].at", DEMO + "chaos: [ { fault: kill, target: app, at: later } ]\n",
                        "4:42: chaos[0].at: 'later' is not a duration (examples: 250ms, 1s, 2m, 1h)"),
                new Case("chaos[].every", DEMO + "chaos: [ { fault: kill, target: app, every: 0s } ]\n",
                        "4:45: chaos[0].every: must be longer than 0"),
                new Case("chaos[].all", DEMO + "chaos: [ { fault: kill, target: app, at: 10s, all: maybe } ]\n",
                        "4:52: chaos[0].all: expected true or false, got 'maybe'"),
                new Case("chaos[].limit", DEMO + "chaos: [ { fault: kill, target: app, at: 10s, limit: 0 } ]\n",
                        "4:54: chaos[0].limit: must be at least 1, got 0"),
                new Case("chaos[].count", DEMO + "chaos: [ { fault: kill, target: app, every: 10s, count: many } ]\n",
                        "4:57: chaos[0].count: expected a whole number, got 'many'"),
                new Case("chaos[].count with at", DEMO + "chaos: [ { fault: kill, target: app, at: 10s, count: 3 } ]\n",
                        "4:54: chaos[0].count: 'count' goes with 'every' (repeatedly); 'at' fires once, at its own time"),
                new Case("chaos[].startAfter with at", DEMO + "chaos: [ { fault: kill, target: app, at: 10s, startAfter: 3s } ]\n",
                        "4:59: chaos[0].startAfter: 'startAfter' goes with 'every' (repeatedly); 'at' fires once, at its own time"),
                new Case("chaos[].duration on an instant fault", DEMO + "chaos: [ { fault: kill, target: app, at: 10s, duration: 3s } ]\n",
                        "4:57: chaos[0].duration: kill is instant: 'duration' does not apply"),
                new Case("chaos[].latency", DEMO + "chaos: [ { fault: latency, target: app, at: 10s, duration: 5s, latency: slow } ]\n",
                        "4:73: chaos[0].latency: 'slow' is not a duration (examples: 250ms, 1s, 2m, 1h)"),
                new Case("chaos[].toxicity", DEMO + "chaos: [ { fault: latency, target: app, at: 10s, duration: 5s, latency: 10ms,"
                        + " toxicity: 2 } ]\n",
                        "4:89: chaos[0].toxicity: must be between 0 and 1, got 2"),
                new Case("chaos[].status", DEMO + "chaos: [ { fault: http-error, target: app, at: 10s, duration: 5s, status: 99 } ]\n",
                        "4:75: chaos[0].status: status must be 0 (delay only) or a final HTTP status 200..599, got 99"),
                new Case("chaos[].body with status 0", DEMO + "chaos: [ { fault: http-error, target: app, at: 10s, duration: 5s,"
                        + " status: 0, delay: 1s, body: down } ]\n",
                        "4:95: chaos[0].body: body is the text of an error answer: with status 0 (delay only) there is none,"
                                + " and it would be ignored"),
                new Case("chaos[].rate", DEMO + "chaos: [ { fault: http-error, target: app, at: 10s, duration: 5s, rate: 1.5 } ]\n",
                        "4:73: chaos[0].rate: must be between 0 and 1, got 1.5"),
                // slos:
                new Case("slos (type)", "slos: fast\n", "3:7: slos: expected a list, got 'fast'"),
                new Case("slos[] (unknown sibling)", "slos: [ { name: a, objective: 99%, latency: 300ms } ]\n",
                        "3:45: slos[0]: unknown key 'latency'; valid keys: name, objective, latencyBelow, failures, filter,"
                                + " period, prometheus, openslo"),
                new Case("slos[].name", "slos: [ { name: [a], objective: 99% } ]\n",
                        "3:17: slos[0].name: expected a single value, got a list"),
                new Case("slos[].objective", "slos: [ { name: a, objective: 120% } ]\n",
                        "3:31: slos[0].objective: an objective is between 0% and 100% (both excluded), got 120%"),
                new Case("slos[].latencyBelow", "slos: [ { name: a, objective: 99%, latencyBelow: quick } ]\n",
                        "3:50: slos[0].latencyBelow: 'quick' is not a duration (examples: 250ms, 1s, 2m, 1h)"),
                new Case("slos[].failures", "slos: [ { name: a, objective: 99%, latencyBelow: 300ms, failures: maybe } ]\n",
                        "3:67: slos[0].failures: 'failures' is 'exclude' (failed requests left out, the default) or 'bad',"
                                + " got 'maybe'"),
                new Case("slos[].filter (unknown sibling)", "slos: [ { name: a, objective: 99%, filter: { path: / } } ]\n",
                        "3:52: slos[0].filter: unknown key 'path'; valid keys: name, method"),
                new Case("slos[].filter.name", "slos: [ { name: a, objective: 99%, filter: { name: /nosuch } } ]\n",
                        "3:9: slos[0]: the filter names no request; the plan's requests are [/]"),
                new Case("slos[].filter.method", "slos: [ { name: a, objective: 99%, filter: { method: FETCH } } ]\n",
                        "3:9: slos[0]: the filter's method FETCH is no request's; the plan's requests use [GET]"),
                new Case("slos[].period", "slos: [ { name: a, objective: 99%, period: forever } ]\n",
                        "3:44: slos[0].period: a period is a whole number of minutes, hours, days or weeks, e.g. 30d, 4w, 24h,"
                                + " got 'forever'"),
                new Case("slos[].prometheus (unknown sibling)", "slos: [ { name: a, objective: 99%, prometheus: { url:"
                        + " \"http://127.0.0.1:9\", good: up, total: up, stepp: 1s } } ]\n",
                        "3:105: slos[0].prometheus: unknown key 'stepp'; valid keys: url, good, total, step"),
                new Case("slos[].prometheus.step", "slos: [ { name: a, objective: 99%, prometheus: { url: \"http://127.0.0.1:9\","
                        + " good: up, total: up, step: 0s } } ]\n",
                        "3:104: slos[0].prometheus.step: must be at least 1ms"),
                new Case("slos[].openslo (unknown sibling)", "slos: [ { openslo: x.yaml, window: 1d } ]\n",
                        "3:36: slos[0]: unknown key 'window'; valid keys: openslo, prometheus, period"),
                // thresholds:
                new Case("thresholds (type)", "thresholds: 5\n", "3:13: thresholds: expected a mapping (key: value), got '5'"),
                new Case("thresholds.METRIC", "thresholds:\n  http_req_nosuch: [ \"rate<0.1\" ]\n",
                        "4:20: thresholds.http_req_nosuch: unknown metric 'http_req_nosuch'; valid metrics: http_req_duration,"
                                + " http_req_failed, http_reqs, http_req_connecting, http_req_tls_handshaking, http_req_sending,"
                                + " http_req_waiting, http_req_receiving"),
                new Case("thresholds.METRIC{window}", "thresholds:\n  \"http_req_duration{window:abc}\": [ \"p(95)<300\" ]\n",
                        "4:36: thresholds.http_req_duration{window:abc}: window: 'abc' is not a duration (examples: 250ms, 1s,"
                                + " 2m, 1h)"),
                new Case("thresholds.METRIC[] (unknown sibling)", "thresholds:\n  http_req_failed: [ { threshold: \"rate<0.1\","
                        + " abortOnFaill: true } ]\n",
                        "4:61: thresholds.http_req_failed[0]: unknown key 'abortOnFaill'; valid keys:"
                                + " threshold, abortOnFail, delayAbortEval"),
                new Case("thresholds.METRIC[].threshold", "thresholds:\n  http_req_failed: [ { threshold: [ \"rate<0.1\" ] } ]\n",
                        "4:35: thresholds.http_req_failed[0].threshold: expected a single value, got a list"),
                new Case("thresholds.METRIC[].abortOnFail", "thresholds:\n  http_req_failed: [ { threshold: \"rate<0.1\","
                        + " abortOnFail: maybe } ]\n",
                        "4:60: thresholds.http_req_failed[0].abortOnFail: 'abortOnFail' must be true or false, not 'maybe'"),
                new Case("thresholds.METRIC[].delayAbortEval", "thresholds:\n  http_req_failed: [ { threshold: \"rate<0.1\","
                        + " abortOnFail: true, delayAbortEval: later } ]\n",
                        "4:82: thresholds.http_req_failed[0].delayAbortEval: 'delayAbortEval': 'later' is not a duration (examples: 10s,"
                                + " 1m30s, 500ms; a bare number means milliseconds, as in k6)"),
                // ledger: and policy:
                new Case("ledger", "ledger: [a]\n", "3:9: ledger: expected a single value, got a list"),
                new Case("policy (type)", SLO + "policy: 50%\n", "4:9: policy: expected a mapping (key: value), got '50%'"),
                new Case("policy (unknown sibling)", SLO + "ledger: l.db\npolicy: { minBudgetLeft: 50%, maxBurn: 2 }\n",
                        "5:40: policy: unknown key 'maxBurn'; valid keys: minBudgetLeft"),
                new Case("policy.minBudgetLeft", SLO + "ledger: l.db\npolicy: { minBudgetLeft: much }\n",
                        "5:26: policy.minBudgetLeft: minBudgetLeft is a share of the budget such as 50%, got 'much'"),
                new Case("policy without a ledger", SLO + "policy: { minBudgetLeft: 50% }\n",
                        "4:26: policy.minBudgetLeft: an error-budget policy needs a ledger: 'ledger: FILE' in the plan or"
                                + " --ledger FILE"),
                new Case("policy without slos", "ledger: l.db\npolicy: { minBudgetLeft: 50% }\n",
                        "4:9: policy: an error-budget policy needs SLOs (slos:) whose budget it keeps"),
                // load:
                new Case("load (type)", "load: 5\n", "3:7: load: expected a mapping (key: value), got '5'"),
                new Case("load (unknown sibling)", "load: { users: 1, user: 2 }\n",
                        "3:25: load: unknown key 'user'; valid keys: users, spawnRate, runTime, wait, stages, arrivalRate,"
                                + " maxConcurrency, preAllocated, latencyFrom"),
                new Case("load.users", "load: { users: 1.5 }\n", "3:16: load.users: users must be a whole number, got '1.5'"),
                new Case("load.spawnRate", "load: { users: 1, spawnRate: fast }\n",
                        "3:30: load.spawnRate: spawn rate must be a number, got 'fast'"),
                new Case("load.runTime", "load: { users: 1, runTime: forever }\n",
                        "3:28: load.runTime: 'forever' is not a duration (examples: 250ms, 1s, 2m, 1h)"),
                new Case("load.wait", "load: { users: 1, wait: { constant: 1s, between: [1s, 2s] } }\n",
                        "3:25: load.wait: give exactly one of between, constant, pacing, throughput"),
                new Case("load.wait (unknown sibling)", "load: { users: 1, wait: { fixed: 1s } }\n",
                        "3:34: load.wait: unknown key 'fixed'; valid keys: between, constant, pacing, throughput"),
                new Case("load.arrivalRate", "load: { arrivalRate: fast }\n",
                        "3:22: load.arrivalRate: arrival rate must be a number, got 'fast'"),
                new Case("load.maxConcurrency", "load: { arrivalRate: 10, maxConcurrency: -1 }\n",
                        "3:42: load.maxConcurrency: maxConcurrency must be at least 1, got -1"),
                new Case("load.maxConcurrency with preAllocated", "load: { arrivalRate: 10, maxConcurrency: 0, preAllocated: 5 }\n",
                        "3:42: load.maxConcurrency: maxConcurrency must be at least 1, got 0"),
                new Case("load.preAllocated", "load: { arrivalRate: 10, preAllocated: many }\n",
                        "3:40: load.preAllocated: preAllocated must be a whole number, got 'many'"),
                new Case("load.preAllocated (closed model)", "load: { users: 10, preAllocated: 5 }\n",
                        "3:34: load.preAllocated: maxConcurrency and preAllocated belong to the open model (arrivalRate)"),
                new Case("load.latencyFrom", "load: { users: 1, latencyFrom: somewhere }\n",
                        "3:32: load.latencyFrom: latencyFrom is intended or actual, got 'somewhere'"),
                new Case("load.stages[] (unknown sibling)", "load: { stages: [ { duration: 10s, user: 5 } ] }\n",
                        "3:42: load.stages[0]: unknown key 'user'; valid keys: duration, users, spawnRate, arrivalRate"),
                new Case("load.stages[].duration", "load: { stages: [ { duration: long, users: 5 } ] }\n",
                        "3:31: load.stages[0].duration: 'long' is not a duration (examples: 250ms, 1s, 2m, 1h)"),
                // http:
                new Case("http (type)", "http: fast\n", "3:7: http: expected a mapping (key: value), got 'fast'"),
                new Case("http (unknown sibling)", "http: { timeouts: 1s }\n",
                        "3:19: http: unknown key 'timeouts'; valid keys: connectTimeout, timeout, headers, tls, version"),
                new Case("http.connectTimeout", "http: { connectTimeout: soon }\n",
                        "3:25: http.connectTimeout: 'soon' is not a duration (examples: 250ms, 1s, 2m, 1h)"),
                new Case("http.timeout", "http: { timeout: -1s }\n",
                        "3:18: http.timeout: '-1s' is negative; a duration is 0 or more (examples: 250ms, 1s, 2m, 1h)"),
                new Case("http.headers", "http: { headers: [a] }\n", "3:18: http.headers: expected a mapping (key: value), got a list"),
                new Case("http.headers.NAME", "http: { headers: { A: { b: 1 } } }\n",
                        "3:23: http.headers.A: expected a single value, got a mapping"),
                new Case("http.version", "http: { version: \"3\" }\n",
                        "3:18: http.version: expected \"1.1\", \"2\" (or h2, h2c) or \"auto\", got '3'"),
                new Case("http.tls (unknown sibling)", "http: { tls: { insecurely: true } }\n",
                        "3:28: http.tls: unknown key 'insecurely'; valid keys: caFile, caPassword, insecure, cert, key, password,"
                                + " minVersion, maxVersion, hosts"),
                new Case("http.tls.insecure", "http: { tls: { insecure: maybe } }\n",
                        "3:26: http.tls.insecure: expected true or false, got 'maybe'"),
                new Case("http.tls.minVersion", "http: { tls: { minVersion: \"1.0\" } }\n",
                        "3:28: http.tls.minVersion: TLS version is 1.2 or 1.3, got '1.0'"),
                new Case("http.tls.caFile", "http: { tls: { caFile: /nonexistent.pem } }\n",
                        "3:24: http.tls.caFile: file not found: /nonexistent.pem"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadKeyIsOneLineWithFileLineColumnAndField(Case bad) throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.yaml"), BASE + bad.yaml());
        StampedeProcess.Result result = StampedeProcess.inProcess("run", plan.toString(), "--dry-run");
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("stampede: " + plan + ":" + bad.message() + "\n");
    }

    /** The plan's period of an OpenSLO entry reaches the ledger under the SLO's own name (it used to be read and lost). */
    @Test
    void anOpenSloEntrysPeriodReachesTheLedger() throws Exception {
        Path openSlo = Path.of("examples/openslo/server-availability.yaml").toAbsolutePath();
        Path plan = Files.writeString(dir.resolve("plan.yaml"), BASE + "ledger: l.db\nslos:\n  - { openslo: " + openSlo
                + ", prometheus: { url: \"http://127.0.0.1:9\" }, period: 7d }\n  - { name: users, objective: 99%, period: 2w }\n");
        StampedeProcess.Result result = StampedeProcess.run(dir, LIMIT, "run", plan.toString(), "--dry-run"); // it prints on System.out
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("(periods: server-availability 7d, users 14d)");
    }

    /** Each refusal above is of the key, not of the section: the same keys with good values are a plan that runs. */
    @Test
    void theSameKeysWithGoodValuesAreAccepted() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.yaml"), BASE + """
                targets:
                  app: { builtin: demo, health: /health, restart: { policy: always, delay: 1s, maxRestarts: 3 } }
                  worker: { pid: 4242, scope: tree }
                  edge: { address: "127.0.0.1:5001" }
                chaos:
                  - { fault: kill, target: worker, signal: SIGTERM, at: 10s }
                  - { fault: kill, target: app, every: 10s, startAfter: 5s, count: 2 }
                  - { fault: latency, target: edge, at: 10s, duration: 5s, latency: 10ms, toxicity: 0.5 }
                slos:
                  - { name: a, objective: 99%, period: 7d }
                  - { name: fast, objective: 95%, latencyBelow: 300ms, failures: bad, filter: { name: /, method: get } }
                recovery: { goodSeconds: 2 }
                thresholds:
                  http_req_failed: [ { threshold: "rate<0.1", abortOnFail: true, delayAbortEval: 10s } ]
                  "http_req_duration{window:10s}": [ "p(95)<300" ]
                halt:
                  when:
                    - { slo: a, budgetLeftBelow: 50% }
                    - { slo: a, burnRateAbove: 10, window: 30s }
                    - { metric: http_req_failed, threshold: "rate<0.2", window: 10s }
                    - { probe: /health, failuresInARow: 3, timeout: 1s }
                  then: stop
                steady: { hold: 2s, within: 30s }
                ledger: l.db
                policy: { minBudgetLeft: 50% }
                load: { arrivalRate: 5, maxConcurrency: 10, preAllocated: 2, runTime: 20s, latencyFrom: actual }
                http: { connectTimeout: 1s, timeout: 2s, headers: { X-A: b }, version: "1.1", tls: { minVersion: "1.2" } }
                """);
        StampedeProcess.Result result = StampedeProcess.inProcess("run", plan.toString(), "--dry-run");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }
}
