# syntax=docker/dockerfile:1.7
# The Hello App image family: one build, two targets on the same base layers.
# The service (`runtime`, the default target), two commands (docs/architecture.md, "Runtime contract of the image"):
#   docker run IMAGE                          serve the API on port 8080
#   docker run IMAGE migrate                  apply pending migrations (the Argo CD PreSync Job)
#   docker run IMAGE migrate --check --wait   exit 0 once the schema is current (the init container)
# The release tool (`docker build --target release`), pushed as hello-release, which runs the in-cluster guard:
#   docker run RELEASE_IMAGE                  release guard (settings from flags and the environment)
#   docker run RELEASE_IMAGE status           any other release command
# The build runs the same npm commands as .ci/run (npm ci, which generates the Prisma client in postinstall, then
# npm run build), so a green CI run proves these steps even on machines without a Docker engine.
#
# Base image: the official Node.js 24 LTS image on Debian bookworm, pinned by the digest of its multi-arch index so
# a re-pushed tag cannot change what we ship. To refresh it (a Node patch release, a Debian security fix):
#   docker buildx imagetools inspect node:24.<x>.<y>-bookworm-slim    # copy the top-level "Digest:"
# then update NODE_IMAGE below, the `node` devDependency (npm i -D --save-exact node@24.<x>.<y>) so CI and the
# image run the same Node, and `.nvmrc`/`engines` only if the major version changes. test/pipeline checks the pin.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim@sha256:2fe369e969550cde8e867afc3fe370b260140cab4a23d467074295b42163d553
# npm that understands package.json `allowScripts` (dependency install scripts approved one by one), as in CI.
ARG NPM_VERSION=11.19.1

FROM ${NODE_IMAGE} AS build
ARG NPM_VERSION
WORKDIR /app
RUN npm install --global --no-audit --no-fund "npm@${NPM_VERSION}"
# Dependencies first, so this layer is reused until the lockfile or the data model changes. postinstall runs
# scripts/generate-prisma-client.sh, which needs the schema and the Prisma config.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/ scripts/
COPY prisma/schema.prisma prisma/schema.prisma
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
# The sources (.dockerignore keeps tests, generated manifests, git history and secrets out of the context).
COPY . .
RUN npm run build \
  && test -f dist/service/main.js \
  && test -f dist/release/main.js \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# What both targets share, layer for layer: node and the built code.
FROM ${NODE_IMAGE} AS base
# The runtime needs only `node`: npm, npx and corepack go, with the findings a scanner would report in them.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
    /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
ENV NODE_ENV=production
WORKDIR /app
# Everything is owned by root and only readable by the service's user: the code cannot rewrite itself, and the
# container runs with a read-only root filesystem (it writes nothing; a /tmp mount is enough for anything else).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma/migrations ./prisma/migrations

# The release tool and its in-cluster guard. The gitops writer shells out to git (HTTPS to the git host, hence the
# CA certificates); Debian's packages, no recommends, no package lists left behind.
FROM base AS release
RUN apt-get update \
  && apt-get install --yes --no-install-recommends git ca-certificates \
  && rm -rf /var/lib/apt/lists/*
# git reads and writes its per-user files under $HOME: /tmp, the one writable mount next to a read-only root (the
# guard's Deployment mounts an emptyDir there; `docker run --read-only --tmpfs /tmp` does the same).
ENV HOME=/tmp
# The same numeric, non-root user as the service (contract/runtime.ts RUN_AS; test/pipeline/image.test.ts checks).
USER 10001:10001
ENTRYPOINT ["node", "dist/release/main.js"]
CMD ["guard"]

# The service. Last, so a plain `docker build .` (compose, make image) builds it.
FROM base AS runtime
# A numeric, non-root user with no entry in /etc/passwd: Kubernetes' runAsNonRoot can verify a numeric USER. It is
# contract/runtime.ts RUN_AS, which the manifests use; test/pipeline/image.test.ts keeps the two equal.
USER 10001:10001
EXPOSE 8080
# For `docker run` and compose; Kubernetes uses the Deployment's probes instead.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/service/main.js"]
CMD ["serve"]
