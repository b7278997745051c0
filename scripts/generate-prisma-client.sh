#!/usr/bin/env sh
# Generates the Prisma client (prisma/generated). Generation never runs the schema engine, but the CLI insists on
# having one and downloads it when missing, which fails offline; point it at any existing file unless the caller
# supplied a real engine. Migrations are applied by the service's own `migrate` command, not by the CLI.
set -eu
: "${PRISMA_SCHEMA_ENGINE_BINARY:=$(pwd)/package.json}"
export PRISMA_SCHEMA_ENGINE_BINARY
exec prisma generate
