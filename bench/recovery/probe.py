"""An independent health probe: GET /health every INTERVAL seconds on a fresh connection, one
line per probe with when it ended, how, and when it started: "<end ms> ok <start ms>" or
"<end ms> fail <start ms>" (epoch milliseconds). Bounded in count
and in time; traffic to 127.0.0.1 only.

Probes start on the clock, each on its own thread (at most MAX_IN_FLIGHT at once): a probe that
hangs on a server still starting must not hold back the next ones, or the first success would
be seen only when the hung probe ends (a sequential probe was up to 0.1 s late that way).

    python3 probe.py PORT OUT_FILE SECONDS [INTERVAL]
"""
import http.client
import sys
import threading
import time

# A probe unanswered this long fails: Stampede's Slots.STALL_MILLIS, the same definition of a stall.
TIMEOUT_SECONDS = 1.0
# A probe per 10 ms that may each wait TIMEOUT_SECONDS: room for all of them.
MAX_IN_FLIGHT = 200


def probe(port, f, lock, slots):
    started = int(time.time() * 1000)
    ok = False
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
        conn.request("GET", "/health")
        ok = conn.getresponse().status == 200
        conn.close()
    except (OSError, http.client.HTTPException):
        ok = False
    ended = int(time.time() * 1000)
    with lock:
        f.write("%d %s %d\n" % (ended, "ok" if ok else "fail", started))
    slots.release()


def main():
    port, out, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.01
    max_probes = int(seconds / interval) + 1
    begun = time.monotonic()
    deadline = begun + seconds
    lock = threading.Lock()
    slots = threading.BoundedSemaphore(MAX_IN_FLIGHT)
    with open(out, "w", buffering=1) as f:
        for n in range(max_probes):
            if time.monotonic() > deadline:
                break
            slots.acquire()
            threading.Thread(target=probe, args=(port, f, lock, slots), daemon=True).start()
            pause = begun + (n + 1) * interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        for _ in range(MAX_IN_FLIGHT):  # the last probes end (each within its timeout)
            slots.acquire()


if __name__ == "__main__":
    main()
