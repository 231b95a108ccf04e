#!/usr/bin/env bash
# CPU and heap per request of one user sending batches of BATCH concurrent HTTP/2 streams (h2c, prior
# knowledge) on one connection, two builds alternating: what finding a stream among hundreds costs.
# Prints numbers; asserts nothing.
#   bench/h2/batch-cost.sh BEFORE.jar AFTER.jar
# A private nginx on 127.0.0.1 pinned to CPU 1 answers "hello\n" with http2_max_concurrent_streams
# above BATCH, so every stream of a batch is open at once with either build. Each round runs
# bench/h2/RequestCost.java (-Dbatch=BATCH, one user on the main thread, pinned to CPU 0) once per jar,
# before then after, in a JVM of its own: COUNT requests in ROUNDS_PER_JVM rounds, of which the last
# shows the steady state (thread CPU and bytes allocated per request, counted in requests, so the
# machine's load changes how long it takes more than what it measures).
# Environment: BATCH=200 COUNT=200000 ROUNDS=3 ROUNDS_PER_JVM=4.
# Only 127.0.0.1 is contacted; every run is bounded in count; only the nginx started here is stopped.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
[ $# -eq 2 ] || { sed -n 2,13p "$0" >&2; exit 2; }
BATCH=${BATCH:-200} COUNT=${COUNT:-200000} ROUNDS=${ROUNDS:-3} ROUNDS_PER_JVM=${ROUNDS_PER_JVM:-4}
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
. "$ROOT/bench/lib/nginx.sh"
trap nginx_stop EXIT
port=$(nginx_free_port)
nginx_run "  server {
    listen 127.0.0.1:$port http2 backlog=4096;
    http2_max_concurrent_streams $((BATCH * 2));
    location / { default_type text/plain; return 200 \"hello\\n\"; }
  }" curl -fsS --http2-prior-knowledge "http://127.0.0.1:$port/"
echo "batches of $BATCH streams, h2c, $COUNT requests x $ROUNDS_PER_JVM rounds per JVM, load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$ROUNDS"); do
    for which in before after; do
        jar=$1; [ "$which" = after ] && jar=$2
        line=$(taskset -c 0 "$JAVA_HOME/bin/java" -Dbatch="$BATCH" -cp "$jar" "$HERE/RequestCost.java" \
            "http://127.0.0.1:$port" "$COUNT" "$ROUNDS_PER_JVM" 1 | tail -1)
        echo "round $round $which: $line (load $(cut -d' ' -f1 /proc/loadavg))"
    done
done
