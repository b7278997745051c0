#!/usr/bin/env bash
# The image test: builds both targets of the Dockerfile and runs them as Kubernetes would, without a Docker engine
# (buildah and podman with runc). The service image: `migrate`, the init container's `migrate --check --wait`,
# `serve` answering PUT and GET, SIGTERM → 0 within the pods' grace period (test/pipeline/smoke.sh), as its own
# non-root user on a read-only root with a tmpfs /tmp; then with no DATABASE_URL, on its embedded database; it
# trusts Amazon RDS's CA certificates; it adds at most IMAGE_MAX_ADDED_MB to its base. The release image: the guard
# and git start under the same constraints. Prints the build times, sizes and the service's ready and stop times.
# The base (the Dockerfile's NODE_IMAGE build argument) is the stand-in scripts/image-base.sh builds once and caches
# by tag, since the pinned one comes from Docker Hub; IMAGE_TEST_BASE=<image> uses another, such as the pinned one.
# Runs as root (debootstrap, rootful podman). Settings: PG_ADMIN_URL (a superuser URL of the PostgreSQL server to
# test against; default the local CI server), BUILD_CA_FILE (the CA bundle npm trusts during the build),
# IMAGE_MAX_ADDED_MB, IMAGE_TEST_TAG (the images' tag, default image-test).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
[ "$(id -u)" = 0 ] || { echo "image-test: run as root (sudo): debootstrap and rootful podman need it" >&2; exit 2; }
test_started=$SECONDS

# The service image may add this much to its base: the bundled service, PGlite and the docs' static files.
max_added_mb=${IMAGE_MAX_ADDED_MB:-150}
tag=${IMAGE_TEST_TAG:-image-test}
service_image="localhost/hello-app:${tag}"
release_image="localhost/hello-release:${tag}"
# The machine's CA bundle, for npm behind a TLS-inspecting proxy: the optional `npm-ca` build secret.
ca_file=${BUILD_CA_FILE:-/etc/ssl/certs/ca-certificates.crt}

missing=()
for tool in buildah podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ -e /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "image-test: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Kubernetes' limits, not the host's: runc, not crun (which rejects hybrid cgroup set-ups), and ulimits a container
# without CAP_SYS_RESOURCE can be given.
podman=(podman --runtime runc)
limits=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
# Kubernetes ignores the image's HEALTHCHECK (its probes replace it); podman would need systemd to schedule it.
no_healthcheck=(--no-healthcheck)

base=${IMAGE_TEST_BASE:-$(bash scripts/image-base.sh)}
build_options=(--runtime runc --format docker --layers --network host "${limits[@]}" --build-arg "NODE_IMAGE=$base")
[ -r "$ca_file" ] && build_options+=(--secret "id=npm-ca,src=$ca_file")

# Builds one target; prints its wall time. Layers are cached, so a second run rebuilds only what changed.
build() {
  local target=$1 image=$2 started=$SECONDS
  buildah bud "${build_options[@]}" --target "$target" -t "$image" . >"${TMPDIR:-/tmp}/image-test-$target.log" 2>&1 || {
    tail -n 30 "${TMPDIR:-/tmp}/image-test-$target.log" >&2
    echo "image-test: FAIL: building the $target target" >&2
    exit 1
  }
  rm -f "${TMPDIR:-/tmp}/image-test-$target.log"
  echo "image-test: built $target in $((SECONDS - started)) s"
}
build runtime "$service_image"
build release "$release_image"

size_mb() { echo $(($("${podman[@]}" image inspect --format '{{.Size}}' "$1") / 1000000)); }
added_mb=$(($(size_mb "$service_image") - $(size_mb "$base")))
echo "image-test: the service image adds ${added_mb} MB to its base (release image: $(($(size_mb "$release_image") - $(size_mb "$base"))) MB)"
# What the service image holds besides node, largest first.
"${podman[@]}" run --rm "${limits[@]}" "${no_healthcheck[@]}" --entrypoint sh "$service_image" -c \
  'du -sk /app/dist/service/* /app/node_modules/* /app/certs /app/prisma 2>/dev/null | sort -rn | head -n 8' |
  awk '{ printf "image-test:   %6.1f MB  %s\n", $1 * 1024 / 1e6, $2 }' || true

# The same constraints as the pods: read-only root, tmpfs /tmp (and no other writable tmpfs), no capabilities.
constrained=(--rm "${limits[@]}" "${no_healthcheck[@]}" --read-only --read-only-tmpfs=false --tmpfs /tmp --cap-drop ALL
  --security-opt no-new-privileges)
export CONTAINER_ENGINE="${podman[*]}" SMOKE_RUN_OPTIONS="${limits[*]} ${no_healthcheck[*]} --read-only-tmpfs=false"
# Prints smoke.sh's verdict and figures; the service's own log lines only when it fails.
smoke() {
  local log
  log=$(mktemp "${TMPDIR:-/tmp}/image-test-smoke.XXXXXX")
  if env SMOKE_IMAGE="$service_image" "$@" bash test/pipeline/smoke.sh >"$log" 2>&1; then
    grep '^smoke: ' "$log" | sed 's/^/image-test: /'
    rm -f "$log"
  else
    tail -n 40 "$log" >&2
    rm -f "$log"
    echo "image-test: FAIL: the service image's smoke test" >&2
    exit 1
  fi
}
smoke
smoke SMOKE_EMBEDDED=1

# Node trusts the image's RDS CA bundle (NODE_EXTRA_CA_CERTS), so `sslmode=verify-full` can verify an RDS server.
"${podman[@]}" run "${constrained[@]}" --entrypoint node "$service_image" -e '
  const { X509Certificate } = require("node:crypto");
  const rds = require("node:tls").getCACertificates("extra")
    .filter((pem) => /Amazon RDS/.test(new X509Certificate(pem).subject));
  if (rds.length === 0) { console.error("image-test: FAIL: Node trusts no Amazon RDS CA certificate"); process.exit(1); }
  console.log(`image-test: Node trusts ${rds.length} Amazon RDS CA certificates (${process.env.NODE_EXTRA_CA_CERTS})`);'

# The release image as the guard's Deployment runs it: the guard starts, and git works with HOME on /tmp.
help=$("${podman[@]}" run "${constrained[@]}" "$release_image" guard --help 2>&1) ||
  { rc=$?; echo "$help" | tail -n 20 >&2; echo "image-test: FAIL: the release image's guard --help exited $rc" >&2; exit 1; }
case $help in *usage:*) ;; *) echo "image-test: FAIL: guard --help printed no usage: $help" >&2; exit 1 ;; esac
"${podman[@]}" run "${constrained[@]}" --entrypoint sh "$release_image" -euc '
  git --version
  test -s /etc/ssl/certs/ca-certificates.crt
  git init --quiet /tmp/origin
  git -C /tmp/origin -c user.name=ci -c user.email=ci@example.invalid commit --quiet --allow-empty -m smoke
  git clone --quiet /tmp/origin /tmp/clone' | sed 's/^/image-test: release image: /'
# Last, so an image that does not start says so first.
[ "$added_mb" -le "$max_added_mb" ] || {
  echo "image-test: FAIL: the service image adds ${added_mb} MB, over the ${max_added_mb} MB budget" >&2
  exit 1
}
echo "image-test: ok in $((SECONDS - test_started)) s"
