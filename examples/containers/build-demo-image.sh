#!/usr/bin/env bash
# Builds the containerised demo service locally, without a registry: a 2 MB image holding Debian's
# static busybox, whose httpd serves GET / (a short page) and GET /health ("OK") from /www.
#   examples/containers/build-demo-image.sh [IMAGE]       # default stampede-demo:busybox
# GET /64k.bin (64 KiB) is there for bandwidth faults.
# Run it as:  docker run -d -p 127.0.0.1:5002:80 IMAGE /bin/busybox httpd -f -p 80 -h /www
set -euo pipefail
IMAGE="${1:-stampede-demo:busybox}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
if ! command -v docker >/dev/null 2>&1; then
    echo "build-demo-image: needs the docker client (Debian: apt-get install docker.io)" >&2
    exit 3
fi
if [ ! -x "$BUSYBOX" ] || ldd "$BUSYBOX" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "build-demo-image: installing busybox-static" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
    else
        echo "build-demo-image: needs a statically linked busybox at $BUSYBOX (Debian: apt-get install busybox-static)" >&2
        exit 3
    fi
fi
ROOTFS="$(mktemp -d)"
trap 'rm -rf "$ROOTFS"' EXIT
mkdir -p "$ROOTFS/bin" "$ROOTFS/www"
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
printf '<!doctype html><title>Stampede demo</title><p>Hello from the containerised demo service.\n' > "$ROOTFS/www/index.html"
printf 'OK' > "$ROOTFS/www/health"
head -c 65536 /dev/zero > "$ROOTFS/www/64k.bin"   # for bandwidth faults: 64 KiB takes 4 s at 128kbit
tar -C "$ROOTFS" --owner=0 --group=0 -c . | docker import \
    --change 'CMD ["/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"]' \
    --change 'EXPOSE 80/tcp' - "$IMAGE" >/dev/null
echo "$IMAGE"
