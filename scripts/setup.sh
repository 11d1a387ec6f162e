#!/usr/bin/env bash
# Sets up a fresh clone: system packages for WebGPU (Debian's chromium brings the SwiftShader
# Vulkan driver and the browser Playwright drives; libvulkan1 is the loader Dawn opens in Node;
# Mesa's lavapipe 25+, where Debian offers it, is the faster CPU driver Node prefers), then the npm
# packages. Quiet and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then sudo="sudo"; fi
can_install() { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }
export DEBIAN_FRONTEND=noninteractive

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/lib/chromium/vk_swiftshader_icd.json ] || missing+=(chromium)
# grep without -q: with pipefail, grep -q quitting early can kill ldconfig with SIGPIPE.
ldconfig -p 2>/dev/null | grep 'libvulkan\.so\.1' >/dev/null || missing+=(libvulkan1)
if [ ${#missing[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  echo "setup: installing Debian packages: $pkgs"
  if ! can_install; then
    echo "setup: need root to install $pkgs; run as root or install them yourself" >&2; exit 1
  fi
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq $pkgs >/dev/null
fi

# Mesa's lavapipe from mesa-vulkan-drivers 25 or newer (src/gpu/nodeGpu.ts prefers it to
# SwiftShader in Node: about 4× faster). Debian 12 ships 22.3, which Dawn rejects, so there it comes
# from bookworm-backports; Debian 13 has 25 in its own archive. Optional: when this fails, Node
# stays on SwiftShader and the setup goes on.
lavapipe_version() { dpkg-query -W -f='${db:Status-Abbrev} ${Version}\n' mesa-vulkan-drivers 2>/dev/null | awk '$1 == "ii" && v == "" { v = $2 } END { print v }'; }
install_lavapipe() {
  local codename version_id target=() from="the Debian archive"
  # shellcheck disable=SC1091
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  # shellcheck disable=SC1091
  version_id=$(. /etc/os-release && echo "${VERSION_ID:-}")
  if [ "$codename" = bookworm ]; then
    target=(-t bookworm-backports) from=bookworm-backports
    if ! grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      echo "setup: adding Debian's bookworm-backports source (/etc/apt/sources.list.d/bookworm-backports.list)"
      echo 'deb http://deb.debian.org/debian bookworm-backports main' | $sudo tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null || return 1
    fi
  elif [ -n "$version_id" ] && [ "${version_id%%.*}" -lt 13 ] 2>/dev/null; then
    echo "setup: Debian $version_id has no mesa-vulkan-drivers 25; Node uses SwiftShader"; return 0
  fi
  echo "setup: installing Mesa's lavapipe (mesa-vulkan-drivers from $from)"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${target[@]}" mesa-vulkan-drivers >/dev/null
}
if ! [ -f /etc/os-release ] || ! grep -qx 'ID=debian' /etc/os-release || ! command -v dpkg-query >/dev/null; then
  echo "setup: not Debian: install Mesa's lavapipe (Vulkan, Mesa 25+) yourself for faster CPU runs in Node; SwiftShader works without it"
elif ! dpkg --compare-versions "$(lavapipe_version)" ge 25~ 2>/dev/null; then
  if ! can_install; then
    echo "setup: lavapipe 25+ missing and no root to install it; Node uses SwiftShader"
  elif ! install_lavapipe || ! dpkg --compare-versions "$(lavapipe_version)" ge 25~; then
    echo "setup: could not install Mesa's lavapipe 25+ (see above); Node uses SwiftShader"
  fi
fi

# npm ci only when the lockfile changed since the last install.
stamp=node_modules/.setup-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
