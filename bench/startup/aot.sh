#!/usr/bin/env bash
# The launcher's JDK 25 AOT cache against its class-data sharing archive alone, in the bench/compare
# setup (nginx 1 worker on CPU 1, Stampede on CPU 0, USERS users, wait 0, DURATION s), REPS rounds,
# the two variants alternating. Per run: req/s of the steady seconds, per-second CV of the first 5 s
# with every user started and of the steady seconds, C2 compilations and when the last one finished
# (-Xlog:jit+compilation), CPU seconds until every user had started (start-up). Prints; asserts nothing.
#   bench/startup/aot.sh          # REPS=3 DURATION=15 USERS=50; needs a JDK 25+
# Only 127.0.0.1 is contacted; every run ends by itself (-t); only processes started here are stopped.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
REPS=${REPS:-3} DURATION=${DURATION:-15} USERS=${USERS:-50}
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
[ "$(stampede_jdk_version "$JAVA_HOME")" -ge 25 ] || { echo "needs a JDK 25+ (JAVA_HOME=$JAVA_HOME)" >&2; exit 2; }
. "$ROOT/bench/lib/nginx.sh"
JAVA=$JAVA_HOME/bin/java JAR=$ROOT/target/stampede.jar JSA=$ROOT/target/stampede.jsa
WORK=$(mktemp -d /tmp/stampede-aot.XXXXXX)
trap 'nginx_stop; rm -rf "$WORK"' EXIT
nginx_start

# The launcher builds the jar and trains the cache when either is missing; a short run then records
# the class-data sharing archive (with the cache off), so both variants start from their own files.
"$ROOT/stampede" run "$ROOT/bench/compare/compare.yaml" -H "$NGINX_URL" -u 2 -t 1s --headless --no-results >/dev/null 2>&1
STAMPEDE_AOT=off "$ROOT/stampede" run "$ROOT/bench/compare/compare.yaml" -H "$NGINX_URL" -u 2 -t 1s --headless --no-results >/dev/null 2>&1
AOT=$(ls "$ROOT"/target/stampede-jdk*.aot 2>/dev/null | head -1)
[ -n "$AOT" ] && [ -f "$JSA" ] || { echo "no AOT cache or CDS archive in target/" >&2; exit 1; }
declare -A OPTS=([aot]="-XX:AOTCache=$AOT -Xlog:aot=off -Xlog:cds=off"
                 [cds]="-XX:SharedArchiveFile=$JSA -Xlog:cds=off -Xlog:cds+dynamic=off")
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14+$15)/hz}' "/proc/$1/stat" 2>/dev/null; }
for rep in $(seq "$REPS"); do
    for v in aot cds; do
        out=$WORK/stampede.$v$rep
        date +%s%3N > "$out.start"
        # shellcheck disable=SC2086
        taskset -c 0 "$JAVA" ${OPTS[$v]} -Xlog:jit+compilation=debug:file="$out.jit":uptimemillis \
            -jar "$JAR" run "$ROOT/bench/compare/compare.yaml" -H "$NGINX_URL" -u "$USERS" -r 1000 \
            -t "${DURATION}s" --headless --results "$out.results" > "$out" 2>&1 &
        pid=$!
        while kill -0 "$pid" 2>/dev/null; do echo "$(date +%s%3N) $(proc_cpu "$pid")" >> "$out.cpu"; sleep 0.25; done
        wait "$pid" || true
        echo "0 0 0" > "$out.time"
        python3 "$ROOT/bench/compare/parse.py" one stampede "$out.results" "$out.time" "$USERS" \
            | python3 -c 'import json,re,sys; r=json.load(sys.stdin); print(json.dumps(dict(variant=sys.argv[1], rps=round(r["rps"]),
                earlyRps=round(r.get("earlyRps", 0)), earlyCv=round(r.get("earlyCv", 0), 3), steadyCv=round(r["secondCv"], 3),
                c2=sum(1 for l in open(sys.argv[2]) if re.match(r"^\[\d+ms\]", l)
                   and next((int(f) for f in l.split("]", 1)[1].split()[1:4] if f.isdigit()), 0) == 4), lastC2=r.get("lastC2Seconds"),
                startupCpu=r.get("startupCpu"), steadyCpuMicros=round(r.get("steadyCpuMicros", 0), 1))))' "$v" "$out.jit" \
            | tee -a "$WORK/runs.jsonl"
    done
done
python3 - "$WORK/runs.jsonl" <<'PY'
import json, statistics, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
for v in ("aot", "cds"):
    xs = [r for r in rs if r["variant"] == v]
    med = lambda k: statistics.median(r[k] for r in xs if r.get(k) is not None)
    print(f"{v}: median of {len(xs)}: req/s {med('rps'):.0f}, first 5 s {med('earlyRps'):.0f} CV {med('earlyCv'):.3f}, "
          f"steady CV {med('steadyCv'):.3f}, C2 compilations {med('c2'):.0f}, last C2 at {med('lastC2'):.1f} s, "
          f"start-up CPU {med('startupCpu'):.2f} s, steady CPU {med('steadyCpuMicros'):.1f} us/req")
PY
