#!/usr/bin/env bash
# Start-up time: from starting `./stampede run ...` (jar already built) to the first request arriving
# at the service, median of REPS runs per variant, runs of the variants interleaved. Prints numbers;
# asserts nothing. The service is a small Python server on 127.0.0.1 that notes its first request.
#   bench/startup/run.sh            # REPS=7; ONLY="java-scenario plan-file" runs only those variants
# Variants: the Java scenario as shipped (compiled classes cached, class-data sharing archive); without
# the archive (STAMPEDE_CDS=off); without the compile cache (javac every run); the same load from a
# plan file; and C1 only (-XX:TieredStopAtLevel=1, not shipped: it lowers the steady request rate).
# Only 127.0.0.1 is contacted; every run ends by itself (-t 2s); only processes started here are stopped.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
REPS=${REPS:-7}
WORK=$(mktemp -d /tmp/stampede-startup.XXXXXX)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
"$ROOT/stampede" --version >/dev/null   # builds the jar if the sources changed: not part of any timing
python3 "$ROOT/bench/startup/first-request.py" "$WORK/port" "$WORK/first" &
SERVER=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
URL=http://127.0.0.1:$(cat "$WORK/port")
cat > "$WORK/plan.yaml" <<YAML
host: $URL
load: { users: 1, spawnRate: 1, wait: { between: [1s, 5s] } }
tasks: [ { weight: 3, get: / }, { weight: 1, get: /health } ]
YAML
# Each variant: "environment|JVM options|arguments".
declare -A VARIANTS=(
    [java-scenario]="||-f $ROOT/examples/WebsiteUser.java -H $URL"
    [java-scenario,no-CDS]="STAMPEDE_CDS=off||-f $ROOT/examples/WebsiteUser.java -H $URL"
    [java-scenario,no-cache]="XDG_CACHE_HOME=$WORK/fresh-\$RANDOM||-f $ROOT/examples/WebsiteUser.java -H $URL"
    [plan-file]="||$WORK/plan.yaml"
    [java-scenario,C1-only]="|-XX:TieredStopAtLevel=1|-f $ROOT/examples/WebsiteUser.java -H $URL"
)
ORDER=(${ONLY:-java-scenario java-scenario,no-CDS java-scenario,no-cache plan-file java-scenario,C1-only})

once() { # variant -> milliseconds to the first request
    local spec=${VARIANTS[$1]}
    local envs=${spec%%|*} rest=${spec#*|}
    local opts=${rest%%|*} args=${rest#*|}
    envs=$(eval echo "$envs")   # a fresh cache folder per run for no-cache
    rm -f "$WORK/first"
    local start; start=$(date +%s.%N)
    # shellcheck disable=SC2086
    env $envs STAMPEDE_JAVA_OPTS="$opts" "$ROOT/stampede" run $args -u 1 -r 1 -t 2s --headless --no-results >/dev/null 2>&1
    python3 -c "print(round((float(open('$WORK/first').read()) - $start) * 1000))"
}

# One unmeasured run of each: warms the page cache, the compile cache and the class-data archive.
for v in "${ORDER[@]}"; do once "$v" >/dev/null; done
for rep in $(seq "$REPS"); do
    for v in "${ORDER[@]}"; do echo "$(once "$v")" >> "$WORK/$v"; done
done
echo "| start-up to first request | median ms | min | max | runs |"
echo "|---|---:|---:|---:|---:|"
for v in "${ORDER[@]}"; do
    sort -n "$WORK/$v" | awk -v v="$v" '{r[NR]=$1} END {printf "| %s | %d | %d | %d | %d |\n", v, r[int((NR+1)/2)], r[1], r[NR], NR}'
done
