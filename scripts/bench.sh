#!/usr/bin/env bash
# `npm run bench`: builds the CLI and the benchmarks (compiled, so no loader skews timings) and
# prints one table. Exit code 1 when a goal is missed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-deps.sh
source scripts/env.sh
npm run --silent build
npx tsc -p tsconfig.bench.json
exec node .bench-build/bench/run-bench.js "$@"
