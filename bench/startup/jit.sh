#!/usr/bin/env bash
# The JIT's warm-up in the bench/compare setup (nginx 1 worker on CPU 1, Stampede on CPU 0, USERS users,
# wait 0, DURATION s), for one or more variants, REPS rounds, the variants alternating. Per run, from
# what the machine's load moves least (bench/startup/jit.py): C1 and C2 compilations (and C2's during
# the load, after its first SKIP s), OSR compilations, deoptimizations during the load, the compiler
# threads' CPU s, the last C2 compilation of the load in seconds of load, in the process's CPU s and
# in requests answered by then, and the CPU µs per request (whole process, carrier threads) in the
# load's 2nd-5th s and 10th-15th s. Then the median of each per variant. Prints; asserts nothing.
#   bench/startup/jit.sh ['name|JAR|JVM options' ...]     # default: 'now|target/stampede.jar|'
#   e.g. bench/startup/jit.sh 'default|target/stampede.jar|' 'c1only|target/stampede.jar|-XX:TieredStopAtLevel=1'
# Environment: REPS=3 DURATION=15 USERS=50 SKIP=3; LATE=1 also prints, per run, the C2 compilations after
# SKIP s of load by group (ours, jetty, hdrhistogram, jdk, ...) and each deoptimization with its reason.
# KEEP=DIR keeps the runs' logs there. The jar runs without the launcher (no AOT cache or CDS archive
# unless the options name one, e.g. -XX:AOTCache=target/stampede-jdk<version>.aot).
# Only 127.0.0.1 is contacted; every run ends by itself (-t); only processes started here are stopped.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
REPS=${REPS:-3} DURATION=${DURATION:-15} USERS=${USERS:-50} SKIP=${SKIP:-3}
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
. "$ROOT/bench/lib/nginx.sh"
[ $# -gt 0 ] || set -- "now|target/stampede.jar|"
for v in "$@"; do
    IFS='|' read -r _ jar _ <<<"$v"
    [ -f "$jar" ] || [ -f "$ROOT/$jar" ] || { echo "no jar $jar (in $v)" >&2; exit 2; }
done
WORK=$(mktemp -d /tmp/stampede-jit.XXXXXX)
trap 'nginx_stop; rm -rf "$WORK"' EXIT
nginx_start
for rep in $(seq "$REPS"); do
    for v in "$@"; do
        IFS='|' read -r name jar opts <<<"$v"
        [ -f "$jar" ] || jar=$ROOT/$jar
        d=$WORK/$name.$rep
        mkdir -p "$d"
        # shellcheck disable=SC2086
        taskset -c 0 "$JAVA_HOME/bin/java" $opts \
            -Xlog:jit+compilation=debug:file="$d/jit.log":timemillis,uptimemillis \
            -Xlog:deoptimization=debug:file="$d/deopt.log":timemillis,uptimemillis \
            -jar "$jar" run "$ROOT/bench/compare/compare.yaml" -H "$NGINX_URL" -u "$USERS" -r 1000 \
            -t "${DURATION}s" --headless --results "$d/results" > "$d/out" 2>&1 &
        pid=$!
        python3 "$HERE/jit.py" sample "$pid" "$d/cpu"
        wait "$pid" || true
        python3 "$HERE/jit.py" run "$name" "$d" "$SKIP" | tee -a "$WORK/runs.jsonl"
        [ "${LATE:-0}" = 1 ] && python3 "$HERE/jit.py" late "$d" "$SKIP" | sed 's/^/  /'
    done
done
python3 "$HERE/jit.py" summary "$WORK/runs.jsonl"
[ -z "${KEEP:-}" ] || { mkdir -p "$KEEP"; cp -r "$WORK"/. "$KEEP"/; }
