#!/usr/bin/python3
"""The JIT's warm-up in one run of bench/startup/jit.sh, from what the machine's load moves least
(standard library only).

  jit.py sample PID OUT          every 50 ms until PID exits, one line per sample: epoch ms, then the CPU ns of
                                 the whole process, the users' carrier threads, C2's threads and C1's threads
                                 (/proc/PID/task/*/schedstat)
  jit.py run NAME DIR SKIP_S     one JSON line for a finished run (DIR holds jit.log, deopt.log, cpu, results/)
  jit.py late DIR SKIP_S         the C2 compilations after the first SKIP_S s of load, grouped, each with
                                 its CPU, and every deoptimization during the load with its reason
  jit.py summary RUNS.jsonl      per variant, the median of each figure over its runs

A run's load starts at its first answered request (slots.csv) and ends at its last; compilations and
deoptimizations "during the load" leave out its last STOP_MS (the stop interrupts every user's read,
and each such read deoptimizes once). "Late" is after the first SKIP_S s of load. The last C2 compilation is given in three clocks: seconds of load, the process's
CPU seconds since it started, and requests answered by then; the latter two move little with the load.
"""
import bisect
import glob
import json
import os
import re
import statistics
import sys
import time

COMPILE = re.compile(r"^\[(\d+)ms\]\[(\d+)ms\]\s+(\d+)\s+([%sbn!]*)\s*(\d)\s+(\S+)")
STOP_MS = 500
DEOPT = re.compile(r"^\[(\d+)ms\]\[(\d+)ms\] cid=\s*(\d+)\s+(?:level=(\d)\s+)?(\S+) trap_bci=(\d+) (\S+) (\S+)")


def sample(pid, out):
    with open(out, "w") as f:
        while os.path.exists(f"/proc/{pid}/stat"):
            whole = carriers = c2 = c1 = 0
            try:
                tids = os.listdir(f"/proc/{pid}/task")
            except OSError:
                break
            for tid in tids:
                try:
                    ns = int(open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[0])
                    comm = open(f"/proc/{pid}/task/{tid}/comm").read()
                except (OSError, ValueError, IndexError):
                    continue   # a thread that ended between the listing and the read
                whole += ns
                if comm.startswith("ForkJoinPool-"):
                    carriers += ns
                elif comm.startswith("C2 CompilerThre"):
                    c2 += ns
                elif comm.startswith("C1 CompilerThre"):
                    c1 += ns
            # The process's zombie reads as no threads: keep only samples with some.
            if whole:
                f.write(f"{int(time.time() * 1000)} {whole} {carriers} {c2} {c1}\n")
                f.flush()
            time.sleep(0.05)


def owner(method):
    """The group a compiled method belongs to, by its class."""
    for prefix, name in (("io.stampede.", "ours"), ("org.eclipse.jetty.", "jetty"), ("org.HdrHistogram.", "hdrhistogram"),
                         ("com.fasterxml.", "jackson"), ("org.snakeyaml.", "yaml"), ("org.yaml.", "yaml"),
                         ("java.", "jdk"), ("jdk.", "jdk"), ("sun.", "jdk")):
        if method.startswith(prefix):
            return name
    return "other"


class Run:
    def __init__(self, d):
        self.d = d
        self.cpu = [tuple(int(x) for x in l.split()) for l in open(f"{d}/cpu") if len(l.split()) == 5]
        self.times = [c[0] for c in self.cpu]
        slots = glob.glob(f"{d}/results/*/slots.csv")
        self.slots = []   # (epoch ms at the slot's end, requests answered by then)
        total = 0
        if slots:
            for line in open(slots[0]).read().splitlines()[1:]:
                start, ok, failed = (int(x) for x in line.split(",")[:3])
                if ok or failed:
                    total += ok + failed
                    self.slots.append((start + 10, total))
        self.load_start = self.slots[0][0] - 10 if self.slots else None
        self.load_end = self.slots[-1][0] if self.slots else None
        self.compiles = []   # (epoch ms, id, flags, level, method)
        for line in open(f"{d}/jit.log"):
            m = COMPILE.match(line)
            if m and "made not entrant" not in line:
                self.compiles.append((int(m.group(1)), int(m.group(3)), m.group(4), int(m.group(5)), m.group(6)))
        self.deopts = []   # (epoch ms, level, method, reason, action)
        for line in open(f"{d}/deopt.log"):
            m = DEOPT.match(line)
            if m:
                self.deopts.append((int(m.group(1)), m.group(4), m.group(5), m.group(7), m.group(8)))

    def at(self, ms, column):
        """CPU ns of a column (1 whole, 2 carriers, 3 C2, 4 C1) at epoch ms, interpolated."""
        i = bisect.bisect_left(self.times, ms)
        if i <= 0:
            return self.cpu[0][column] if self.cpu and self.times[0] - ms < 100 else 0
        if i >= len(self.cpu):
            return self.cpu[-1][column]
        (t0, *a), (t1, *b) = self.cpu[i - 1], self.cpu[i]
        return a[column - 1] + (b[column - 1] - a[column - 1]) * (ms - t0) / max(1, t1 - t0)

    def requests(self, ms):
        i = bisect.bisect_right([s[0] for s in self.slots], ms)
        return self.slots[i - 1][1] if i else 0

    def window(self, from_s, to_s):
        """CPU µs per request, whole process and carriers, between two seconds of load (the second one cut
        at the stop)."""
        a, b = self.load_start + from_s * 1000, min(self.load_start + to_s * 1000, self.load_end - STOP_MS)
        if b - a < 2000:
            return None, None
        n = self.requests(b) - self.requests(a)
        if n <= 0:
            return None, None
        return tuple(round((self.at(b, c) - self.at(a, c)) / n / 1000, 2) for c in (1, 2))

    def during_load(self, rows):
        return [r for r in rows if self.load_start <= r[0] <= self.load_end - STOP_MS]


def run(name, d, skip):
    r = Run(d)
    c2 = r.during_load([c for c in r.compiles if c[3] == 4])
    late = [c for c in c2 if c[0] > r.load_start + skip * 1000]
    last = max((c[0] for c in c2), default=r.load_start)
    deopts = r.during_load(r.deopts)
    early, steady = r.window(1, 5), r.window(9, 15)
    gb = 1e9
    print(json.dumps(dict(
        variant=name,
        requests=r.requests(r.load_end), loadS=round((r.load_end - r.load_start) / 1000, 1),
        c1=sum(1 for c in r.compiles if c[3] in (1, 2, 3)), c2=sum(1 for c in r.compiles if c[3] == 4),
        c2Load=len(c2), c2Late=len(late), osr=sum(1 for c in r.compiles if "%" in c[2]),
        deoptLoad=len(deopts), deoptLateLoad=sum(1 for x in deopts if x[0] > r.load_start + skip * 1000),
        c2CpuS=round(r.at(r.load_end, 3) / gb, 2), c1CpuS=round(r.at(r.load_end, 4) / gb, 2),
        c2CpuLateS=round((r.at(r.load_end, 3) - r.at(r.load_start + skip * 1000, 3)) / gb, 2),
        processCpuS=round(r.at(r.load_end, 1) / gb, 2),
        lastC2LoadS=round((last - r.load_start) / 1000, 1), lastC2ProcessCpuS=round(r.at(last, 1) / gb, 2),
        lastC2CarrierCpuS=round(r.at(last, 2) / gb, 2), lastC2Requests=r.requests(last),
        earlyUs=early[0], earlyCarrierUs=early[1], steadyUs=steady[0], steadyCarrierUs=steady[1])))


def late(d, skip):
    """The C2 compilations after SKIP_S s of load by group, each with its CPU: a line of the log is
    written when a compilation starts, and on one core the JVM has one C2 thread, so a compilation's
    CPU is that thread's until the next one starts (an idle gap counts in, so it is an upper bound)."""
    r = Run(d)
    every = [c for c in r.compiles if c[3] == 4]
    cost = {id(a): r.at(b[0], 3) - r.at(a[0], 3) for a, b in zip(every, every[1:])}
    c2 = [c for c in r.during_load(every) if c[0] > r.load_start + skip * 1000]
    groups = {}
    for c in c2:
        groups.setdefault(owner(c[4]), []).append(c)
    print(f"{len(c2)} C2 compilations after {skip} s of load ({r.requests(r.load_start + skip * 1000)} requests), "
          f"{sum(cost.get(id(c), 0) for c in c2) / 1e9:.2f} CPU s:")
    for g, cs in sorted(groups.items(), key=lambda kv: -sum(cost.get(id(c), 0) for c in kv[1])):
        print(f"  {g}: {len(cs)}, {sum(cost.get(id(c), 0) for c in cs) / 1e9:.2f} CPU s")
        for c in cs:
            print(f"    {(c[0] - r.load_start) / 1000:6.2f} s {cost.get(id(c), 0) / 1e6:7.1f} ms  {c[2]:2} {c[4]}")
    deopts = r.during_load(r.deopts)
    print(f"{len(deopts)} deoptimizations during the load:")
    for x in deopts:
        print(f"    {(x[0] - r.load_start) / 1000:6.2f} s  level {x[1] or '?'}  {x[3]:<16} {x[4]:<16} {x[2]}")


def summary(path):
    rows = [json.loads(l) for l in open(path)]
    keys = [k for k in rows[0] if k != "variant"]
    for v in dict.fromkeys(r["variant"] for r in rows):
        xs = [r for r in rows if r["variant"] == v]
        print(f"{v}: median of {len(xs)} runs")
        for k in keys:
            vals = [r[k] for r in xs if r.get(k) is not None]
            if vals:
                print(f"  {k:<20} {statistics.median(vals):>12}   ({' '.join(str(x) for x in vals)})")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "sample":
        sample(sys.argv[2], sys.argv[3])
    elif cmd == "run":
        run(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    elif cmd == "late":
        late(sys.argv[2], float(sys.argv[3]))
    elif cmd == "summary":
        summary(sys.argv[2])
    else:
        sys.exit(__doc__)
