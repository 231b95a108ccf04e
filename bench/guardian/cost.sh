#!/usr/bin/env bash
# What the guardian costs: its memory while it waits (RSS and PSS, after it read a journal
# header and one entry), the time from the end of its pipe to its exit with nothing to undo, and
# a cold start to exit on an empty journal; with the guardian's JVM options and with the JVM's
# defaults for comparison. Prints one line per variant. Usage: bench/guardian/cost.sh [rounds]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/scripts/jdk.sh"
stampede_find_jdk
JAR="$ROOT/target/stampede.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)
ROUNDS="${1:-3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# the options of io.stampede.guardian.Guardian.JVM_OPTIONS
GUARDIAN_OPTS=(-XX:+UseSerialGC -Xms2m -Xmx16m -Xss256k -Xint -XX:ReservedCodeCacheSize=4m -XX:-UsePerfData -Xshare:auto)

measure() {
    local label="$1"; shift
    local fifo="$WORK/pipe" g rss pss t0 t1 s0 s1
    rm -f "$fifo"; mkfifo "$fifo"
    "$JAVA_HOME/bin/java" "$@" -cp "$JAR" io.stampede.guardian.Guardian "$WORK/journal.jsonl" <"$fifo" &
    g=$!
    exec 7>"$fifo"
    echo '{"owner":{"pid":1,"startTicks":1},"boot":"bench","guardian":{"pid":2,"startTicks":2}}' >&7
    echo '{"open":1,"undo":{"kind":"continue","process":{"pid":999999999,"startTicks":1}}}' >&7
    sleep 3
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$g/status")
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$g/smaps_rollup")
    t0=$(date +%s%N); exec 7>&-; wait "$g"; t1=$(date +%s%N)
    s0=$(date +%s%N); "$JAVA_HOME/bin/java" "$@" -cp "$JAR" io.stampede.guardian.Guardian "$WORK/journal.jsonl" </dev/null; s1=$(date +%s%N)
    printf '%-9s RSS %6d kB  PSS %6d kB  end of pipe to exit %4d ms  cold start to exit %4d ms\n' \
        "$label" "$rss" "$pss" $(( (t1 - t0) / 1000000 )) $(( (s1 - s0) / 1000000 ))
}

for ((i = 1; i <= ROUNDS; i++)); do
    measure guardian "${GUARDIAN_OPTS[@]}"
    measure defaults
done
