#!/usr/bin/env bash
# What one request costs Stampede, by counters that a busy machine does not skew as it skews req/s:
# user-space instructions (perf stat -e instructions:u), CPU time (task-clock), bytes allocated
# (-Xlog:gc, the young generation's growth between collections), JIT compilations, and the CPU of the
# users' carrier threads alone (/proc, per thread: no JIT or GC in it), per request
# over the seconds WINDOW_FROM..DURATION-1 of each run. Variants run alternately, REPS rounds; prints
# one line per run and the medians. The bench/compare setup: nginx 1 worker on CPU 1, Stampede on
# CPU 0, USERS users, wait 0. Prints numbers; asserts nothing.
#   bench/compare/per-request.sh 'name|JAR|JVM options' 'name|JAR|JVM options' ...
#   e.g. bench/compare/per-request.sh "on|target/stampede.jar|" "off|target/stampede.jar|-Dstampede.phaseTimings=off"
# Environment: REPS=3 DURATION=20 WINDOW_FROM=8 USERS=50. Needs perf (linux-perf).
# Only 127.0.0.1 is contacted; every run ends by itself (-t); only processes started here are stopped.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
REPS=${REPS:-3} DURATION=${DURATION:-20} WINDOW_FROM=${WINDOW_FROM:-8} USERS=${USERS:-50}
[ $# -gt 0 ] || { sed -n 2,10p "$0" >&2; exit 2; }
command -v perf >/dev/null || { echo "needs perf (apt-get install linux-perf)" >&2; exit 2; }
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
. "$ROOT/bench/lib/nginx.sh"
WORK=$(mktemp -d /tmp/stampede-per-request.XXXXXX)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; nginx_stop; rm -rf "$WORK"' EXIT   # || true: under set -e a failed kill (the run had ended) would end the trap before nginx_stop
nginx_start
WINDOW=$((DURATION - 1 - WINDOW_FROM))
# Each thread's CPU clock ticks (user+sys) and name, to split the window's CPU by role: the users'
# carrier threads, the JIT compilers, GC and the VM thread, the rest.
threads() { for t in /proc/"$1"/task/*; do echo "$(basename "$t") $(awk '{print $14+$15}' "$t/stat" 2>/dev/null) $(tr ' ' _ < "$t/comm" 2>/dev/null)"; done; }

for rep in $(seq "$REPS"); do
    for variant in "$@"; do
        IFS='|' read -r name jar opts <<<"$variant"
        out=$WORK/$name.$rep
        # shellcheck disable=SC2086
        taskset -c 0 "$JAVA_HOME/bin/java" $opts -Xlog:gc:file="$out.gc":uptimemillis \
            -Xlog:jit+compilation=debug:file="$out.jit":uptimemillis \
            -jar "$jar" run "$HERE/compare.yaml" -H "$NGINX_URL" -u "$USERS" -r 1000 -t "${DURATION}s" \
            --headless --results "$out.results" > "$out" 2>&1 &
        pid=$!
        start=$(date +%s%3N)
        sleep "$WINDOW_FROM"
        threads "$pid" > "$out.threads0"
        from=$(date +%s%3N)
        perf stat -x, -e instructions:u,task-clock -p "$pid" -o "$out.perf" -- sleep "$WINDOW" 2>/dev/null || true
        to=$(date +%s%3N)
        threads "$pid" > "$out.threads1"
        wait "$pid" || true
        python3 - "$name" "$out" "$start" "$from" "$to" <<'PY' | tee -a "$WORK/runs.jsonl"
import glob, json, re, sys
name, out, start, t0, t1 = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
s = json.load(open(glob.glob(out + ".results/*/summary.json")[0]))
ends, total = [], 0
for p in s["points"]:
    total += p["requests"]
    ends.append((p["endEpochMillis"], total))
def count_at(t):   # requests done by epoch ms t, linear within a point
    prev = (ends[0][0] - 1000, 0)
    for e in ends:
        if e[0] >= t:
            return prev[1] + (e[1] - prev[1]) * (t - prev[0]) / max(1, e[0] - prev[0])
        prev = e
    return prev[1]
req = count_at(t1) - count_at(t0)
perf = {}
for line in open(out + ".perf"):
    f = line.strip().split(",")
    if len(f) > 2 and f[0].replace(".", "").isdigit():
        perf[f[2].split(":")[0]] = float(f[0])
lo, hi = t0 - start, t1 - start   # JVM uptime ms, near enough (the JVM starts within ms of the fork)
def log(path):
    for line in open(path):
        m = re.match(r"^\[(\d+)ms\]\s*(.*)$", line)
        if m:
            yield int(m.group(1)), m.group(2)
alloc, prev_after = 0, None
for t, rest in log(out + ".gc"):
    m = re.search(r"Pause Young.* (\d+)([KMG])->(\d+)([KMG])", rest)
    if m:
        unit = {"K": 1 / 1024, "M": 1, "G": 1024}
        before, after = int(m.group(1)) * unit[m.group(2)], int(m.group(3)) * unit[m.group(4)]
        if prev_after is not None and lo <= t <= hi:
            alloc += (before - prev_after) * 1024 * 1024
        prev_after = after
jit = sum(1 for t, _ in log(out + ".jit") if lo <= t <= hi)
hz = 100   # USER_HZ: /proc's clock ticks
def ticks(path):
    return {f[0]: (int(f[1]), f[2]) for f in (l.split() for l in open(path)) if len(f) == 3}
a, b = ticks(out + ".threads0"), ticks(out + ".threads1")
roles = {}
for tid, (t1_, comm) in b.items():
    role = ("users" if comm.startswith("ForkJoinPool-") else "jit" if "Compiler" in comm
            else "gc+vm" if comm.startswith(("VM_Thread", "GC", "VM_Periodic")) else "other")
    roles[role] = roles.get(role, 0) + (t1_ - a.get(tid, (0, comm))[0]) / hz
print(json.dumps(dict(variant=name, reqPerSec=round(req / ((t1 - t0) / 1000)),
                      instructionsPerReq=round(perf["instructions"] / req) if req and "instructions" in perf else None,
                      cpuMicrosPerReq=round(perf.get("task-clock", 0) * 1000 / req, 2) if req else None,
                      bytesPerReq=round(alloc / req) if req else None, compilations=jit,
                      userThreadsMicrosPerReq=round(roles.get("users", 0) * 1e6 / req, 2) if req else None,
                      jitCpuSeconds=roles.get("jit", 0), gcVmCpuSeconds=roles.get("gc+vm", 0), otherCpuSeconds=roles.get("other", 0))))
PY
    done
done
python3 - "$WORK/runs.jsonl" <<'PY'
import json, statistics, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
for name in dict.fromkeys(r["variant"] for r in rs):
    xs = [r for r in rs if r["variant"] == name]
    def med(k):
        v = [r[k] for r in xs if r[k] is not None]
        return "%g (%g-%g)" % (statistics.median(v), min(v), max(v)) if v else "n/a"
    print(f"{name}: median (min-max) of {len(xs)}: instructions/req {med('instructionsPerReq')} (n/a: no hardware counters), "
          f"CPU us/req {med('cpuMicrosPerReq')}, of the carrier threads {med('userThreadsMicrosPerReq')}, B/req {med('bytesPerReq')}, req/s {med('reqPerSec')}, "
          f"compilations in the window {med('compilations')}")
PY
