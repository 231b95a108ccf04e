#!/usr/bin/env bash
# What the fault proxy costs with no fault: wrk against nginx directly, then through `stampede proxy`
# (no toxic: the plain relay), then through it with a noop toxic each way (every byte through the
# toxic chain: the machinery any fault adds); and one connection each way, for the latency the
# relay adds when nothing is saturated. See RESULTS.md.
#   bench/proxy/run.sh
# Environment (defaults): CONNECTIONS=50 DURATION=10 WARMUP=5 REPS=3 JAVA_OPTS="" BUILD=1
#   BENCH_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
# CPUs: wrk on CPU 0; nginx and the proxy share CPU 1 (a 2-CPU machine has no third).
# Only 127.0.0.1 is contacted; every wait is bounded; only processes started here are stopped, by PID.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

CONNECTIONS=${CONNECTIONS:-50} DURATION=${DURATION:-10} WARMUP=${WARMUP:-5} REPS=${REPS:-3}
JAVA_OPTS=${JAVA_OPTS:-} BUILD=${BUILD:-1}
export JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH=$JAVA_HOME/bin:$PATH
READY_WAIT_TENTHS=300   # the proxy has 30 s to print its ready line
CLK_TCK=$(getconf CLK_TCK)

OUT=bench/proxy/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

# --- build and launch form ------------------------------------------------------------------------
if [[ $BUILD == 1 ]]; then
  mvn -q -B -DskipTests package 2>&1 | grep -v '^WARNING' || true
fi
JAR=target/stampede.jar
[ -f "$JAR" ] || { echo "no $JAR: build failed" >&2; exit 1; }
PROXY_CMD=(java $JAVA_OPTS -jar "$JAR" proxy)
java -version 2>&1 | head -1 | tee "$OUT/java-version.txt"
# Other work on this machine skews every number: say so in the results rather than hide it.
LOAD=$(cut -d' ' -f1 /proc/loadavg)
echo "load average before the run: $LOAD" | tee "$OUT/load.txt"
awk -v l="$LOAD" 'BEGIN { exit !(l > 1.0) }' && echo "warning: the machine is busy (load $LOAD); numbers will be noisy" >&2

# --- nginx on CPU 1 (bench/lib/nginx.sh), the proxy on CPU 1 too -----------------------------------
. bench/lib/nginx.sh
PROXY_PID=
cleanup() {
  set +e # a proxy that already died must not stop the clean-up before nginx is stopped
  [ -n "$PROXY_PID" ] && { kill "$PROXY_PID" 2>/dev/null; wait "$PROXY_PID" 2>/dev/null; }
  nginx_stop
}
trap cleanup EXIT
nginx_start
NGINX_ADDR=${NGINX_URL#http://}
echo "nginx pid $NGINX_PID on $NGINX_URL; logs in $OUT"

taskset -c 1 "${PROXY_CMD[@]}" --port 0 > "$OUT/proxy.out" 2> "$OUT/proxy.err" &
PROXY_PID=$!
API=
for _ in $(seq "$READY_WAIT_TENTHS"); do
  API=$(sed -n 's/^stampede proxy: API on \(http:[^ ]*\)$/\1/p' "$OUT/proxy.out")
  [ -n "$API" ] && break
  kill -0 "$PROXY_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$API" ] || { echo "the proxy did not start" >&2; cat "$OUT/proxy.err" >&2; exit 1; }
echo "proxy pid $PROXY_PID, API on $API"

# Toxiproxy's API, as any Toxiproxy user would drive it.
CREATED=$(curl -fsS -X POST "$API/proxies" -d "{\"name\":\"nginx\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"$NGINX_ADDR\"}")
PROXY_URL=http://$(echo "$CREATED" | jq -r .listen)/
curl -fsS "$PROXY_URL" >/dev/null || { echo "no answer through the proxy" >&2; exit 1; }

proxy_cpu_ticks() { awk '{print $14, $15}' "/proc/$PROXY_PID/stat"; } # user, system

# run_wrk NAME URL SECONDS [CONNECTIONS] -> "NAME rps p50_us p99_us proxy_cpu_s requests errors proxy_sys_s"
run_wrk() {
  local name=$1 url=$2 seconds=$3 connections=${4:-$CONNECTIONS} f=$OUT/wrk-$1.txt user0 sys0 user1 sys1
  read -r user0 sys0 < <(proxy_cpu_ticks)
  taskset -c 0 wrk -t1 -c"$connections" -d"$seconds"s --latency "$url" > "$f"
  read -r user1 sys1 < <(proxy_cpu_ticks)
  cat "$f" >> "$OUT/wrk.log"
  awk -v name="$name" -v d="$seconds" -v user="$(( user1 - user0 ))" -v sys="$(( sys1 - sys0 ))" -v tck="$CLK_TCK" '
    function us(s) { if (s ~ /us$/) return s+0; if (s ~ /ms$/) return s*1000; return s*1e6 }
    /^ +50%/ { p50 = us($2) } /^ +99%/ { p99 = us($2) } / requests in / { n = $1 }
    /Non-2xx|Socket errors/ { err = 1 }
    END { printf "%s %.1f %d %d %.2f %d %d %.2f\n", name, n / d, p50, p99, (user + sys) / tck, n, err, sys / tck }' "$f"
}

median_row() { # name -> the run with the median req/s
  local rows; rows=$(grep "^$1 " "$OUT/runs" | sort -k2 -g)
  echo "$rows" | sed -n "$(( ($(echo "$rows" | wc -l) + 1) / 2 ))p"
}

echo "== $CONNECTIONS connections, ${DURATION}s x $REPS per row (+${WARMUP}s warm-up per row, discarded)"
run_wrk warmup "$NGINX_URL/" "$WARMUP" > /dev/null
for r in $(seq "$REPS"); do run_wrk direct "$NGINX_URL/" "$DURATION" | tee -a "$OUT/runs"; done

run_wrk warmup "$PROXY_URL" "$WARMUP" > /dev/null # JIT of the relay on one core
for r in $(seq "$REPS"); do run_wrk proxy "$PROXY_URL" "$DURATION" | tee -a "$OUT/runs"; done

# One connection: nothing saturated, so the latency column is what the relay adds to a round trip.
run_wrk direct-1-connection "$NGINX_URL/" "$DURATION" 1 | tee -a "$OUT/runs"
run_wrk proxy-1-connection "$PROXY_URL" "$DURATION" 1 | tee -a "$OUT/runs"

# Every new connection now goes through the toxic chain both ways (wrk reconnects at each run).
curl -fsS -X POST "$API/proxies/nginx/toxics" -d '{"name":"up","type":"noop","stream":"upstream"}' >/dev/null
curl -fsS -X POST "$API/proxies/nginx/toxics" -d '{"name":"down","type":"noop","stream":"downstream"}' >/dev/null
run_wrk warmup "$PROXY_URL" "$WARMUP" > /dev/null
for r in $(seq "$REPS"); do run_wrk proxy-noop-toxics "$PROXY_URL" "$DURATION" | tee -a "$OUT/runs"; done
curl -fsS -X POST "$API/reset" >/dev/null

DIRECT_RPS=$(median_row direct | awk '{print $2}')
DIRECT1_RPS=$(median_row direct-1-connection | awk '{print $2}')
{
  echo "| path | req/s (median of $REPS) | min–max req/s | p50 ms | p99 ms | proxy CPU s (of which kernel) | proxy CPU s / 10k req | vs direct | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for name in direct proxy proxy-noop-toxics direct-1-connection proxy-1-connection; do
    range=$(grep "^$name " "$OUT/runs" | sort -k2 -g | awk 'NR==1{lo=$2} {hi=$2} END{printf "%.0f–%.0f", lo, hi}')
    base=$DIRECT_RPS; [[ $name == *-1-connection ]] && base=$DIRECT1_RPS
    median_row "$name" | awk -v w="$base" -v r="$range" '{
      direct = ($1 ~ /^direct/)
      cpu = direct ? "-" : sprintf("%.2f (%.2f)", $5, $8)
      per = direct ? "-" : sprintf("%.3f", $6 ? $5 * 10000 / $6 : 0)
      printf "| %s | %.0f | %s | %.3f | %.3f | %s | %s | %.2f | %d |\n", $1, $2, r, $3/1000, $4/1000, cpu, per, $2/w, $7 }'
  done
} | tee "$OUT/results.md"
echo "load average after the run: $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/load.txt"
