#!/usr/bin/env bash
# Builds the offline Terraform toolchain tfgate's demo and tests use:
#   - OpenTofu from the Go module proxy (go install refuses: its go.mod has a `replace`),
#   - Terraform from the Go module proxy, or the one TFGATE_TERRAFORM names (a path, or a name
#     looked up on PATH such as `terraform`), linked as bin/terraform,
#   - conftest (Rego policies) from the Go module proxy,
#   - the hcloud and time providers into an unpacked filesystem mirror,
#   - a CLI config pointing at that mirror (used through TF_CLI_CONFIG_FILE).
# Idempotent: a stamp file records what was built; a second run returns at once.
# Output folder: $TFGATE_TOOLCHAIN_DIR, default <repo>/.toolchain (git-ignored).
set -euo pipefail

TOFU_VERSION="1.12.6"
TERRAFORM_VERSION="1.14.9"
# The oldest Terraform the tests and the samples (`required_version = ">= 1.6"`) accept.
TERRAFORM_MINIMUM="1.6.0"
HCLOUD_VERSION="1.68.0"
TIME_VERSION="0.14.2"
# conftest (with the OPA it pins) evaluates the repositories' Rego policies.
CONFTEST_VERSION="0.71.1"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${TFGATE_TOOLCHAIN_DIR:-$repo_root/.toolchain}"

say() { printf 'toolchain: %s\n' "$*" >&2; }

# Terraform: built (the default) or the operator's own binary, resolved to a real file so the
# stamp changes when the choice does.
terraform_from=""
if [[ -n "${TFGATE_TERRAFORM:-}" ]]; then
  terraform_from="$(command -v "$TFGATE_TERRAFORM" 2>/dev/null || true)"
  [[ -n "$terraform_from" && -x "$terraform_from" ]] || { say "TFGATE_TERRAFORM=$TFGATE_TERRAFORM is not an executable file or a command on PATH"; exit 1; }
  terraform_from="$(realpath "$terraform_from")"
fi
stamp_want="tofu=$TOFU_VERSION terraform=${terraform_from:-$TERRAFORM_VERSION} hcloud=$HCLOUD_VERSION time=$TIME_VERSION conftest=$CONFTEST_VERSION layout=3"

# The first line of `<binary> version`, with an empty CLI config so no config warning gets in
# front, and no update check (Terraform's checkpoint would call out to the network).
binary_version() {
  local empty="${TMPDIR:-/tmp}/tfgate-empty-$$.tfrc"
  : >"$empty"
  CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$empty" "$1" version 2>/dev/null | head -n1 || true
  rm -f "$empty"
}

ready() {
  [[ -f "$dir/stamp" && "$(cat "$dir/stamp")" == "$stamp_want" && -x "$dir/bin/tofu" && -x "$dir/bin/terraform" && -x "$dir/bin/conftest" && -f "$dir/cli.tfrc" ]]
}

if ready; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed or not on PATH."
  say "tfgate builds OpenTofu, Terraform and the providers from the Go module proxy; install Go 1.26+ (https://go.dev/doc/install) and run again."
  exit 1
fi

# One build at a time (the demo and the tests may both ask): the second waits, then finds it done.
mkdir -p "$dir"
exec 9>"$dir/.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
  if ready; then exit 0; fi
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
# `prepare`, when given, is a function run in the writable copy before anything is downloaded.
build_from_module() {
  local module="$1" version="$2" package="$3" out="$4" ldflags="$5" prepare="${6:-}"
  local name src
  name="$(basename "$module")"
  say "downloading $module v$version from the Go module proxy"
  src="$(with_retries "download $module" go mod download -json "$module@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$src" ]] || { say "could not download $module@v$version"; exit 1; }
  rm -rf "$work/$name"
  cp -r "$src" "$work/$name"
  chmod -R u+w "$work/$name"
  if [[ -n "$prepare" ]]; then (cd "$work/$name" && "$prepare"); fi
  say "downloading dependencies of $module"
  (cd "$work/$name" && with_retries "dependencies of $module" go mod download)
  say "building $module v$version"
  (cd "$work/$name" && GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out.new" "$package")
  mv "$out.new" "$out"
}

if [[ ! -x "$dir/bin/tofu" || "$(binary_version "$dir/bin/tofu")" != "OpenTofu v$TOFU_VERSION" ]]; then
  say "OpenTofu v$TOFU_VERSION: building (a few minutes the first time)"
  build_from_module github.com/opentofu/opentofu "$TOFU_VERSION" ./cmd/tofu "$dir/bin/tofu" \
    "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'"
fi

# Terraform's go.mod replaces its remote-state backends (s3, gcs, azurerm, pg, ...) and
# internal/legacy with nested modules under ./internal that its module zip leaves out; the proxy
# serves them only as an unrelated 2025 snapshot (oci not at all). So the build goes without
# them: their requirements and the backend registrations importing them are dropped. local,
# http, inmem, remote and cloud stay; for the others, use an official build (TFGATE_TERRAFORM).
without_missing_nested_modules() {
  local replaced old new file alias
  replaced="$(sed -n 's|^replace \([^ ]*\) => \(\./[^ ]*\)$|\1 \2|p' go.mod)"
  while read -r old new; do
    [[ -n "$old" && ! -f "$new/go.mod" ]] || continue
    go mod edit -dropreplace="$old" -droprequire="$old"
    for file in $(grep -rl --include='*.go' --exclude='*_test.go' "\"$old\"" . || true); do
      alias="$(sed -n "s|^[[:space:]]*\([A-Za-z0-9_]*\)[[:space:]]*\"$old\"\$|\1|p" "$file")"
      sed -i "\|\"$old\"\$|d" "$file"
      if [[ -n "$alias" ]]; then sed -i "/[^A-Za-z0-9_]$alias\./d" "$file"; fi
    done
  done <<<"$replaced"
}

# Leaves bin/terraform as the wanted binary: the operator's (linked, checked to be recent
# enough) or Terraform v$TERRAFORM_VERSION built here.
provide_terraform() {
  local have
  if [[ -n "$terraform_from" ]]; then
    have="$(binary_version "$terraform_from")"
    if [[ ! "$have" =~ ^Terraform\ v([0-9]+\.[0-9]+\.[0-9]+) ]] || ! version_at_least "${BASH_REMATCH[1]}" "$TERRAFORM_MINIMUM"; then
      say "$terraform_from reports '$have': tfgate needs Terraform v$TERRAFORM_MINIMUM or later"
      exit 1
    fi
    ln -sfn "$terraform_from" "$dir/bin/terraform"
    return
  fi
  if [[ -L "$dir/bin/terraform" ]]; then rm -f "$dir/bin/terraform"; fi
  if [[ ! -x "$dir/bin/terraform" || "$(binary_version "$dir/bin/terraform")" != "Terraform v$TERRAFORM_VERSION" ]]; then
    say "Terraform v$TERRAFORM_VERSION: building (a few minutes the first time)"
    build_from_module github.com/hashicorp/terraform "$TERRAFORM_VERSION" . "$dir/bin/terraform" \
      "-s -w -X 'github.com/hashicorp/terraform/version.dev=no'" without_missing_nested_modules
  fi
}

# `sort -V` orders versions: $1 >= $2 when $2 sorts first.
version_at_least() {
  [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" == "$2" ]]
}
provide_terraform

if [[ ! -x "$dir/bin/conftest" || "$("$dir/bin/conftest" --version 2>/dev/null | head -n1)" != "Conftest: $CONFTEST_VERSION" ]]; then
  say "conftest v$CONFTEST_VERSION: building (a few minutes the first time)"
  # Its go.mod asks for toolchain go1.27.1 but needs only go 1.26.8: build with the local Go
  # rather than fetch another toolchain.
  GOTOOLCHAIN=local build_from_module github.com/open-policy-agent/conftest "$CONFTEST_VERSION" . "$dir/bin/conftest" \
    "-s -w -X 'github.com/open-policy-agent/conftest/internal/version.Version=$CONFTEST_VERSION'"
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
  # Relative, so the links still resolve in a copy of the toolchain and in a sandbox that
  # mounts only the mirror.
  local tf_target="$dir/mirror/registry.terraform.io/$namespace/$type/$version/$platform"
  local link="../../../../../registry.opentofu.org/$namespace/$type/$version/$platform/$file"
  if [[ "$(readlink "$tf_target/$file" 2>/dev/null || true)" != "$link" ]]; then
    mkdir -p "$tf_target"
    ln -sfn "$link" "$tf_target/$file"
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

version_line="$(binary_version "$dir/bin/tofu")"
if [[ "$version_line" != "OpenTofu v$TOFU_VERSION" ]]; then
  say "built tofu reports '$version_line', expected 'OpenTofu v$TOFU_VERSION'"
  exit 1
fi
terraform_line="$(binary_version "$dir/bin/terraform")"
if [[ -z "$terraform_from" && "$terraform_line" != "Terraform v$TERRAFORM_VERSION" ]]; then
  say "built terraform reports '$terraform_line', expected 'Terraform v$TERRAFORM_VERSION'"
  exit 1
fi
printf '%s' "$stamp_want" >"$dir/stamp"
say "ready: $version_line, $terraform_line, providers in $dir/mirror, CLI config $dir/cli.tfrc"
