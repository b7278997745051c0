#!/usr/bin/env bash
# Smoke check of the built artifact on a fresh PostgreSQL database: `migrate --check` refuses an empty database,
# `migrate`, then the init container's `migrate --check --wait`, then `serve` answers /readyz, a PUT and a GET,
# serves its docs, exports metrics, and exits 0 on SIGTERM within the pods' grace period. Runs
# dist/service/main.js (.ci/run) or, with SMOKE_IMAGE set, the image as Kubernetes runs it: its own user, a
# read-only root with a tmpfs /tmp, no capabilities (ci.yml, scripts/image-test.sh). One definition of "it works".
# Prints the ready and stop times.
# SMOKE_EMBEDDED=1 (with SMOKE_IMAGE): no DATABASE_URL, so `serve` runs on the image's embedded database, in the
# data folder the image declares under /tmp (no migrate steps, no PostgreSQL).
# CONTAINER_ENGINE: the docker-compatible command that runs the image (default docker; e.g. "podman --runtime runc").
# SMOKE_RUN_OPTIONS: more options for each container (e.g. ulimits). Needs curl, and psql unless SMOKE_EMBEDDED.
# PG_ADMIN_URL: a superuser URL of the server to use (default: the local CI server).
set -euo pipefail
cd "$(dirname "$0")/../.."

admin=${PG_ADMIN_URL:-postgresql://postgres:postgres@127.0.0.1:5432/postgres}
db="hello_smoke_$$_${RANDOM}"
url="${admin%/*}/${db}"
port=${SMOKE_PORT:-$((20000 + RANDOM % 20000))}
image=${SMOKE_IMAGE:-}
embedded=${SMOKE_EMBEDDED:-}
read -r -a engine <<<"${CONTAINER_ENGINE:-docker}"
read -r -a run_options <<<"${SMOKE_RUN_OPTIONS:-}"
# The pods' terminationGracePeriodSeconds: SIGTERM to exit must fit in it, as the kubelet kills the pod after it.
grace=$(sed -n 's/^ *terminationGracePeriodSeconds: *\([0-9][0-9]*\)$/\1/p' gitops/prod/deployment-hello-app.yaml)
node_bin=node
[ -x node_modules/.bin/node ] && node_bin=$PWD/node_modules/.bin/node
container="hello-smoke-$$"
pid=
started=
database_env=()
[ -n "$embedded" ] || database_env=(-e "DATABASE_URL=$url")

fail() {
  echo "smoke: FAIL: $*" >&2
  if [ -n "$started" ] && [ -n "$image" ]; then "${engine[@]}" logs "$container" 2>&1 | tail -n 20 >&2 || true; fi
  exit 1
}
cleanup() {
  if [ -n "$image" ]; then "${engine[@]}" rm -f "$container" >/dev/null 2>&1 || true; fi
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  [ -n "$embedded" ] || psql -q "$admin" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
now_ms() { date +%s%3N; }

# The container options of every run: Kubernetes' securityContext (read-only root, only /tmp writable, no
# capabilities, no privilege gain) and the image's own user (no --user).
container_options=(--network host --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges
  "${run_options[@]}" "${database_env[@]}" -e "PORT=$port")

# Runs the artifact with the given arguments in the foreground and returns its exit code.
run() {
  if [ -n "$image" ]; then
    "${engine[@]}" run --rm "${container_options[@]}" "$image" "$@"
  else
    DATABASE_URL="$url" PORT="$port" "$node_bin" dist/service/main.js "$@"
  fi
}

if [ -z "$image" ] && [ ! -f dist/service/main.js ]; then fail "dist/service/main.js is missing: run npm run build"; fi
[ -z "$embedded" ] || [ -n "$image" ] || fail "SMOKE_EMBEDDED runs the image: set SMOKE_IMAGE"
[ -n "$grace" ] || fail "no terminationGracePeriodSeconds in gitops/prod/deployment-hello-app.yaml"
if [ -z "$embedded" ]; then
  psql -q "$admin" -c "CREATE DATABASE \"$db\"" >/dev/null
  run migrate --check >/dev/null 2>&1 && fail "migrate --check passed on an empty database"
  run migrate || fail "migrate exited $?"
  # The init container's command, exactly (contract/runtime.ts COMMANDS.migrateCheck).
  run migrate --check --wait || fail "migrate --check --wait exited $? after migrate"
fi

started=$(now_ms)
if [ -n "$image" ]; then
  "${engine[@]}" run -d --name "$container" "${container_options[@]}" "$image" >/dev/null
else
  DATABASE_URL="$url" PORT="$port" "$node_bin" dist/service/main.js serve & pid=$!
fi

base="http://127.0.0.1:${port}"
# The embedded database's first start (initdb in WebAssembly) takes seconds, many on a busy machine.
ready_seconds=${SMOKE_READY_SECONDS:-60}
until curl -fs "$base/readyz" >/dev/null 2>&1; do
  [ $(($(now_ms) - started)) -lt $((ready_seconds * 1000)) ] || fail "not ready on $base/readyz after ${ready_seconds} s"
  sleep 0.05
done
ready_ms=$(($(now_ms) - started))

code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'content-type: application/json' \
  -d '{"dateOfBirth":"1990-01-15"}' "$base/hello/Smoke")
[ "$code" = 204 ] || fail "PUT /hello/Smoke answered $code, not 204"
body=$(curl -fs "$base/hello/smoke") || fail "GET /hello/smoke failed"
case $body in *'"Hello, smoke!'*) ;; *) fail "GET /hello/smoke answered $body" ;; esac
# The API's documentation: swagger-ui-dist's static files, which the image carries beside the bundled service.
curl -fs "$base/openapi.json" >/dev/null || fail "GET /openapi.json failed"
curl -fs "$base/docs/swagger-ui.css" >/dev/null || fail "GET /docs/swagger-ui.css failed"
# Read whole, then searched: `curl | grep -q` fails under pipefail when grep stops reading before curl is done.
metrics=$(curl -fs "$base/metrics") || fail "GET /metrics failed"
grep -q '^http_requests_total' <<<"$metrics" || fail "/metrics has no http_requests_total"

stopping=$(now_ms)
if [ -n "$image" ]; then
  # SIGTERM, then SIGKILL once the grace period is over: exit code 137 then.
  "${engine[@]}" stop -t "$grace" "$container" >/dev/null
  rc=$("${engine[@]}" inspect -f '{{.State.ExitCode}}' "$container")
else
  kill -TERM "$pid"
  rc=0; wait "$pid" || rc=$?
  pid=
fi
stop_ms=$(($(now_ms) - stopping))
[ "$rc" = 0 ] || fail "serve exited $rc after SIGTERM, not 0 (within the ${grace} s grace period)"
what="migrate, migrate --check --wait, serve"
[ -z "$embedded" ] || what="serve on the embedded database"
echo "smoke: ok (${image:-dist/service/main.js}: $what, PUT, GET, docs, metrics, SIGTERM → 0)"
echo "smoke: ready in ${ready_ms} ms, exited in ${stop_ms} ms after SIGTERM"
