# syntax=docker/dockerfile:1
# tfgate server image: the GitHub App (`node dist/main.js`) with git and OpenTofu.
#
#   docker build --build-arg TOFU_SHA256=<sha256 of tofu_<version>_linux_<arch>.zip> -t tfgate .
#
# The checksum comes from the OpenTofu release's SHA256SUMS file (verify its signature once, then
# pin the value here or in CI): the download is trusted because of that value, not because of
# where it came from.

# Build and runtime stages must use the same Node version: better-sqlite3 is a native addon built
# (or fetched prebuilt) for the Node ABI and glibc of the build stage. Bump to the latest 24.x.
ARG NODE_VERSION=24.11.1

FROM node:${NODE_VERSION}-bookworm-slim AS build
# better-sqlite3 falls back to compiling from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-cli.mjs ./scripts/
COPY src ./src
# Production dependencies only from here on: the simulated GitHub's schema package (385 MB) and
# the test tooling stay behind.
RUN npm run build \
 && rm -f dist/.tsbuildinfo \
 && npm prune --omit=dev --no-audit --no-fund

# The same pinned base as the other stages: one image to pull, no floating tag.
FROM node:${NODE_VERSION}-bookworm-slim AS tofu
ARG TOFU_VERSION=1.12.6
# Required: the sha256 of tofu_${TOFU_VERSION}_linux_${TARGETARCH}.zip (one value per architecture).
ARG TOFU_SHA256
# Set by BuildKit from --platform (amd64, arm64); the classic builder leaves it empty: amd64.
ARG TARGETARCH
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl unzip \
 && rm -rf /var/lib/apt/lists/*
RUN arch="${TARGETARCH:-amd64}" \
 && { test -n "${TOFU_SHA256}" || { echo "set --build-arg TOFU_SHA256=<sha256 of tofu_${TOFU_VERSION}_linux_${arch}.zip>" >&2; exit 1; }; } \
 && curl -fsSL --retry 3 -o /tmp/tofu.zip "https://github.com/opentofu/opentofu/releases/download/v${TOFU_VERSION}/tofu_${TOFU_VERSION}_linux_${arch}.zip" \
 && echo "${TOFU_SHA256}  /tmp/tofu.zip" | sha256sum -c - \
 && unzip -q /tmp/tofu.zip tofu -d /usr/local/bin \
 && rm /tmp/tofu.zip \
 && /usr/local/bin/tofu version
# Optional: conftest for repositories' Rego policies (policies/**/*.rego). Without
# --build-arg CONFTEST_SHA256=<sha256 of conftest_<version>_Linux_<x86_64|arm64>.tar.gz> the image
# has none, and such a repository's plans get a policy error saying so.
ARG CONFTEST_VERSION=0.71.1
ARG CONFTEST_SHA256
RUN mkdir -p /opt/conftest \
 && if [ -n "${CONFTEST_SHA256}" ]; then \
      arch="$(case "${TARGETARCH:-amd64}" in arm64) echo arm64 ;; *) echo x86_64 ;; esac)" \
      && curl -fsSL --retry 3 -o /tmp/conftest.tgz "https://github.com/open-policy-agent/conftest/releases/download/v${CONFTEST_VERSION}/conftest_${CONFTEST_VERSION}_Linux_${arch}.tar.gz" \
      && echo "${CONFTEST_SHA256}  /tmp/conftest.tgz" | sha256sum -c - \
      && tar -xzf /tmp/conftest.tgz -C /opt/conftest conftest \
      && rm /tmp/conftest.tgz \
      && /opt/conftest/conftest --version; \
    fi

FROM node:${NODE_VERSION}-bookworm-slim
# git: mirrors, worktrees and fetches. tini: PID 1 that forwards SIGTERM to node and reaps the
# orphans tofu's provider plugins leave when a plan is killed (node does not reap them).
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
COPY --from=tofu /usr/local/bin/tofu /usr/local/bin/tofu
COPY --from=tofu /opt/conftest/ /usr/local/bin/
# A numeric id, so Kubernetes' runAsNonRoot can check it. /data is created here so that a new
# named volume starts out owned by this user, 0700 like the directories tfgate creates in it.
RUN groupadd --system --gid 10001 tfgate \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin tfgate \
 && mkdir -p /data \
 && chown 10001:10001 /data \
 && chmod 0700 /data
WORKDIR /app
# package.json says "type": "module"; dist/ is ESM and does not load without it.
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# `tfgate setup` reads the App manifest at run time.
COPY github-app-manifest.json ./
ENV NODE_ENV=production \
    TFGATE_DATA_DIR=/data \
    TFGATE_TERRAFORM_BINARY=tofu \
    TFGATE_PORT=8080
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8080
# No curl in the slim image: node's fetch. Same port variable as the server, so overriding
# TFGATE_PORT does not break the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.TFGATE_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Without -g: SIGTERM goes to node only, which stops taking webhooks and lets running plans
# finish (TFGATE_SHUTDOWN_GRACE_SECONDS) before it interrupts tofu itself. Give the container a
# stop timeout longer than that grace (docker stop -t, terminationGracePeriodSeconds).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
