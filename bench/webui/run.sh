#!/usr/bin/env bash
# The web UI's cost on a busy run, and the page's weight.
#
#   bench/webui/run.sh            # 3 pairs of 20 s runs (default), alternating
#   RUNS=5 DURATION=30 bench/webui/run.sh
#
# A wait-0 run of 50 users against nginx (pinned to CPU 1), Stampede pinned to CPU 0, measured
# twice, otherwise identical: once --headless, once with the web UI on and a headless Chromium
# (unpinned, as a user's browser would be) showing the live page for the whole run. Prints req/s of
# each run, the medians and their ratio, then the bytes a first page load transfers and what the
# live stream sends per second. Only 127.0.0.1; only the processes started here are stopped.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUNS=${RUNS:-3}
DURATION=${DURATION:-20}
USERS=${USERS:-50}

need=()
command -v nginx >/dev/null || need+=(nginx)
command -v chromium >/dev/null || need+=(chromium)
command -v taskset >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { echo "install ${need[*]} (Debian packages) first" >&2; exit 2; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
. "$ROOT/bench/lib/nginx.sh"
JAVA=$JAVA_HOME/bin/java
"$ROOT/stampede" --version >/dev/null
WORK=$(mktemp -d /tmp/stampede-webui.XXXXXX)
cp "$ROOT/target/stampede.jar" "$WORK/stampede.jar"
BROWSER_PID=
cleanup() {
    [ -n "$BROWSER_PID" ] && { kill "$BROWSER_PID" 2>/dev/null; wait "$BROWSER_PID" 2>/dev/null; } || true
    nginx_stop
    rm -rf "$WORK"
}
trap cleanup EXIT
nginx_start

free_port() {
    local p
    for p in $(shuf -i 20000-60000 -n 100); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done
}

# One run; prints its req/s (from summary.json).
one_run() {
    local mode=$1 i=$2 results=$WORK/results-$1-$2 port
    port=$(free_port)
    local ui=(--headless)
    [ "$mode" = ui ] && ui=(--autostart --web-port "$port")
    taskset -c 0 "$JAVA" -jar "$WORK/stampede.jar" run "$ROOT/bench/compare/compare.yaml" -H "$NGINX_URL" \
        -u "$USERS" -r 1000 -t "${DURATION}s" "${ui[@]}" --results "$results" > "$WORK/$mode-$i.log" 2>&1 &
    local run_pid=$!
    if [ "$mode" = ui ]; then
        for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/api/stats" >/dev/null 2>&1 && break; sleep 0.1; done
        chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
            --disable-component-update --disable-sync --user-data-dir="$WORK/profile-$i" --remote-debugging-port=0 \
            --window-size=1280,1400 "http://127.0.0.1:$port/" > "$WORK/chromium-$i.log" 2>&1 &
        BROWSER_PID=$!
    fi
    wait "$run_pid" || true
    if [ -n "$BROWSER_PID" ]; then kill "$BROWSER_PID" 2>/dev/null; wait "$BROWSER_PID" 2>/dev/null || true; BROWSER_PID=; fi
    python3 - "$results" <<'PY'
import json, pathlib, sys
summary = json.loads(next(pathlib.Path(sys.argv[1]).glob("*/summary.json")).read_text())
t = summary["totals"]
print(round(t.get("requestsPerSecond") or t["requests"] / summary["durationSeconds"]))
PY
}

headless=() ui=()
for i in $(seq "$RUNS"); do
    h=$(one_run headless "$i"); headless+=("$h")
    u=$(one_run ui "$i"); ui+=("$u")
    echo "pair $i: --headless $h req/s, UI open in Chromium $u req/s" >&2
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mh=$(median "${headless[@]}"); mu=$(median "${ui[@]}")
echo
echo "wait-0 run, $USERS users, ${DURATION}s, Stampede on CPU 0, nginx on CPU 1, median of $RUNS:"
printf '  %-28s %10s req/s   (%s)\n' "--headless" "$mh" "${headless[*]}"
printf '  %-28s %10s req/s   (%s)\n' "web UI open in Chromium" "$mu" "${ui[*]}"
awk -v h="$mh" -v u="$mu" 'BEGIN { printf "  UI cost: %.1f%% of req/s\n", (h - u) * 100 / h }'

# The page's weight: what a first load transfers, and the stream's bytes per second.
port=$(free_port)
"$JAVA" -jar "$WORK/stampede.jar" run "$ROOT/bench/compare/compare.yaml" -H "$NGINX_URL" -u 5 -r 100 -t 12s \
    --autostart --web-port "$port" --no-results > "$WORK/weight.log" 2>&1 &
run_pid=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/api/stats" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 4
total=0
echo
echo "first page load (uncompressed):"
for path in / assets/uPlot.min.css assets/live.css assets/uPlot.iife.min.js assets/fault-bands.js assets/live.js; do
    n=$(curl -fsS -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port/${path#/}")
    total=$((total + n))
    printf '  %-28s %8d bytes\n' "/${path#/}" "$n"
done
n=$(curl -fsS -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port/api/stats")
printf '  %-28s %8d bytes (the first snapshot, also sent on the stream)\n' "/api/stats" "$n"
printf '  %-28s %8d bytes\n' "total" "$((total + n))"
stream=$(curl -sS -N --max-time 5 -o - "http://127.0.0.1:$port/api/stream" | wc -c || true)
echo "  live stream: $stream bytes in 5 s with one request name ($((stream / 5)) bytes/s)"
wait "$run_pid" || true
