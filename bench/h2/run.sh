#!/usr/bin/env bash
# Stampede speaking HTTP/2 beside h2load (nghttp2), on this machine. Prints numbers; asserts nothing.
#   bench/h2/run.sh
#
# A private nginx on 127.0.0.1 pinned to CPU 1 answers "hello\n" over HTTP/2 on two ports: h2 over TLS
# 1.3 (ALPN, ECDSA P-256 certificate made here with openssl) and h2c with prior knowledge. Each tool
# is pinned to CPU 0, CONNECTIONS users/connections with one stream at a time each (h2load -m 1, as a
# Stampede user sends its next request when the last one is answered), no wait, DURATION s, REPS
# times, interleaved. One markdown table of the median runs: req/s, CPU s of the tool's process tree
# (GNU time) and CPU µs per request (CPU s ÷ requests of the whole run; Stampede's includes its JVM
# start-up and first handshakes: its steady req/s leaves them out). h2load prints no percentiles: its
# mean time per request is shown beside Stampede's.
# Environment: DURATION=15 CONNECTIONS=50 REPS=3 KEEP=1 (keep raw outputs) STAMPEDE_JAR=path,
# TOOLS="h2load stampede" (which to run), PERF=1 (count each tool's user-space instructions with
# perf stat -e instructions:u over its process tree, JVM start-up included: a column of instructions
# per request, steadier than CPU time on a busy machine).
# Installs what it lacks (Debian: nginx nghttp2-client openssl time curl). Only 127.0.0.1 is
# contacted; every run is bounded in time; only the nginx started here is stopped, by its PID.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DURATION=${DURATION:-15} CONNECTIONS=${CONNECTIONS:-50} REPS=${REPS:-3} KEEP=${KEEP:-0}
TOOLS=${TOOLS:-h2load stampede} PERF=${PERF:-0}
PY=/usr/bin/python3

. "$ROOT/bench/lib/nginx.sh"
bench_need nginx:nginx h2load:nghttp2-client openssl:openssl curl:curl /usr/bin/time:time
[ "$PERF" = 1 ] && bench_need perf:linux-perf
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
JAVA=$JAVA_HOME/bin/java
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK=$(mktemp -d /tmp/stampede-h2.XXXXXX)
cleanup() {
    nginx_stop
    if [ "$KEEP" = 1 ]; then echo "raw outputs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

[ -f "${STAMPEDE_JAR:-$ROOT/target/stampede.jar}" ] || { echo "build target/stampede.jar first (mvn -DskipTests package)" >&2; exit 2; }
cp "${STAMPEDE_JAR:-$ROOT/target/stampede.jar}" "$WORK/stampede.jar"

# --- certificates and nginx (bench/lib/nginx.sh) ---------------------------------------------------
nginx_certificates "$WORK"
ports=("$(nginx_free_port)" "$(nginx_free_port)")
[ "${ports[1]}" != "${ports[0]}" ] || ports[1]=$(nginx_free_port)
declare -A URL=([h2]=https://localhost:${ports[0]} [h2c]=http://localhost:${ports[1]})
nginx_run "  server {
    listen 127.0.0.1:${ports[0]} ssl http2 backlog=4096;
    ssl_certificate $WORK/server.pem; ssl_certificate_key $WORK/server.key; ssl_protocols TLSv1.2 TLSv1.3;
    location / { default_type text/plain; return 200 \"hello\\n\"; }
  }
  server {
    listen 127.0.0.1:${ports[1]} http2 backlog=4096;
    location / { default_type text/plain; return 200 \"hello\\n\"; }
  }" curl -fsS --http2-prior-knowledge "${URL[h2c]}/" || exit 3

# --- runs ------------------------------------------------------------------------------------------
for mode in h2 h2c; do
    cat > "$WORK/$mode.yaml" <<PLAN
name: $mode
host: ${URL[$mode]}
load: { users: $CONNECTIONS, spawnRate: 1000, wait: { constant: 0s } }
http:
  version: "2"
  tls: { caFile: $WORK/ca.pem }
tasks: [ { get: / } ]
PLAN
done

run_tool() { # tool mode rep -> appends one JSON line
    local tool=$1 mode=$2 rep=$3 out=$WORK/$1.$2.$3
    local T=(/usr/bin/time -f '%U %S %M' -o "$out.time")
    [ "$PERF" = 1 ] && T+=(perf stat -x, -e instructions:u -o "$out.perf")
    T+=(taskset -c 0)
    case "$tool" in
        h2load) "${T[@]}" h2load -t1 -c"$CONNECTIONS" -m1 -D"$DURATION" "${URL[$mode]}/" > "$out" 2>&1 || true ;;
        stampede) "${T[@]}" "$JAVA" -jar "$WORK/stampede.jar" run "$WORK/$mode.yaml" -t "${DURATION}s" --headless \
                      --results "$out.results" > "$out" 2>&1 || true ;;
    esac
    "$PY" - "$tool" "$mode" "$out" <<'PARSE' | tee -a "$WORK/runs.jsonl" >&2
import glob, json, os, re, sys
tool, mode, out = sys.argv[1:4]
user, sys_, kib = [l for l in open(out + ".time").read().splitlines() if re.match(r"^[0-9.]+ [0-9.]+ [0-9]+$", l)][-1].split()
cpu = float(user) + float(sys_)
steady = None
if tool == "h2load":
    text = open(out).read()
    def ms(s):
        return float(s[:-2]) / 1000 if s.endswith("us") else float(s[:-2]) if s.endswith("ms") else float(s[:-1]) * 1000
    rps = float(re.search(r"finished in [0-9.]+s, ([0-9.]+) req/s", text).group(1))
    m = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text)
    requests, failures = int(m.group(1)), int(m.group(3)) + int(m.group(4)) + int(m.group(5))
    mean = ms(re.search(r"time for request:\s+\S+\s+\S+\s+(\S+)", text).group(1))
    p50 = p99 = None
else:
    s = json.load(open(glob.glob(out + ".results/*/summary.json")[0]))
    t = s["totals"]
    rps, requests, p50, p99, failures = t["requestsPerSecond"], t["requests"], t["medianMillis"], t["p99Millis"], t["failures"]
    mean = t["averageMillis"]
    points = s["points"]  # steady: from the 3rd second after the first answers, without the last two
    first = next((i for i, p in enumerate(points) if p["requests"] > 0), len(points))
    steady_points = points[first + 2:-2]
    seconds = sum(p["seconds"] for p in steady_points)
    steady = sum(p["requests"] for p in steady_points) / seconds if seconds > 0 else 0.0
instructions = None
if os.path.exists(out + ".perf"):
    counted = [l.split(",") for l in open(out + ".perf") if "instructions" in l]
    instructions = int(counted[0][0]) if counted and counted[0][0].isdigit() else None
print(json.dumps(dict(tool=tool, mode=mode, rps=rps, steady=steady, requests=requests, mean=mean, p50=p50, p99=p99,
                      cpu=cpu, cpuPerRequestMicros=cpu / max(requests, 1) * 1e6, failures=failures,
                      instructionsPerRequest=None if instructions is None else instructions / max(requests, 1))))
PARSE
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "h2: $CONNECTIONS connections, ${DURATION}s, $REPS reps, load before $LOAD_BEFORE" >&2
for rep in $(seq "$REPS"); do
    for mode in h2 h2c; do
        for tool in $TOOLS; do
            echo "  rep $rep: $tool $mode (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
            run_tool "$tool" "$mode" "$rep"
        done
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "### HTTP/2 against nginx: $CONNECTIONS connections, one stream each, ${DURATION} s per run, median of $REPS runs ($(date -u +%FT%TZ))"
echo
echo "Machine: $(nproc) CPUs, load average $LOAD_BEFORE before, $LOAD_AFTER after; $("$JAVA" -version 2>&1 | head -1); $(h2load --version | head -1); nginx $(nginx -v 2>&1 | cut -d/ -f2); Stampede $(cd "$ROOT" && git rev-parse --short HEAD)."
echo
"$PY" - "$WORK/runs.jsonl" <<'TABLE'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
print("| case | tool | req/s (whole run) | req/s (steady) | mean ms | p50 ms | p99 ms | CPU s | CPU µs/request | instructions/request | failures |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
def f(v, spec):
    return "" if v is None else format(v, spec)
for mode in ("h2", "h2c"):
    for tool in ("h2load", "stampede"):
        rs = sorted((r for r in runs if r["tool"] == tool and r["mode"] == mode), key=lambda r: r["rps"])
        if not rs:
            continue
        m = rs[len(rs) // 2]
        case = "h2 over TLS 1.3 (ALPN)" if mode == "h2" else "h2c (prior knowledge)"
        print(f"| {case} | {tool} | {m['rps']:,.0f} | {f(m['steady'], ',.0f')} | {m['mean']:.2f} | {f(m['p50'], '.2f')} | "
              f"{f(m['p99'], '.2f')} | {m['cpu']:.1f} | {m['cpuPerRequestMicros']:.1f} | "
              f"{f(m.get('instructionsPerRequest'), ',.0f')} | {m['failures']} |")
TABLE
