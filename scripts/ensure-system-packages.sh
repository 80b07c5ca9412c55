#!/usr/bin/env bash
# Installs the Debian packages tfgate and its tests run, only when missing (a second run calls no
# apt): bubblewrap (`bwrap`, the sandbox around every tofu process) and postgresql (`initdb`,
# `pg_ctl`, `postgres`, `psql`: the tests start a throwaway server of their own, see
# test/helpers/postgres.ts). Installs as root or with passwordless sudo; otherwise names the
# packages and the command to run, and fails: a test whose tool is missing must fail, not skip.
set -euo pipefail

say() { printf 'tfgate: %s\n' "$*" >&2; }

# The PostgreSQL server binaries the tests use, from Debian's versioned layout.
postgres_present() {
  local bin
  for bin in /usr/lib/postgresql/*/bin; do
    if [[ -x "$bin/initdb" && -x "$bin/pg_ctl" && -x "$bin/postgres" && -x "$bin/psql" ]]; then return 0; fi
  done
  return 1
}

missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
postgres_present || missing+=(postgresql)
[[ ${#missing[@]} -eq 0 ]] && exit 0

as_root=()
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(unavailable); fi
fi
if [[ "${as_root[*]-}" == unavailable ]] || ! command -v apt-get >/dev/null 2>&1; then
  for package in "${missing[@]}"; do
    case "$package" in
      bubblewrap) say "bubblewrap is missing (no 'bwrap' on PATH): tfgate runs every tofu process in its sandbox." ;;
      postgresql) say "PostgreSQL is missing (no initdb, pg_ctl, postgres and psql under /usr/lib/postgresql/*/bin): the tests start a throwaway server with them." ;;
    esac
  done
  say "install the Debian package(s) ${missing[*]} as root, then run this command again:"
  say "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  say "(this script installs them itself when it runs as root or with passwordless sudo; elsewhere use your system's packages)"
  exit 1
fi

apt() {
  local attempt
  for attempt in 1 2 3; do
    if "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@" </dev/null; then return 0; fi
    say "apt-get $1 failed (attempt $attempt); retrying"
    sleep $((attempt * 5))
  done
  say "could not run apt-get $* (is the Debian mirror reachable?)"
  exit 1
}

say "installing Debian packages: ${missing[*]} (once)"
apt update -qq
install=(install -y -qq --no-install-recommends)
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
  # Debian's postgresql package creates and starts a 'main' cluster when installed; the tests start
  # their own server, and a system one would only hold a port and memory. postgresql-common reads
  # create_main_cluster when postgresql-NN is configured, so it goes first and is told not to.
  apt "${install[@]}" postgresql-common
  conf=/etc/postgresql-common/createcluster.conf
  if "${as_root[@]}" grep -Eq '^[#[:space:]]*create_main_cluster[[:space:]]*=' "$conf"; then
    "${as_root[@]}" sed -Ei 's/^[#[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' "$conf"
  else
    echo 'create_main_cluster = false' | "${as_root[@]}" tee -a "$conf" >/dev/null
  fi
fi
apt "${install[@]}" "${missing[@]}"

still=()
command -v bwrap >/dev/null 2>&1 || still+=(bubblewrap)
postgres_present || still+=(postgresql)
if [[ ${#still[@]} -gt 0 ]]; then
  say "apt-get installed ${missing[*]}, but ${still[*]} still cannot be found (bwrap on PATH; initdb, pg_ctl, postgres, psql under /usr/lib/postgresql/*/bin)"
  exit 1
fi
