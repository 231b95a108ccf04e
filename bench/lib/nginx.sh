# Sourced by benchmarks: starts a private nginx on 127.0.0.1 pinned to CPU 1 that answers "hello\n".
# Sets NGINX_URL and NGINX_PID; stop it with nginx_stop (also trapped on EXIT by the caller).
# Only 127.0.0.1 is used; only the nginx started here is stopped, by its PID.

nginx_start() {
    command -v nginx >/dev/null && command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq nginx wrk >/dev/null; }
    local nofile; nofile=$(ulimit -Hn); [[ $nofile == unlimited ]] && nofile=65536
    NGINX_WORK=$(mktemp -d /tmp/stampede-nginx.XXXXXX)
    mkdir -p "$NGINX_WORK/tmp"
    local port=
    for p in $(shuf -i 20000-32000 -n 100); do # below the ephemeral ports (32768+), which a bind may meet in use
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { port=$p; break; }
    done
    [ -n "$port" ] || { echo "no free port" >&2; return 1; }
    NGINX_URL=http://127.0.0.1:$port
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
  client_body_temp_path $NGINX_WORK/tmp/body; proxy_temp_path $NGINX_WORK/tmp/proxy; fastcgi_temp_path $NGINX_WORK/tmp/fcgi;
  uwsgi_temp_path $NGINX_WORK/tmp/uwsgi; scgi_temp_path $NGINX_WORK/tmp/scgi;
  server {
    listen 127.0.0.1:$port backlog=4096;
    location / { default_type text/plain; return 200 "hello\n"; }
  }
}
CONF
    taskset -c 1 nginx -p "$NGINX_WORK" -c "$NGINX_WORK/nginx.conf" &
    NGINX_PID=$!
    for _ in $(seq 50); do curl -fsS "$NGINX_URL/" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "nginx did not start" >&2; cat "$NGINX_WORK/error.log" >&2; return 1
}

nginx_stop() {
    [ -n "${NGINX_PID:-}" ] && { kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null; }
    [ -n "${NGINX_WORK:-}" ] && rm -rf "$NGINX_WORK"
    NGINX_PID=
}
