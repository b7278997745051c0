#!/usr/bin/env bash
# Makes sure a PostgreSQL server accepts the tests' admin connection, PG_ADMIN_URL (default
# postgresql://postgres:postgres@127.0.0.1:5432/postgres). Used by CI and by developers.
# A server that already accepts it is left exactly as it is. Otherwise, for the default URL only, the machine's
# local cluster is started if it is stopped, and the postgres user's password is set to match the URL only on a
# cluster this script started itself (or, with --just-installed, one its caller installed a moment ago, as
# .ci/run does on a fresh machine). A running server that refuses the URL is never changed: the script says so.
set -euo pipefail
default_url=postgresql://postgres:postgres@127.0.0.1:5432/postgres
url=${PG_ADMIN_URL:-$default_url}
ours=false
[ "${1:-}" = --just-installed ] && ours=true

accepts() { command -v psql >/dev/null && psql "$url" -qAtX -c 'SELECT 1' >/dev/null 2>&1; }
fail() {
  echo "postgres-up: $*" >&2
  exit 1
}

if accepts; then
  echo "postgres-up: the server accepts the tests' connection; left as it is"
  exit 0
fi
[ "$url" = "$default_url" ] ||
  fail "PG_ADMIN_URL does not accept connections; start that server yourself (this script only manages the local cluster for the default URL)"
command -v pg_lsclusters >/dev/null ||
  fail "nothing accepts $default_url and there is no local cluster: apt-get install postgresql, or point the tests at a server with PG_ADMIN_URL=postgresql://USER:PASSWORD@HOST:PORT/postgres"

version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $4 }' | grep -q online; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  ours=true
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p 5432
accepts && exit 0
[ "$ours" = true ] ||
  fail "the PostgreSQL server on 127.0.0.1:5432 refuses postgres:postgres and this script did not start it, so it is left unchanged; point the tests at it with PG_ADMIN_URL=postgresql://USER:PASSWORD@127.0.0.1:5432/postgres"
runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'postgres'"
accepts || fail "the cluster this script started still refuses postgres:postgres on 127.0.0.1:5432 (see its pg_hba.conf)"
