#!/usr/bin/env bash
# Makes sure the local PostgreSQL cluster runs and accepts postgres:postgres on 127.0.0.1:5432, whether this
# machine started it already (trust auth) or left it stopped (password auth). Used by CI and by developers.
set -euo pipefail
version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $4 }' | grep -q online; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p 5432
runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'postgres'"
