#!/usr/bin/env bash
# Stampede's engine beside wrk, and its memory with many users. Prints numbers; asserts nothing.
#   bench/engine/run.sh [throughput|memory|all]
# throughput: `stampede run` with wait 0 and wrk, same 50 connections, each pinned to CPU 0,
#             nginx on CPU 1, 15 s each, 3 runs each; req/s, p50, p99, CPU s.
# memory:     1,000 users with the lab's wait (1-5 s) against the demo service for 60 s; peak RSS.
# Environment: CONNECTIONS=50 DURATION=15 REPS=3 MEM_USERS=1000 MEM_DURATION=60
# Only 127.0.0.1 is contacted; every run is bounded in time; only processes started here are stopped.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
. "$ROOT/bench/lib/nginx.sh"
MODE=${1:-all}
CONNECTIONS=${CONNECTIONS:-50} DURATION=${DURATION:-15} REPS=${REPS:-3}
MEM_USERS=${MEM_USERS:-1000} MEM_DURATION=${MEM_DURATION:-60}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(cd "$ROOT" && mvn -q -B -DskipTests package >/dev/null)
JAR=$ROOT/target/stampede.jar
WORK=$(mktemp -d /tmp/stampede-bench.XXXXXX)
CHILD=
cleanup() { [ -n "$CHILD" ] && kill "$CHILD" 2>/dev/null; nginx_stop; rm -rf "$WORK"; }
trap cleanup EXIT

# Runs a command pinned to CPU 0 and prints "user+sys CPU seconds" of it to $WORK/cpu.
timed() { { TIMEFORMAT='%U %S'; time taskset -c 0 "$@" ; } 2> "$WORK/time"; awk '{print $1+$2}' "$WORK/time" > "$WORK/cpu"; }

throughput() {
    nginx_start
    cat > "$WORK/max.yaml" <<YAML
name: max
host: $NGINX_URL
load: { users: $CONNECTIONS, spawnRate: 1000, wait: { constant: 0s } }
tasks: [ { get: / } ]
YAML
    echo "| tool | run | req/s | p50 ms | p99 ms | CPU s |"
    echo "|---|---:|---:|---:|---:|---:|"
    for rep in $(seq "$REPS"); do
        timed wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$NGINX_URL/" > "$WORK/wrk.txt"
        awk -v rep="$rep" -v cpu="$(cat "$WORK/cpu")" '
            function ms(s) { if (s ~ /us$/) return s/1000; if (s ~ /ms$/) return s+0; return s*1000 }
            /Requests\/sec/ { rps=$2 } $1=="50%" { p50=ms($2) } $1=="99%" { p99=ms($2) }
            END { printf "| wrk | %d | %.0f | %.3f | %.3f | %.2f |\n", rep, rps, p50, p99, cpu }' "$WORK/wrk.txt"
        rm -rf "$WORK/results"
        timed "$JAVA_HOME/bin/java" -jar "$JAR" run "$WORK/max.yaml" -t "${DURATION}s" --headless --results "$WORK/results" > "$WORK/stampede.txt"
        python3 - "$WORK" "$rep" "$(cat "$WORK/cpu")" <<'PY'
import glob, json, sys
work, rep, cpu = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = json.load(open(glob.glob(work + "/results/*/summary.json")[0]))
pts = s["points"][2:-1]   # whole seconds once all users run
rps = sum(p["requests"] for p in pts) / sum(p["seconds"] for p in pts)
t = s["totals"]
print(f"| stampede | {rep} | {rps:.0f} | {t['medianMillis']:.3f} | {t['p99Millis']:.3f} | {cpu:.2f} |")
PY
    done
    nginx_stop
}

memory() {
    "$JAVA_HOME/bin/java" -jar "$JAR" target --port 0 > "$WORK/target.txt" 2>&1 &
    CHILD=$!
    for _ in $(seq 100); do grep -q "demo service on" "$WORK/target.txt" && break; sleep 0.1; done
    url=$(sed -n 's/.*demo service on \([^ ]*\).*/\1/p' "$WORK/target.txt")
    "$JAVA_HOME/bin/java" -jar "$JAR" run "$ROOT/examples/lab13.yaml" -H "$url" -u "$MEM_USERS" -r 100 \
        -t "${MEM_DURATION}s" --headless --results "$WORK/mem" > "$WORK/mem.txt" &
    run=$!
    peak=0
    while kill -0 "$run" 2>/dev/null; do
        kb=$(awk '/VmHWM/ {print $2}' "/proc/$run/status" 2>/dev/null || echo 0)
        [ -n "$kb" ] && [ "$kb" -gt "$peak" ] && peak=$kb
        sleep 1
    done
    wait "$run" || true
    rps=$(python3 -c "
import glob, json
s = json.load(open(glob.glob('$WORK/mem/*/summary.json')[0]))
pts = s['points'][int($MEM_USERS/100)+5:-1]
print(round(sum(p['requests'] for p in pts) / sum(p['seconds'] for p in pts), 1))")
    echo "memory: $MEM_USERS users (wait 1-5 s), ${MEM_DURATION}s: peak RSS $((peak / 1024)) MiB, steady $rps req/s (theory $((MEM_USERS / 3)))"
    kill "$CHILD"; wait "$CHILD" 2>/dev/null || true; CHILD=
}

case "$MODE" in
    throughput) throughput ;;
    memory) memory ;;
    all) throughput; memory ;;
    *) echo "usage: $0 [throughput|memory|all]" >&2; exit 2 ;;
esac
