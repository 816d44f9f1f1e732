#!/usr/bin/env bash
# tools/test.sh: THE test command.  Builds and runs every test of Ember on every
# supported CPython and ends with one summary line "N passed, M failed[, K skipped]".
#
# Order of work (everything under build/, reused when present):
#   1. system packages: llvm-19-dev, check, pkg-config (apt-get, only if missing);
#   2. for CPython 3.10 3.11 3.12 3.13: find it (pyenv, then python3.1X on PATH;
#      a missing one is an ERROR, counted as a failure), make build/venv-3.1X,
#      pip install the build and test requirements;
#   3. the plain-C core (-Dpython=false) in build/core: meson test (Check + eir);
#   4. the same under AddressSanitizer + UndefinedBehaviorSanitizer in build/asan,
#      leaks detected, UB fatal;
#   5. per CPython, one after the other: pip install --no-build-isolation . and
#      pytest tests/python.
# Exit status: 0 only when nothing failed.  Logs: build/logs/.
#
# Environment knobs: EMBER_TEST_PYTHONS="3.12 3.13" (subset, for local use only;
# CI runs all four), EMBER_TEST_SKIP_ASAN=1, EMBER_TEST_PYTEST_ARGS="-x -k foo".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$ROOT/build
LOGS=$BUILD/logs
mkdir -p "$LOGS"

PYVERS=${EMBER_TEST_PYTHONS:-"3.10 3.11 3.12 3.13"}
PIP_REQS=(meson-python meson ninja numpy pytest hypothesis)
JOBS=2

PASSED=0 FAILED=0 SKIPPED=0
PROBLEMS=()
T0=$SECONDS

say() { printf '\n=== %s (%ds) ===\n' "$*" $((SECONDS - T0)); }
# Record a failure that is not a counted test (a missing CPython, a failed build).
problem() { echo "ERROR: $*" >&2; PROBLEMS+=("$*"); FAILED=$((FAILED + 1)); }

# -- 1. System packages ----------------------------------------------------------
need_apt() {
  local p
  for p in llvm-19-dev libzstd-dev zlib1g-dev check pkg-config; do
    dpkg -s "$p" >/dev/null 2>&1 || return 0
  done
  command -v llvm-config-19 >/dev/null 2>&1 || return 0
  command -v cc >/dev/null 2>&1 || return 0
  return 1
}
install_system() {
  need_apt || return 0
  say "apt-get install llvm-19-dev libzstd-dev zlib1g-dev check pkg-config"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends \
    llvm-19-dev libzstd-dev zlib1g-dev check pkg-config gcc libc6-dev ca-certificates || problem "apt-get install failed"
}

# -- 2. Interpreters and virtual environments -------------------------------------
# Print the path of CPython 'ver' (e.g. 3.12), newest patch release first; fail if none.
find_python() {
  local ver=$1 root="" cand
  if command -v pyenv >/dev/null 2>&1; then root=$(pyenv root 2>/dev/null); fi
  [ -n "$root" ] || root=${PYENV_ROOT:-$HOME/.pyenv}
  for cand in $(ls -d "$root"/versions/"$ver".* 2>/dev/null | sort -rV); do
    [[ $(basename "$cand") =~ ^$ver\.[0-9]+$ ]] || continue   # not 3.12.0rc1 builds or envs
    if [ -x "$cand/bin/python" ]; then echo "$cand/bin/python"; return 0; fi
  done
  cand=$(command -v "python$ver" 2>/dev/null) && [ -n "$cand" ] && { echo "$cand"; return 0; }
  return 1
}
# Make (or reuse) build/venv-'ver' with the requirements; 0 on success.
make_venv() {
  local ver=$1 py=$2 venv=$BUILD/venv-$1 log=$LOGS/venv-$1.log
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import sys; assert sys.version.startswith('$ver.')" 2>/dev/null; then
    rm -rf "$venv"
    "$py" -m venv "$venv" >"$log" 2>&1 || { cat "$log"; return 1; }
  fi
  if ! "$venv/bin/python" -m pip install -q --disable-pip-version-check "${PIP_REQS[@]}" >>"$log" 2>&1; then
    tail -30 "$log"; return 1
  fi
}

# -- 3./4. Meson tests of the plain-C core ----------------------------------------
# Add the counts of a finished `meson test` run (its testlog.json) to the totals:
# Check's "Checks: N, Failures: F, Errors: E" per executable, a runner's own
# "N passed, M failed" line, else one per meson test.
count_meson() {
  local dir=$1 out
  out=$("$TOOLPY" - "$dir/meson-logs/testlog.json" <<'EOF'
import json, re, sys
p = f = s = 0
try:
    lines = open(sys.argv[1]).read().splitlines()
except OSError:
    lines = []
for line in lines:
    if not line.strip():
        continue
    t = json.loads(line)
    res, out = t.get("result", ""), t.get("stdout", "") or ""
    ok = res in ("OK", "EXPECTEDFAIL")
    m = re.findall(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)", out)
    r = re.findall(r"^\D*?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?", out, re.M)
    if res == "SKIP":
        s += 1; continue
    if m:
        n, fl, er = map(int, m[-1]); bad = fl + er; p += n - bad; f += bad
    elif r:
        a, b, c = r[-1]; p += int(a); f += int(b); s += int(c or 0); bad = int(b)
    else:
        bad = 0 if ok else 1; p += 1 - bad; f += bad
    if not ok and bad == 0:   # passed its cases but failed (a sanitizer report at exit, a timeout)
        f += 1
        print("FAILED-TEST", t.get("name"), res, file=sys.stderr)
    elif not ok:
        print("FAILED-TEST", t.get("name"), res, file=sys.stderr)
print(p, f, s)
EOF
)
  read -r a b c <<<"$out"
  echo "meson test $dir: $a passed, $b failed, $c skipped"
  PASSED=$((PASSED + a)); FAILED=$((FAILED + b)); SKIPPED=$((SKIPPED + c))
}
# Configure 'dir' with 'args...' (once), build, run the tests named in $MESON_TESTS (all if empty).
meson_suite() {
  local dir=$1; shift
  local log=$LOGS/$(basename "$dir").log
  if [ ! -f "$dir/build.ninja" ]; then
    "$MESON" setup "$dir" -Dpython=false "$@" >"$log" 2>&1 || { tail -40 "$log"; problem "meson setup $dir failed"; return; }
  fi
  "$NINJA" -C "$dir" -j$JOBS >>"$log" 2>&1 || { grep -E "error|Error|FAILED" "$log" | head -40; problem "build of $dir failed (see $log)"; return; }
  rm -f "$dir/meson-logs/testlog.json"
  local tests=()
  if [ -n "${MESON_TESTS_EXCLUDE:-}" ]; then
    mapfile -t tests < <("$MESON" test -C "$dir" --list 2>/dev/null | sed 's/^ember://' | grep -vxE "$MESON_TESTS_EXCLUDE")
    [ ${#tests[@]} -gt 0 ] || { echo "no tests in $dir"; return; }
  fi
  "$MESON" test -C "$dir" --no-rebuild --num-processes $JOBS --print-errorlogs "${tests[@]}" 2>&1 | tail -n 60
  count_meson "$dir"
}

# -- Generated files ---------------------------------------------------------------
# The opcode table of CPython 'ver' must be what tools/gen_opcodes.py makes under
# that interpreter (generated files are never edited by hand): one test per version.
opcode_table_check() {
  local ver=$1 py=$2
  if "$py" "$ROOT/tools/gen_opcodes.py" --check; then
    echo "opcode table CPython $ver: up to date"; PASSED=$((PASSED + 1))
  else
    echo "FAILED: frontend/opcodes table of CPython $ver differs from tools/gen_opcodes.py's output"
    FAILED=$((FAILED + 1)); PROBLEMS+=("stale opcode table for CPython $ver")
  fi
}

# -- 5. pytest per interpreter ---------------------------------------------------
# Build and install Ember into build/venv-'ver', run pytest, add its counts.
pytest_suite() {
  local ver=$1 venv=$BUILD/venv-$1 log=$LOGS/pip-$1.log xml=$LOGS/pytest-$1.xml
  say "CPython $ver: pip install ."
  if ! "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation \
       --force-reinstall --no-deps --config-settings=build-dir="$BUILD/mpy-$ver" --config-settings=compile-args=-j$JOBS . >"$log" 2>&1; then
    grep -E "error|Error" "$log" | head -40 || true
    tail -15 "$log"
    problem "CPython $ver: pip install . failed (see $log)"
    return
  fi
  say "CPython $ver: pytest"
  rm -f "$xml"
  # Run from tests/ so that the source folder jit/ember can never shadow the installed package.
  (cd "$ROOT/tests" && PATH="$venv/bin:$PATH" "$venv/bin/python" -m pytest python -q -p no:cacheprovider \
     --junitxml="$xml" -o junit_family=xunit1 ${EMBER_TEST_PYTEST_ARGS:-}) 2>&1 | tee "$LOGS/pytest-$ver.log"
  local rc=${PIPESTATUS[0]}
  local counts
  counts=$("$venv/bin/python" - "$xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print("0 0 0"); sys.exit()
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
n = f = s = 0
for su in suites:
    n += int(su.get("tests", 0)); f += int(su.get("failures", 0)) + int(su.get("errors", 0))
    s += int(su.get("skipped", 0))
print(n - f - s, f, s)
EOF
)
  local a b c
  read -r a b c <<<"$counts"
  echo "pytest CPython $ver: $a passed, $b failed, $c skipped (exit $rc)"
  PASSED=$((PASSED + a)); FAILED=$((FAILED + b)); SKIPPED=$((SKIPPED + c))
  if [ "$rc" -ne 0 ] && [ "$b" -eq 0 ]; then
    problem "CPython $ver: pytest exited $rc with no failed test counted (collection error or no tests)"
  fi
}

# -- Main --------------------------------------------------------------------------
install_system

declare -A PY=()
for v in $PYVERS; do
  if p=$(find_python "$v"); then PY[$v]=$p; echo "CPython $v: $p"
  else problem "CPython $v is supported but not installed on this machine (no pyenv version, no python$v on PATH)"; fi
done

TOOLPY=""
MESON="" NINJA=""
for v in $PYVERS; do
  [ -n "${PY[$v]:-}" ] || continue
  opcode_table_check "$v" "${PY[$v]}"
  say "CPython $v: venv build/venv-$v"
  if make_venv "$v" "${PY[$v]}"; then
    if [ -z "$MESON" ]; then
      TOOLPY=$BUILD/venv-$v/bin/python; MESON=$BUILD/venv-$v/bin/meson; NINJA=$BUILD/venv-$v/bin/ninja
      export PATH="$BUILD/venv-$v/bin:$PATH"   # python3 for the eir runner, ninja for meson
    fi
  else
    problem "CPython $v: could not make build/venv-$v"; unset "PY[$v]"
  fi
done

if [ -n "$MESON" ]; then
  say "plain-C core: build/core, meson test"
  MESON_TESTS_EXCLUDE="" meson_suite "$BUILD/core"
  if [ "${EMBER_TEST_SKIP_ASAN:-0}" != 1 ]; then
    say "plain-C core under ASan+UBSan: build/asan, meson test"
    # Every test runs here, test_targets included (LLVM itself is not instrumented).
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:print_summary=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:print_summary=1 \
    MESON_TESTS_EXCLUDE="" \
      meson_suite "$BUILD/asan" -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized
  fi
else
  problem "no virtual environment with meson: C tests not run"
fi

for v in $PYVERS; do
  [ -n "${PY[$v]:-}" ] || continue
  pytest_suite "$v"
done

say "done"
for p in "${PROBLEMS[@]}"; do echo "ERROR: $p"; done
if [ "$SKIPPED" -gt 0 ]; then
  echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
else
  echo "$PASSED passed, $FAILED failed"
fi
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
