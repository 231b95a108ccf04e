# Sourced by ./stampede and ./run-tests: finds a JDK 21+ and exports JAVA_HOME.
# Order: $JAVA_HOME, the `java` on PATH, then every JDK under /usr/lib/jvm (newest first;
# STAMPEDE_JVM_DIR names another folder, for tests).

STAMPEDE_MIN_JAVA=21

# Prints the feature version (17, 21, 25, ...) of the JDK at $1, or nothing.
stampede_jdk_version() {
    local home=$1
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
    if [ -f "$home/release" ]; then
        sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release"
    else
        "$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
    fi
}

# Maven's own libraries (Guava) call sun.misc.Unsafe, which JDK 24+ warns about on every build; the
# option that allows it quietly exists only from 24 on, and JDK 21 refuses options it does not know.
stampede_quiet_maven() {
    local version
    version=$(stampede_jdk_version "$JAVA_HOME")
    if [ -n "$version" ] && [ "$version" -ge 24 ]; then
        case " ${MAVEN_OPTS:-} " in
            *--sun-misc-unsafe-memory-access=*) ;;
            *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
        esac
    fi
}

stampede_find_jdk() {
    local candidates=() home version
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    local jvm_dir=${STAMPEDE_JVM_DIR:-/usr/lib/jvm}
    if [ -d "$jvm_dir" ]; then
        while IFS= read -r home; do candidates+=("$home"); done \
            < <(ls -d "$jvm_dir"/*/ 2>/dev/null | sed 's:/$::' | sort -rV)
    fi
    for home in "${candidates[@]}"; do
        version=$(stampede_jdk_version "$home")
        if [ -n "$version" ] && [ "$version" -ge "$STAMPEDE_MIN_JAVA" ]; then
            export JAVA_HOME="$home"
            return 0
        fi
    done
    echo "stampede: needs a JDK $STAMPEDE_MIN_JAVA or newer (found none in JAVA_HOME, PATH or /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk-headless' or 'openjdk-25-jdk-headless', or set JAVA_HOME" >&2
    return 2
}

# JDK 25+: trains an AOT cache for the jar $1 into the file $2 with the JDK at $JAVA_HOME: 50 users
# against the demo service (`target --port 0`) for STAMPEDE_AOT_TRAIN_SECONDS, the JVM writing the
# cache as the run exits (-XX:AOTCacheOutput). The training's output goes to $2.log, kept only when
# it failed. Non-zero when no cache was made; never leaves a process or a partial file behind.
STAMPEDE_AOT_TRAIN_SECONDS=5
STAMPEDE_AOT_TRAIN_LIMIT_SECONDS=300   # training and the cache's assembly together, on a busy machine
stampede_aot_train() {
    local jar=$1 aot=$2 log=$2.log dir port_file url target_pid rc=1
    dir=$(mktemp -d "${TMPDIR:-/tmp}/stampede-aot.XXXXXX") || return 1
    port_file=$dir/target.out
    echo "stampede: training the JDK's AOT cache for this build (once, about a minute) ..." >&2
    "$JAVA_HOME/bin/java" -jar "$jar" target --port 0 >"$port_file" 2>&1 &
    target_pid=$!
    trap 'kill "$target_pid" 2>/dev/null || true; rm -rf "$dir" "$aot.$$" "$aot.$$.config"; exit 130' INT TERM
    for _ in $(seq 300); do
        url=$(sed -n 's/.* on \(http:[^ ]*\) .*/\1/p' "$port_file")
        [ -n "$url" ] || ! kill -0 "$target_pid" 2>/dev/null && break
        sleep 0.1
    done
    if [ -n "$url" ]; then
        printf '%s\n' "name: aot-training" "load: { users: 50, spawnRate: 1000, wait: { constant: 0s } }" \
            "tasks: [ { get: / } ]" >"$dir/plan.yaml"
        timeout "$STAMPEDE_AOT_TRAIN_LIMIT_SECONDS" "$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$aot.$$" \
            -jar "$jar" run "$dir/plan.yaml" -H "$url" -t "${STAMPEDE_AOT_TRAIN_SECONDS}s" --headless --no-results \
            >"$log" 2>&1 </dev/null && [ -s "$aot.$$" ] && mv -f "$aot.$$" "$aot" && rm -f "$log" && rc=0
    fi
    kill "$target_pid" 2>/dev/null || true; wait "$target_pid" 2>/dev/null || true
    trap - INT TERM
    rm -rf "$dir" "$aot.$$" "$aot.$$.config"
    [ "$rc" = 0 ] || echo "stampede: no AOT cache (training failed, see $log); runs go on without it" >&2
    return "$rc"
}
