#!/usr/bin/env bash
# Installs what the README commands need, only when missing or stale (fast on a second run):
# Debian's bubblewrap and postgresql, npm packages (npm ci, when package-lock.json changed) and the
# OpenTofu and Terraform toolchain.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

for tool in node npm git; do
  command -v "$tool" >/dev/null 2>&1 || { echo "tfgate: $tool is required but not on PATH" >&2; exit 1; }
done

bash scripts/ensure-system-packages.sh

want="$(sha256sum package-lock.json | cut -d' ' -f1)"
have="$(cat node_modules/.tfgate-lock-sha256 2>/dev/null || true)"
if [[ "$want" != "$have" ]]; then
  echo "tfgate: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > node_modules/.tfgate-lock-sha256
fi

bash scripts/toolchain.sh
