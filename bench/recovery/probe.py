"""An independent health probe: GET /health every INTERVAL seconds on a fresh connection, one
line per probe with when it ended and how: "<epoch ms> ok" or "<epoch ms> fail". Bounded in count
and in time; traffic to 127.0.0.1 only.

    python3 probe.py PORT OUT_FILE SECONDS [INTERVAL]
"""
import http.client
import sys
import time

# A probe unanswered this long fails: Stampede's Slots.STALL_MILLIS, the same definition of a stall.
TIMEOUT_SECONDS = 1.0


def main():
    port, out, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.01
    max_probes = int(seconds / interval) + 1
    deadline = time.monotonic() + seconds
    with open(out, "w", buffering=1) as f:
        for _ in range(max_probes):
            started = time.monotonic()
            if started > deadline:
                break
            ok = False
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
                conn.request("GET", "/health")
                ok = conn.getresponse().status == 200
                conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
            f.write("%d %s\n" % (int(time.time() * 1000), "ok" if ok else "fail"))
            pause = interval - (time.monotonic() - started)
            if pause > 0:
                time.sleep(pause)


if __name__ == "__main__":
    main()
