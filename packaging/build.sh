#!/usr/bin/env bash
# Build the double-click bundle from a clean clone:
#   dist/sipstory-desktop/            one directory: sipstory-desktop, sipstory-keys, _internal/
#   dist/sipstory-desktop-VERSION-linux-ARCH.tar.gz
# It makes its own build venv (build/venv-bundle) and installs the project into it.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/venv-bundle
pyinstaller_version=6.22.3

# PyInstaller reads shared libraries with binutils; Debian's python3 needs python3-venv.
missing=()
if command -v dpkg-query >/dev/null; then
  for pkg in binutils python3-venv; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q . "pyinstaller==$pyinstaller_version"

"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/sipstory-desktop.spec

version=$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("sipstory-desktop"))')
tarball="dist/sipstory-desktop-$version-linux-$(uname -m).tar.gz"
tar -C dist -czf "$tarball" sipstory-desktop
echo "bundle:  dist/sipstory-desktop ($(du -sh dist/sipstory-desktop | cut -f1))"
echo "tarball: $tarball ($(du -h "$tarball" | cut -f1))"
