#!/usr/bin/env bash
# Stampede's engine beside wrk, and its memory with many users. Prints numbers; asserts nothing.
#   bench/engine/run.sh [throughput|memory|all|ab A.jar B.jar]
# throughput: `stampede run` with wait 0 and wrk, same 50 connections, each pinned to CPU 0,
#             nginx on CPU 1, 15 s each, 3 runs each; req/s, p50, p99, CPU s.
# memory:     1,000 then 5,000 users with the lab's wait (1-5 s) against the demo service, 60 s each:
#             peak RSS, live heap after a full GC, and both per user (the slope between the two).
# Environment: CONNECTIONS=50 DURATION=15 REPS=3 MEM_USERS="1000 5000" MEM_DURATION=60 MEM_SPAWN_RATE=500
#              MEM_JAVA_OPTS (JVM flags of the measured run) MEM_HISTO_DIR (keep the class histograms there)
# Only 127.0.0.1 is contacted; every run is bounded in time; only processes started here are stopped.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
. "$ROOT/bench/lib/nginx.sh"
MODE=${1:-all}
CONNECTIONS=${CONNECTIONS:-50} DURATION=${DURATION:-15} REPS=${REPS:-3}
MEM_USERS=${MEM_USERS:-1000 5000} MEM_DURATION=${MEM_DURATION:-60} MEM_SPAWN_RATE=${MEM_SPAWN_RATE:-500}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$MODE" = ab ] || (cd "$ROOT" && mvn -q -B -DskipTests package >/dev/null)
JAR=$ROOT/target/stampede.jar
WORK=$(mktemp -d /tmp/stampede-bench.XXXXXX)
CHILD=
cleanup() { [ -n "$CHILD" ] && kill "$CHILD" 2>/dev/null; nginx_stop; rm -rf "$WORK"; }
trap cleanup EXIT

# Runs a command pinned to CPU 0 and prints "user+sys CPU seconds" of it to $WORK/cpu.
timed() { { TIMEFORMAT='%U %S'; time taskset -c 0 "$@" ; } 2> "$WORK/time"; awk '{print $1+$2}' "$WORK/time" > "$WORK/cpu"; }

# Writes $WORK/max.yaml: $CONNECTIONS users with no wait, each GET / against the nginx.
max_plan() {
    cat > "$WORK/max.yaml" <<YAML
name: max
host: $NGINX_URL
load: { users: $CONNECTIONS, spawnRate: 1000, wait: { constant: 0s } }
tasks: [ { get: / } ]
YAML
}

throughput() {
    nginx_start
    max_plan
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

# One memory run of $1 users: prints "users peakRSS_KiB liveHeap_KiB req/s"; live heap is after a full
# GC (jcmd GC.class_histogram) 10 s before the end, once every user runs and waits.
memory_run() {
    local users=$1
    rm -rf "$WORK/mem"
    "$JAVA_HOME/bin/java" ${MEM_JAVA_OPTS:-} -jar "$JAR" run "$ROOT/examples/lab13.yaml" -H "$url" -u "$users" -r "$MEM_SPAWN_RATE" \
        -t "${MEM_DURATION}s" --headless --results "$WORK/mem" > "$WORK/mem.txt" &
    local run=$! peak=0 live=0 t=0
    while kill -0 "$run" 2>/dev/null; do
        kb=$(awk '/VmHWM/ {print $2}' "/proc/$run/status" 2>/dev/null || echo 0)
        [ -n "$kb" ] && [ "$kb" -gt "$peak" ] && peak=$kb
        if [ "$t" -eq $((MEM_DURATION - 10)) ]; then
            jcmd "$run" GC.class_histogram > "$WORK/histo-$users.txt" 2>/dev/null || true
            live=$(awk '/^Total/ {print int($3/1024)}' "$WORK/histo-$users.txt")
            [ -n "${MEM_HISTO_DIR:-}" ] && cp "$WORK/histo-$users.txt" "$MEM_HISTO_DIR/"
        fi
        sleep 1; t=$((t + 1))
    done
    wait "$run" || true
    rps=$(python3 -c "
import glob, json
s = json.load(open(glob.glob('$WORK/mem/*/summary.json')[0]))
pts = s['points'][int($users/$MEM_SPAWN_RATE)+5:-1]
print(round(sum(p['requests'] for p in pts) / sum(p['seconds'] for p in pts), 1))")
    echo "$users $peak ${live:-0} $rps"
}

memory() {
    "$JAVA_HOME/bin/java" -jar "$JAR" target --port 0 > "$WORK/target.txt" 2>&1 &
    CHILD=$!
    for _ in $(seq 100); do grep -q "demo service on" "$WORK/target.txt" && break; sleep 0.1; done
    url=$(sed -n 's/.*demo service on \([^ ]*\).*/\1/p' "$WORK/target.txt")
    echo "| users | peak RSS MiB | live heap MiB | req/s (theory) |"
    echo "|---:|---:|---:|---:|"
    : > "$WORK/mem-rows"
    for users in $MEM_USERS; do
        row=$(memory_run "$users")
        echo "$row" >> "$WORK/mem-rows"
        read -r u peak live rps <<< "$row"
        echo "| $u | $((peak / 1024)) | $((live / 1024)) | $rps ($((u / 3))) |"
    done
    # Per user: the slope between the smallest and the largest population (fixed costs cancel).
    awk 'NR==1 {u0=$1; p0=$2; l0=$3} {u1=$1; p1=$2; l1=$3}
         END { if (u1 > u0) printf "per user (%d -> %d users): %.1f KiB RSS, %.1f KiB live heap\n", u0, u1, (p1-p0)/(u1-u0), (l1-l0)/(u1-u0) }' "$WORK/mem-rows"
    kill "$CHILD"; wait "$CHILD" 2>/dev/null || true; CHILD=
}

# Two builds (or two JVM option sets) against the same nginx, runs interleaved A B A B ...: req/s of each
# run and the median of each side, and bytes allocated per request (from the GC log, after start-up;
# roughly: the first counted GC's segment may hold a little of the ramp). A and B are jar paths; AB_OPTS_A / AB_OPTS_B add JVM flags per side.
ab() {
    local jar_a=$1 jar_b=$2
    nginx_start
    max_plan
    : > "$WORK/ab-a"; : > "$WORK/ab-b"
    for rep in $(seq "$REPS"); do
        for side in a b; do
            if [ $side = a ]; then jar=$jar_a; opts=${AB_OPTS_A:-}; else jar=$jar_b; opts=${AB_OPTS_B:-}; fi
            rm -rf "$WORK/results"
            rm -f "$WORK/gc.log"
            timed "$JAVA_HOME/bin/java" $opts -Xlog:gc:file="$WORK/gc.log" -jar "$jar" run "$WORK/max.yaml" \
                -t "${DURATION}s" --headless --results "$WORK/results" > /dev/null
            python3 - "$WORK" "$(cat "$WORK/cpu")" >> "$WORK/ab-$side" <<'PY'
import glob, json, re, sys
s = json.load(open(glob.glob(sys.argv[1] + "/results/*/summary.json")[0]))
pts = s["points"][2:-1]
rps = sum(p["requests"] for p in pts) / sum(p["seconds"] for p in pts)
# Bytes allocated per request in steady state: what the young GCs found from the 4th second of JVM
# uptime on, over the requests of the run's seconds 4 and later (start-up and ramp left out).
unit = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
alloc, after, counting = 0, None, False
for line in open(sys.argv[1] + "/gc.log"):
    m = re.search(r"^\[(\d+\.\d+)s\].*Pause Young.* (\d+)([KMG])->(\d+)([KMG])", line)
    if m:
        if after is not None and float(m.group(1)) >= 4:
            alloc += int(m.group(2)) * unit[m.group(3)] - after
            counting = True
        after = int(m.group(4)) * unit[m.group(5)]
requests = sum(p["requests"] for p in s["points"][4:])
per = alloc / requests if counting and requests else float("nan")
print(f"{rps:.0f} {s['totals']['medianMillis']:.3f} {s['totals']['p99Millis']:.3f} {sys.argv[2]} {per:.0f}")
PY
            echo "run $rep $side: $(tail -1 "$WORK/ab-$side") (req/s p50 p99 CPU-s B/request)"
        done
    done
    for side in a b; do
        sort -n "$WORK/ab-$side" | awk -v side=$side '{r[NR]=$1} END {printf "%s: median %d req/s, min %d, max %d (n=%d)", side, r[int((NR+1)/2)], r[1], r[NR], NR}'
        sort -n -k5 "$WORK/ab-$side" | awk '{b[NR]=$5} END {printf "; median %d B allocated per request\n", b[int((NR+1)/2)]}'
    done
    nginx_stop
}

case "$MODE" in
    throughput) throughput ;;
    memory) memory ;;
    all) throughput; memory ;;
    ab) ab "$2" "$3" ;;
    *) echo "usage: $0 [throughput|memory|all|ab A.jar B.jar]" >&2; exit 2 ;;
esac
