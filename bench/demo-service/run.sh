#!/usr/bin/env bash
# The demo service's ceiling, measured with wrk: how many requests/s can `stampede target` answer
# on one CPU? Stampede's own benchmarks must stay well below it, or they measure the service.
#
#   bench/demo-service/run.sh                         # builds target/stampede.jar first
#   STAMPEDE_JAR=/path/to/stampede.jar bench/demo-service/run.sh   # measure a jar built elsewhere
#
# The service is pinned to CPU 1 and wrk to CPU 0 so they do not steal each other's cycles.
# Traffic goes to 127.0.0.1 only; every run is bounded; the script stops only the PID it started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
SERVICE_CPU="${SERVICE_CPU:-1}"
WRK_CPU="${WRK_CPU:-0}"
CONNECTIONS="${CONNECTIONS:-50}"
WARMUP_DURATION="${WARMUP_DURATION:-5s}"
MEASURE_DURATION="${MEASURE_DURATION:-10s}"
STARTUP_TIMEOUT_SECONDS=20

command -v wrk >/dev/null || { echo "run.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
command -v taskset >/dev/null || { echo "run.sh: taskset is missing (util-linux)" >&2; exit 2; }

if [ -z "${STAMPEDE_JAR:-}" ]; then
    echo "== building $ROOT/target/stampede.jar"
    (cd "$ROOT" && mvn -q -DskipTests package)
    STAMPEDE_JAR="$ROOT/target/stampede.jar"
fi

LOG="$(mktemp -t stampede-target.XXXXXX.log)"
# --port 0: the service picks a free port and prints it; no race with other listeners.
taskset -c "$SERVICE_CPU" "$JAVA_HOME/bin/java" -jar "$STAMPEDE_JAR" target --host 127.0.0.1 --port 0 >"$LOG" 2>&1 &
SERVICE_PID=$!
stop_service() {
    if kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill -TERM "$SERVICE_PID"
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    rm -f "$LOG"
}
trap stop_service EXIT

URL=""
for _ in $(seq 1 $((STARTUP_TIMEOUT_SECONDS * 10))); do
    URL="$(sed -n 's|^stampede target: demo service on \(http://[^ ]*\) .*|\1|p' "$LOG")"
    [ -n "$URL" ] && break
    kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$LOG" >&2; echo "run.sh: the service died" >&2; exit 3; }
    sleep 0.1
done
[ -n "$URL" ] || { cat "$LOG" >&2; echo "run.sh: no ready line within ${STARTUP_TIMEOUT_SECONDS}s" >&2; exit 3; }

echo "== $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(wrk --version 2>&1 | head -1)"
echo "== service PID $SERVICE_PID on CPU $SERVICE_CPU at $URL; wrk on CPU $WRK_CPU, $CONNECTIONS connections"

# The machine may be shared: besides req/s, report how much CPU the service actually got and the
# requests it answered per CPU-second it used. That ratio is its ceiling on one whole CPU, and it
# barely moves when a neighbour steals cycles, while req/s does.
TICKS_PER_SECOND="$(getconf CLK_TCK)"
service_cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVICE_PID/stat"; }

for path in / /health; do
    echo "== warm-up $path ($WARMUP_DURATION)"
    taskset -c "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"$WARMUP_DURATION" "$URL$path" >/dev/null
    for round in $(seq 1 "${ROUNDS:-3}"); do
        echo "== measure $path, round $round: taskset -c $WRK_CPU wrk -t1 -c$CONNECTIONS -d$MEASURE_DURATION --latency $URL$path"
        before="$(service_cpu_ticks)"
        out="$(taskset -c "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"$MEASURE_DURATION" --latency "$URL$path")"
        after="$(service_cpu_ticks)"
        echo "$out" | sed -n '/Latency Distribution/,/Requests\/sec/p'
        echo "$out" | awk -v ticks="$((after - before))" -v hz="$TICKS_PER_SECOND" -v path="$path" '
            / requests in / { requests = $1; seconds = $4 + 0 }
            /^Requests\/sec:/ { rate = $2 }
            /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
            END {
                cpu = ticks / hz
                printf "RESULT %-8s %9.0f req/s  p50 %-9s p99 %-9s service CPU %5.1fs of %4.1fs (%3.0f%%)  %7.0f req per CPU-second\n",
                       path, rate, p50, p99, cpu, seconds, 100 * cpu / seconds, (cpu > 0 ? requests / cpu : 0)
            }'
    done
done
