#!/usr/bin/env bash
# What the budget ledger costs: the bytes SQLite's driver adds to the jar, and the time a run spends in
# the ledger (first open in a fresh JVM, then open + policy check + record), median of REPS JVMs.
# Prints numbers; asserts nothing. Touches only a temporary folder.
#   bench/ledger/run.sh          # REPS=5 ROWS=1000
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
REPS=${REPS:-5}
ROWS=${ROWS:-1000}
"$ROOT/stampede" --version >/dev/null   # builds the jar if the sources changed
JAR="$ROOT/target/stampede.jar"
echo "stampede.jar: $(stat -c %s "$JAR") bytes"
zipinfo -l "$JAR" | awk '$NF ~ /^org\/sqlite\// { n += $6; c++ } END { printf "of which org/sqlite: %d files, %d bytes compressed\n", c, n }'
zipinfo -l "$JAR" | awk '$NF ~ /^org\/sqlite\/native\// && $NF !~ /\/$/ { n += $6; c++ } END { printf "  native libraries: %d, %d bytes compressed\n", c, n }'
for _ in $(seq "$REPS"); do
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$JAR" "$ROOT/bench/ledger/LedgerCost.java" "$ROWS"
done
echo "uptime: $(cat /proc/loadavg)"
