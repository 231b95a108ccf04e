#!/usr/bin/env python3
"""Bytes per second one tab's live stream costs, as the wire carries them.

    bench/webui/sse-bytes.py URL SECONDS [--gzip]

Reads URL (the UI's /api/stream) for SECONDS, asking for gzip when told to (as a browser does),
and prints, every 10 s of the run, the bytes received over the last 10 s divided by 10, and the
size of the last message. Only loopback URLs; the read is bounded by SECONDS.
"""
import socket, sys, time, urllib.parse

url, seconds = sys.argv[1], float(sys.argv[2])
gzip = '--gzip' in sys.argv
u = urllib.parse.urlparse(url)
assert u.hostname in ('127.0.0.1', 'localhost', '::1'), 'loopback only'
s = socket.create_connection((u.hostname, u.port), timeout=5)
s.sendall(('GET %s HTTP/1.1\r\nHost: %s:%d\r\nAccept: text/event-stream\r\n%s\r\n'
           % (u.path, u.hostname, u.port, 'Accept-Encoding: gzip\r\n' if gzip else '')).encode())
start = time.monotonic(); window = 0; total = 0; mark = start + 10
while time.monotonic() - start < seconds:
    try:
        chunk = s.recv(65536)
    except socket.timeout:
        continue
    if not chunk:
        break
    window += len(chunk); total += len(chunk)
    now = time.monotonic()
    if now >= mark:
        print('t=%4.0fs  %8.0f B/s over the last 10 s  (%d B so far)' % (now - start, window / (now - mark + 10), total), flush=True)
        window = 0; mark = now + 10
s.close()
