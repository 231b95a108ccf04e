#!/usr/bin/env bash
# The guardian's reaction to Stampede's death: a real run pauses a process by PID (`pid:` target),
# Stampede gets kill -9, and the paused process notes the wall-clock time its SIGCONT handler runs.
# Prints each cycle's milliseconds from kill -9 to that SIGCONT, then the median and the max.
# Usage: bench/guardian/reaction.sh [cycles] [busy-loops]
#   busy-loops: that many shell loops spinning on a core for the whole bench (0: none), to see it loaded.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/scripts/jdk.sh"
stampede_find_jdk
JAR="${STAMPEDE_JAR:-$ROOT/target/stampede.jar}" # STAMPEDE_JAR: another build to compare
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)
CYCLES="${1:-20}"
BUSY="${2:-0}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
for ((b = 0; b < BUSY; b++)); do
    (while :; do :; done) &
    PIDS+=($!)
done

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# the paused process: an HTTP server for the run's one user, and a SIGCONT handler that writes the time
cat >"$WORK/paused.py" <<'PY'
import http.server, signal, sys, threading, time
port, out = int(sys.argv[1]), sys.argv[2]
def continued(signum, frame):
    with open(out, "a") as f:
        f.write(f"{time.time_ns()}\n")
signal.signal(signal.SIGCONT, continued)
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), http.server.SimpleHTTPRequestHandler)
# the server's threads never take SIGCONT: the main thread, waiting in pause(), must
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCONT})
threading.Thread(target=server.serve_forever, daemon=True).start()
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCONT})
while True:
    signal.pause()
PY
python3 "$WORK/paused.py" "$PORT" "$WORK/continued" >/dev/null 2>&1 &
TARGET=$!
PIDS+=("$TARGET")
cat >"$WORK/plan.yaml" <<YAML
host: http://127.0.0.1:$PORT
targets:
  app: { pid: $TARGET }
load: { users: 1, runTime: 120s, wait: { constant: 500ms } }
tasks:
  - { get: / }
chaos:
  - { fault: pause, target: app, at: 1s, duration: 100s }
YAML

state() { awk '{ sub(/.*\) /, ""); print substr($0, 1, 1) }' "/proc/$1/stat" 2>/dev/null || true; }
RESULTS=()
for ((i = 1; i <= CYCLES; i++)); do
    : >"$WORK/continued"
    XDG_CACHE_HOME="$WORK/cache" "$JAVA_HOME/bin/java" -jar "$JAR" run --headless "$WORK/plan.yaml" \
        --results "$WORK/results" >/dev/null 2>"$WORK/stderr" &
    RUN=$!
    until [ "$(state "$TARGET")" = T ]; do sleep 0.02; done
    sleep 1 # the guardian back to idle on its pipe, as a fault held for a while finds it
    KILLED=$(date +%s%N)
    kill -9 "$RUN"
    wait "$RUN" 2>/dev/null || true
    until [ -s "$WORK/continued" ]; do sleep 0.01; done
    MS=$(( ($(head -1 "$WORK/continued") - KILLED) / 1000000 ))
    RESULTS+=("$MS")
    # the guardian's own count, from the end of its pipe: the rest is the kernel ending Stampede's JVM
    for ((w = 0; w < 500 && $(grep -c 'undone in' "$WORK/stderr") == 0; w++)); do sleep 0.02; done
    SAID=$(sed -n 's/.*undone in \([0-9]*\) ms.*/\1/p' "$WORK/stderr" | head -1)
    printf 'cycle %2d: SIGCONT %5d ms after kill -9 (the guardian: undone in %s ms from the end of its pipe)\n' "$i" "$MS" "${SAID:-?}"
    # the guardian removes the journal once done: wait for that before the next run
    for ((w = 0; w < 500 && $(ls "$WORK/cache/stampede/journals" 2>/dev/null | wc -l) > 0; w++)); do sleep 0.02; done
done
printf '%s\n' "${RESULTS[@]}" | sort -n | awk -v busy="$BUSY" '{ v[NR] = $1 } END {
    printf "kill -9 to SIGCONT over %d cycles, %d busy loops: median %d ms, max %d ms\n", NR, busy, v[int((NR + 1) / 2)], v[NR] }'
