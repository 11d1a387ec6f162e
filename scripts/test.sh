#!/usr/bin/env bash
# Sets up, then runs every test: type check, unit and GPU tests (Vitest, Node + Dawn),
# the production build, and the end-to-end tests (Playwright in Chromium with WebGPU).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
echo "== type check"; tsc
echo "== unit and GPU tests"; vitest run
echo "== production build"; vite build --logLevel warn
echo "== end-to-end tests"; playwright test
