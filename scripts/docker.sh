# Docker for the container tests, sourced by run-tests: install the pieces, start a dockerd when none
# answers (printing its PID), stop exactly that one. Runs as root on Debian (CI).

STAMPEDE_DOCKERD_WAIT_SECONDS=60

stampede_install_docker_tools() {
    local missing=()
    command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
    { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; } || missing+=(busybox-static)
    { command -v tc && command -v ip; } >/dev/null 2>&1 || missing+=(iproute2)   # ip netns: ClusterNamespacesEndToEndTest
    command -v iptables >/dev/null 2>&1 || missing+=(iptables)
    command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
    command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)   # DeployFilesTest checks deploy/compose.yaml with it
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "run-tests: installing ${missing[*]} for the container tests" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# Prints the PID of the dockerd it started, or nothing when one already answers.
stampede_start_dockerd() {
    if docker info >/dev/null 2>&1; then
        return 0
    fi
    local driver log pid i
    for driver in overlay2 vfs; do
        # the log stays where the caller says (run-tests: target/), not in /tmp after the run
        mkdir -p "${STAMPEDE_DOCKERD_LOG_DIR:-/tmp}"
        log="$(mktemp "${STAMPEDE_DOCKERD_LOG_DIR:-/tmp}/stampede-dockerd.XXXXXX.log")"
        # no iptables or forwarding changes on the host: the tests publish ports on 127.0.0.1 only
        dockerd --iptables=false --ip-forward=false --storage-driver="$driver" >"$log" 2>&1 &
        pid=$!
        for ((i = 0; i < STAMPEDE_DOCKERD_WAIT_SECONDS * 2; i++)); do
            if docker info >/dev/null 2>&1; then
                echo "run-tests: started dockerd (pid $pid, storage driver $driver, log $log)" >&2
                echo "$pid"
                return 0
            fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
        echo "run-tests: dockerd with storage driver $driver did not come up; its log:" >&2
        tail -n 20 "$log" >&2
        rm -f "$log"
    done
    return 1
}

stampede_stop_dockerd() {
    local pid="$1"
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
}
