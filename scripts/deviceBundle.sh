#!/usr/bin/env bash
# Builds the device bundle into .device/ (or the folder given): the machine report, the benches and
# the CLI bundled into single files, Dawn's native module, Node and the Vulkan loader, so that a
# GPU machine given only the working tree can run `npm run report` (bench/machineReportBundle.ts
# lists what goes in; docs/reports/README.md says how to run it).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node_modules/.bin/tsx bench/machineReportBundle.ts "$@"
