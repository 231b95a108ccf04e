# Docker for the container tests, sourced by run-tests: install the pieces, start a dockerd when none
# answers, and stop it when the last run using it ends. Runs as root on Debian (CI).

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

# Several ./run-tests at once on one machine share one dockerd: the first that finds none starts it,
# and the last one out stops it. Each run registers its shell's PID (and start time, against PID
# reuse) under users/ of the state folder, under a flock; a run killed by -9 is pruned by the next
# one. /run is cleared at boot, so no registration outlives the processes it names.
STAMPEDE_DOCKERD_STATE_DIR="${STAMPEDE_DOCKERD_STATE_DIR:-/run/stampede-dockerd}"

# The start time of PID (field 22 of /proc/PID/stat), empty when there is no such process.
stampede_start_ticks() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
    stat="${stat##*) }"
    set -- $stat
    echo "${20}"
}

# Drops the registrations of runs that ended without releasing (kill -9, a crash).
stampede_prune_dockerd_users() {
    local file pid
    for file in "$STAMPEDE_DOCKERD_STATE_DIR"/users/*; do
        [ -f "$file" ] || continue
        pid="${file##*/}"
        if [ "$(stampede_start_ticks "$pid")" != "$(cat "$file" 2>/dev/null)" ]; then
            rm -f "$file"
        fi
    done
}

# Registers this run ($$) as a user of the engine and starts a dockerd when none answers (its PID
# goes to the state folder, the one a later release stops). Both under the state folder's lock,
# so of two runs starting at once only one starts a dockerd.
stampede_start_dockerd() {
    mkdir -p "$STAMPEDE_DOCKERD_STATE_DIR/users"
    (
        flock 9
        stampede_prune_dockerd_users
        stampede_start_ticks $$ >"$STAMPEDE_DOCKERD_STATE_DIR/users/$$"
        if docker info >/dev/null 2>&1; then
            exit 0
        fi
        local driver log pid i
        for driver in overlay2 vfs; do
            # the log stays where the caller says (run-tests: target/), not in /tmp after the run
            mkdir -p "${STAMPEDE_DOCKERD_LOG_DIR:-/tmp}"
            log="$(mktemp "${STAMPEDE_DOCKERD_LOG_DIR:-/tmp}/stampede-dockerd.XXXXXX.log")"
            # no iptables or forwarding changes on the host: the tests publish ports on 127.0.0.1 only;
            # 9>&-: the daemon must not hold the lock for as long as it lives
            dockerd --iptables=false --ip-forward=false --storage-driver="$driver" >"$log" 2>&1 9>&- &
            pid=$!
            for ((i = 0; i < STAMPEDE_DOCKERD_WAIT_SECONDS * 2; i++)); do
                if docker info >/dev/null 2>&1; then
                    echo "$pid $(stampede_start_ticks "$pid")" >"$STAMPEDE_DOCKERD_STATE_DIR/dockerd.pid"
                    echo "run-tests: started dockerd (pid $pid, storage driver $driver, log $log)" >&2
                    exit 0
                fi
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.5
            done
            kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
            echo "run-tests: dockerd with storage driver $driver did not come up; its log:" >&2
            tail -n 20 "$log" >&2
            rm -f "$log"
        done
        rm -f "$STAMPEDE_DOCKERD_STATE_DIR/users/$$"
        exit 1
    ) 9>"$STAMPEDE_DOCKERD_STATE_DIR/lock"
}

# Unregisters this run; when no other run uses the engine, stops the dockerd a run started (never
# one that was running before: a system service, or another tool's).
stampede_release_dockerd() {
    [ -d "$STAMPEDE_DOCKERD_STATE_DIR/users" ] || return 0
    (
        flock 9
        rm -f "$STAMPEDE_DOCKERD_STATE_DIR/users/$$"
        stampede_prune_dockerd_users
        if compgen -G "$STAMPEDE_DOCKERD_STATE_DIR/users/*" >/dev/null; then
            exit 0
        fi
        local pid ticks
        [ -f "$STAMPEDE_DOCKERD_STATE_DIR/dockerd.pid" ] || exit 0   # no run started the one that answers
        read -r pid ticks <"$STAMPEDE_DOCKERD_STATE_DIR/dockerd.pid" || exit 0
        rm -f "$STAMPEDE_DOCKERD_STATE_DIR/dockerd.pid"
        # the same process that was started (not a later one with its PID), and still a dockerd
        [ -n "$pid" ] && [ "$(stampede_start_ticks "$pid")" = "$ticks" ] || exit 0
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || exit 0
        kill "$pid" 2>/dev/null || exit 0
        for _ in $(seq 1 60); do
            kill -0 "$pid" 2>/dev/null || exit 0
            sleep 0.5
        done
        kill -9 "$pid" 2>/dev/null || true
    ) 9>"$STAMPEDE_DOCKERD_STATE_DIR/lock"
}
