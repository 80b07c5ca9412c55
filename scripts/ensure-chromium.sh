#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (playwright-core brings no browser of its own, and
# browser downloads are not reachable here). Installs it when missing; fast when present.
set -euo pipefail
if [ -n "${TFGATE_CHROMIUM:-}" ] && [ -x "$TFGATE_CHROMIUM" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "tfgate: the browser tests need Chromium: install Debian's 'chromium' package (or set TFGATE_CHROMIUM to a Chromium binary)" >&2
  exit 1
fi
echo "installing Debian's chromium for the browser tests (once)"
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3; do
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; then exit 0; fi
  echo "apt-get failed (attempt $attempt); retrying" >&2
  sleep $((attempt * 5))
done
echo "tfgate: could not install chromium with apt-get" >&2
exit 1
