#!/usr/bin/env bash
# Builds the demo container image localhost/infernet-busybox:1 offline from Debian's busybox-static
# (no registry is needed); does nothing if it exists.
set -euo pipefail
image=localhost/infernet-busybox:1
podman image exists "$image" && exit 0
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/work"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
tar -C "$root" -cf "$root.tar" .
podman import "$root.tar" "$image" >/dev/null
rm -f "$root.tar"
echo "demo image $image built"
