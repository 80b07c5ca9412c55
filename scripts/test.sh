#!/usr/bin/env bash
# The whole test suite: install what is missing, build, lint, typecheck, then every test.
set -euo pipefail
echo "== prepare (install what is missing, build)"
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
echo "== browser (Chromium for the web UI tests)" && bash scripts/ensure-chromium.sh
echo "== lint" && npx eslint --max-warnings=0 .
echo "== typecheck" && npx tsc -p tsconfig.json --noEmit

echo "== tests"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?

# A plain closing line any CI reads, and a hard failure when nothing ran.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numTotalTests === 0 || r.numPassedTests === 0) { console.error("tfgate: no test ran"); process.exit(1); }
' "$report" || status=1
exit "$status"
