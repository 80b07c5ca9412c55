# Sourced by the README commands: points tfgate and the tests at the toolchain's tofu and mirror.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
toolchain="${TFGATE_TOOLCHAIN_DIR:-$root/.toolchain}"
export TF_CLI_CONFIG_FILE="$toolchain/cli.tfrc"
export TFGATE_TERRAFORM_BINARY="${TFGATE_TERRAFORM_BINARY:-$toolchain/bin/tofu}"
export CHECKPOINT_DISABLE=1
