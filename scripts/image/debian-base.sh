#!/usr/bin/env bash
# Builds a base image for the Dockerfile's NODE_IMAGE from Debian's packages, for machines that reach
# no container registry: a debootstrap'ed Debian 12 (minbase, ca-certificates) with this machine's
# Node.js and npm copied in at the official node image's paths (Debian 12 packages Node 18, the app
# needs 20.18+). Then: podman build --build-arg NODE_IMAGE=localhost/dropboard-node-base:20 .
# Needs root, debootstrap and podman (apt-get install debootstrap podman). About 2 minutes.
set -euo pipefail
TAG="${1:-localhost/dropboard-node-base:20}"
ROOTFS="$(mktemp -d /tmp/dropboard-base-XXXXXX)"
trap 'rm -rf "$ROOTFS"' EXIT
debootstrap --variant=minbase bookworm "$ROOTFS" http://deb.debian.org/debian >/dev/null
chroot "$ROOTFS" apt-get install -y -qq ca-certificates >/dev/null
NODE="$(command -v node)"
NPM_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/usr/local/lib/node_modules"
cp "$NODE" "$ROOTFS/usr/local/bin/node"
cp -a "$NPM_DIR" "$ROOTFS/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
chroot "$ROOTFS" apt-get clean
rm -rf "$ROOTFS/var/lib/apt/lists/"*
tar -C "$ROOTFS" -c . | podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["node"]' - "$TAG" >/dev/null
echo "$TAG: Debian 12 minbase, $("$NODE" --version), npm $(npm --version)"
