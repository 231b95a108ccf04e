# Sourced by benchmarks: a private nginx on 127.0.0.1 pinned to CPU 1, and what the benchmarks need around it.
#   bench_need CMD:PACKAGE ...      installs (Debian) the packages whose command is missing, in one apt-get
#   nginx_free_port                 prints a free port below the ephemeral range (32768+), which a bind may meet in use
#   nginx_certificates DIR          ca.pem (+ ca.key) and server.pem/server.key signed by it, ECDSA P-256, for
#                                   localhost and 127.0.0.1, valid 2 days
#   nginx_run SERVERS PROBE...      nginx with these server { } blocks (SERVERS, text); returns once the command
#                                   PROBE... succeeds (e.g. curl -fsS URL); sets NGINX_WORK and NGINX_PID
#   nginx_start                     nginx_run with one plain server answering "hello\n"; sets NGINX_URL too
#   nginx_stop                      stops that nginx (by its PID) and deletes NGINX_WORK (the caller traps it on EXIT)
# Only 127.0.0.1 is used; only the nginx started here is stopped, by its PID.

bench_need() {
    local need=() pair
    for pair in "$@"; do
        if [[ ${pair%%:*} == /* ]]; then [ -x "${pair%%:*}" ] || need+=("${pair#*:}")
        else command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}"); fi
    done
    [ ${#need[@]} -eq 0 ] && return 0
    echo "installing: ${need[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
}

nginx_free_port() {
    local p
    for p in $(shuf -i 20000-32000 -n 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
    done
    echo "no free port" >&2; return 1
}

nginx_certificates() {
    (cd "$1" && {
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -noenc -keyout ca.key -out ca.pem \
            -subj "/CN=bench CA" -days 2
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -noenc -keyout server.key -out server.csr -subj /CN=localhost
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.pem
    } >/dev/null 2>&1)
}

nginx_run() {
    local servers=$1; shift
    bench_need nginx:nginx curl:curl
    local nofile; nofile=$(ulimit -Hn); [[ $nofile == unlimited ]] && nofile=65536
    NGINX_WORK=$(mktemp -d /tmp/stampede-nginx.XXXXXX)
    mkdir -p "$NGINX_WORK/tmp"
    cat > "$NGINX_WORK/nginx.conf" <<CONF
daemon off;
worker_processes 1;
worker_rlimit_nofile $nofile;
pid $NGINX_WORK/nginx.pid;
error_log $NGINX_WORK/error.log warn;
events { worker_connections $((nofile / 2)); }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  ssl_session_cache shared:bench:10m;
  client_body_temp_path $NGINX_WORK/tmp/body; proxy_temp_path $NGINX_WORK/tmp/proxy; fastcgi_temp_path $NGINX_WORK/tmp/fcgi;
  uwsgi_temp_path $NGINX_WORK/tmp/uwsgi; scgi_temp_path $NGINX_WORK/tmp/scgi;
$servers
}
CONF
    taskset -c 1 nginx -p "$NGINX_WORK" -c "$NGINX_WORK/nginx.conf" &
    NGINX_PID=$!
    for _ in $(seq 50); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    "$@" >/dev/null && return 0
    echo "nginx did not start" >&2; cat "$NGINX_WORK/error.log" >&2; return 1
}

nginx_start() {
    bench_need wrk:wrk
    local port; port=$(nginx_free_port) || return 1
    NGINX_URL=http://127.0.0.1:$port
    nginx_run "  server {
    listen 127.0.0.1:$port backlog=4096;
    location / { default_type text/plain; return 200 \"hello\\n\"; }
  }" curl -fsS "$NGINX_URL/"
}

nginx_stop() {
    [ -n "${NGINX_PID:-}" ] && { kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null; }
    [ -n "${NGINX_WORK:-}" ] && rm -rf "$NGINX_WORK"
    NGINX_PID=
}
