#!/usr/bin/env bash
# Stampede's time to detect and time to recover against an independent 10 ms probe, kill by kill.
#
#   bench/recovery/run.sh                    # Flask's threaded server, 12 kills, one every 20 s
#   SERVER=gunicorn bench/recovery/run.sh    # gunicorn, 2 sync workers (needs kill to reach the
#                                            # whole process group: SIGKILL of the master alone
#                                            # leaves its workers serving)
#   KILLS=20 EVERY=4s bench/recovery/run.sh
#
# Stampede runs the service as a managed target (restarted at once when it dies) with USERS users
# sending GET / and GET /health, and kills it every EVERY. Beside it, probe.py (its own process)
# GETs /health every 10 ms and writes when each probe ended and how. truth.py then takes, per kill,
# truth TTD = first failing probe after the kill, truth TTR = first successful probe of a stretch of
# STRETCH_MS successes, and prints them beside Stampede's with the differences (RESULTS.md).
# Needs python3-flask (and gunicorn for SERVER=gunicorn). Traffic to 127.0.0.1 only; everything is
# bounded in time; the script stops only the PIDs it started.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SERVER="${SERVER:-flask}"
KILLS="${KILLS:-12}"
EVERY_SECONDS="${EVERY:-20s}"; EVERY_SECONDS="${EVERY_SECONDS%s}"
USERS="${USERS:-20}"
WAIT_MS="${WAIT_MS:-10}"
STRETCH_MS="${STRETCH_MS:-500}"
PROBE_INTERVAL="${PROBE_INTERVAL:-0.01}"

python3 -c 'import flask' 2>/dev/null || { echo "run.sh: python3-flask is missing (apt-get install -y python3-flask)" >&2; exit 2; }
if [ "$SERVER" = gunicorn ]; then
    command -v gunicorn >/dev/null || { echo "run.sh: gunicorn is missing (apt-get install -y gunicorn)" >&2; exit 2; }
fi

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
RUN_SECONDS=$(( (KILLS + 1) * EVERY_SECONDS + 2 ))
OUT="$HERE/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

case "$SERVER" in
    flask) COMMAND="[python3, \"$HERE/app.py\", \"$PORT\"]" ;;
    gunicorn) COMMAND="[gunicorn, -w, \"2\", -b, \"127.0.0.1:$PORT\", --chdir, \"$HERE\", \"app:app\"]" ;;
    *) echo "run.sh: SERVER is flask or gunicorn, not '$SERVER'" >&2; exit 2 ;;
esac

cat >"$OUT/plan.yaml" <<PLAN
name: recovery-bench
targets:
  app:
    command: $COMMAND
    url: http://127.0.0.1:$PORT
    health: /health
    restart: { policy: always, delay: 0s }
load: { users: $USERS, spawnRate: 100, runTime: ${RUN_SECONDS}s, wait: { constant: ${WAIT_MS}ms } }
tasks:
  - { weight: 3, get: / }
  - { weight: 1, get: /health }
chaos:
  - { fault: kill, target: app, every: ${EVERY_SECONDS}s, count: $KILLS }
slos:
  - { name: availability, objective: 90% }
PLAN

python3 "$HERE/probe.py" "$PORT" "$OUT/probe.txt" $(( RUN_SECONDS + 60 )) "$PROBE_INTERVAL" &
PROBE_PID=$!
trap 'kill "$PROBE_PID" 2>/dev/null || true' EXIT

echo "== $SERVER on 127.0.0.1:$PORT, $KILLS kills every ${EVERY_SECONDS}s, $USERS users; results in $OUT"
"$ROOT/stampede" run --headless "$OUT/plan.yaml" --results "$OUT/stampede" >"$OUT/stampede.txt" 2>&1 || {
    echo "run.sh: stampede exited $? (output in $OUT/stampede.txt)" >&2
}
kill "$PROBE_PID" 2>/dev/null || true
wait "$PROBE_PID" 2>/dev/null || true

FOLDER="$(ls -d "$OUT"/stampede/*/ | head -1)"
sed -n '/^Verdict/,$p' "$OUT/stampede.txt"
echo
python3 "$HERE/truth.py" "$FOLDER" "$OUT/probe.txt" "$STRETCH_MS" | tee "$OUT/table.md"
