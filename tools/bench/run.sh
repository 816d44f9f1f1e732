#!/usr/bin/env bash
# tools/bench/run.sh: make build/venv-bench (Numba from PyPI + this package) and
# run bench_scalar.py with it.  PYTHON=python3.12 picks the interpreter;
# arguments go to bench_scalar.py (--fresh N, --reps N, --json FILE).
#   run.sh --expr [ARGS]: also install numexpr, PyTensor and JAX into the same
#   venv (never dependencies of Ember) and run bench_expr.py ARGS instead
#   (--n N, --reps N, --fresh N, --parts abc, --json FILE), then
#   bench_stability.py, which adds its PyTensor column.  PyTensor pins Numba
#   (<= 0.65.1 for PyTensor 3.0), so this step installs the newest Numba that
#   PyTensor allows; the plain step upgrades it again.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
VENV=build/venv-bench
BENCH=bench_scalar.py
PEERS=numba
if [ "${1:-}" = "--expr" ]; then
  shift
  BENCH=bench_expr.py
  PEERS="numba numexpr pytensor jax"
fi
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -U $PEERS meson-python meson ninja numpy
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps \
  --config-settings=build-dir="$PWD/build/mpy-bench" --config-settings=compile-args=-j2 .
cd build   # never import the source tree
if [ "$BENCH" = bench_expr.py ]; then
  "$PWD/../$VENV/bin/python" ../tools/bench/bench_expr.py "$@"
  exec "$PWD/../$VENV/bin/python" ../tools/bench/bench_stability.py
fi
exec "$PWD/../$VENV/bin/python" ../tools/bench/bench_scalar.py "$@"
