"""Compares Stampede's time to detect and recover with an independent probe's, kill by kill.

    python3 truth.py RESULTS_FOLDER PROBE_FILE STRETCH_MS

Truth, per kill (its FAULT_INJECTED time k, from events.jsonl):
  TTD = the first failing probe after k, minus k
  TTR = the end of the first successful probe after that failure from which every probe started in
        the next STRETCH_MS succeeds, minus k (a kill is instant: its end is its injection). Probes
        run side by side, so a probe started while the service was down may fail (time out) after
        the service answers again: that failure is about the moment it started, not when it ended.
Prints a Markdown table and min / median / max of |Stampede - truth|.
"""
import json
import statistics
import sys


def main():
    folder, probe_file, stretch = sys.argv[1], sys.argv[2], int(sys.argv[3])
    probes = []
    with open(probe_file) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                end = int(parts[0])
                probes.append((end, parts[1] == "ok", int(parts[2]) if len(parts) > 2 else end))
    probes.sort()  # probes run side by side and end out of order
    events = [json.loads(line) for line in open(folder + "/events.jsonl")]
    kills = [e for e in events if e["kind"] == "FAULT_INJECTED"]
    faults = {f["injection"]: f for f in json.load(open(folder + "/summary.json"))["verdict"]["faults"]}

    rows, ttd_diffs, ttr_diffs = [], [], []
    for kill in kills:
        k = kill["epochMillis"]
        first_fail = next((t for t, ok, _ in probes if t >= k and not ok), None)
        truth_ttd = truth_ttr = None
        if first_fail is not None:
            truth_ttd = (first_fail - k) / 1000
            for t, ok, _ in probes:
                if t <= first_fail or not ok:
                    continue
                after = [good for _, good, begun in probes if t <= begun <= t + stretch]
                if after and all(after):
                    truth_ttr = (t - k) / 1000
                    break
        f = faults.get(kill["injection"], {})
        ttd, ttr = f.get("timeToDetectSeconds"), f.get("timeToRecoverSeconds")
        d_ttd = None if ttd is None or truth_ttd is None else ttd - truth_ttd
        d_ttr = None if ttr is None or truth_ttr is None else ttr - truth_ttr
        if d_ttd is not None:
            ttd_diffs.append(abs(d_ttd))
        if d_ttr is not None:
            ttr_diffs.append(abs(d_ttr))
        rows.append((kill["injection"], truth_ttd, ttd, d_ttd, truth_ttr, ttr, d_ttr))

    def s(v, signed=False):
        return "–" if v is None else ("%+.3f" if signed else "%.3f") % v

    print("| kill | truth TTD s | Stampede TTD s | diff s | truth TTR s | Stampede TTR s | diff s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| %s | %s | %s | %s | %s | %s | %s |" % (r[0], s(r[1]), s(r[2]), s(r[3], True), s(r[4]), s(r[5]), s(r[6], True)))
    print()
    for name, diffs in (("TTD", ttd_diffs), ("TTR", ttr_diffs)):
        if diffs:
            print("|%s diff| min / median / max: %.3f / %.3f / %.3f s over %d kills; within 0.1 s: %d of %d"
                  % (name, min(diffs), statistics.median(diffs), max(diffs), len(diffs),
                     sum(1 for d in diffs if d <= 0.1), len(diffs)))
        else:
            print("|%s diff|: no kill with both values" % name)
    compared = min(len(ttd_diffs), len(ttr_diffs))
    if compared < len(kills):
        print("compared %d of %d kills (a kill without a failing probe or a Stampede value is left out)"
              % (compared, len(kills)))


if __name__ == "__main__":
    main()
