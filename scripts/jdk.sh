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
