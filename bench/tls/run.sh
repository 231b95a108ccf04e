#!/usr/bin/env bash
# Stampede over HTTPS beside wrk, on this machine. Prints numbers; asserts nothing.
#   bench/tls/run.sh
#
# A private nginx on 127.0.0.1 pinned to CPU 1 serves "hello\n" over TLS 1.3 (ECDSA P-256 certificate
# from a CA made here with openssl); each tool is pinned to CPU 0 (as bench/compare/run.sh), CONNECTIONS
# users/connections, no wait, DURATION s, REPS times, interleaved. Two cases:
#   keep-alive: one TLS connection per user for the whole run (the handshake is paid once);
#   reconnect:  "Connection: close" on every request, so every request opens a connection and
#               handshakes; Stampede resumes the session (one SSLContext per run), wrk resumes too.
# One markdown table of the median runs: req/s, p50, p99, CPU s of the tool's process tree (GNU time)
# and CPU µs per request (CPU s ÷ requests of the whole run; Stampede's includes its JVM start-up and
# its first, cold handshakes, seconds on a busy core: its steady req/s leaves them out, see below).
# In the reconnect case every request is one handshake, so CPU µs/request is the CPU per handshake.
# A third case, phases: Stampede alone over plain HTTP (same nginx, keep-alive, wait 0), with phase
# timings on and off (-Dstampede.phaseTimings=off, a switch for this measurement only), in rounds
# that alternate which goes first; the last line says what they cost in req/s and CPU per request.
# PROFILE=1 adds one reconnect run of Stampede under JFR and prints its hot methods (where a
# handshake's CPU goes) and the file, kept in the raw outputs.
# MODES=handshake (not in the default MODES): CPU per reconnect counted in handshakes, not seconds, so
# a busy machine stretches the run instead of changing what it measures: one user of Stampede's own
# session (bench/tls/HandshakeCost.java) makes ROUNDS x HANDSHAKES resumed handshakes; each round
# prints the process's CPU (JIT and GC included) and the user thread's per handshake; the summary takes
# the second half of the rounds. STAMPEDE_JAVA_OPTS go to its JVM (e.g. -Djdk.tls.namedGroups=x25519),
# CLASSPATH_EXTRA is added to its class path (another provider's jar); both apply to the Stampede runs too.
# Environment: DURATION=15 CONNECTIONS=50 REPS=3 KEEP=1 (keep raw outputs) STAMPEDE_JAR=path
# MODES="keepalive reconnect phases" TOOLS="wrk stampede" PROFILE=0 HANDSHAKES=2000 ROUNDS=6.
# Installs what it lacks (Debian: nginx wrk openssl curl time; bench/lib/nginx.sh starts nginx). Only
# 127.0.0.1 is contacted; every run is bounded in time or count; only the nginx started here is
# stopped, by its PID.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DURATION=${DURATION:-15} CONNECTIONS=${CONNECTIONS:-50} REPS=${REPS:-3} KEEP=${KEEP:-0}
MODES=${MODES:-keepalive reconnect phases} PROFILE=${PROFILE:-0} HANDSHAKES=${HANDSHAKES:-2000} ROUNDS=${ROUNDS:-6}
TOOLS=${TOOLS:-wrk stampede}
PY=/usr/bin/python3

. "$ROOT/bench/lib/nginx.sh"
bench_need nginx:nginx wrk:wrk openssl:openssl curl:curl /usr/bin/time:time
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
JAVA=$JAVA_HOME/bin/java
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK=$(mktemp -d /tmp/stampede-tls.XXXXXX)
cleanup() {
    nginx_stop
    if [ "$KEEP" = 1 ]; then echo "raw outputs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

"$ROOT/stampede" --version >/dev/null 2>&1 || [ -f "$ROOT/target/stampede.jar" ] || { echo "cannot build target/stampede.jar" >&2; exit 2; }
cp "${STAMPEDE_JAR:-$ROOT/target/stampede.jar}" "$WORK/stampede.jar"

# --- certificates and nginx (bench/lib/nginx.sh) ---------------------------------------------------
nginx_certificates "$WORK"
port=$(nginx_free_port)
plain_port=$(nginx_free_port)
[ "$plain_port" != "$port" ] || plain_port=$(nginx_free_port)
URL=https://localhost:$port
PLAIN_URL=http://127.0.0.1:$plain_port
nginx_run "  server {
    listen 127.0.0.1:$port ssl backlog=4096;
    ssl_certificate $WORK/server.pem; ssl_certificate_key $WORK/server.key; ssl_protocols TLSv1.2 TLSv1.3;
    location / { default_type text/plain; return 200 \"hello\\n\"; }
  }
  server {
    listen 127.0.0.1:$plain_port backlog=4096;
    location / { default_type text/plain; return 200 \"hello\\n\"; }
  }" curl -fsS --cacert "$WORK/ca.pem" "$URL/" || exit 3

# --- runs ------------------------------------------------------------------------------------------
for mode in keepalive reconnect; do
    task='{ get: / }'; [ "$mode" = reconnect ] && task='{ get: /, headers: { Connection: close } }'
    cat > "$WORK/$mode.yaml" <<PLAN
name: tls-$mode
host: $URL
load: { users: $CONNECTIONS, spawnRate: 1000, wait: { constant: 0s } }
http:
  tls: { caFile: $WORK/ca.pem }
tasks: [ $task ]
PLAN
done
cat > "$WORK/phases.yaml" <<PLAN
name: phases
host: $PLAIN_URL
load: { users: $CONNECTIONS, spawnRate: 1000, wait: { constant: 0s } }
tasks: [ { get: / } ]
PLAN

run_tool() { # tool mode rep -> appends one JSON line
    local tool=$1 mode=$2 rep=$3 out=$WORK/$1.$2.$3
    local T=(/usr/bin/time -f '%U %S %M' -o "$out.time" taskset -c 0)
    local hdr=(); [ "$mode" = reconnect ] && hdr=(-H "Connection: close")
    case "$tool" in
        wrk) "${T[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${hdr[@]}" "$URL/" > "$out" 2>&1 || true ;;
        stampede|stampede-nophases)
            local props=(); [ "$tool" = stampede-nophases ] && props=(-Dstampede.phaseTimings=off)
            [ "$tool" = stampede ] && [ "$PROFILE_RUN" = 1 ] && props=("-XX:StartFlightRecording=filename=$WORK/reconnect.jfr,settings=profile")
            "${T[@]}" "$JAVA" ${STAMPEDE_JAVA_OPTS:-} "${props[@]}" -cp "$WORK/stampede.jar${CLASSPATH_EXTRA:+:$CLASSPATH_EXTRA}" \
                      io.stampede.cli.Main run "$WORK/$mode.yaml" -t "${DURATION}s" --headless \
                      --results "$out.results" > "$out" 2>&1 || true ;;
    esac
    "$PY" - "$tool" "$mode" "$out" <<'PARSE' | tee -a "$WORK/runs.jsonl" >&2
import glob, json, re, sys
tool, mode, out = sys.argv[1:4]
user, sys_, kib = [l for l in open(out + ".time").read().splitlines() if re.match(r"^[0-9.]+ [0-9.]+ [0-9]+$", l)][-1].split()
cpu = float(user) + float(sys_)
steady = None
if tool == "wrk":
    text = open(out).read()
    def ms(s):
        return float(s[:-2]) / 1000 if s.endswith("us") else float(s[:-2]) if s.endswith("ms") else float(s[:-1]) * 1000
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    failures = sum(int(g) for g in m.groups()) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    failures += int(m.group(1)) if m else 0
else:
    s = json.load(open(glob.glob(out + ".results/*/summary.json")[0]))
    t = s["totals"]
    rps, requests, p50, p99, failures = t["requestsPerSecond"], t["requests"], t["medianMillis"], t["p99Millis"], t["failures"]
    # steady: from the 3rd second after the first answers (the JVM's first handshakes run cold), without the last two
    points = s["points"]
    first = next((i for i, p in enumerate(points) if p["requests"] > 0), len(points))
    steady_points = points[first + 2:-2]
    seconds = sum(p["seconds"] for p in steady_points)
    steady = sum(p["requests"] for p in steady_points) / seconds if seconds > 0 else 0.0
print(json.dumps(dict(tool=tool, mode=mode, rps=rps, steady=steady, requests=requests, p50=p50, p99=p99, cpu=cpu,
                      cpuPerRequestMicros=cpu / max(requests, 1) * 1e6, failures=failures)))
PARSE
}

run_handshakes() { # rep -> one user, COUNT handshakes a round, ROUNDS rounds (bench/tls/HandshakeCost.java)
    local out=$WORK/handshake.$1
    taskset -c 0 "$JAVA" ${STAMPEDE_JAVA_OPTS:-} -cp "$WORK/stampede.jar${CLASSPATH_EXTRA:+:$CLASSPATH_EXTRA}" "$HERE/HandshakeCost.java" "$URL" "$WORK/ca.pem" \
        "$HANDSHAKES" "$ROUNDS" > "$out" 2>&1 || true
    sed 's/^/    /' "$out" >&2
    "$PY" - "$out" <<'PARSE' | tee -a "$WORK/handshakes.jsonl" >&2
import json, re, sys
rounds = [tuple(map(float, m)) for m in re.findall(r"round \d+: (\d+) us process CPU, (\d+) us thread CPU", open(sys.argv[1]).read())]
last = rounds[len(rounds) // 2:]  # the second half: the JIT has compiled the handshake by then
print(json.dumps(dict(process=sum(r[0] for r in last) / max(len(last), 1), thread=sum(r[1] for r in last) / max(len(last), 1),
                      first=rounds[0][0] if rounds else None)))
PARSE
}

echo "tls: $CONNECTIONS connections, ${DURATION}s, $REPS reps, load before $(cut -d' ' -f1-3 /proc/loadavg)" >&2
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
PROFILE_RUN=0
for rep in $(seq "$REPS"); do
    for mode in $MODES; do
        if [ "$mode" = handshake ]; then
            echo "  rep $rep: handshakes (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
            run_handshakes "$rep"
            continue
        fi
        tools=$TOOLS
        if [ "$mode" = phases ]; then # interleaved, and which goes first alternates
            tools="stampede stampede-nophases"; [ $((rep % 2)) = 0 ] && tools="stampede-nophases stampede"
        fi
        for tool in $tools; do
            echo "  rep $rep: $tool $mode (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
            run_tool "$tool" "$mode" "$rep"
        done
    done
done
if [ "$PROFILE" = 1 ]; then
    PROFILE_RUN=1
    echo "  profile: stampede reconnect under JFR" >&2
    run_tool stampede reconnect profile
    PROFILE_RUN=0
    sed -i '$d' "$WORK/runs.jsonl" # the profiled run is not one of the table's
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "### HTTPS (TLS 1.3, ECDSA P-256) against nginx: $CONNECTIONS connections, ${DURATION} s per run, median of $REPS runs ($(date -u +%FT%TZ))"
echo
echo "Machine: $(nproc) CPUs, load average $LOAD_BEFORE before, $LOAD_AFTER after; $("$JAVA" -version 2>&1 | head -1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); nginx $(nginx -v 2>&1 | cut -d/ -f2); Stampede $(cd "$ROOT" && git rev-parse --short HEAD)."
echo
[ -s "$WORK/runs.jsonl" ] && "$PY" - "$WORK/runs.jsonl" <<'TABLE'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
print("| case | tool | req/s (whole run) | req/s (steady) | p50 ms | p99 ms | CPU s | CPU µs/request | failures |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
names = {"keepalive": "keep-alive", "reconnect": "reconnect each request", "phases": "plain HTTP, phases on/off"}
medians = {}
for mode in ("keepalive", "reconnect", "phases"):
    for tool in ("wrk", "stampede", "stampede-nophases"):
        rs = sorted((r for r in runs if r["tool"] == tool and r["mode"] == mode), key=lambda r: r["rps"])
        if not rs:
            continue
        m = medians[(mode, tool)] = rs[len(rs) // 2]
        steady = "" if m["steady"] is None else f"{m['steady']:,.0f}"
        label = {"stampede-nophases": "Stampede, phases off", "stampede": "Stampede"}.get(tool, tool)
        print(f"| {names[mode]} | {label} | {m['rps']:,.0f} | {steady} | "
              f"{m['p50']:.2f} | {m['p99']:.2f} | {m['cpu']:.1f} | {m['cpuPerRequestMicros']:.1f} | {m['failures']} |")
on, off = medians.get(("phases", "stampede")), medians.get(("phases", "stampede-nophases"))
if on and off and off["steady"] and off["cpuPerRequestMicros"]:
    print()
    print(f"Phase timings cost {100 * (1 - on['steady'] / off['steady']):+.1f}% of steady req/s (on {on['steady']:,.0f}, "
          f"off {off['steady']:,.0f}) and {100 * (on['cpuPerRequestMicros'] / off['cpuPerRequestMicros'] - 1):+.1f}% of CPU "
          f"per request (medians of the rounds; the issue's budget: 5% of req/s).")
TABLE
if [ -s "$WORK/handshakes.jsonl" ]; then
    echo
    "$PY" - "$WORK/handshakes.jsonl" "$HANDSHAKES" "$ROUNDS" <<'SUMMARY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
print(f"Handshakes, one user, {sys.argv[3]} rounds of {sys.argv[2]}, CPU per handshake over the second half of the rounds, "
      f"median of {len(runs)}: process {statistics.median(r['process'] for r in runs):,.0f} µs, "
      f"user thread {statistics.median(r['thread'] for r in runs):,.0f} µs (first round: process "
      f"{statistics.median(r['first'] for r in runs if r['first']):,.0f} µs).")
SUMMARY
fi
if [ "$PROFILE" = 1 ] && [ -f "$WORK/reconnect.jfr" ]; then
    echo
    echo "Hot methods of one Stampede reconnect run (JFR, $WORK/reconnect.jfr; KEEP=1 keeps it):"
    echo
    "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$WORK/reconnect.jfr" | head -40
fi
