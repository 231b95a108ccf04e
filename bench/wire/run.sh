#!/usr/bin/env bash
# The worker wire's cost per interval: the thread's CPU time to encode one second of statistics
# (10 keys x 1,000 samples, 1% failures), write it as one JSON line, read it back and decode it;
# 6 rounds of 2,000. Needs the jar: mvn -B -q -o -DskipTests package.
#   bench/wire/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/jdk.sh && stampede_find_jdk && export JAVA_HOME
"$JAVA_HOME/bin/java" -cp target/stampede.jar bench/wire/WireCost.java
