#!/usr/bin/env bash
# Whether stopping wrk between rounds, as bench/compare/paired.sh does, changes its CPU per request. One wrk
# (-t1 -cUSERS, CPU 0) against nginx (1 worker, CPU 1); PAIRS pairs of ROUND s windows, in alternating order:
# one window right after wrk was stopped (SIGSTOP) for as long as the other variant's round, one while it
# ran on without a stop. A window's cost is wrk's CPU time (/proc/PID/task/*/schedstat) over the requests
# nginx counted in it (stub_status), as in paired.sh. Prints every pair, the median of the paired
# differences with quartiles and sign count, and wrk's own error counts. Asserts nothing.
#   bench/compare/stopcheck.sh          Environment: PAIRS=20 ROUND=2 USERS=50
# Only 127.0.0.1 is contacted; wrk runs with a duration bound longer than the check and is stopped by its PID.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$ROOT/bench/lib/nginx.sh"
bench_need wrk:wrk
WORK=$(mktemp -d /tmp/stampede-stopcheck.XXXXXX)
trap 'nginx_stop; rm -rf "$WORK"' EXIT
port=$(nginx_free_port)
NGINX_URL=http://127.0.0.1:$port
nginx_run "  server {
    listen 127.0.0.1:$port backlog=4096;
    location / { default_type text/plain; return 200 \"hello\\n\"; }
    location = /nginx-status { stub_status; }
  }" curl -fsS "$NGINX_URL/"
PAIRS=${PAIRS:-20} ROUND=${ROUND:-2} USERS=${USERS:-50} python3 - "$NGINX_URL" "$WORK" <<'PY'
import os, re, signal, statistics, subprocess, sys, time, urllib.request
url, work = sys.argv[1:]
PAIRS, ROUND, USERS = (int(os.environ[k]) for k in ("PAIRS", "ROUND", "USERS"))
SETTLE = 0.3   # seconds after SIGCONT before a window opens, as in paired.sh
STOPPED = ROUND + SETTLE + 1   # seconds stopped: about the other variant's round in paired.sh
WARM = 3   # seconds of wrk before the first window: its connections open
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))   # a stopped child is then continued and ended too

def served():
    text = urllib.request.urlopen(url + "/nginx-status", timeout=5).read().decode()
    return int(re.search(r"\n\s*\d+\s+\d+\s+(\d+)", text).group(1))

def cpu(pid):
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total

def window(pid):   # wrk's CPU ns per request over ROUND s
    c0, r0 = cpu(pid), served()
    time.sleep(ROUND)
    c1, r1 = cpu(pid), served()
    return (c1 - c0) / max(1, r1 - r0 - 1), (r1 - r0) / ROUND

def after_stop(pid):
    os.kill(pid, signal.SIGSTOP)
    time.sleep(STOPPED)
    os.kill(pid, signal.SIGCONT)
    time.sleep(SETTLE)
    return window(pid)

def running_on(pid):
    time.sleep(SETTLE)
    return window(pid)

bound = int(WARM + PAIRS * 2 * (STOPPED + SETTLE + ROUND + 1) + 60)
log = open(f"{work}/wrk.log", "w")
wrk = subprocess.Popen(["taskset", "-c", "0", "wrk", "-t1", f"-c{USERS}", f"-d{bound}s", url + "/"],
                       stdout=log, stderr=subprocess.STDOUT)
diffs = []
try:
    time.sleep(WARM)
    print(f"wrk stopped {STOPPED:.1f} s before a window against running on, {PAIRS} pairs of {ROUND} s windows, "
          f"load average {open('/proc/loadavg').read().split()[0]}")
    print(f"{'pair':>4} | {'stopped us/req':>14} {'running us/req':>14} {'diff %':>7} | {'req/s stopped':>13} {'req/s running':>13}")
    for i in range(PAIRS):
        if i % 2 == 0:
            (cs, rs), (cr, rr) = after_stop(wrk.pid), running_on(wrk.pid)
        else:
            (cr, rr), (cs, rs) = running_on(wrk.pid), after_stop(wrk.pid)
        diffs.append((cs - cr) / cr * 100)
        print(f"{i + 1:>4} | {cs / 1000:>14.2f} {cr / 1000:>14.2f} {diffs[-1]:>+7.1f} | {rs:>13.0f} {rr:>13.0f}", flush=True)
finally:
    try:
        os.kill(wrk.pid, signal.SIGCONT)
        time.sleep(SETTLE)   # wrk ends on SIGINT with its summary, if its main thread takes it: running again
        wrk.send_signal(signal.SIGINT)
        wrk.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        wrk.kill()
q = statistics.quantiles(diffs, n=4)
print(f"\nstopped against running on, wrk's CPU per request: median {statistics.median(diffs):+.1f}% "
      f"(quartiles {q[0]:+.1f} to {q[2]:+.1f}), costlier after a stop in {sum(1 for d in diffs if d > 0)} of {len(diffs)} pairs")
print("wrk's own summary: " + "; ".join(s.strip() for s in open(f"{work}/wrk.log") if "requests in" in s or "errors" in s)
      + " (a timeout is only a latency over 2 s, counted; a read or connect error would be a reconnection)")
print(f"load average at end {open('/proc/loadavg').read().split()[0]}")
PY
