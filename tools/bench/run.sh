#!/usr/bin/env bash
# tools/bench/run.sh: make build/venv-bench (Numba from PyPI + this package) and
# run bench_scalar.py with it.  PYTHON=python3.12 picks the interpreter;
# arguments go to bench_scalar.py (--fresh N, --reps N, --json FILE).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
VENV=build/venv-bench
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -U numba meson-python meson ninja numpy
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps \
  --config-settings=build-dir="$PWD/build/mpy-bench" --config-settings=compile-args=-j2 .
cd build   # never import the source tree
exec "$PWD/../$VENV/bin/python" ../tools/bench/bench_scalar.py "$@"
