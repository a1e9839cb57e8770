#!/usr/bin/env bash
# Installs a Vulkan driver Dawn accepts (lavapipe from Mesa ≥ 25) so the WebGPU suite can run in
# Node on a CPU-only Debian 12 machine: Debian 12's own Mesa 22 is rejected by Dawn, bookworm-
# backports' works. The backports source is derived from this machine's configured Debian mirror.
# Exits 0 when the driver is ready, 1 when it cannot be installed here.
set -euo pipefail
mesa=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
case "$mesa" in 2[5-9].* | [3-9][0-9].*) exit 0 ;; esac
[ "$(id -u)" = 0 ] || { echo "install-webgpu-driver: needs root for apt-get" >&2; exit 1; }
grep -q 'VERSION_CODENAME=bookworm' /etc/os-release || { echo "install-webgpu-driver: not Debian 12" >&2; exit 1; }
sources=/etc/apt/sources.list.d/debian.sources
target=/etc/apt/sources.list.d/gan-bookworm-backports.sources
if [ ! -e "$target" ]; then
  [ -e "$sources" ] || { echo "install-webgpu-driver: no $sources to derive a mirror from" >&2; exit 1; }
  # The stanza of the main archive, with its suites replaced by bookworm-backports.
  awk -v RS= '/Suites:.*bookworm([ \n]|$)/ && !/security/ { sub(/Suites:[^\n]*/, "Suites: bookworm-backports"); print; exit }' \
    "$sources" > "$target"
  [ -s "$target" ] || { rm -f "$target"; echo "install-webgpu-driver: no bookworm stanza in $sources" >&2; exit 1; }
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers >/dev/null
