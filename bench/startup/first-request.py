"""A loopback HTTP server that writes the wall-clock time of a request to TIMEFILE whenever that file
is absent: delete it before each run to get the time of that run's first request.
Usage: first-request.py PORTFILE TIMEFILE. Answers every request with 200 "OK" (keep-alive) until killed."""
import os, socket, sys, threading, time

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(512)
open(sys.argv[1], "w").write(str(server.getsockname()[1]))
first = threading.Lock()

def serve(conn):
    with conn:
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            with first:
                if not os.path.exists(sys.argv[2]):
                    with open(sys.argv[2] + ".tmp", "w") as f:
                        f.write("%.6f" % time.time())
                    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")
            except OSError:
                return

while True:
    conn, _ = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
