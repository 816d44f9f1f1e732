#!/usr/bin/env bash
# tools/setup.sh: the setup and demo command.  Installs what is missing,
# builds Ember into build/venv-demo and runs tools/demo.py.
#
#   1. Debian packages llvm-19-dev, check, pkg-config (apt-get, only if missing);
#   2. a virtual environment build/venv-demo with the default python3 (PYTHON=...
#      picks another), with meson-python, meson, ninja, NumPy, pytest, hypothesis;
#   3. pip install --no-build-isolation . (the build uses the venv's meson);
#   4. python tools/demo.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=build/venv-demo

missing=0
for p in llvm-19-dev libzstd-dev zlib1g-dev check pkg-config; do dpkg -s "$p" >/dev/null 2>&1 || missing=1; done
command -v llvm-config-19 >/dev/null 2>&1 || missing=1
command -v cc >/dev/null 2>&1 || missing=1
if [ "$missing" = 1 ]; then
  echo "== apt-get install llvm-19-dev libzstd-dev zlib1g-dev check pkg-config"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends llvm-19-dev libzstd-dev zlib1g-dev check pkg-config gcc libc6-dev \
    python3 python3-venv python3-dev ca-certificates
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "== $PY -m venv $VENV"
  "$PY" -m venv "$VENV"
fi
echo "== pip install meson-python meson ninja numpy pytest hypothesis"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check meson-python meson ninja numpy pytest hypothesis
echo "== pip install . (building Ember)"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps \
  --config-settings=build-dir="$PWD/build/mpy-demo" --config-settings=compile-args=-j2 .
echo "== python tools/demo.py"
exec "$VENV/bin/python" tools/demo.py
