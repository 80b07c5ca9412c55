# Sourced by the README commands: install what is missing, point at the toolchain, build dist/.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-deps.sh
source scripts/env.sh
npm run --silent build
