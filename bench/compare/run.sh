#!/usr/bin/env bash
# Stampede side by side with its peers, on this machine. Prints numbers and facts; asserts nothing.
#   bench/compare/run.sh [compare|scale|flat|soak|peruser|layout|all]      (default: compare)
#
# compare: wrk, hey, Stampede, Gatling, Locust FastHttpUser and Locust HttpUser against a private
#          nginx on 127.0.0.1 (CPU 1); each tool pinned to CPU 0, the same CONNECTIONS users/connections,
#          no wait, DURATION s, REPS times, interleaved; one markdown table of the median runs: req/s,
#          p50, p99, CPU s (user+sys of the tool's process tree) and CPU µs per request, peak RSS,
#          Stampede's req/s ratio; then the spread over the REPS rounds: each round's req/s and CPU µs per request
#          per tool, in run order, and per tool the median, min, max and max/min of both, with goal 2's verdict
#          (Stampede's req/s max/min ≤ wrk's in the same rounds). Gatling 3.13.5 runs the Java simulation in gatling/ (built once
#          with Maven, then started with java directly so only its own JVM is timed), with
#          -XX:ActiveProcessorCount=2: pinned to one CPU its JVM hangs at start-up otherwise.
# scale:   Stampede with SCALE_USERS (25,000) users, each its own keep-alive connection, wait 1-5 s,
#          spawn rate 2,500/s, 90 s; achieved req/s after the ramp (target users/3) and peak RSS.
#          When the open-files limit is below the user count, also the same run with --processes N,
#          enough worker processes for each to stay under the limit; RSS is summed over all of them.
#          SCALE_BIG=1 adds 100,000 users, wait 10-30 s, with --processes as the limit needs (only: just that).
# flat:    100,000 users as SCALE_BIG, for FLAT_SECONDS (600): the scale row, summed RSS every 10 s,
#          and the goals (rate held ± 5%, RSS ≤ 2 GiB at every sample, ≤ 5% growth in the last 5 min),
#          summed PSS beside RSS (a JVM whose heap is mapped twice counts once), the p99 of each second.
#          scale, flat and layout also print, for each run, why a second's p99 was high (seconds.py): beside the p99 of
#          each second, every JVM's stop-the-world time (-Xlog:safepoint, one file a JVM), the run-queue wait of their
#          threads and of nginx's workers (/proc/PID/task/*/schedstat), and per request each thread group's CPU,
#          hand-offs and wait for a CPU; with NGINX_LOG=1 nginx logs "$msec $request_time", which shows its own time
#          and whether the users' wakes cluster in time. SCALE_JAVA_OPTIONS: options for the JVM of each run.
# layout:  one JVM against --processes LAYOUT_PROCS (6, the 100,000-user row's count) for the same LAYOUT_USERS
#          (18,000: as many as one process may hold here) waiting 10-30 s, SCALE_TIME s each, LAYOUT_REPS (1) rounds
#          alternating; the scale table's rows: what the extra JVMs on one core cost in RSS and p99.
# soak:    Stampede, 200 users, wait 50 ms, SOAK_SECONDS (600); RSS sampled every 10 s.
# peruser: what one waiting user costs: one JVM with the workers' memory options (Serial, -Xms32m, 20-40% free,
#          native heap trimmed, plus native memory tracking) at each of PERUSER_USERS ("2000 16000") users of
#          scale-100k.yaml (wait 10-30 s), spawned at PERUSER_RATE (500/s: slow enough for a busy nginx to accept
#          every connection), sampled PERUSER_AT (90) s after its start: VmRSS, then the live heap
#          after a full collection (jcmd GC.class_histogram) and native memory; per user = the difference
#          between the first and last count ÷ the difference in users, with the classes that hold the most.
#          The open connections at the sample are shown: a count short of the users means the sample is not
#          of waiting users alone (a starved nginx leaves connects and reads pending, each with its stack).
#
# Environment: DURATION=15 CONNECTIONS=50 REPS=3 SCALE_USERS=25000 SCALE_RATE=2500 SCALE_TIME=90
#              SCALE_CPUS=0 SCALE_BIG=0 LAYOUT_USERS=18000 LAYOUT_PROCS=6 LAYOUT_REPS=1 PERUSER_USERS="2000 16000" PERUSER_AT=90 PERUSER_RATE=500 SOAK_SECONDS=600 FLAT_SECONDS=600 LOAD_WAIT=300 (max s to wait for load < 1)
#              KEEP=1 keeps the raw outputs (printed folder). STAMPEDE_JAR=path measures another build.
#              NGINX_LOG=1: nginx logs each request's arrival and time (scale, flat, layout; see above).
#              SCALE_JAVA_OPTIONS="...": JVM options for the runs of scale, flat and layout (workers inherit them).
#              TOOLS="wrk stampede" runs only those tools. BEFORE_JAR=path adds the row "Stampede before":
#              that build, run interleaved with this one, for a before/after on the same machine.
#              AOT=1 (JDK 25+): each Stampede jar runs with an AOT cache trained for it first, as the
#              launcher's runs do (./stampede); without it the jar runs with no cache or archive.
# Installs what it lacks (Debian: nginx wrk hey python3-locust time). Only 127.0.0.1 is contacted;
# every run is bounded in time; only processes started here are stopped, by PID.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MODE=${1:-compare}
DURATION=${DURATION:-15} CONNECTIONS=${CONNECTIONS:-50} REPS=${REPS:-3}
SCALE_USERS=${SCALE_USERS:-25000} SCALE_RATE=${SCALE_RATE:-2500} SCALE_TIME=${SCALE_TIME:-90}
SCALE_CPUS=${SCALE_CPUS:-0} SCALE_BIG=${SCALE_BIG:-0}
LAYOUT_USERS=${LAYOUT_USERS:-18000} LAYOUT_PROCS=${LAYOUT_PROCS:-6} LAYOUT_REPS=${LAYOUT_REPS:-1}
PERUSER_USERS=${PERUSER_USERS:-2000 16000} PERUSER_AT=${PERUSER_AT:-90} PERUSER_RATE=${PERUSER_RATE:-500}
SOAK_SECONDS=${SOAK_SECONDS:-600} FLAT_SECONDS=${FLAT_SECONDS:-600} LOAD_WAIT=${LOAD_WAIT:-300} KEEP=${KEEP:-0}
PY=/usr/bin/python3          # Debian's python3: the one python3-locust is installed for

# --- tools -----------------------------------------------------------------------------------------
need=()
command -v nginx >/dev/null || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
command -v hey >/dev/null || need+=(hey)
[ -x /usr/bin/time ] || need+=(time)
command -v taskset >/dev/null || need+=(util-linux)
command -v mvn >/dev/null || need+=(maven)
[ -x "$PY" ] && "$PY" -c 'import locust' 2>/dev/null || need+=(python3-locust)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
. "$ROOT/scripts/jdk.sh"; stampede_find_jdk
. "$ROOT/bench/lib/nginx.sh"
JAVA=$JAVA_HOME/bin/java

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
WORK=$(mktemp -d /tmp/stampede-compare.XXXXXX)
CHILDREN=()
NGX_PID=
cleanup() {
    # a run under GNU time or taskset: its child (the JVM) is stopped by its parent's PID first
    for p in "${CHILDREN[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
    [ -n "$NGX_PID" ] && { kill "$NGX_PID" 2>/dev/null; wait "$NGX_PID" 2>/dev/null; } || true
    nginx_stop
    if [ "$KEEP" = 1 ]; then echo "raw outputs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# The jar: built by the launcher when the sources changed (not when STAMPEDE_JAR names one: a build
# meanwhile would take the CPU from the runs); copied so a rebuild meanwhile cannot touch the runs.
if [ -n "${STAMPEDE_JAR:-}" ]; then
    [ -f "$STAMPEDE_JAR" ] || { echo "STAMPEDE_JAR: no file $STAMPEDE_JAR" >&2; exit 2; }
else
    "$ROOT/stampede" --version >/dev/null 2>&1 || [ -f "$ROOT/target/stampede.jar" ] || { echo "cannot build target/stampede.jar" >&2; exit 2; }
fi
cp "${STAMPEDE_JAR:-$ROOT/target/stampede.jar}" "$WORK/stampede.jar"   # STAMPEDE_JAR: measure another build
JAR=$WORK/stampede.jar
TOOLS=${TOOLS:-wrk hey stampede gatling locust-fasthttp locust-http}
if [ -n "${BEFORE_JAR:-}" ]; then
    cp "$BEFORE_JAR" "$WORK/stampede-before.jar"
    TOOLS=${TOOLS/stampede/stampede stampede-before}
fi

# AOT=1: an AOT cache per jar copy (the cache names its jar), trained before any timed run.
aot_options() { [ -f "${1%.jar}.aot" ] && echo "-XX:AOTCache=${1%.jar}.aot -Xlog:aot=off -Xlog:cds=off" || true; }
if [ "${AOT:-0}" = 1 ] && [ "$(stampede_jdk_version "$JAVA_HOME")" -ge 25 ]; then
    for jar in "$JAR" ${BEFORE_JAR:+"$WORK/stampede-before.jar"}; do
        stampede_aot_train "$jar" "${jar%.jar}.aot" || true
    done
fi

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# Waits (up to LOAD_WAIT s) until the 1-minute load average is below 1, so other work does not skew a table.
wait_quiet() {
    local waited=0
    while awk '{exit !($1 >= 1)}' /proc/loadavg && [ "$waited" -lt "$LOAD_WAIT" ]; do sleep 10; waited=$((waited + 10)); done
    awk '{exit !($1 >= 1)}' /proc/loadavg && echo "warning: load average still $(loadavg) after ${LOAD_WAIT}s; numbers may be skewed" >&2 || true
}
# Samples "epoch-ms cpu-s" of PID's process tree (proc_cpu) every 0.5 s into FILE until PID ends; then waits for it.
cpu_series() {
    local pid=$1 file=$2
    while kill -0 "$pid" 2>/dev/null; do echo "$(date +%s%3N) $(proc_cpu "$pid")" >> "$file"; sleep 0.5; done
    wait "$pid" || true
}
busy_seconds() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {print ($2+$3+$4+$7+$8)/hz}' /proc/stat; }
proc_cpu() { # user+sys seconds of a live PID and its direct children
    local hz; hz=$(getconf CLK_TCK)
    { echo "$1"; cat "/proc/$1/task/"*/children 2>/dev/null | tr ' ' '\n'; } | while read -r p; do
        [ -n "$p" ] && awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null; done | awk -v hz="$hz" '{s+=$1} END {printf "%.2f", s/hz}'
}
machine() {
    echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM," \
         "$(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r); open files limit $(ulimit -n) (hard $(ulimit -Hn))."
    echo "Tools: $("$JAVA" -version 2>&1 | head -1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); hey $(dpkg-query -W -f='${Version}' hey 2>/dev/null);" \
         "locust $(dpkg-query -W -f='${Version}' python3-locust 2>/dev/null) on $("$PY" --version 2>&1); nginx $(nginx -v 2>&1 | cut -d/ -f2);" \
         "Stampede $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null)$(cd "$ROOT" && git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo '+local changes')."
}

# --- compare ---------------------------------------------------------------------------------------
# Runs one tool pinned to CPU 0 under GNU time; appends its JSON line to $WORK/runs.jsonl.
run_tool() {
    local tool=$1 rep=$2 out=$WORK/$1.$2 url=$NGINX_URL/ load
    load=$(cut -d' ' -f1 /proc/loadavg)
    local T=(/usr/bin/time -f '%U %S %M' -o "$out.time" taskset -c 0)
    case "$tool" in
        wrk) "${T[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" > "$out" 2>&1 || true ;;
        hey) "${T[@]}" hey -c "$CONNECTIONS" -z "${DURATION}s" "$url" > "$out" 2>&1 || true ;;
        stampede|stampede-before)
            local jar=$JAR; [ "$tool" = stampede-before ] && jar=$WORK/stampede-before.jar
            # GC pauses and JIT compilations to files, to see whether a slow run had more of either in its steady seconds
            date +%s%3N > "$out.start"
            # shellcheck disable=SC2046
            "${T[@]}" "$JAVA" $(aot_options "$jar") -Xlog:gc:file="$out.gc":uptimemillis -Xlog:jit+compilation=debug:file="$out.jit":uptimemillis \
                -jar "$jar" run "$HERE/compare.yaml" -H "$NGINX_URL" -u "$CONNECTIONS" -r 1000 \
                -t "${DURATION}s" --headless --results "$out.results" > "$out" 2>&1 &
            cpu_series $! "$out.cpu"    # for the CPU per request of the steady seconds, start-up apart
            out=$out.results ;;
        gatling)
            gatling_build
            # The JVM options gatling-maven-plugin gives its forked JVM, plus two processors (see the top).
            "${T[@]}" "$JAVA" -XX:ActiveProcessorCount=2 -Xmx1G -XX:MaxInlineLevel=20 -XX:MaxTrivialSize=12 \
                --add-opens=java.base/java.lang=ALL-UNNAMED -Dtarget.url="$NGINX_URL" -Dusers="$CONNECTIONS" \
                -Dseconds="$DURATION" -cp "$GATLING_CP" io.gatling.app.Gatling --simulation stampede.bench.LoopSimulation \
                --no-reports --results-folder "$out.results" --launcher maven > "$out" 2>&1 || true
            # Its percentiles come from its report, generated afterwards and outside the timed run.
            "$JAVA" --add-opens=java.base/java.lang=ALL-UNNAMED -cp "$GATLING_CP" io.gatling.app.Gatling \
                --reports-only "$(ls "$out.results" | head -1)" --results-folder "$out.results" --launcher maven \
                >> "$out" 2>&1 || true ;;
        locust-http|locust-fasthttp)
            local cls=PlainUser; [ "$tool" = locust-fasthttp ] && cls=FastUser
            "${T[@]}" "$PY" -m locust -f "$HERE/locustfile.py" --headless -u "$CONNECTIONS" -r "$CONNECTIONS" \
                -t "${DURATION}s" -H "$NGINX_URL" --only-summary --loglevel WARNING "$cls" > "$out" 2>&1 || true ;;
    esac
    "$PY" "$HERE/parse.py" one "$tool" "$out" "$WORK/$tool.$rep.time" "$CONNECTIONS" "$rep" "$load" | tee -a "$WORK/runs.jsonl" >&2
}

# Compiles the Gatling simulation once (Maven fetches Gatling the first time) and sets GATLING_CP.
GATLING_CP=
gatling_build() {
    [ -n "$GATLING_CP" ] && return 0
    (cd "$HERE/gatling" && mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$WORK/gatling.cp" >"$WORK/gatling.build" 2>&1) || { cat "$WORK/gatling.build" >&2; return 1; }
    GATLING_CP=$HERE/gatling/target/test-classes:$(cat "$WORK/gatling.cp")
}

compare() {
    wait_quiet
    case " $TOOLS " in *" gatling "*) gatling_build ;; esac
    nginx_start
    local before after busy0 busy1 t
    before=$(loadavg); busy0=$(busy_seconds)
    echo "compare: $CONNECTIONS connections/users, ${DURATION}s, $REPS reps, load before $before" >&2
    for rep in $(seq "$REPS"); do
        for tool in $TOOLS; do
            echo "  rep $rep: $tool (load $(loadavg))" >&2
            run_tool "$tool" "$rep"
        done
    done
    after=$(loadavg); busy1=$(busy_seconds)
    # CPU used by everything else meanwhile: all busy CPU time minus the tools' and nginx's own.
    t=$("$PY" -c "import json,sys; print(sum(json.loads(l)['cpu'] for l in open(sys.argv[1])))" "$WORK/runs.jsonl")
    local other; other=$(awk -v a="$busy0" -v b="$busy1" -v t="$t" -v n="$(proc_cpu "$NGINX_PID")" 'BEGIN {printf "%.1f", b-a-t-n}')
    nginx_stop
    echo
    echo "### compare: $CONNECTIONS connections, ${DURATION} s per run, median of $REPS runs ($(date -u +%FT%TZ))"
    echo
    machine
    echo
    "$PY" "$HERE/parse.py" table "$WORK/runs.jsonl" "$before" "$after" "$other"
    echo
    echo "req/s: wrk, hey: their own; Locust: requests ÷ (last − first request); Stampede: steady seconds of summary.json"
    echo "(points from the 3rd second after all users started, without the last); whole-run = all of the run (JIT warm-up included)."
    echo "p50/p99: over the whole run (Locust and Gatling round to whole ms). CPU s and peak RSS: GNU time of the tool's process tree."
    echo "CPU µs/req: CPU s ÷ requests of the whole run (start-up included); steady: Stampede's CPU (sampled every 0.5 s) over its"
    echo "steady seconds ÷ their requests, start-up apart (start-up CPU s: until all users run). Spread: max ÷ min req/s of the runs."
    "$PY" "$HERE/parse.py" spread "$WORK/runs.jsonl"
    "$PY" "$HERE/parse.py" runs "$WORK/runs.jsonl"
    case " $TOOLS " in *" gatling "*) echo "Gatling 3.13.5: its JVM runs with -XX:ActiveProcessorCount=2 (pinned to one CPU it hangs at start-up otherwise); req/s: its mean throughput." ;; esac
}

# --- scale -----------------------------------------------------------------------------------------
# nginx for many connections: one worker process may hold only the open-files limit, so several
# workers share the port (reuseport), all pinned to CPU 1.
nginx_many_start() {
    local nofile workers port= p
    nofile=$(ulimit -Hn); [[ $nofile == unlimited ]] && nofile=65536
    workers=$(( ($1 + nofile / 2 - 1) / (nofile / 2) + 1 ))
    NGX_WORK=$WORK/nginx; mkdir -p "$NGX_WORK/tmp"
    for p in $(shuf -i 20000-30000 -n 100); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { port=$p; break; }; done
    NGINX_MANY_URL=http://127.0.0.1:$port
    cat > "$NGX_WORK/nginx.conf" <<CONF
daemon off;
worker_processes $workers;
worker_rlimit_nofile $nofile;
pid $NGX_WORK/nginx.pid;
error_log $NGX_WORK/error.log warn;
events { worker_connections $((nofile - 100)); }
http {
  $( [ "${NGINX_LOG:-0}" = 1 ] && echo "log_format t '\$msec \$request_time'; access_log $NGX_WORK/access.log t buffer=256k flush=1s;" || echo "access_log off;")
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  client_body_temp_path $NGX_WORK/tmp/body; proxy_temp_path $NGX_WORK/tmp/proxy; fastcgi_temp_path $NGX_WORK/tmp/fcgi;
  uwsgi_temp_path $NGX_WORK/tmp/uwsgi; scgi_temp_path $NGX_WORK/tmp/scgi;
  server {
    listen 127.0.0.1:$port backlog=4096 reuseport;
    location / { default_type text/plain; return 200 "hello\n"; }
  }
}
CONF
    taskset -c 1 nginx -p "$NGX_WORK" -c "$NGX_WORK/nginx.conf" &
    NGX_PID=$!
    for _ in $(seq 50); do curl -fsS "$NGINX_MANY_URL/" >/dev/null 2>&1 && { echo "nginx: $workers workers × $((nofile - 100)) connections on $NGINX_MANY_URL" >&2; return 0; }; sleep 0.1; done
    echo "nginx did not start" >&2; cat "$NGX_WORK/error.log" >&2; return 1
}
nginx_many_stop() { [ -n "$NGX_PID" ] && { kill "$NGX_PID" 2>/dev/null; wait "$NGX_PID" 2>/dev/null; NGX_PID=; } || true; }

# Runs USERS users in one Stampede run, in PROCS processes (--processes when more than one), pinned
# to SCALE_CPUS; the peak RSS is the sum over the coordinator and its workers, sampled every second.
# Prints one table row.
scale_run() {
    local plan=$1 users=$2 rate=$3 procs=$4 label=$5 dir pid peak=0 rss kb
    dir=$WORK/scale.$label; mkdir -p "$dir"
    local split=(); [ "$procs" -gt 1 ] && split=(--processes "$procs")
    local log0=0; [ -f "$NGX_WORK/access.log" ] && log0=$(wc -l < "$NGX_WORK/access.log")
    # every JVM's stops (workers inherit the option; %p names each one's file), for seconds.py report
    # shellcheck disable=SC2086
    /usr/bin/time -f '%U %S %M' -o "$dir/1.time" taskset -c "$SCALE_CPUS" "$JAVA" ${SCALE_JAVA_OPTIONS:-} \
        "-Xlog:safepoint,gc:file=$dir/gc.%p.log:timemillis,pid" -jar "$JAR" run "$plan" \
        -H "$NGINX_MANY_URL" -u "$users" -r "$rate" -t "${SCALE_TIME}s" --headless "${split[@]}" \
        --results "$dir/1" > "$dir/1.out" 2>&1 &
    pid=$!; CHILDREN+=($pid)
    # CPU and run-queue wait of each JVM and nginx worker, every second (not pinned: it takes a little of any CPU)
    "$PY" "$HERE/seconds.py" sample "$pid" "$NGX_PID" "$dir/sched" 2>/dev/null &
    local sampler=$!
    local t0; t0=$(date +%s)
    while kill -0 "$pid" 2>/dev/null; do
        rss=0 pss=0
        for p in $(pgrep -P "$pid") $(for c in $(pgrep -P "$pid"); do pgrep -P "$c"; done); do
            kb=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
            rss=$((rss + ${kb:-0}))
            kb=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
            pss=$((pss + ${kb:-0}))
        done
        [ "$rss" -gt "$peak" ] && peak=$rss
        # seconds since the start, summed KiB of RSS and of PSS (shared pages counted once, as a
        # collector that maps its heap more than once, or libraries shared by the JVMs, would not be by RSS)
        echo "$(($(date +%s) - t0)) $rss $pss" >> "$dir/rss"
        sleep 1
    done
    wait "$pid" || true
    wait "$sampler" || true
    CHILDREN=()
    # this run's lines of nginx's log (NGINX_LOG=1), once its buffer is flushed
    [ -f "$NGX_WORK/access.log" ] && { sleep 2; tail -n +"$((log0 + 1))" "$NGX_WORK/access.log" > "$dir/access.log"; }
    { echo "#### why the p99 of a second: $label"; echo; "$PY" "$HERE/seconds.py" report "$dir" 2>&1 || true; echo; } >> "$WORK/seconds.md"
    "$PY" "$HERE/parse.py" scale "$dir/1/*/summary.json" "$users" "$rate" "$dir/1.time" \
        > "$dir/1.json" 2>"$dir/1.err" || echo '{"error": "no summary.json: '"$(tail -c 300 "$dir/1.out" | tr -d '"\n')"'"}' > "$dir/1.json"
    # GNU time's %M is the largest single process; the sampled sum covers all of them
    [ "$peak" -gt 0 ] && "$PY" - "$dir/1.json" "$peak" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if "error" not in r:
    r["rssMiB"] = max(r["rssMiB"], int(sys.argv[2]) / 1024)
    json.dump(r, open(sys.argv[1], "w"))
PY
    "$PY" - "$dir" "$procs" "$users" "$label" "$6" "$7" <<'PY'
import json, sys
d, procs, users, label, target, rss_goal = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), float(sys.argv[6])
rs = [json.load(open(f"{d}/1.json"))]
if any("error" in r for r in rs):
    print(f"| {label} | {users} | {procs} | – | – | – | – | – | – | – | – | {'; '.join(r.get('error', '') for r in rs)} |"); sys.exit()
rps = sum(r["rps"] for r in rs); last = sum(r["last60OkRps"] for r in rs); fps = sum(r["failuresPerSecond"] for r in rs); rss = sum(r["rssMiB"] for r in rs)
peak = sum(r["peakUsers"] for r in rs); cpu = sum(r["cpu"] for r in rs)
fails = {}
for r in rs:
    for f in r["failures"]:
        k = f.get("error") or f.get("message") or str(f); fails[k] = fails.get(k, 0) + f.get("occurrences", 0)
top = "; ".join(f"{n}× {k}" for k, n in sorted(fails.items(), key=lambda kv: -kv[1])[:3]) or "none"
ok_rps = "holds" if abs(rps - target) <= 0.05 * target and fps == 0 else "does NOT hold"
ok_rss = "holds" if rss <= rss_goal else "does NOT hold"
print(f"| {label} | {users} | {procs} | {peak} | {rs[0]['steadySeconds']} | {rps:.0f} (target {target:.0f} ± 5%: {ok_rps}) | {last:.0f} | {fps:.0f} |"
      f" {max(r['p50'] for r in rs):.2f} / {max(r['p99'] for r in rs):.1f} | {cpu:.1f} | {rss:.0f} (goal ≤ {rss_goal:.0f}: {ok_rss}) | {top} |")
PY
}

scale() {
    wait_quiet
    local nofile before; nofile=$(ulimit -n)
    nginx_many_start "$SCALE_USERS"
    before=$(loadavg)
    local rows=$WORK/scale.rows; : > "$rows"
    local procs=$(( (SCALE_USERS + nofile - 1001) / (nofile - 1000) ))
    if [ "$SCALE_BIG" != only ]; then
        echo "scale: $SCALE_USERS users, one JVM (load $before)" >&2
        scale_run "$HERE/scale.yaml" "$SCALE_USERS" "$SCALE_RATE" 1 "one JVM" $((SCALE_USERS / 3)) 1024 >> "$rows"
    fi
    if [ "$procs" -gt 1 ] && [ "$SCALE_BIG" != only ]; then
        echo "scale: $SCALE_USERS users, --processes $procs (open-files limit $nofile per process)" >&2
        scale_run "$HERE/scale.yaml" "$SCALE_USERS" "$SCALE_RATE" "$procs" "--processes $procs" $((SCALE_USERS / 3)) 1024 >> "$rows"
    fi
    if [ "$SCALE_BIG" = 1 ] || [ "$SCALE_BIG" = only ]; then
        nginx_many_stop; nginx_many_start 100000
        local big=$(( (100000 + nofile - 1001) / (nofile - 1000) ))
        echo "scale: 100000 users, wait 10-30 s, --processes $big" >&2
        SCALE_TIME=$((SCALE_TIME + 30)) scale_run "$HERE/scale-100k.yaml" 100000 "$SCALE_RATE" "$big" "--processes $big, 100k" 5000 2048 >> "$rows"
    fi
    nginx_many_stop
    echo
    echo "### scale: users with wait 1-5 s, spawn rate $SCALE_RATE/s, -t ${SCALE_TIME}s, generator on CPU $SCALE_CPUS ($(date -u +%FT%TZ))"
    echo
    machine
    echo
    echo "| run | users | processes | peak users | steady s | req/s after ramp | ok req/s, last 60 s | failures/s | p50 / p99 ms | CPU s | peak RSS MiB (sum) | top failures |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    cat "$rows"
    echo
    echo "Load average before: $before; after: $(loadavg). Open-files limit per process: $nofile (hard $(ulimit -Hn));" \
         "local ports $(tr '\t' '-' < /proc/sys/net/ipv4/ip_local_port_range)."
    echo
    cat "$WORK/seconds.md"
}

# --- flat ------------------------------------------------------------------------------------------
# 100,000 users (scale-100k.yaml, wait 10-30 s, target 5,000 req/s) for FLAT_SECONDS (600) with
# --processes as the open-files limit needs; the scale table's row, then the summed RSS every 10 s and
# the goals: the rate held ± 5%, RSS ≤ 2 GiB at every sample, growth over the last 5 minutes ≤ 5%.
flat() {
    wait_quiet
    local nofile before big dir; nofile=$(ulimit -n)
    big=$(( (100000 + nofile - 1001) / (nofile - 1000) ))
    nginx_many_start 100000
    before=$(loadavg)
    echo "flat: 100000 users, wait 10-30 s, --processes $big, ${FLAT_SECONDS}s (load $before)" >&2
    SCALE_TIME=$FLAT_SECONDS scale_run "$HERE/scale-100k.yaml" 100000 "$SCALE_RATE" "$big" "flat" 5000 2048 > "$WORK/flat.row"
    nginx_many_stop
    dir=$WORK/scale.flat
    echo
    echo "### flat: 100,000 users, wait 10-30 s, spawn rate $SCALE_RATE/s, ${FLAT_SECONDS} s, --processes $big, generator on CPU $SCALE_CPUS ($(date -u +%FT%TZ))"
    echo
    machine
    echo
    echo "| run | users | processes | peak users | steady s | req/s after ramp | ok req/s, last 60 s | failures/s | p50 / p99 ms | CPU s | peak RSS MiB (sum) | top failures |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    cat "$WORK/flat.row"
    echo
    "$PY" - "$dir/rss" "$FLAT_SECONDS" <<'PY'
import sys
samples = [tuple(map(int, l.split()[:2])) for l in open(sys.argv[1]) if len(l.split()) >= 2]
pss = [int(l.split()[2]) for l in open(sys.argv[1]) if len(l.split()) == 3]
run = int(sys.argv[2])
# the first sample at or after each 10 s mark (a sample takes a moment, so marks are sometimes skipped)
every10 = []
for mark in range(0, samples[-1][0] + 1 if samples else 0, 10):
    at = next(((t, kb) for t, kb in samples if t >= mark and kb > 0), None)
    if at and (not every10 or at[0] != every10[-1][0]):
        every10.append((mark, at[1]))
print("Summed RSS every 10 s (s: MiB): " + ", ".join(f"{t}: {kb / 1024:.0f}" for t, kb in every10))
print()
mib = [kb / 1024 for _, kb in every10]
peak = max(mib) if mib else float("nan")
since = max(run - 300, 60)             # a run shorter than 6 minutes: from the first minute on, past the ramp
last5 = [kb / 1024 for t, kb in every10 if since <= t <= run]
growth = (last5[-1] - last5[0]) / last5[0] if len(last5) > 1 else float("nan")
print(f"- summed RSS ≤ 2,048 MiB at every sample: peak {peak:.0f} MiB — {'holds' if peak <= 2048 else 'does NOT hold'}"
      + (f" (summed PSS peak {max(pss) / 1024:.0f} MiB)" if pss else ""))
print(f"- RSS growth over the last {(run - since) / 60:g} minutes ({last5[0] if last5 else 0:.0f} → {last5[-1] if last5 else 0:.0f} MiB): "
      f"{growth * 100:+.1f}% — {'holds' if growth <= 0.05 else 'does NOT hold'} (goal ≤ 5%)")
PY
    "$PY" - "$dir"/1/*/summary.json <<'PY'
import json, statistics, sys
points = json.load(open(sys.argv[1]))["points"]
full = max((p["users"] for p in points), default=0)
first = next((i for i, p in enumerate(points) if p["users"] >= full), len(points))
after = [p["p99Millis"] for p in points[first:-1] if p["requests"]]
ramp = [p["p99Millis"] for p in points[:first] if p["requests"]]
if after:
    print(f"- p99 of each second once all users run ({len(after)} s): median {statistics.median(after):.1f} ms,"
          f" 90th {sorted(after)[int(0.9 * len(after))]:.1f} ms, max {max(after):.0f} ms;"
          f" {sum(1 for v in after if v >= 10)} seconds at 10 ms or more. During the ramp: max {max(ramp, default=0):.0f} ms")
PY
    echo
    echo "Load average before: $before; after: $(loadavg). The rate goal and p99 are in the row (target 5,000 req/s ± 5%)."
    echo
    cat "$WORK/seconds.md"
}

# --- layout ----------------------------------------------------------------------------------------
layout() {
    wait_quiet
    local rows=$WORK/layout.rows before rep; : > "$rows"
    nginx_many_start "$LAYOUT_USERS"
    before=$(loadavg)
    for rep in $(seq "$LAYOUT_REPS"); do
        echo "layout: $LAYOUT_USERS users, one JVM (round $rep, load $(loadavg))" >&2
        scale_run "$HERE/scale-100k.yaml" "$LAYOUT_USERS" "$SCALE_RATE" 1 "one JVM" $((LAYOUT_USERS / 20)) 2048 >> "$rows"
        echo "layout: $LAYOUT_USERS users, --processes $LAYOUT_PROCS (round $rep, load $(loadavg))" >&2
        scale_run "$HERE/scale-100k.yaml" "$LAYOUT_USERS" "$SCALE_RATE" "$LAYOUT_PROCS" "--processes $LAYOUT_PROCS" \
            $((LAYOUT_USERS / 20)) 2048 >> "$rows"
    done
    nginx_many_stop
    echo
    echo "### layout: $LAYOUT_USERS users waiting 10-30 s, one JVM against $LAYOUT_PROCS, -t ${SCALE_TIME}s, generator on CPU $SCALE_CPUS ($(date -u +%FT%TZ))"
    echo
    machine
    echo
    echo "| run | users | processes | peak users | steady s | req/s after ramp | ok req/s, last 60 s | failures/s | p50 / p99 ms | CPU s | peak RSS MiB (sum) | top failures |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    cat "$rows"
    echo
    echo "Load average before: $before; after: $(loadavg). Target: users ÷ 20 s, the mean wait (the 2 GiB goal is the 100,000-user row's)."
    echo
    cat "$WORK/seconds.md"
}

# --- peruser ---------------------------------------------------------------------------------------
peruser() {
    wait_quiet
    local n pid dir max=0 before
    for n in $PERUSER_USERS; do [ "$n" -gt "$max" ] && max=$n; done
    nginx_many_start "$max"
    before=$(loadavg)
    for n in $PERUSER_USERS; do
        dir=$WORK/peruser.$n; mkdir -p "$dir"
        echo "peruser: $n users, sampled at ${PERUSER_AT}s (load $(loadavg))" >&2
        taskset -c "$SCALE_CPUS" "$JAVA" -XX:+UseSerialGC -Xms32m -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 \
            -XX:TrimNativeHeapInterval=2000 -XX:NativeMemoryTracking=summary -jar "$JAR" run "$HERE/scale-100k.yaml" \
            -H "$NGINX_MANY_URL" -u "$n" -r "$PERUSER_RATE" -t "$((PERUSER_AT + 20))s" --headless --results "$dir/r" > "$dir/out" 2>&1 &
        pid=$!; CHILDREN+=($pid)
        sleep "$PERUSER_AT"
        awk '/^VmRSS/ {print $2}' "/proc/$pid/status" > "$dir/rss"
        "$JAVA_HOME/bin/jcmd" "$pid" GC.class_histogram > "$dir/histo" 2>&1 || true
        "$JAVA_HOME/bin/jcmd" "$pid" VM.native_memory summary > "$dir/nmt" 2>&1 || true
        wait "$pid" || true
        CHILDREN=()
    done
    nginx_many_stop
    echo
    echo "### peruser: one JVM, workers' memory options, users waiting 10-30 s, sampled at ${PERUSER_AT} s ($(date -u +%FT%TZ))"
    echo
    machine
    echo
    "$PY" - "$WORK" $PERUSER_USERS <<'PY'
import re, sys
work, counts = sys.argv[1], [int(n) for n in sys.argv[2:]]
def histo(n):
    classes, total = {}, 0
    for line in open(f"{work}/peruser.{n}/histo"):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            classes[m.group(3)] = (int(m.group(1)), int(m.group(2)))
        m = re.match(r"Total\s+(\d+)\s+(\d+)", line)
        if m:
            total = int(m.group(2))
    return classes, total
def nmt(n):
    out = {}
    for line in open(f"{work}/peruser.{n}/nmt"):
        m = re.match(r"-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB", line)
        if m:
            out[m.group(1).strip()] = int(m.group(2))
        m = re.match(r"Total: reserved=\d+KB, committed=(\d+)KB", line)
        if m:
            out["Total"] = int(m.group(1))
    return out
print("| users | open connections | VmRSS MiB | live heap MiB (after a full collection) | NMT committed MiB |")
print("|---:|---:|---:|---:|---:|")
rss = {n: int(open(f"{work}/peruser.{n}/rss").read().strip() or 0) for n in counts}
for n in counts:
    conns = histo(n)[0].get("io.stampede.http.Http1Connection", (0, 0))[0]
    print(f"| {n} | {conns} | {rss[n] / 1024:.0f} | {histo(n)[1] / 2**20:.1f} | {nmt(n).get('Total', 0) / 1024:.0f} |")
lo, hi = counts[0], counts[-1]
d = hi - lo
(hl, tl), (hh, th) = histo(lo), histo(hi)
print()
print(f"Per user ({lo} → {hi} users): RSS {(rss[hi] - rss[lo]) * 1024 / d:,.0f} B, live heap {(th - tl) / d:,.0f} B.")
nl, nh = nmt(lo), nmt(hi)
parts = sorted(((nh[k] - nl.get(k, 0)) * 1024 / d, k) for k in nh if k != "Total")
print("Native memory per user by category: " + ", ".join(f"{k} {b:,.0f} B" for b, k in reversed(parts) if abs(b) >= 16))
print()
print("| class | instances per user | bytes per user |")
print("|---|---:|---:|")
rows = sorted(((hh[c][1] - hl.get(c, (0, 0))[1]) / d, (hh[c][0] - hl.get(c, (0, 0))[0]) / d, c) for c in hh)
for b, i, c in reversed(rows[-25:]):
    if b >= 8:
        print(f"| {c} | {i:.2f} | {b:,.0f} |")
PY
    echo
    echo "Load average before: $before; after: $(loadavg). RSS is read before the histogram's full collection."
}

# --- soak ------------------------------------------------------------------------------------------
soak() {
    wait_quiet
    nginx_start
    local before pid t=0 rss samples=$WORK/soak.samples
    before=$(loadavg)
    echo "soak: 200 users, wait 50 ms, ${SOAK_SECONDS}s (load $before)" >&2
    taskset -c 0 "$JAVA" -jar "$JAR" run "$HERE/soak.yaml" -H "$NGINX_URL" -t "${SOAK_SECONDS}s" --headless \
        --results "$WORK/soak" > "$WORK/soak.out" 2>&1 &
    pid=$!; CHILDREN+=($pid)
    : > "$samples"
    while kill -0 "$pid" 2>/dev/null; do
        rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [ -n "$rss" ] && echo "$t $rss" >> "$samples"
        sleep 10; t=$((t + 10))
    done
    wait "$pid" || true; CHILDREN=()
    nginx_stop
    echo
    echo "### soak: 200 users, wait constant 50 ms, ${SOAK_SECONDS} s, Stampede on CPU 0 ($(date -u +%FT%TZ))"
    echo
    machine
    echo
    "$PY" - "$samples" "$WORK/soak" <<'PY'
import glob, json, sys
samples = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
s = json.load(open(glob.glob(sys.argv[2] + "/*/summary.json")[0]))
t = s["totals"]
mib = lambda kb: kb / 1024
print("RSS every 10 s (MiB): " + " ".join(f"{mib(k):.0f}" for _, k in samples))
print()
at1 = next((k for ts, k in samples if ts >= 60), samples[-1][1])
end = samples[-1][1]
after = [k for ts, k in samples if ts >= 60] or [end]
lo, hi = min(after), max(after)
flat = hi <= 1.1 * at1 and lo >= 0.9 * at1
print("| requests | req/s | failures | p50 ms | p99 ms | RSS at 1 min MiB | RSS at end MiB | min–max after 1 min MiB | flat within 10% after 1 min |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
print(f"| {t['requests']} | {t['requestsPerSecond']:.0f} | {t['failures']} | {t['medianMillis']:.3f} | {t['p99Millis']:.3f} |"
      f" {mib(at1):.0f} | {mib(end):.0f} | {mib(lo):.0f}–{mib(hi):.0f} | {'yes' if flat else 'NO'} (end/1 min = {end / at1:.2f}) |")
PY
    echo
    echo "Load average before: $before; after: $(loadavg)."
}

case "$MODE" in
    compare) compare ;;
    scale) scale ;;
    soak) soak ;;
    flat) flat ;;
    peruser) peruser ;;
    layout) layout ;;
    all) compare; scale; soak ;;
    *) echo "usage: $0 [compare|scale|flat|soak|peruser|layout|all]" >&2; exit 2 ;;
esac
