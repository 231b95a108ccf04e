"""An independent health probe: GET /health every INTERVAL seconds on a fresh connection, one
line per probe with when it ended, how, and when it started: "<end ms> ok <start ms>" or
"<end ms> fail <start ms>" (epoch milliseconds). Bounded in count and in time; traffic to
127.0.0.1 only.

Probes start on the clock, side by side, on one event loop: a probe that hangs on a server still
starting must not hold back the next ones (a sequential probe saw the first success up to 0.14 s
late that way), and threads cost too much on a busy machine (200 of them made each probe take
300-700 ms to end).

    python3 probe.py PORT OUT_FILE SECONDS [INTERVAL]
"""
import asyncio
import sys
import time

# A probe unanswered this long fails: Stampede's Slots.STALL_MILLIS, the same definition of a stall.
TIMEOUT_SECONDS = 1.0
REQUEST = b"GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"


def now_ms():
    return int(time.time() * 1000)


async def exchange(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(REQUEST)
        status = await reader.readline()
        return status.split(b" ")[1:2] == [b"200"]
    finally:
        writer.close()


async def probe(port, out):
    started = now_ms()
    try:
        ok = await asyncio.wait_for(exchange(port), TIMEOUT_SECONDS)
    except (OSError, asyncio.TimeoutError, IndexError):
        ok = False
    out.write("%d %s %d\n" % (now_ms(), "ok" if ok else "fail", started))


async def main():
    port, path, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.01
    loop = asyncio.get_running_loop()
    begun = loop.time()
    probes = []
    with open(path, "w", buffering=1) as out:
        for n in range(int(seconds / interval) + 1):
            if loop.time() > begun + seconds:
                break
            probes.append(asyncio.ensure_future(probe(port, out)))
            if len(probes) > 1000:
                probes = [p for p in probes if not p.done()]
            await asyncio.sleep(max(0.0, begun + (n + 1) * interval - loop.time()))
        await asyncio.gather(*probes)  # the last ones end within their timeout


if __name__ == "__main__":
    asyncio.run(main())
