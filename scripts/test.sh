#!/usr/bin/env bash
# The README's test command: installs everything on a fresh machine, type-checks, then runs every
# test layer (unit, integration, end-to-end with the real kubectl against our API server).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
# shellcheck source=scripts/node-env.sh
. scripts/node-env.sh
if ! command -v kubectl >/dev/null 2>&1; then
  echo "error: kubectl not found on PATH; the end-to-end suite drives the real kubectl" >&2
  exit 1
fi
echo "== node $(node --version), kubectl $(kubectl version --client 2>/dev/null | head -1)"
echo "== type check"
npm run --silent typecheck
echo "== tests"
mkdir -p .data
status=0
npx vitest run --reporter=default --reporter=json --outputFile=.data/vitest-results.json "$@" || status=$?
# One plain closing line with the totals, for CI logs.
node -e 'const r = JSON.parse(require("fs").readFileSync(".data/vitest-results.json", "utf8")); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' || true
exit "$status"
