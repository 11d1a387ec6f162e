#!/usr/bin/env bash
# Sets up, then runs every test: type check, unit and GPU tests (Vitest, Node + Dawn), every kernel
# check once more on a second implementation (`mad selftest` on SwiftShader: Vitest runs on lavapipe
# where the machine has it, and two implementations catch what one hides), the production build,
# and the end-to-end tests (Playwright in Chromium with WebGPU).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
echo "== type check"; tsc
driver=$(tsx scripts/nodeGpuDriver.ts 2>/dev/null || echo "none (the probe failed)")
echo "== unit and GPU tests (Node WebGPU on $driver)"; vitest run
case "$driver" in
  SwiftShader*)
    # Vitest's kernel tests already ran on SwiftShader, the only implementation here.
    echo "== kernel checks on a second implementation: skipped, lavapipe absent (mesa-vulkan-drivers 25+)" ;;
  *)
    echo "== kernel checks on the second implementation: SwiftShader (mad selftest)"
    # One line per failure and the count; the passing lines would be 900 of them.
    MAD_NODE_GPU=swiftshader tsx src/cli/mad.ts selftest | awk '!/^pass /' ;;
esac
echo "== production build"; vite build --logLevel warn
echo "== end-to-end tests"; playwright test
