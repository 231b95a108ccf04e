#!/usr/bin/python3
"""Why a second's p99 is high: what each JVM and nginx did in that second (standard library only).

  seconds.py sample ROOT_PID NGINX_PID OUT     -> every second until ROOT_PID ends, one line per process of
                                                 ROOT_PID's tree and per nginx worker: epoch ms, pid, role,
                                                 CPU ns, run-queue wait ns (schedstat), CPUs its threads last ran on,
                                                 then per thread group (carrier, timer, gc, ...) CPU ns, wait ns, times run
  seconds.py report DIR                         -> per second: p99 beside the generator's stop-the-world time
                                                 (safepoint log), its threads' run-queue wait and nginx's;
                                                 then which of them goes with a high p99, each thread group's
                                                 share of a request, and the slowest seconds JVM by JVM

DIR holds 1/*/summary.json (the run), sched (the samples), gc.*.log (-Xlog:safepoint,gc with timemillis,pid
decorations), and optionally access.log (nginx: "$msec $request_time" a request).
The run-queue wait is the second field of /proc/PID/task/TID/schedstat: time runnable but not running.
"""
import bisect
import glob
import json
import os
import re
import statistics
import sys
import time


def tree(root):
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in open(f"/proc/{p}/task/{t}/children").read().split()]
        except OSError:
            pass
    return out


# Thread groups by the start of their name (/proc/PID/task/TID/comm, 15 characters at most).
GROUPS = (("carrier", "ForkJoinPool"), ("poller", "Read-Poller"), ("poller", "Write-Poller"), ("poller", "Master-Poller"),
          ("timer", "stampede-waits"), ("stats", "stampede-stats"), ("gc", "VM Thread"), ("gc", "GC Thread"),
          ("jit", "C1 CompilerThre"), ("jit", "C2 CompilerThre"))


def group(comm):
    return next((g for g, prefix in GROUPS if comm.startswith(prefix)), "other")


def task_stats(pid, seen):
    """{group: [CPU ns, run-queue wait ns, times run]} of PID's threads, and the CPUs they last ran on.

    The counters only grow: a thread that has ended (a carrier thread retires after 30 s idle) keeps its
    last seen values, carried in SEEN ({"live": {tid: (group, values)}, "gone": {group: values}}).
    Summing only the threads alive at each sample made a second's difference negative when one ended."""
    out, cpus, live = {}, set(), {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for t in tids:
        try:
            run, rq, slices = open(f"/proc/{pid}/task/{t}/schedstat").read().split()
            comm = open(f"/proc/{pid}/task/{t}/comm").read().strip()
            cpus.add(open(f"/proc/{pid}/task/{t}/stat").read().rsplit(")", 1)[1].split()[36])
        except (OSError, ValueError, IndexError):
            continue
        live[t] = (group(comm), (int(run), int(rq), int(slices)))
    gone = seen.setdefault("gone", {})
    for t, (g, v) in seen.get("live", {}).items():
        if t not in live:
            acc = gone.setdefault(g, [0, 0, 0])
            for i in range(3):
                acc[i] += v[i]
    seen["live"] = live
    for g, v in list(live.values()) + [(g, tuple(v)) for g, v in gone.items()]:
        a = out.setdefault(g, [0, 0, 0])
        for i in range(3):
            a[i] += v[i]
    return out, ",".join(sorted(cpus)) or "-"


def role(pid):
    try:
        cmd = open(f"/proc/{pid}/cmdline").read().split("\0")
    except OSError:
        return "gone"
    if "--worker" in cmd:
        return "worker"
    if any(c.endswith("java") for c in cmd[:1]):
        return "jvm"
    return os.path.basename(cmd[0]) if cmd and cmd[0] else "?"


def sample(root, nginx, out):
    root, nginx = int(root), int(nginx)
    seen = {}                                                    # pid -> its threads' last values (task_stats)
    with open(out, "a") as f:
        while os.path.exists(f"/proc/{root}"):
            now = int(time.time() * 1000)
            pids = [(p, role(p)) for p in tree(root)]
            pids += [(p, "nginx") for p in tree(nginx)[1:]]      # the workers, not the master
            for p, r in pids:
                s = task_stats(p, seen.setdefault(p, {})) if r in ("jvm", "worker", "nginx") else None
                if s:
                    groups, cpus = s
                    cpu, wait, slices = (sum(v[i] for v in groups.values()) for i in range(3))
                    f.write(f"{now} {p} {r} {cpu} {wait} {cpus} "
                            + " ".join(f"{g}={v[0]},{v[1]},{v[2]}" for g, v in sorted(groups.items())) + "\n")
            f.flush()
            time.sleep(1 - (time.time() % 1))                    # report gives each sample to the run's second holding its middle


def pauses(d):
    """(epoch ms at the end of the safepoint, pid, total ms stopped, time to reach it ms, its cause) from the safepoint logs."""
    out = []
    for path in glob.glob(f"{d}/gc.*.log"):
        for line in open(path, errors="replace"):
            m = re.match(r"\[(\d+)ms\]\[(\d+)\].*Safepoint \"(\w+)\".*Reaching safepoint: (\d+) ns.*Total: (\d+) ns", line)
            if m:
                out.append((int(m.group(1)), int(m.group(2)), int(m.group(5)) / 1e6, int(m.group(4)) / 1e6, m.group(3)))
    return out


BACKLOG_MS = 1000                                              # a second's p99 this long is a backlog's, not a stop's


def ranks(xs):
    """Spearman's ranks (ties share their mean rank): Python 3.11's correlation has no method="ranked"."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2
        i = j + 1
    return r


def report(d):
    s = json.load(open(glob.glob(f"{d}/1/*/summary.json")[0]))
    points = s["points"]
    full = max((p["users"] for p in points), default=0)
    first = next((i for i, p in enumerate(points) if p["users"] >= full), len(points))
    steady = [p for p in points[first:-1] if p["requests"]]
    ends = [p["endEpochMillis"] for p in points]

    def point(ms):
        """The run's second that holds epoch ms: its point's end (points are back to back, a second each)."""
        i = bisect.bisect_left(ends, ms)
        return ends[i] if i < len(ends) else None
    # samples by second: the delta of each process's counters, folded by role
    rows, cpus = {}, {}
    for line in open(f"{d}/sched"):
        t, pid, r, cpu, wait, ran_on = line.split()[:6]
        rows.setdefault((int(pid), r), []).append((int(t), int(cpu), int(wait)))
        cpus.setdefault("nginx" if r == "nginx" else "JVMs", set()).update(c for c in ran_on.split(",") if c != "-")
    print("CPUs the threads were seen on: " + "; ".join(f"{k} {','.join(sorted(v))}" for k, v in sorted(cpus.items())))
    per = {}                                                   # second end (epoch s) -> role -> [cpu ms, wait ms]
    per_pid = {}                                               # second end -> pid -> wait ms (the JVMs')
    for (pid, r), xs in rows.items():
        for (t0, c0, w0), (t1, c1, w1) in zip(xs, xs[1:]):
            sec = point(t1 - 500)                              # a sample covers the second before it
            a = per.setdefault(sec, {}).setdefault("jvm" if r == "worker" else r, [0.0, 0.0])
            a[0] += (c1 - c0) / 1e6
            a[1] += (w1 - w0) / 1e6
            if r != "nginx":
                per_pid.setdefault(sec, {})[pid] = (w1 - w0) / 1e6
    stops, stops_pid = {}, {}
    for t, pid, total, reach, _ in pauses(d):
        a = stops.setdefault(point(t), [0.0, 0.0])           # the second the pause ended in
        a[0] += total
        a[1] = max(a[1], total)
        b = stops_pid.setdefault(point(t), {})
        b[pid] = b.get(pid, 0) + total
    nginx = {}
    if os.path.exists(f"{d}/access.log") and steady:
        # only the steady seconds' requests: the ramp's, and any of another run still in nginx's buffer, apart
        lo_ms, hi_ms = steady[0]["endEpochMillis"] - 1000, steady[-1]["endEpochMillis"]
        offsets, bins = [0] * 10, {}
        for line in open(f"{d}/access.log"):
            parts = line.split()
            if len(parts) >= 2 and lo_ms < float(parts[0]) * 1000 <= hi_ms:
                msec, rt = float(parts[0]), float(parts[1])
                sec = point(msec * 1000)
                nginx[sec] = max(nginx.get(sec, 0.0), rt * 1000)   # its slowest of the second
                offsets[int((msec % 1) * 10)] += 1
                bins[int(msec * 100)] = bins.get(int(msec * 100), 0) + 1
        n = sum(offsets)
        if n:
            # requests in each 10 ms: a Poisson stream (independent wakes) has variance ÷ mean = 1; wakes that cluster, far more
            counts = [bins.get(b, 0) for b in range(int(lo_ms / 10), int(hi_ms / 10))]
            print(f"nginx saw {n / ((hi_ms - lo_ms) / 1000):.0f} req/s once all users ran; requests per 10 ms: variance ÷ mean"
                  f" {statistics.pvariance(counts) / statistics.fmean(counts):.2f} (1 for independent arrivals)")
            print("Requests by tenth of the wall-clock second (nginx's $msec; 10% each if the users' wakes do not cluster): "
                  + " ".join(f"{100 * o / n:.1f}%" for o in offsets))
    table = []
    for p in steady:
        sec = p["endEpochMillis"]
        q = per.get(sec, {})
        jvm, ngx = q.get("jvm", [0, 0]), q.get("nginx", [0, 0])
        st = stops.get(sec, [0, 0])
        slowest = nginx.get(sec, float("nan"))
        table.append((p["p99Millis"], st[0], st[1], jvm[0], jvm[1], ngx[0], ngx[1],
                      slowest, p["requests"]))
    if not table:
        print("no steady seconds")
        return
    print(f"{len(table)} seconds once all users run. Per second: p99 ms; the generator's JVMs: stopped ms (sum, longest),"
          " CPU ms, run-queue wait ms (all threads); nginx's workers: CPU ms, run-queue wait ms, slowest request ms (its own time)")
    print()
    print("| seconds | p99 ms (median) | with a stop ≥ 1 ms | stopped ms (mean / longest) | JVM CPU ms | JVM run-queue wait ms | nginx CPU ms | nginx run-queue wait ms | nginx's slowest ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")

    def med(rows, i):
        xs = [r[i] for r in rows if r[i] == r[i]]
        return statistics.median(xs) if xs else float("nan")
    lo = [r for r in table if r[0] < 10]
    hi = [r for r in table if r[0] >= 10]
    top = sorted(table, key=lambda r: -r[0])[:max(1, len(table) // 10)]
    for name, rs in ((f"p99 < 10 ms ({len(lo)})", lo), (f"p99 ≥ 10 ms ({len(hi)})", hi), (f"the slowest 10% ({len(top)})", top),
                     (f"all ({len(table)})", table)):
        if rs:
            stopped = sum(1 for r in rs if r[1] >= 1)
            print(f"| {name} | {med(rs, 0):.1f} | {100 * stopped / len(rs):.0f}% | {statistics.fmean(r[1] for r in rs):.1f} /"
                  f" {max(r[2] for r in rs):.0f} | {med(rs, 3):.0f} | {med(rs, 4):.0f} | {med(rs, 5):.0f} | {med(rs, 6):.1f} | {med(rs, 7):.1f} |")
    print()
    def corr(i, rows=table):
        xs = [(r[0], r[i]) for r in rows if r[i] == r[i]]
        if len(xs) < 3:
            return float("nan")
        try:
            return statistics.correlation(ranks([x for x, _ in xs]), ranks([y for _, y in xs]))
        except statistics.StatisticsError:
            return float("nan")
    # Where the time of a request goes, thread group by thread group, over the steady seconds: a request's
    # hand-offs (the times a thread is woken to run) and how long each waited for a CPU once runnable.
    t0, t1 = steady[0]["endEpochMillis"] - 1000, steady[-1]["endEpochMillis"]
    nreq = sum(p["requests"] for p in steady)
    first_last = {}
    for line in open(f"{d}/sched"):
        parts = line.split()
        t = int(parts[0])
        if t0 <= t <= t1:
            for g in parts[6:]:
                name, vals = g.split("=")
                key = ("jvm" if parts[2] == "worker" else parts[2], int(parts[1]), name)
                v = tuple(int(x) for x in vals.split(","))
                first_last.setdefault(key, [v, v])[1] = v
    totals = {}
    for (r, _, g), (a, b) in first_last.items():
        x = totals.setdefault((r, g), [0, 0, 0])
        for i in range(3):
            x[i] += b[i] - a[i]
    if nreq and totals:
        print()
        print(f"Per request over the steady seconds ({nreq} requests, {(t1 - t0) / 1000:.0f} s), by thread group:")
        print()
        print("| process | threads | CPU µs a request | times run a request | run-queue wait µs a request | wait µs each time run |")
        print("|---|---|---:|---:|---:|---:|")
        for (r, g), (cpu, wait, n) in sorted(totals.items(), key=lambda kv: (kv[0][0], -kv[1][0])):
            if cpu or n:
                print(f"| {r} | {g} | {cpu / 1e3 / nreq:.1f} | {n / nreq:.2f} | {wait / 1e3 / nreq:.1f} | {wait / 1e3 / n if n else 0:.0f} |")
        print()
    # the slowest seconds JVM by JVM: a stop in one of them, or all of them waiting for the core?
    roles = {pid: " (worker)" if r == "worker" else "" for pid, r in rows}
    print("The slowest seconds, JVM by JVM (pid: stopped ms / run-queue wait ms of its threads):")
    print()
    for p in sorted(steady, key=lambda p: -p["p99Millis"])[:8]:
        sec = p["endEpochMillis"]
        pids = sorted(set(per_pid.get(sec, {})) | set(stops_pid.get(sec, {})))
        print(f"- p99 {p['p99Millis']:.1f} ms: " + ", ".join(
            f"{q}{roles.get(q, '')}: {stops_pid.get(sec, {}).get(q, 0):.0f} / {per_pid.get(sec, {}).get(q, 0):.0f}" for q in pids))
    print()
    print(f"Rank correlation with the second's p99: stopped ms {corr(1):+.2f}, longest stop {corr(2):+.2f}, JVM run-queue wait"
          f" {corr(4):+.2f}, JVM CPU {corr(3):+.2f}, nginx run-queue wait {corr(6):+.2f}, requests {corr(8):+.2f}")
    # a backlog (requests pending for seconds after a stalled ramp) makes long runs of slow seconds that all
    # correlate alike; without them the correlation is of the seconds' own causes
    short = [r for r in table if r[0] < BACKLOG_MS]
    if len(short) < len(table):
        print(f"Without the {len(table) - len(short)} seconds of p99 ≥ {BACKLOG_MS / 1000:g} s ({len(short)} left): stopped ms"
              f" {corr(1, short):+.2f}, JVM run-queue wait {corr(4, short):+.2f}, nginx run-queue wait {corr(6, short):+.2f}")
    if os.environ.get("SECONDS_ALL"):
        print()
        for r in table:
            print(" ".join(f"{x:.1f}" for x in r))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"sample": sample, "report": report}[cmd](*args)
