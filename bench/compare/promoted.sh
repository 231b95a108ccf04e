#!/usr/bin/env bash
# What waiting users promote to the old generation, for one or more builds side by side: each build is
# one JVM, as one worker of the 100,000-user row (USERS users waiting 10-30 s, the workers' memory
# options: Serial, -Xms32m, 20-40% free), all on CPU 0, one nginx (reuseport workers) on CPU 1, for
# DURATION s. Prints per build, over the seconds after WINDOW_FROM: bytes promoted a request (the old
# generation's growth in young collections over the requests answered then), young and full
# collections, the CPU they used, and RSS at the end. Bytes do not depend on the machine's load, so
# this may run on a busy machine; its latencies are not read. Prints; asserts nothing.
#   bench/compare/promoted.sh 'name|JAR|JVM options' ...
#   e.g. bench/compare/promoted.sh 'before|old.jar|' 'after|target/stampede.jar|'
# Environment: USERS=16667 RATE=450 DURATION=240 WINDOW_FROM=90 KEEP=DIR (keeps the logs).
# Only 127.0.0.1 is contacted; every run ends by itself (-t); only processes started here are stopped.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
USERS=${USERS:-16667} RATE=${RATE:-450} DURATION=${DURATION:-240} WINDOW_FROM=${WINDOW_FROM:-90}
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
. "$ROOT/bench/lib/nginx.sh"
[ $# -gt 0 ] || { echo "usage: $0 'name|JAR|JVM options' ..." >&2; exit 2; }
for v in "$@"; do
    IFS='|' read -r _ jar _ <<<"$v"
    [ -f "$jar" ] || { echo "no jar $jar (in $v)" >&2; exit 2; }
done
WORK=$(mktemp -d /tmp/stampede-promoted.XXXXXX)
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    nginx_stop
    if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; cp -r "$WORK"/. "$KEEP"/; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
nofile=$(ulimit -Hn); [[ $nofile == unlimited ]] && nofile=65536
per=$((nofile - 100))
workers=$(( (USERS * $# + per - 1) / per + 1 ))
port=$(nginx_free_port)
url=http://127.0.0.1:$port
# nginx_run gives each worker nofile/2 connections; several reuseport workers hold the rest
servers="  server {
    listen 127.0.0.1:$port backlog=4096 reuseport;
    location / { default_type text/plain; return 200 \"hello\\n\"; }
  }"
nginx_run "$servers" curl -fsS "$url/"
kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true
sed -i "s/^worker_processes 1;/worker_processes $workers;/; s/worker_connections [0-9]*;/worker_connections $per;/" "$NGINX_WORK/nginx.conf"
taskset -c 1 nginx -p "$NGINX_WORK" -c "$NGINX_WORK/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 50); do curl -fsS "$url/" >/dev/null 2>&1 && break; sleep 0.1; done
echo "promoted: $# builds side by side, $USERS users each waiting 10-30 s, ${DURATION} s, nginx $workers workers (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
for v in "$@"; do
    IFS='|' read -r name jar opts <<<"$v"
    d=$WORK/$name; mkdir -p "$d"
    # shellcheck disable=SC2086
    taskset -c 0 "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms32m -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 \
        -XX:TrimNativeHeapInterval=2000 $opts -Xlog:gc*,gc+cpu:file="$d/gc.log":uptimemillis \
        -jar "$jar" run "$HERE/scale-100k.yaml" -H "$url" -u "$USERS" -r "$RATE" -t "${DURATION}s" \
        --headless --results "$d/results" > "$d/out" 2>&1 &
    PIDS+=($!)
    echo "$!" > "$d/pid"
done
sleep "$((DURATION - 5))"
for v in "$@"; do
    IFS='|' read -r name _ _ <<<"$v"
    awk '/^VmRSS/ {print $2}' "/proc/$(cat "$WORK/$name/pid")/status" > "$WORK/$name/rss" 2>/dev/null || echo 0 > "$WORK/$name/rss"
done
for p in "${PIDS[@]}"; do wait "$p" || true; done
PIDS=()
python3 - "$WORK" "$WINDOW_FROM" "$@" <<'EOF'
import glob, json, re, sys
work, window = sys.argv[1], float(sys.argv[2])
print(f"### promoted: seconds {window:.0f} to the end of each run")
print("| build | requests | promoted B a request | young collections (CPU s) | full collections (CPU s) | old gen at the end, MiB | RSS 5 s before the end, MiB |")
print("|---|---:|---:|---:|---:|---:|---:|")
for v in sys.argv[3:]:
    name = v.split("|")[0]
    d = f"{work}/{name}"
    gcs = {}  # GC id -> dict
    for line in open(f"{d}/gc.log"):
        m = re.match(r"\[(\d+)ms\].*GC\((\d+)\) (.*)", line)
        if not m:
            continue
        t, gid, rest = int(m.group(1)) / 1000, int(m.group(2)), m.group(3)
        g = gcs.setdefault(gid, {"t": t})
        if (tm := re.match(r"Tenured: (\d+)K\(\d+K\)->(\d+)K", rest)):
            g["old"] = (int(tm.group(1)), int(tm.group(2)))
        elif rest.startswith("Pause Young"):
            g["kind"] = "young"
        elif rest.startswith("Pause Full"):
            g["kind"] = "full"
        elif (cm := re.match(r"User=([\d.]+)s Sys=([\d.]+)s", rest)):
            g["cpu"] = float(cm.group(1)) + float(cm.group(2))
    inwin = [g for g in gcs.values() if g["t"] >= window and "kind" in g]
    promoted = sum(g["old"][1] - g["old"][0] for g in inwin if g["kind"] == "young" and "old" in g) * 1024
    young = [g for g in inwin if g["kind"] == "young"]
    full = [g for g in inwin if g["kind"] == "full"]
    last_old = next((g["old"][1] for g in sorted(gcs.values(), key=lambda g: -g["t"]) if "old" in g), 0)
    # requests answered in the window: the run's seconds (summary.json's points), the first at the run's start
    summary = glob.glob(f"{d}/results/*/summary.json")
    points = json.load(open(summary[0]))["points"] if summary else []
    t0 = points[0]["endEpochMillis"] - 1000 if points else 0
    reqs = sum(p["requests"] for p in points if p["endEpochMillis"] - t0 > window * 1000)
    rss = int(open(f"{d}/rss").read().strip() or 0) / 1024
    per = f"{promoted / reqs:.0f}" if reqs else "?"
    print(f"| {name} | {reqs} | {per} | {len(young)} ({sum(g.get('cpu', 0) for g in young):.2f}) | "
          f"{len(full)} ({sum(g.get('cpu', 0) for g in full):.2f}) | {last_old / 1024:.1f} | {rss:.0f} |")
EOF
