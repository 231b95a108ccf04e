#!/usr/bin/env bash
# Two builds of Stampede against the same HTTP/2 nginx, alternating: CPU and user-space instructions
# per request for h2 over TLS and h2c. Prints numbers; asserts nothing.
#   bench/h2/compare.sh BEFORE.jar AFTER.jar
# Each round runs bench/h2/run.sh once per jar (TOOLS=stampede PERF=1 REPS=1), before then after, so a
# change in the machine's load falls on both alike. Environment: ROUNDS=3, and run.sh's DURATION,
# CONNECTIONS. One line per run, then the median of each (jar, case). Instructions need a hardware
# performance counter: in a VM without one (perf stat says <not supported>) only CPU time is shown.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
[ $# -eq 2 ] || { echo "usage: $0 BEFORE.jar AFTER.jar" >&2; exit 2; }
ROUNDS=${ROUNDS:-3}
OUT=$(mktemp /tmp/stampede-h2-compare.XXXXXX)
trap 'rm -f "$OUT"' EXIT
for round in $(seq "$ROUNDS"); do
    for which in before after; do
        jar=$1; [ "$which" = after ] && jar=$2
        echo "round $round: $which (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
        STAMPEDE_JAR=$jar TOOLS=stampede PERF=1 REPS=1 "$HERE/run.sh" 2>&1 >/dev/null \
            | grep '^{' | sed "s/^{/{\"build\": \"$which\", \"round\": $round, /" | tee -a "$OUT" >&2
    done
done
python3 - "$OUT" <<'TABLE'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
print("| case | build | runs | req/s steady (median; all) | CPU µs/request (median; all) | instructions/request (median) | failures |")
print("|---|---|---:|---|---|---:|---:|")
for mode in ("h2", "h2c"):
    for build in ("before", "after"):
        rs = [r for r in runs if r["mode"] == mode and r["build"] == build]
        if not rs:
            continue
        steady = [r["steady"] or 0 for r in rs]
        cpu = [r["cpuPerRequestMicros"] for r in rs]
        ins = [r["instructionsPerRequest"] for r in rs if r["instructionsPerRequest"] is not None]
        print(f"| {'h2 over TLS' if mode == 'h2' else 'h2c'} | {build} | {len(rs)} | "
              f"{statistics.median(steady):,.0f} ({', '.join(f'{s:,.0f}' for s in steady)}) | "
              f"{statistics.median(cpu):.0f} ({', '.join(f'{c:.0f}' for c in cpu)}) | "
              f"{f'{statistics.median(ins):,.0f}' if ins else 'not counted'} | {sum(r['failures'] for r in rs)} |")
TABLE
