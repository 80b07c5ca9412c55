#!/usr/bin/env bash
# `npm run bench`: builds the CLI and the benchmarks (compiled, so no loader skews timings) and
# prints one table. Exit code 1 when a goal is missed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
npx tsc -p tsconfig.bench.json
exec node .bench-build/bench/run-bench.js "$@"
