#!/usr/bin/env bash
# Two variants of Stampede, A and B, compared by CPU time per request in paired rounds, to settle a
# difference of a few percent on a machine that swings more than that between runs. Both JVMs run at
# once and take turns: each is warmed alone, then only one runs at a time (the other is stopped with
# SIGSTOP) for ROUND seconds, A then B, B then A, ... PAIRS pairs. A round's cost is the CPU time of
# the JVM's threads (/proc/PID/task/*/schedstat, nanoseconds) over the requests nginx answered in it
# (stub_status: one generator runs at a time, so they are all its own). The difference of each pair,
# B against A, is taken between rounds seconds apart, so drift and other builds' load cancel out of
# it; JVMS fresh pairs of JVMs repeat it, so that one JVM's JIT luck does not decide. Prints every
# pair, then the median of the paired differences with its quartiles, min-max and sign count, for the
# users' carrier threads and for the whole process, and each variant's own CPU per request. Asserts nothing.
#   bench/compare/paired.sh 'name|JAR|JVM options' 'name|JAR|JVM options'
#   e.g. bench/compare/paired.sh "off|target/stampede.jar|-Dstampede.phaseTimings=off" "on|target/stampede.jar|"
# A variant whose JAR is the word wrk is wrk instead (-t1 -cUSERS, the options are more wrk arguments), in
# the same rounds against the same nginx: bench/compare/paired.sh 'wrk|wrk|' 'stampede|target/stampede.jar|'
# gives Stampede's CPU per request against wrk's (both rows are then wrk's whole process: it has no carriers).
# Environment: PAIRS=15 ROUND=2 WARMUP=20 JVMS=2 USERS=50 DISCARD=2; a warm-up lasts at least WARMUP s
# and until the JIT's compiler threads are idle, at most WARMUP_MAX=300 s; then DISCARD pairs are not
# counted. Setup as bench/compare/per-request.sh: nginx 1 worker on CPU 1, each Stampede on CPU 0,
# USERS users looping GET / with no wait. PROTOCOL=h1 (default) | h2c (HTTP/2 with prior knowledge) | h2
# (HTTP/2 over TLS 1.3, ALPN): what the users speak to nginx (http2 on its listen; stub_status on its own
# HTTP/1.1 port).
# Only 127.0.0.1 is contacted; every JVM is started with a bounded run (-t) and stopped by its PID
# at the end; only processes started here are stopped.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
[ $# -eq 2 ] || { sed -n 2,22p "$0" >&2; exit 2; }
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
. "$ROOT/bench/lib/nginx.sh"
case "$1 $2" in
    *"|wrk|"*) [ "${PROTOCOL:-h1}" = h1 ] || { echo "wrk speaks HTTP/1.1 only: PROTOCOL=$PROTOCOL with a wrk variant" >&2; exit 2; }
               bench_need wrk:wrk ;;
esac
WORK=$(mktemp -d /tmp/stampede-paired.XXXXXX)
trap 'nginx_stop; rm -rf "$WORK"' EXIT
port=$(nginx_free_port)
NGINX_URL=http://127.0.0.1:$port
PLAN=$HERE/compare.yaml LISTEN="127.0.0.1:$port backlog=4096" STATUS_URL=$NGINX_URL SSL=""
case ${PROTOCOL:=h1} in
    h1) ;;
    h2c|h2) # HTTP/2 on a port of its own; nginx_run's probe and the rounds' stub_status stay on HTTP/1.1
        status_port=$(nginx_free_port); [ "$status_port" != "$port" ] || status_port=$(nginx_free_port)
        STATUS_URL=http://127.0.0.1:$status_port LISTEN="127.0.0.1:$port http2 backlog=4096" PLAN=$WORK/plan.yaml
        tls=""
        if [ "$PROTOCOL" = h2 ]; then
            nginx_certificates "$WORK"
            NGINX_URL=https://localhost:$port LISTEN="127.0.0.1:$port ssl http2 backlog=4096"
            tls="tls: { caFile: $WORK/ca.pem }"
            SSL="ssl_certificate $WORK/server.pem; ssl_certificate_key $WORK/server.key; ssl_protocols TLSv1.3;"
        fi
        { grep -v '^#' "$HERE/compare.yaml"; echo "http: { version: \"2\", $tls }"; } > "$PLAN" ;;
    *) echo "PROTOCOL is h1, h2c or h2" >&2; exit 2 ;;
esac
STATUS_SERVER=""   # HTTP/2: stub_status on an HTTP/1.1 port of its own
[ -z "${status_port:-}" ] || STATUS_SERVER="  server { listen 127.0.0.1:$status_port; location = /nginx-status { stub_status; } }"
nginx_run "  server {
    listen $LISTEN; $SSL
    location / { default_type text/plain; return 200 \"hello\\n\"; }
    location = /nginx-status { stub_status; }
  }
$STATUS_SERVER" curl -fsS "$STATUS_URL/nginx-status"
PAIRS=${PAIRS:-15} ROUND=${ROUND:-2} WARMUP=${WARMUP:-20} JVMS=${JVMS:-2} USERS=${USERS:-50} PROTOCOL=$PROTOCOL \
    python3 - "$JAVA_HOME/bin/java" "$PLAN" "$NGINX_URL" "$WORK" "$1" "$2" "$STATUS_URL" <<'PY'
import os, re, signal, statistics, subprocess, sys, time, urllib.request
java, plan, url, work, *variants, status_url = sys.argv[1:]
env = os.environ
PAIRS, ROUND, WARMUP, JVMS, USERS = (int(env[k]) for k in ("PAIRS", "ROUND", "WARMUP", "JVMS", "USERS"))
WARMUP_MAX = int(env.get("WARMUP_MAX", "300"))   # seconds: a warm-up stops here even if the JIT still compiles
WARM_CHECK, JIT_IDLE = 3, 0.01   # the JIT counts as done when it used under 1% of a core in 2 checks of 3 s in a row
IDLE_CHECKS = 2
DISCARD = int(env.get("DISCARD", "2"))   # first pairs of each pair of JVMs run but not counted: the last of the warm-up
START_SECONDS = 90   # for a JVM to send its first requests, on a busy machine
SETTLE = 0.3   # seconds after SIGCONT before a round's window opens: threads back on the core
variants = [v.split("|", 2) for v in variants]
WRK = "wrk"   # a variant's JAR field naming wrk instead of a jar
whole = set()   # PIDs of the wrk variants: no carrier threads apart, their whole process counts for both
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))   # a stopped child is then continued and ended too

def served():   # requests nginx has answered so far (this read counts one more: negligible)
    text = urllib.request.urlopen(status_url + "/nginx-status", timeout=5).read().decode()
    return int(re.search(r"\n\s*\d+\s+\d+\s+(\d+)", text).group(1))

def cpu(pid):   # nanoseconds on CPU so far: (the users' carrier threads, all threads, the JIT compilers)
    carriers = total = jit = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            ns = int(open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[0])
            comm = open(f"/proc/{pid}/task/{tid}/comm").read()
        except (FileNotFoundError, ProcessLookupError):
            continue   # a thread that ended meanwhile
        total += ns
        if comm.startswith("ForkJoinPool-"):
            carriers += ns
        elif "CompilerThre" in comm:
            jit += ns
    return (total if pid in whole else carriers), total, jit

def compiling(pid):   # a JIT compiler thread is running or waiting for a core (state R): on a busy
    for tid in os.listdir(f"/proc/{pid}/task"):   # machine a starved compiler uses little CPU, yet is not done
        try:
            if "CompilerThre" in open(f"/proc/{pid}/task/{tid}/comm").read() and \
                    open(f"/proc/{pid}/task/{tid}/stat").read().rsplit(")", 1)[1].split()[0] == "R":
                return True
        except (FileNotFoundError, ProcessLookupError):
            continue
    return False

def loadavg():
    return float(open("/proc/loadavg").read().split()[0])

def round_of(proc):   # one round of proc alone: (carrier ns/req, process ns/req, req/s)
    os.kill(proc.pid, signal.SIGCONT)
    time.sleep(SETTLE)
    c0, t0, _ = cpu(proc.pid)
    r0, w0 = served(), time.monotonic()
    time.sleep(ROUND)
    c1, t1, _ = cpu(proc.pid)
    r1, w1 = served(), time.monotonic()
    os.kill(proc.pid, signal.SIGSTOP)
    n = max(1, r1 - r0 - 1)
    return (c1 - c0) / n, (t1 - t0) / n, n / (w1 - w0)

def quartiles(xs):
    q = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    return q[0], statistics.median(xs), q[2]

a_name, b_name = variants[0][0], variants[1][0]
print(f"paired rounds ({env['PROTOCOL']}): {a_name} against {b_name}, {JVMS} pairs of JVMs x {PAIRS} pairs of {ROUND} s rounds, "
      f"{USERS} users, load average at start {loadavg():.1f}")
print(f"{'jvms':>4} {'pair':>4} {'order':>5} | {a_name + ' us/req':>12} {b_name + ' us/req':>12} {'diff %':>7} | "
      f"{'process ' + a_name:>12} {'process ' + b_name:>12} {'diff %':>7} | {'req/s ' + a_name:>10} {'req/s ' + b_name:>10} | load")
diffs, pdiffs, per_jvms, a_rounds, b_rounds = [], [], [], [], []
run_seconds = 2 * (WARMUP_MAX + WARM_CHECK + START_SECONDS) + (DISCARD + PAIRS) * 2 * (ROUND + SETTLE + 1) + 60
for j in range(JVMS):
    procs = []
    try:
        for name, jar, opts in variants:
            log = open(f"{work}/{name}.{j}.log", "w")
            if jar == WRK:   # bounded beyond its whole part of the bench, and stopped by its PID at the end as a JVM
                procs.append(subprocess.Popen(["taskset", "-c", "0", "wrk", "-t1", f"-c{USERS}", f"-d{int(run_seconds)}s",
                                               *opts.split(), url + "/"], stdout=log, stderr=subprocess.STDOUT))
                whole.add(procs[-1].pid)
                os.kill(procs[-1].pid, signal.SIGSTOP)
                continue
            procs.append(subprocess.Popen(
                ["taskset", "-c", "0", java, *opts.split(), "-jar", jar, "run", plan, "-H", url, "-u", str(USERS),
                 "-r", "1000", "-t", f"{run_seconds}s", "--headless", "--results", f"{work}/{name}.{j}.results"],
                stdout=log, stderr=subprocess.STDOUT))
            os.kill(procs[-1].pid, signal.SIGSTOP)
        # each warmed alone, WARMUP s from its first request: JIT done before the rounds; wrk last, so that
        # nginx does not close its idle connections (keepalive_timeout) during a JVM's long warm-up
        for k, p in sorted(enumerate(procs), key=lambda kp: kp[1].pid in whole):
            os.kill(p.pid, signal.SIGCONT)
            first, deadline = served(), time.monotonic() + START_SECONDS
            while served() - first < 100:
                if p.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"{variants[k][0]} sent no requests; its output:\n" + open(f"{work}/{variants[k][0]}.{j}.log").read()[-2000:])
                time.sleep(0.2)
            # then until the JIT is done: its compiler threads idle (under JIT_IDLE of a core) for a whole
            # check, and at least WARMUP s; on a busy machine that takes minutes, as compiling does
            began, jit0, idle_checks = time.monotonic(), cpu(p.pid)[2], 0
            while True:
                time.sleep(WARM_CHECK)
                jit1 = cpu(p.pid)[2]
                quiet = (jit1 - jit0) / 1e9 < JIT_IDLE * WARM_CHECK and not compiling(p.pid)
                idle_checks = idle_checks + 1 if quiet else 0
                idle = idle_checks >= IDLE_CHECKS
                jit0 = jit1
                if (idle and time.monotonic() - began >= WARMUP) or time.monotonic() - began >= WARMUP_MAX:
                    break
            print(f"  warm-up of {variants[k][0]} (JVMs {j + 1}): {time.monotonic() - began:.0f} s, JIT "
                  f"{'idle' if idle else 'still compiling (WARMUP_MAX reached)'}", flush=True)
            os.kill(p.pid, signal.SIGSTOP)
        mine = []
        for i in range(DISCARD + PAIRS):
            order = (0, 1) if i % 2 == 0 else (1, 0)   # ABBA: a trend within the pair cancels over two
            got = {k: round_of(procs[k]) for k in order}
            (ca, ta, ra), (cb, tb, rb) = got[0], got[1]
            d, pd = (cb - ca) / ca * 100, (tb - ta) / ta * 100
            if i < DISCARD:
                print(f"{j + 1:>4} {'-':>4} {'AB' if order == (0, 1) else 'BA':>5} | {ca / 1000:>12.2f} {cb / 1000:>12.2f} {d:>+7.1f} | "
                      f"(not counted: DISCARD)", flush=True)
                continue
            diffs.append(d); pdiffs.append(pd); mine.append(d)
            a_rounds.append((ca, ta)); b_rounds.append((cb, tb))
            print(f"{j + 1:>4} {i + 1 - DISCARD:>4} {'AB' if order == (0, 1) else 'BA':>5} | {ca / 1000:>12.2f} {cb / 1000:>12.2f} {d:>+7.1f} | "
                  f"{ta / 1000:>12.2f} {tb / 1000:>12.2f} {pd:>+7.1f} | {ra:>10.0f} {rb:>10.0f} | {loadavg():.1f}", flush=True)
        per_jvms.append(statistics.median(mine))
    finally:
        for p in procs:
            try:
                os.kill(p.pid, signal.SIGCONT)
                if p.pid in whole:   # wrk ends on SIGINT with its summary, if its main thread takes it: running again
                    time.sleep(SETTLE)
                p.send_signal(signal.SIGINT if p.pid in whole else signal.SIGTERM)
                p.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                p.kill()
        for k, p in enumerate(procs):   # its own count of errors: a read or connect error is a reconnection, CPU not a request's
            if p.pid in whole:
                said = [s.strip() for s in open(f"{work}/{variants[k][0]}.{j}.log") if "requests in" in s or "errors" in s]
                print(f"  {variants[k][0]}'s own summary (JVMs {j + 1}): {'; '.join(said) or 'none'}", flush=True)

def line(label, xs):
    q1, m, q3 = quartiles(xs)
    print(f"{label}: median {m:+.1f}% (quartiles {q1:+.1f} to {q3:+.1f}, min-max {min(xs):+.1f} to {max(xs):+.1f}), "
          f"{b_name} costlier in {sum(1 for x in xs if x > 0)} of {len(xs)} pairs; as a ratio {b_name} / {a_name}: "
          f"median {1 + m / 100:.3f} (quartiles {1 + q1 / 100:.3f} to {1 + q3 / 100:.3f})")
print(f"\n{b_name} against {a_name}, CPU per request, {len(diffs)} pairs:")
line("  carrier threads", diffs)
line("  whole process  ", pdiffs)
print("  median per pair of JVMs (carriers): " + ", ".join(f"{x:+.1f}%" for x in per_jvms))
for name, rounds in ((a_name, a_rounds), (b_name, b_rounds)):
    for part, xs in (("carrier", [c for c, _ in rounds]), ("process", [t for _, t in rounds])):
        q1, m, q3 = quartiles(xs)
        print(f"  {name} alone, {part} us/req over its {len(xs)} rounds: median {m / 1000:.2f}, quartiles "
              f"{q1 / 1000:.2f}-{q3 / 1000:.2f}, min-max {min(xs) / 1000:.2f}-{max(xs) / 1000:.2f}")
print(f"  load average at end {loadavg():.1f}")
PY
