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

if [[ -f "$dir/stamp" && "$(cat "$dir/stamp")" == "$stamp_want" && -x "$dir/bin/tofu" && -f "$dir/cli.tfrc" ]]; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed or not on PATH."
  say "tfgate builds OpenTofu and its providers from the Go module proxy; install Go 1.26+ (https://go.dev/doc/install) and run again."
  exit 1
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

# Module downloads go to the normal module cache so a second machine-wide build is fast.
module_dir() {
  local mod="$1" out
  out="$(go mod download -json "$mod")" || { say "could not download $mod from the Go module proxy"; exit 1; }
  printf '%s' "$out" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

if [[ ! -x "$dir/bin/tofu" ]] || ! "$dir/bin/tofu" version 2>/dev/null | head -n1 | grep -qx "OpenTofu v$TOFU_VERSION"; then
  say "downloading OpenTofu v$TOFU_VERSION source from the Go module proxy"
  src="$(module_dir "github.com/opentofu/opentofu@v$TOFU_VERSION")"
  cp -r "$src" "$work/opentofu"
  chmod -R u+w "$work/opentofu"
  say "downloading OpenTofu's dependencies"
  (cd "$work/opentofu" && with_retries "go mod download" go mod download)
  say "building OpenTofu v$TOFU_VERSION (takes a few minutes the first time)"
  (cd "$work/opentofu" && GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'" -o "$dir/bin/tofu.new" ./cmd/tofu)
  mv "$dir/bin/tofu.new" "$dir/bin/tofu"
fi

# Providers: `go install` works for both (no replace directives). The binary goes into the mirror
# under both registry hosts so `tofu` (registry.opentofu.org) and `terraform`
# (registry.terraform.io) resolve `hetznercloud/hcloud` from the same files.
build_provider() {
  local namespace="$1" type="$2" version="$3" module="$4"
  local target="$dir/mirror/registry.opentofu.org/$namespace/$type/$version/$platform"
  local file="terraform-provider-${type}_v${version}"
  if [[ ! -x "$target/$file" ]]; then
    say "building provider $namespace/$type v$version"
    with_retries "download $module" go mod download "$module@v$version"
    mkdir -p "$work/mod-$type" && (cd "$work/mod-$type" && go mod init tfgate-toolchain >/dev/null 2>&1 &&
      with_retries "download dependencies of $module" go get "$module@v$version")
    GOBIN="$work/gobin" GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "$module@v$version"
    mkdir -p "$target"
    mv "$work/gobin/terraform-provider-$type" "$target/$file"
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

version_line="$("$dir/bin/tofu" version | head -n1)"
if [[ "$version_line" != "OpenTofu v$TOFU_VERSION" ]]; then
  say "built tofu reports '$version_line', expected 'OpenTofu v$TOFU_VERSION'"
  exit 1
fi
printf '%s' "$stamp_want" >"$dir/stamp"
say "ready: $version_line, providers in $dir/mirror, CLI config $dir/cli.tfrc"
