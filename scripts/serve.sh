#!/usr/bin/env bash
# Sets up, builds the app and serves the production build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
vite build --logLevel warn
port="${PORT:-4173}"
echo
echo "MAD Lab is ready: open http://127.0.0.1:$port/ in Chrome or Edge (WebGPU)."
echo
exec vite preview --host 127.0.0.1 --port "$port" --strictPort
