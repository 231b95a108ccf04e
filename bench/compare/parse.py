#!/usr/bin/python3
"""Parsers and the table for bench/compare/run.sh (standard library only).

  parse.py one TOOL OUTPUT TIMEFILE USERS [ROUND LOAD]  -> one JSON line: the run's req/s, p50, p99, CPU s, peak RSS
  parse.py table RUNS.jsonl LOAD_BEFORE LOAD_AFTER FOREIGN_CPU  -> the markdown table and the goals
  parse.py scale SUMMARY.json USERS SPAWN_RATE TIMEFILE          -> one JSON line for the scale mode
  parse.py runs RUNS.jsonl                                       -> Stampede's runs one by one (GC, JIT, per second)
  parse.py spread RUNS.jsonl                                     -> each round in run order, the spread per tool, goal 2

TIMEFILE holds GNU time's "%U %S %M" (user s, sys s, max RSS KiB) of the whole process tree.
"""
import glob
import json
import re
import statistics
import sys


def read_time(path):
    # GNU time writes "Command exited with non-zero status N" first when the tool fails.
    line = [l for l in open(path).read().splitlines() if re.match(r"^[0-9.]+ [0-9.]+ [0-9]+$", l)][-1]
    user, sys_, kib = line.split()
    return float(user) + float(sys_), int(kib) / 1024.0


def wrk(text):
    def ms(s):
        if s.endswith("us"):
            return float(s[:-2]) / 1000
        if s.endswith("ms"):
            return float(s[:-2])
        if s.endswith("s"):
            return float(s[:-1]) * 1000
        return float(s)
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errs = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errs += sum(int(g) for g in m.groups())
    return dict(rps=rps, wholeRps=rps, p50=p50, p99=p99, failures=errs, requests=requests)


def hey(text):
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
    p50 = float(re.search(r"50% in ([0-9.]+) secs", text).group(1)) * 1000
    p99 = float(re.search(r"99% in ([0-9.]+) secs", text).group(1)) * 1000
    ok = sum(int(n) for n in re.findall(r"\[200\]\s+(\d+) responses", text))
    total = sum(int(n) for n in re.findall(r"\[\d+\]\s+(\d+) responses", text))
    errs = sum(int(n) for n in re.findall(r"\[(\d+)\]\s+", text.split("Error distribution:")[1])) if "Error distribution:" in text else 0
    return dict(rps=rps, wholeRps=rps, p50=p50, p99=p99, failures=total - ok + errs, requests=total)


def locust(text):
    line = [l for l in text.splitlines() if l.startswith("COMPARE_JSON ")][-1]
    j = json.loads(line[len("COMPARE_JSON "):])
    return dict(rps=j["requestsPerSecond"], wholeRps=j["requestsPerSecond"], p50=float(j["p50Millis"]),
                p99=float(j["p99Millis"]), failures=j["failures"], requests=j["requests"])


def gatling(text):
    """The console summary of `--reports-only` (Global Information); req/s is its mean throughput."""
    def row(name):
        return re.search(r"^> " + re.escape(name) + r"\s+\|\s+([0-9,.]+)\s+\|\s+\S+\s+\|\s+(\S+)", text, re.M)
    count = row("request count")
    requests, ko = int(count.group(1).replace(",", "")), count.group(2)
    rps = float(row("mean throughput (rps)").group(1).replace(",", ""))
    p50 = float(row("response time 50th percentile (ms)").group(1).replace(",", ""))
    p99 = float(row("response time 99th percentile (ms)").group(1).replace(",", ""))
    return dict(rps=rps, wholeRps=rps, p50=p50, p99=p99, failures=0 if ko == "-" else int(ko.replace(",", "")),
                requests=requests)


def steady(points, users, skip):
    """Whole seconds once all users run: from `skip` points after the first point with every user
    started (the ramp, and on one core the JIT's warm-up), without the last, partial point."""
    first = next((i for i, p in enumerate(points) if p["users"] >= users), len(points))
    pts = points[first + skip:-1]
    secs = sum(p["seconds"] for p in pts)
    return pts, secs


def cpu_at(series, epoch_ms):
    """The process tree's CPU seconds at a moment, interpolated between the samples around it."""
    before = [s for s in series if s[0] <= epoch_ms]
    after = [s for s in series if s[0] >= epoch_ms]
    if not before or not after:
        return None
    (t0, c0), (t1, c1) = before[-1], after[0]
    return c0 if t1 == t0 else c0 + (c1 - c0) * (epoch_ms - t0) / (t1 - t0)


def stampede(results_dir, users):
    s = json.load(open(glob.glob(results_dir + "/*/summary.json")[0]))
    t = s["totals"]
    pts, secs = steady(s["points"], users, 2)
    req = sum(p["requests"] for p in pts)
    rps = req / secs if secs else float("nan")
    r = dict(rps=rps, wholeRps=t["requestsPerSecond"], p50=t["medianMillis"], p99=t["p99Millis"],
             failures=t["failures"], steadySeconds=round(secs, 1), requests=t["requests"])
    cpu_file = results_dir[:-len(".results")] + ".cpu" if results_dir.endswith(".results") else None
    if cpu_file and pts and glob.glob(cpu_file):
        series = [(int(a), float(b)) for a, b in (l.split() for l in open(cpu_file) if len(l.split()) == 2)]
        start_ms = pts[0]["endEpochMillis"] - pts[0]["seconds"] * 1000
        c0, c1 = cpu_at(series, start_ms), cpu_at(series, pts[-1]["endEpochMillis"])
        first = next((p for p in s["points"] if p["users"] >= users), None)
        up = cpu_at(series, first["endEpochMillis"] - first["seconds"] * 1000) if first else None
        if c0 is not None and c1 is not None and req:
            r["steadyCpuMicros"] = (c1 - c0) / req * 1e6
        if up is not None:
            r["startupCpu"] = up
    first = next((i for i, p in enumerate(s["points"]) if p["users"] >= users), None)
    early = [p["requests"] / p["seconds"] for p in s["points"][first:first + 5] if p["seconds"] > 0] if first is not None else []
    if len(early) > 1:   # the first 5 s with every user started, warm-up included: what an AOT cache may steady
        r["earlyRps"], r["earlyCv"] = statistics.mean(early), statistics.pstdev(early) / statistics.mean(early)
    if pts:
        per_second = [p["requests"] / p["seconds"] for p in pts if p["seconds"] > 0]
        r["secondMin"], r["secondMax"] = min(per_second), max(per_second)
        r["secondCv"] = statistics.pstdev(per_second) / statistics.mean(per_second)
        base = results_dir[:-len(".results")]
        if glob.glob(base + ".start"):
            start = int(open(base + ".start").read())
            lo = pts[0]["endEpochMillis"] - pts[0]["seconds"] * 1000 - start
            hi = pts[-1]["endEpochMillis"] - start
            r.update(jvm_logs(base, lo, hi))
    return r


def jvm_logs(base, lo, hi):
    """GC pauses and JIT compilations from -Xlog files (uptime ms) within [lo, hi], the steady seconds."""
    def lines(path):
        try:
            for line in open(path):
                m = re.match(r"^\[(\d+)ms\]\s*(.*)$", line)
                if m:
                    yield int(m.group(1)), m.group(2)
        except FileNotFoundError:
            return
    gcs = [(t, float(m.group(1))) for t, rest in lines(base + ".gc")
           for m in [re.search(r"Pause .* ([0-9.]+)ms$", rest)] if m]
    steady_gcs = [ms for t, ms in gcs if lo <= t <= hi]
    jit = [(t, rest.split()) for t, rest in lines(base + ".jit")]
    # the tier is the first field after the id and its flags that is a digit: 1-3 C1, 4 C2
    def tier(fields):
        return next((int(f) for f in fields[1:4] if f.isdigit()), 0)
    c2 = [t for t, f in jit if tier(f) == 4]
    return dict(gcPauses=len(steady_gcs), gcPauseMillis=sum(steady_gcs),
                compiles=sum(1 for t, _ in jit if lo <= t <= hi), c2Compiles=sum(1 for t in c2 if lo <= t <= hi),
                lastC2Seconds=(max(c2) / 1000 if c2 else None), steadyFromSeconds=lo / 1000)


def runs(runs_file):
    """One line per Stampede run: what happened inside it, to tell a slow run's cause."""
    rs = [json.loads(l) for l in open(runs_file) if l.strip()]
    rs = [r for r in rs if r["tool"].startswith("stampede") and "secondCv" in r]
    if not rs:
        return
    print()
    print("Stampede's runs, steady seconds only: per-second req/s, GC pauses (-Xlog:gc), JIT compilations (-Xlog:jit+compilation):")
    print()
    print("| run | req/s | per-second min–max | per-second CV | steady CPU µs/req | GC pauses | GC pause ms | compilations | of them C2 | last C2 compile at s | steady from s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for i, r in enumerate(rs, 1):
        last = "%.1f" % r["lastC2Seconds"] if r.get("lastC2Seconds") is not None else "–"
        print("| %s %d | %.0f | %.0f–%.0f | %.3f | %s | %s | %s | %s | %s | %s | %s |" % (
            r["tool"], i, r["rps"], r["secondMin"], r["secondMax"], r["secondCv"],
            "%.1f" % r["steadyCpuMicros"] if "steadyCpuMicros" in r else "–",
            r.get("gcPauses", "–"), "%.1f" % r["gcPauseMillis"] if "gcPauseMillis" in r else "–",
            r.get("compiles", "–"), r.get("c2Compiles", "–"), last,
            "%.1f" % r["steadyFromSeconds"] if "steadyFromSeconds" in r else "–"))


def one(tool, output, timefile, users, rnd=None, load=None):
    cpu, rss = read_time(timefile)
    if tool == "wrk":
        r = wrk(open(output).read())
    elif tool == "hey":
        r = hey(open(output).read())
    elif tool.startswith("locust"):
        r = locust(open(output).read())
    elif tool in ("stampede", "stampede-before"):
        r = stampede(output, int(users))
    elif tool == "gatling":
        r = gatling(open(output).read())
    else:
        raise SystemExit("unknown tool " + tool)
    r.update(tool=tool, cpu=cpu, rssMiB=rss)
    if rnd is not None:
        r.update(round=int(rnd), load=float(load))
    print(json.dumps(r))


ORDER = ["wrk", "hey", "stampede", "stampede-before", "gatling", "locust-fasthttp", "locust-http"]
LABEL = {"wrk": "wrk", "hey": "hey", "stampede": "Stampede", "stampede-before": "Stampede before",
         "gatling": "Gatling 3.13.5 (2 processors, see below)", "locust-fasthttp": "Locust FastHttpUser",
         "locust-http": "Locust HttpUser"}


def table(runs_file, load_before, load_after, foreign):
    runs = [json.loads(l) for l in open(runs_file) if l.strip()]
    by = {}
    for r in runs:
        by.setdefault(r["tool"], []).append(r)
    med = {}
    for tool, rs in by.items():
        rs = sorted(rs, key=lambda r: r["rps"])
        m = rs[(len(rs) - 1) // 2]       # the median run (lower median for an even count)
        med[tool] = dict(m, min=rs[0]["rps"], max=rs[-1]["rps"], reps=len(rs))
    st = med.get("stampede")
    print("| tool | req/s (median) | min–max req/s | spread | whole-run req/s | p50 ms | p99 ms | CPU s | CPU µs/req |"
          " steady CPU µs/req (min–max) | start-up CPU s | peak RSS MiB | failures | Stampede ÷ tool |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for tool in ORDER:
        if tool not in med:
            continue
        m = med[tool]
        ratio = "%.2f×" % (st["rps"] / m["rps"]) if st and m["rps"] else "–"
        per_req = "%.1f" % (m["cpu"] / m["requests"] * 1e6) if m.get("requests") else "–"
        steadies = sorted(r["steadyCpuMicros"] for r in by[tool] if "steadyCpuMicros" in r)
        steady_cpu = "%.1f (%.1f–%.1f)" % (statistics.median(steadies), steadies[0], steadies[-1]) if steadies else "–"
        startup = "%.2f" % m["startupCpu"] if "startupCpu" in m else "–"
        print("| %s | %.0f | %.0f–%.0f | %.2f | %.0f | %.3f | %.3f | %.2f | %s | %s | %s | %.0f | %d | %s |" % (
            LABEL[tool], m["rps"], m["min"], m["max"], m["max"] / m["min"] if m["min"] else float("nan"), m["wholeRps"],
            m["p50"], m["p99"], m["cpu"], per_req, steady_cpu, startup, m["rssMiB"], m["failures"], ratio))
    print()
    print("Load average (1, 5, 15 min) before: %s; after: %s. CPU used by other processes during the table: %s s."
          % (load_before, load_after, foreign))
    if st:
        print()
        print("Goals (req/s, median runs):")
        for tool, goal in (("wrk", 0.8), ("locust-fasthttp", 5), ("locust-http", 20)):
            if tool in med:
                ratio = st["rps"] / med[tool]["rps"]
                print("- Stampede ≥ %g× %s: %.2f× — %s" % (goal, LABEL[tool], ratio, "holds" if ratio >= goal else "does NOT hold"))


def spread(runs_file):
    """Run-to-run spread over the rounds: req/s and CPU µs per request of every run, in run order, then per
    tool the median, min, max and max/min of each; goal 2: Stampede's req/s max/min no more than wrk's."""
    rs = [json.loads(l) for l in open(runs_file) if l.strip()]
    rs = [r for r in rs if "round" in r]
    tools = [t for t in ORDER if any(r["tool"] == t for r in rs)]
    if not rs:
        return

    def per_req(r):   # whole run, start-up included: what GNU time saw over what the tool counted
        return r["cpu"] / r["requests"] * 1e6 if r.get("requests") else None

    def cell(r):
        steady = " (steady %.1f)" % r["steadyCpuMicros"] if "steadyCpuMicros" in r else ""
        us = per_req(r)
        return "%.0f / %s%s @ %.1f" % (r["rps"], "%.1f" % us if us is not None else "–", steady, r["load"])
    print()
    print("Spread over the %d rounds, in run order (each round runs %s one after the other): req/s / CPU µs per request"
          % (max(r["round"] for r in rs), ", ".join(LABEL[t] for t in tools)) + " of the whole run (steady: Stampede's"
          " steady seconds) @ load average (1 min) at the run's start; req/s as in the table (Stampede's: its steady seconds):")
    print()
    print("| round | " + " | ".join(LABEL[t] for t in tools) + " |")
    print("|---:|" + "---:|" * len(tools))
    for n in sorted({r["round"] for r in rs}):
        by = {r["tool"]: r for r in rs if r["round"] == n}
        print("| %d | %s |" % (n, " | ".join(cell(by[t]) if t in by else "–" for t in tools)))

    def stats(xs):
        xs = sorted(x for x in xs if x is not None)
        if not xs:
            return None
        return statistics.median(xs), xs[0], xs[-1], xs[-1] / xs[0] if xs[0] else float("nan")

    def cols(st, fmt):
        return " | ".join([fmt % st[0], fmt % st[1], fmt % st[2], "**%.2f**" % st[3]]) if st else "– | – | – | –"
    print()
    print("| tool | runs | req/s median | min | max | max/min | CPU µs/req median | min | max | max/min |"
          " steady CPU µs/req median | min | max | max/min |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    spreads = {}
    for t in tools:
        mine = [r for r in rs if r["tool"] == t]
        rps = stats(r["rps"] for r in mine)
        spreads[t] = rps[3]
        print("| %s | %d | %s | %s | %s |" % (LABEL[t], len(mine), cols(rps, "%.0f"), cols(stats(per_req(r) for r in mine), "%.1f"),
                                             cols(stats(r.get("steadyCpuMicros") for r in mine), "%.1f")))
    if "wrk" in spreads and "stampede" in spreads:
        st, wrk = spreads["stampede"], spreads["wrk"]
        loads = [r["load"] for r in rs]
        print()
        print("Goal 2, run-to-run spread of req/s (max/min over the same %d alternating rounds): Stampede %.2f against wrk %.2f"
              " — %s (load average %.1f–%.1f during the rounds)" % (len([r for r in rs if r["tool"] == "stampede"]), st, wrk,
                                                                  "holds" if st <= wrk else "does NOT hold", min(loads), max(loads)))


def scale(summary_glob, users, rate, timefile):
    files = glob.glob(summary_glob)
    s = json.load(open(files[0]))
    users, rate = int(users), float(rate)
    peak_users = max((p["users"] for p in s["points"]), default=0)
    pts, secs = steady(s["points"], min(users, peak_users), 0)
    req = sum(p["requests"] for p in pts)
    fail = sum(p["failures"] for p in pts)
    last = pts[-60:]                     # the last 60 whole seconds: past any stall after the ramp
    last_secs = sum(p["seconds"] for p in last)
    last_ok = sum(p["requests"] - p["failures"] for p in last)
    cpu, rss = read_time(timefile)
    failures = sorted(s.get("failures", []), key=lambda f: -f.get("occurrences", f.get("count", 0)))[:5]
    print(json.dumps(dict(users=users, peakUsers=peak_users, steadySeconds=round(secs, 1),
                          rps=req / secs if secs else 0, last60OkRps=last_ok / last_secs if last_secs else 0,
                          failuresPerSecond=fail / secs if secs else 0,
                          totalRequests=s["totals"]["requests"], totalFailures=s["totals"]["failures"],
                          p50=s["totals"]["medianMillis"], p99=s["totals"]["p99Millis"],
                          cpu=cpu, rssMiB=rss, status=s.get("status"), failures=failures)))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"one": one, "table": table, "scale": scale, "runs": runs, "spread": spread}[cmd](*args)
