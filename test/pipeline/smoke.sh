#!/usr/bin/env bash
# Smoke check of the built artifact on a fresh PostgreSQL database: `migrate`, `migrate --check`, then `serve`
# answers /readyz, a PUT and a GET, exports metrics, and exits 0 on SIGTERM. Runs dist/service/main.js (.ci/run) or,
# with SMOKE_IMAGE set, the image with a read-only root filesystem (the CI workflow): one definition of "it works".
# Needs psql and curl. PG_ADMIN_URL: a superuser URL of the server to use (default: the local CI server).
set -euo pipefail
cd "$(dirname "$0")/../.."

admin=${PG_ADMIN_URL:-postgresql://postgres:postgres@127.0.0.1:5432/postgres}
db="hello_smoke_$$_${RANDOM}"
url="${admin%/*}/${db}"
port=${SMOKE_PORT:-$((20000 + RANDOM % 20000))}
image=${SMOKE_IMAGE:-}
node_bin=node
[ -x node_modules/.bin/node ] && node_bin=$PWD/node_modules/.bin/node
container="hello-smoke-$$"
pid=

fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
cleanup() {
  if [ -n "$image" ]; then docker rm -f "$container" >/dev/null 2>&1 || true; fi
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  psql -q "$admin" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Runs the artifact with the given arguments in the foreground and returns its exit code.
run() {
  if [ -n "$image" ]; then
    docker run --rm --network host --read-only --tmpfs /tmp -e DATABASE_URL="$url" -e PORT="$port" "$image" "$@"
  else
    DATABASE_URL="$url" PORT="$port" "$node_bin" dist/service/main.js "$@"
  fi
}

if [ -z "$image" ] && [ ! -f dist/service/main.js ]; then fail "dist/service/main.js is missing: run npm run build"; fi
psql -q "$admin" -c "CREATE DATABASE \"$db\"" >/dev/null

run migrate --check >/dev/null 2>&1 && fail "migrate --check passed on an empty database"
run migrate || fail "migrate exited $?"
run migrate --check || fail "migrate --check exited $? after migrate"

if [ -n "$image" ]; then
  docker run -d --name "$container" --network host --read-only --tmpfs /tmp --cap-drop ALL \
    --security-opt no-new-privileges -e DATABASE_URL="$url" -e PORT="$port" "$image" >/dev/null
else
  DATABASE_URL="$url" PORT="$port" "$node_bin" dist/service/main.js serve & pid=$!
fi

base="http://127.0.0.1:${port}"
for _ in $(seq 1 120); do
  curl -fs "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.25
done
curl -fs "$base/readyz" >/dev/null || fail "not ready on $base/readyz after 30 s"

code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'content-type: application/json' \
  -d '{"dateOfBirth":"1990-01-15"}' "$base/hello/Smoke")
[ "$code" = 204 ] || fail "PUT /hello/Smoke answered $code, not 204"
body=$(curl -fs "$base/hello/smoke") || fail "GET /hello/smoke failed"
case $body in *'"Hello, smoke!'*) ;; *) fail "GET /hello/smoke answered $body" ;; esac
curl -fs "$base/metrics" | grep -q '^http_requests_total' || fail "/metrics has no http_requests_total"

if [ -n "$image" ]; then
  docker stop -t 30 "$container" >/dev/null
  rc=$(docker inspect -f '{{.State.ExitCode}}' "$container")
else
  kill -TERM "$pid"
  rc=0; wait "$pid" || rc=$?
  pid=
fi
[ "$rc" = 0 ] || fail "serve exited $rc after SIGTERM, not 0"
echo "smoke: ok (${image:-dist/service/main.js}: migrate, migrate --check, serve, PUT, GET, metrics, SIGTERM → 0)"
