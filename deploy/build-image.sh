#!/usr/bin/env bash
# Builds Stampede's image without a registry (no base image to pull): a runtime made by jlink from the
# local JDK 21+ (with the compiler, for Java scenarios), the shared libraries it links to, Stampede, an
# unprivileged user, and tini as PID 1 (the host's static build: Debian's tini package, or Docker's
# docker-init), on an empty root, imported with `docker import`. deploy/Dockerfile builds the same image
# from Eclipse Temurin where a registry is reachable.
# Why tini: PID 1 inherits every orphaned process of the container (what a target or fault command
# leaves behind, a worker's children) and must wait for it, or it stays a zombie; the JVM waits only for
# the children it started. Kubernetes has no init flag, so the image brings its own.
#   deploy/build-image.sh [IMAGE]                 # default stampede:local; needs target/stampede.jar (mvn package)
#   STAMPEDE_CLASSPATH=a.jar:classes deploy/build-image.sh IMAGE   # Stampede from a class path instead of the jar
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
IMAGE="${1:-stampede:local}"
. "$ROOT/scripts/jdk.sh"
stampede_find_jdk || exit 2
# what the shaded jar needs (jdeps --print-module-deps), the compiler for Java scenarios, and DNS and TLS at run time
MODULES="java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.compiler,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs"
UID_GID=10001
command -v docker >/dev/null 2>&1 || { echo "build-image: needs the docker client (Debian: apt-get install docker.io)" >&2; exit 3; }
# a statically linked tini: it needs nothing from the image; STAMPEDE_TINI names another
TINI=""
for candidate in "${STAMPEDE_TINI:-}" /usr/bin/tini-static /usr/bin/docker-init /usr/local/bin/docker-init /usr/libexec/docker/docker-init; do
    [ -x "$candidate" ] || continue
    case "$(ldd "$candidate" 2>&1 || true)" in
        *"not a dynamic executable"*) TINI="$candidate"; break ;;
    esac
done
[ -n "$TINI" ] || { echo "build-image: needs a statically linked tini to run as the image's PID 1 (Debian: apt-get install tini," \
    "which installs /usr/bin/tini-static; or STAMPEDE_TINI=FILE)" >&2; exit 3; }

ROOTFS="$(mktemp -d)"
trap 'rm -rf "$ROOTFS"' EXIT
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --output "$ROOTFS/opt/java" --strip-debug --no-header-files --no-man-pages \
    --compress=zip-6 >/dev/null
# the C library and the loader, as ldd names them for the launcher and every native library of the runtime
for lib in $(find "$ROOTFS/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
        | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | sort -u); do
    mkdir -p "$ROOTFS$(dirname "$lib")"
    cp -L "$lib" "$ROOTFS$lib"
done
# name service: the resolver's own libraries (loaded by name, so ldd does not list them) and files for users and hosts
for lib in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libresolv.so.2; do
    [ -e "$lib" ] && { mkdir -p "$ROOTFS$(dirname "$lib")"; cp -L "$lib" "$ROOTFS$lib"; }
done
[ -e /lib64 ] && [ ! -e "$ROOTFS/lib64" ] && mkdir -p "$ROOTFS/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$ROOTFS/lib64/"
mkdir -p "$ROOTFS/etc" "$ROOTFS/tmp" "$ROOTFS/work" "$ROOTFS/opt/stampede/lib" "$ROOTFS/usr/bin"
cp -L "$TINI" "$ROOTFS/usr/bin/tini"
chmod 1777 "$ROOTFS/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nstampede:x:%s:%s:stampede:/work:/sbin/nologin\n' "$UID_GID" "$UID_GID" > "$ROOTFS/etc/passwd"
printf 'root:x:0:\nstampede:x:%s:\n' "$UID_GID" > "$ROOTFS/etc/group"
printf 'hosts: files dns\n' > "$ROOTFS/etc/nsswitch.conf"

# tini -s: a subreaper too, so it reaps when something else is PID 1 (docker run --init, a pod's shared process namespace)
INIT='"/usr/bin/tini", "-s", "--"'
JAVA_OPTS='"-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError"'
if [ -n "${STAMPEDE_CLASSPATH:-}" ]; then
    cp_in_image=""
    i=0
    IFS=: read -r -a entries <<<"$STAMPEDE_CLASSPATH"
    for entry in "${entries[@]}"; do
        target="/opt/stampede/lib/$(printf '%03d' "$i")-$(basename "$entry")"
        cp -r "$entry" "$ROOTFS$target"
        cp_in_image="${cp_in_image:+$cp_in_image:}$target"
        i=$((i + 1))
    done
    ENTRYPOINT="[$INIT, \"/opt/java/bin/java\", $JAVA_OPTS, \"-cp\", \"$cp_in_image\", \"io.stampede.cli.Main\"]"
else
    JAR="${STAMPEDE_JAR:-$ROOT/target/stampede.jar}"
    [ -f "$JAR" ] || { echo "build-image: no $JAR: build it first (mvn -DskipTests package)" >&2; exit 2; }
    cp "$JAR" "$ROOTFS/opt/stampede/stampede.jar"
    ENTRYPOINT="[$INIT, \"/opt/java/bin/java\", $JAVA_OPTS, \"-jar\", \"/opt/stampede/stampede.jar\"]"
fi
chown -R 0:0 "$ROOTFS"
chown "$UID_GID:$UID_GID" "$ROOTFS/work"
tar -C "$ROOTFS" --numeric-owner -c . | docker import \
    --change "ENTRYPOINT $ENTRYPOINT" \
    --change 'CMD ["--help"]' \
    --change "USER $UID_GID:$UID_GID" \
    --change 'WORKDIR /work' \
    --change 'ENV PATH=/opt/java/bin:/usr/bin:/bin LANG=C.UTF-8' \
    --change 'EXPOSE 5557/tcp 8089/tcp' - "$IMAGE" >/dev/null
echo "$IMAGE"
