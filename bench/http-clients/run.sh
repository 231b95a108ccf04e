#!/usr/bin/env bash
# Benchmarks HTTP clients for Stampede against a local nginx (see RESULTS.md).
#   ./run.sh [all|throughput|memory]
# Environment (defaults): USERS=50 DURATION=10 WARMUP=10 REPS=3 MEM_USERS=5000 MEM_DURATION=20
#   CLIENTS="raw jdk-per-user ..." MEM_CLIENTS="..." JAVA_OPTS="-Xmx2g" BENCH_JAVA_HOME=<JDK 21+>
# Only 127.0.0.1 is contacted; every run is bounded in time; only the nginx started here is stopped (by PID).
set -euo pipefail
cd "$(dirname "$0")"

MODE=${1:-all}
USERS=${USERS:-50} DURATION=${DURATION:-10} WARMUP=${WARMUP:-10} REPS=${REPS:-3}
MEM_USERS=${MEM_USERS:-5000} MEM_DURATION=${MEM_DURATION:-20}
CLIENTS=${CLIENTS:-"raw httpcore apache-per-user apache-pooled jdk-per-user jdk-shared jetty"}
MEM_CLIENTS=${MEM_CLIENTS:-$CLIENTS}
JAVA_OPTS=${JAVA_OPTS:--Xmx2g}
export JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH=$JAVA_HOME/bin:$PATH

command -v nginx >/dev/null && command -v wrk >/dev/null || { apt-get update && apt-get install -y nginx wrk; }
NOFILE=$(ulimit -Hn); [[ $NOFILE == unlimited ]] && NOFILE=65536
ulimit -n "$NOFILE" # 5,000 users need > 5,000 descriptors in the JVM and in nginx

OUT=results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
# --- nginx: 1 worker pinned to CPU 1, tiny static body (bench/lib/nginx.sh) ----------------------
. ../lib/nginx.sh
nginx_start
trap nginx_stop EXIT
URL=$NGINX_URL/
echo "nginx pid $NGINX_PID on $URL; logs in $OUT"

# --- build ---------------------------------------------------------------------------------------
mvn -q -B -Dstyle.color=never package 2>&1 | grep -v '^WARNING' || true
JAR=target/http-clients-bench.jar
[ -f "$JAR" ] || { echo "build failed" >&2; exit 1; }
java -version 2>&1 | head -1 | tee "$OUT/java-version.txt"

# bench CLIENT ARGS... -> prints "client rps p50_us p99_us cpu_s count errors hwm_kb heap_kb threads users"
bench() {
  local client=$1; shift
  taskset -c 0 java $JAVA_OPTS -jar "$JAR" --client "$client" --url "$URL" "$@" | tee -a "$OUT/bench.log" | grep '^RESULT' |
    sed 's/[a-z0-9_]*=//g; s/^RESULT //' || true
}

# wrk with CPU time from bash's `time`; same line format (no memory columns)
run_wrk() {
  local f=$OUT/wrk.txt
  { TIMEFORMAT='%U %S'; time taskset -c 0 wrk -t1 -c"$USERS" -d"$1"s --latency "$URL" > "$f"; } 2> "$f.time"
  cat "$f" >> "$OUT/wrk.log"
  awk -v cpu="$(awk '{print $1+$2}' "$f.time")" -v d="$1" '
    function us(s) { if (s ~ /us$/) return s+0; if (s ~ /ms$/) return s*1000; return s*1e6 }
    /^ +50%/ { p50 = us($2) } /^ +99%/ { p99 = us($2) } / requests in / { n = $1 }
    /Non-2xx|Socket errors/ { err = 1 }
    END { printf "wrk %.1f %d %d %.3f %d %d - - -\n", n / d, p50, p99, cpu, n, err }' "$f"
}

median_row() { # client -> the run with the median req/s
  local rows; rows=$(grep "^$1 " "$OUT/$2" | sort -k2 -g)
  echo "$rows" | sed -n "$(( ($(echo "$rows" | wc -l) + 1) / 2 ))p"
}

if [[ $MODE == all || $MODE == throughput ]]; then
  echo "== throughput: $USERS connections, ${DURATION}s x $REPS (+${WARMUP}s in-process warm-up discarded)"
  run_wrk 2 > /dev/null # discarded warm-up
  for r in $(seq "$REPS"); do run_wrk "$DURATION" | tee -a "$OUT/throughput.runs"; done
  for c in $CLIENTS; do
    for r in $(seq "$REPS"); do
      bench "$c" --users "$USERS" --warmup "$WARMUP" --duration "$DURATION" | tee -a "$OUT/throughput.runs"
    done
  done
  WRK_RPS=$(median_row wrk throughput.runs | awk '{print $2}')
  {
    echo "| client | req/s (median of $REPS) | min–max req/s | p50 ms | p99 ms | CPU s / 10k req | vs wrk | errors |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for c in wrk $CLIENTS; do
      range=$(grep "^$c " "$OUT/throughput.runs" | sort -k2 -g | awk 'NR==1{lo=$2} {hi=$2} END{printf "%.0f–%.0f", lo, hi}')
      median_row "$c" throughput.runs | awk -v w="$WRK_RPS" -v r="$range" '{
        printf "| %s | %.0f | %s | %.3f | %.3f | %.2f | %.2f | %d |\n", $1, $2, r, $3/1000, $4/1000, $6 ? $5*10000/$6 : 0, $2/w, $7 }'
    done
  } | tee "$OUT/throughput.md"
fi

if [[ $MODE == all || $MODE == memory ]]; then
  echo "== memory: $MEM_USERS users x 1 req/s, ${MEM_DURATION}s"
  bench raw --users 1 --warmup 0 --duration 5 --pace-ms 1000 | tee -a "$OUT/memory.runs" > /dev/null
  read -r BASE_KB BASE_HEAP_KB < <(awk '{print $8, $9}' "$OUT/memory.runs")
  for c in $MEM_CLIENTS; do
    bench "$c" --users "$MEM_USERS" --warmup 2 --duration "$MEM_DURATION" --pace-ms 1000 | tee -a "$OUT/memory.runs"
  done
  {
    echo "JVM baseline (raw, 1 user): VmHWM $((BASE_KB / 1024)) MB, live heap $((BASE_HEAP_KB / 1024)) MB"
    echo
    echo "| client | VmHWM MB | (VmHWM - baseline) KB/user | live heap after GC MB | live heap KB/user | platform threads | req/s | p99 ms | CPU s / 10k req | errors |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    tail -n +2 "$OUT/memory.runs" | awk -v b="$BASE_KB" -v bh="$BASE_HEAP_KB" -v u="$MEM_USERS" '{
      printf "| %s | %.0f | %.1f | %.1f | %.1f | %d | %.0f | %.1f | %.2f | %d |\n",
        $1, $8/1024, ($8-b)/u, $9/1024, ($9-bh)/u, $10, $2, $4/1000, $6 ? $5*10000/$6 : 0, $7 }'
  } | tee "$OUT/memory.md"
fi
