#!/usr/bin/env bash
# Builds and runs Stampede's JMH microbenchmarks (see RESULTS.md); about 2 minutes on 2 cores.
#   ./run.sh                  # the whole suite
#   ./run.sh RecordBenchmark  # any JMH benchmark regex; extra JMH options may follow it
# Environment (defaults): BENCH_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
#   JMH_OPTS="-f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc"
# The module compiles io.stampede.stats straight from ../../src/main/java (see pom.xml), so it needs
# no `mvn install` of the main project and measures the working tree as it is.
set -euo pipefail
cd "$(dirname "$0")"

export JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH=$JAVA_HOME/bin:$PATH
JMH_OPTS=${JMH_OPTS:-"-f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc"}
FILTER=${1:-'io.stampede.bench.jmh'}
shift || true

mvn -q -B package
mkdir -p results
OUT=results/$(date +%Y%m%d-%H%M%S)
# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -jar target/benchmarks.jar "$FILTER" $JMH_OPTS -rf json -rff "$OUT.json" "$@" | tee "$OUT.txt"
echo "results: $OUT.txt, $OUT.json"
