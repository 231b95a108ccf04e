#!/usr/bin/env bash
# The latency histogram's cost on a /metrics render: whole render against the bucket filling, per scrape.
#   ./run.sh            # 20 request names
#   KEYS=100 ./run.sh
# Needs the built jar (mvn -DskipTests package at the root); prints numbers, asserts nothing.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=../..
. "$ROOT/scripts/jdk.sh"
stampede_find_jdk
JAR=$ROOT/target/stampede.jar
OUT=target/classes
mkdir -p "$OUT"
"$JAVA_HOME/bin/javac" -d "$OUT" -cp "$JAR" MetricsRenderBench.java
"$JAVA_HOME/bin/java" -cp "$OUT:$JAR" -Dkeys="${KEYS:-20}" io.stampede.web.MetricsRenderBench
