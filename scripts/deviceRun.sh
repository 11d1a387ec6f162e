#!/usr/bin/env bash
# The device bundle's entry (copied to .device/run.sh by scripts/deviceBundle.sh): unpacks the
# bundle into a temporary folder (its Node and dawn.node are gzipped; the bundle itself is left as
# it is, so it stays small enough to carry), puts its Vulkan loader first and NVIDIA's driver
# files where the loader finds them, and runs the machine report in a time budget
# (MAD_REPORT_BUDGET seconds, default 420, so the whole script ends within about 8 minutes),
# writing <adapter-slug>.md and report.log to $OUT (./report-out where OUT is unset). Extra
# arguments go to the report (e.g. --quick, --parts).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$PWD/report-out}
budget=${MAD_REPORT_BUDGET:-420}
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/mad-device.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$here/app" "$here/configs" "$here/shaders" "$here/node_modules" "$here/lib" "$work/"
gzip -dc "$here/bin/node.gz" >"$work/node"
chmod +x "$work/node"
dawn=node_modules/webgpu/dist/linux-x64/dawn.node
gzip -dc "$here/$dawn.gz" >"$work/$dawn"
rm "$work/$dawn.gz"

export LD_LIBRARY_PATH="$work/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Where a container mounts NVIDIA's driver (its libraries and the Vulkan ICD file) outside the
# system folders: the loader also searches $XDG_DATA_DIRS/vulkan/icd.d, which survives every part's
# own driver choice (VK_DRIVER_FILES would not: bench step clears it for the system driver).
for dir in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  if [ -d "$dir" ]; then LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$dir"; fi
done
if [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
  export XDG_DATA_DIRS="/usr/local/nvidia/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
fi
export HOME=${HOME:-/tmp} XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

echo "device bundle: $(tr '\n' ' ' <"$here/VERSIONS"); budget ${budget} s; writing to $out" >&2
cd "$work"
"$work/node" "$work/app/js/report.mjs" --budget "$budget" --out "$out" "$@" 2>&1 | tee "$out/report.log"
