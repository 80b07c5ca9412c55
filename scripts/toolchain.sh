#!/usr/bin/env bash
# Builds the offline Terraform toolchain tfgate's demo and tests use:
#   - OpenTofu from the Go module proxy (go install refuses: its go.mod has a `replace`),
#   - the hcloud and time providers into an unpacked filesystem mirror,
#   - a CLI config pointing at that mirror (used through TF_CLI_CONFIG_FILE).
# Idempotent: a stamp file records what was built; a second run returns at once.
# Output folder: $TFGATE_TOOLCHAIN_DIR, default <repo>/.toolchain (git-ignored).
set -euo pipefail

TOFU_VERSION="1.12.6"
HCLOUD_VERSION="1.68.0"
TIME_VERSION="0.14.2"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${TFGATE_TOOLCHAIN_DIR:-$repo_root/.toolchain}"
stamp_want="tofu=$TOFU_VERSION hcloud=$HCLOUD_VERSION time=$TIME_VERSION layout=2"

say() { printf 'toolchain: %s\n' "$*" >&2; }

# The first line of `tofu version`, with an empty CLI config so no config warning gets in front.
tofu_version() {
  local empty="${TMPDIR:-/tmp}/tfgate-empty-$$.tfrc"
  : >"$empty"
  TF_CLI_CONFIG_FILE="$empty" "$1" version 2>/dev/null | head -n1 || true
  rm -f "$empty"
}

if [[ -f "$dir/stamp" && "$(cat "$dir/stamp")" == "$stamp_want" && -x "$dir/bin/tofu" && -f "$dir/cli.tfrc" ]]; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed or not on PATH."
  say "tfgate builds OpenTofu and its providers from the Go module proxy; install Go 1.26+ (https://go.dev/doc/install) and run again."
  exit 1
fi

# One build at a time (the demo and the tests may both ask): the second waits, then finds it done.
mkdir -p "$dir"
exec 9>"$dir/.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
  if [[ -f "$dir/stamp" && "$(cat "$dir/stamp")" == "$stamp_want" && -x "$dir/bin/tofu" ]]; then exit 0; fi
fi

goos="$(go env GOOS)"
goarch="$(go env GOARCH)"
platform="${goos}_${goarch}"
mkdir -p "$dir/bin" "$dir/mirror" "$dir/build"
work="$(mktemp -d "$dir/build/tmp.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# A stalled proxy connection makes `go` wait forever (seen here): download with a time limit and
# retry; finished downloads stay in the module cache, so a retry resumes.
with_retries() {
  local what="$1"; shift
  local attempt
  for attempt in 1 2 3 4 5; do
    if timeout 300 "$@"; then return 0; fi
    say "$what: attempt $attempt failed or stalled; retrying"
  done
  say "$what: giving up after 5 attempts (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
  exit 1
}


# Builds a main package from a module version: download the module (no version-list lookup,
# which the proxy refuses for some modules), copy it somewhere writable, build it in module mode
# (so its go.mod, including any `replace`, applies). `go install pkg@v` refuses modules with a
# `replace` (OpenTofu) and looks up deprecation through the version list.
build_from_module() {
  local module="$1" version="$2" package="$3" out="$4" ldflags="$5"
  local name src
  name="$(basename "$module")"
  say "downloading $module v$version from the Go module proxy"
  src="$(with_retries "download $module" go mod download -json "$module@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$src" ]] || { say "could not download $module@v$version"; exit 1; }
  rm -rf "$work/$name"
  cp -r "$src" "$work/$name"
  chmod -R u+w "$work/$name"
  say "downloading dependencies of $module"
  (cd "$work/$name" && with_retries "dependencies of $module" go mod download)
  say "building $module v$version"
  (cd "$work/$name" && GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out.new" "$package")
  mv "$out.new" "$out"
}

if [[ ! -x "$dir/bin/tofu" || "$(tofu_version "$dir/bin/tofu")" != "OpenTofu v$TOFU_VERSION" ]]; then
  say "OpenTofu v$TOFU_VERSION: building (a few minutes the first time)"
  build_from_module github.com/opentofu/opentofu "$TOFU_VERSION" ./cmd/tofu "$dir/bin/tofu" \
    "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'"
fi

# Providers: the binary goes into the mirror
# under both registry hosts so `tofu` (registry.opentofu.org) and `terraform`
# (registry.terraform.io) resolve `hetznercloud/hcloud` from the same files.
build_provider() {
  local namespace="$1" type="$2" version="$3" module="$4"
  local target="$dir/mirror/registry.opentofu.org/$namespace/$type/$version/$platform"
  local file="terraform-provider-${type}_v${version}"
  if [[ ! -x "$target/$file" ]]; then
    mkdir -p "$target"
    build_from_module "$module" "$version" . "$target/$file" "-s -w"
  fi
  local tf_target="$dir/mirror/registry.terraform.io/$namespace/$type/$version/$platform"
  if [[ ! -e "$tf_target/$file" ]]; then
    mkdir -p "$tf_target"
    ln -sf "$target/$file" "$tf_target/$file"
  fi
}
build_provider hetznercloud hcloud "$HCLOUD_VERSION" github.com/hetznercloud/terraform-provider-hcloud
build_provider hashicorp time "$TIME_VERSION" github.com/hashicorp/terraform-provider-time

cat >"$dir/cli.tfrc" <<EOF
# Written by scripts/toolchain.sh: providers come only from the local mirror.
provider_installation {
  filesystem_mirror {
    path    = "$dir/mirror"
    include = ["*/*/*"]
  }
  direct {
    exclude = ["*/*/*"]
  }
}
EOF

version_line="$(tofu_version "$dir/bin/tofu")"
if [[ "$version_line" != "OpenTofu v$TOFU_VERSION" ]]; then
  say "built tofu reports '$version_line', expected 'OpenTofu v$TOFU_VERSION'"
  exit 1
fi
printf '%s' "$stamp_want" >"$dir/stamp"
say "ready: $version_line, providers in $dir/mirror, CLI config $dir/cli.tfrc"
