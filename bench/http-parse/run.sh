#!/usr/bin/env bash
# The thread CPU time to parse one nginx response: Jetty's parser against WholeResponse (with and
# without its fields made), alternating rounds in one JVM (ParseCpu). Needs `mvn -o package` first.
# Prints numbers; asserts nothing. No network.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
WORK=$(mktemp -d /tmp/stampede-http-parse.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$WORK/cp" >/dev/null)
CP="$ROOT/target/classes:$(cat "$WORK/cp")"
"$JAVA_HOME/bin/javac" -d "$WORK/classes" -cp "$CP" "$HERE/src/io/stampede/http/ParseCpu.java"
# The bench's class goes in io.stampede.http with the classes it measures: one class path, one package.
taskset -c 0 "$JAVA_HOME/bin/java" -cp "$WORK/classes:$CP" io.stampede.http.ParseCpu
