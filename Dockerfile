# syntax=docker/dockerfile:1
# First version (the operations issue finishes it: server entry point, HEALTHCHECK, Terraform).
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
# Native addons (better-sqlite3) may need compiling when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM debian:bookworm-slim AS tofu
ARG TOFU_VERSION=1.12.6
# Required: the sha256 of tofu_${TOFU_VERSION}_linux_amd64.zip from the release's SHA256SUMS.
ARG TOFU_SHA256
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl unzip && rm -rf /var/lib/apt/lists/*
RUN test -n "${TOFU_SHA256}" || { echo "set --build-arg TOFU_SHA256=<sha256 of the release zip>" >&2; exit 1; } \
 && curl -fsSLo /tmp/tofu.zip "https://github.com/opentofu/opentofu/releases/download/v${TOFU_VERSION}/tofu_${TOFU_VERSION}_linux_amd64.zip" \
 && echo "${TOFU_SHA256}  /tmp/tofu.zip" | sha256sum -c - \
 && unzip -q /tmp/tofu.zip tofu -d /usr/local/bin && rm /tmp/tofu.zip

FROM node:${NODE_VERSION}-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=tofu /usr/local/bin/tofu /usr/local/bin/tofu
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin tfgate && mkdir -p /data && chown tfgate:tfgate /data && chmod 0700 /data
USER tfgate
ENV TFGATE_DATA_DIR=/data TFGATE_TERRAFORM_BINARY=tofu NODE_ENV=production
VOLUME ["/data"]
ENTRYPOINT ["node", "dist/cli.js"]
