#!/usr/bin/env bash
# Runs a command as on a "fresh machine" that has Node and npm and nothing else: inside a private
# mount namespace (needs root and unshare), the C/C++ compilers, make, pkg-config, Python,
# Chromium and OpenBLAS's libraries and headers are hidden — overlays with whiteouts over /usr/bin
# and tmpfs over the folders behind them. Nothing outside the namespace changes.
#   sudo tools/bare-machine.sh bash -c 'git clone … /tmp/x && cd /tmp/x && npm install && npm test'
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: tools/bare-machine.sh COMMAND [ARGS…]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bare-machine: needs root (unshare -m)" >&2; exit 1; }
exec unshare -m bash -s "$@" <<'INNER'
set -euo pipefail
mount --make-rprivate /
hide_files() {  # hide_files DIR NAME… : an overlay on DIR whose upper layer deletes the names
  local dir=$1; shift
  local layer; layer=$(mktemp -d /tmp/bare-machine.XXXXXX)
  mount -t tmpfs tmpfs "$layer"
  mkdir -p "$layer/up" "$layer/work"
  mount -t overlay overlay -o "lowerdir=$dir,upperdir=$layer/up,workdir=$layer/work" "$dir"
  local name
  for name in "$@"; do rm -f "$dir"/$name; done
}
hide_files /usr/bin 'c++' 'g++' 'g++-*' 'gcc' 'gcc-*' 'cc' 'cpp' 'cpp-*' 'clang*' 'x86_64-linux-gnu-*' \
  'make' 'pkg-config' 'pkgconf' 'python3' 'python3.*' 'chromium' 'chromium-browser'
for dir in /usr/lib/gcc /usr/lib/x86_64-linux-gnu/openblas-pthread /usr/include/x86_64-linux-gnu/openblas-pthread \
  /usr/lib/x86_64-linux-gnu/openblas-openmp /usr/lib/x86_64-linux-gnu/openblas-serial /usr/lib/chromium; do
  [ -d "$dir" ] && mount -t tmpfs tmpfs "$dir"
done
# pyenv and friends put Python on PATH from elsewhere: keep PATH to the system folders.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
for tool in c++ g++ gcc cc make pkg-config python3 chromium; do
  if command -v "$tool" >/dev/null; then echo "bare-machine: $tool is still there" >&2; exit 1; fi
done
[ ! -e /usr/lib/x86_64-linux-gnu/libopenblas.so.0 ] && [ ! -e /usr/include/x86_64-linux-gnu/cblas.h ] ||
  { echo "bare-machine: OpenBLAS is still there" >&2; exit 1; }
echo "bare-machine: no compiler, make, pkg-config, Python, Chromium or OpenBLAS in this namespace" >&2
exec "$@"
INNER
