#!/usr/bin/env bash
# A run over the network, measured (see ClusterBench.java): the coordinator's CPU per second per
# worker and its resident memory with 50 fake workers over real WebSockets, the bytes per second a worker sends and
# receives, and req/s with 1, 2, 3 worker processes (each pinned to one core with taskset where there
# is one) against one process, in one table, all on this machine: run it on a quiet machine.
# Needs the jar: mvn -B -q -o -DskipTests package.
# Knobs: -Dworkers=50 -DcpuSeconds=20 -DloadSeconds=10 -Dusers=20, -Donly=rates (the table alone) or -Donly=cost
#   bench/cluster/run.sh
#   bench/cluster/run.sh -Donly=rates -DloadSeconds=20
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/jdk.sh && stampede_find_jdk && export JAVA_HOME
"$JAVA_HOME/bin/java" "$@" -cp target/stampede.jar bench/cluster/ClusterBench.java
