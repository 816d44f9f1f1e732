#!/usr/bin/env python3
"""tools/run_eir.py: run the IR-in, IR-out tests (tests/ir/**/*.eir).

    run_eir.py EMBER_OPT [DIR_OR_FILE ...]

Each .eir file (names starting with _ are skipped) holds functions in IR
text and directives in comments:

  ; test: infer fold dce     the pipeline ember-opt runs (its -p)
  ; check: TEXT             TEXT must be on an output line at or after the
                            line the previous check matched (like FileCheck's
                            CHECK); {{REGEX}} matches a regular expression
  ; check-next: TEXT        TEXT must be on the line right after the previous match
  ; check-not: TEXT         TEXT must not appear between the previous match
                            and the next one (or the end)
  ; error: TEXT             ember-opt must fail with TEXT in its error output
  ;| LINE                   full expected output, one line each; with
                            EMBER_BLESS=1 these lines are rewritten from the
                            actual output (review the diff)

Prints one line per file and a final "N passed, M failed" line; exits
nonzero when any file failed.
"""
import os
import re
import subprocess
import sys


def pattern(text):
    """Regex for a check line: literal text with {{regex}} holes."""
    out, pos = [], 0
    for m in re.finditer(r"\{\{(.*?)\}\}", text):
        out.append(re.escape(text[pos:m.start()]))
        out.append(m.group(1))
        pos = m.end()
    out.append(re.escape(text[pos:]))
    return re.compile("".join(out))


def directives(src):
    checks, errors, full = [], [], []
    for line in src.splitlines():
        s = line.strip()
        m = re.match(r";\s*(check|check-next|check-not|error):\s?(.*)$", s)
        if m:
            kind, text = m.group(1), m.group(2).rstrip()
            (errors if kind == "error" else checks).append((kind, text))
        elif s.startswith(";|"):
            full.append(s[3:] if s.startswith(";| ") else s[2:])
    return checks, errors, full


def run_checks(checks, out_lines):
    """Return None if every check holds, else a message."""
    pos = 0          # next line a check may match
    last = -1        # line of the previous match
    nots = []
    for kind, text in checks:
        rx = pattern(text)
        if kind == "check-not":
            nots.append((text, rx))
            continue
        if kind == "check-next":
            found = last + 1 if last + 1 < len(out_lines) and rx.search(out_lines[last + 1]) else None
            if found is None:
                return "check-next failed: %r after line %d" % (text, last + 1)
        else:
            found = next((i for i in range(pos, len(out_lines)) if rx.search(out_lines[i])), None)
            if found is None:
                return "check failed: %r not found after line %d" % (text, pos)
        for ntext, nrx in nots:
            for i in range(pos, found):
                if nrx.search(out_lines[i]):
                    return "check-not failed: %r on line %d" % (ntext, i + 1)
        nots = []
        last, pos = found, found + 1
    for ntext, nrx in nots:
        for i in range(pos, len(out_lines)):
            if nrx.search(out_lines[i]):
                return "check-not failed: %r on line %d" % (ntext, i + 1)
    return None


def bless(path, src, out):
    lines = [l for l in src.splitlines() if not l.strip().startswith(";|")]
    while lines and not lines[-1].strip():
        lines.pop()
    lines += [""] + [(";| " + l) if l else ";|" for l in out.splitlines()]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def run_file(opt, path):
    with open(path) as f:
        src = f.read()
    checks, errors, full = directives(src)
    p = subprocess.run([opt, path], capture_output=True, text=True, timeout=60)
    out, err = p.stdout, p.stderr
    if p.returncode not in (0, 1):
        return "ember-opt exited %d: %s" % (p.returncode, err.strip()[:300])
    if errors:
        if p.returncode == 0:
            return "expected an error, got none"
        for _, text in errors:
            if not pattern(text).search(err):
                return "error %r not in: %s" % (text, err.strip()[:300])
    elif p.returncode != 0:
        return "ember-opt failed: %s" % err.strip()[:300]
    msg = run_checks(checks, out.splitlines())
    if msg:
        return msg
    if full or os.environ.get("EMBER_BLESS") == "1" and not checks and not errors:
        if os.environ.get("EMBER_BLESS") == "1":
            bless(path, src, out)
            return None
        if out.splitlines() != full:
            return "output differs from the ;| lines (EMBER_BLESS=1 rewrites them)"
    if not checks and not errors and not full:
        return "no check, error or ;| lines"
    return None


def files(args):
    for a in args:
        if os.path.isfile(a):
            yield a
            continue
        for root, dirs, names in os.walk(a):
            dirs.sort()
            for n in sorted(names):
                if n.endswith(".eir") and not n.startswith("_"):
                    yield os.path.join(root, n)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    opt = sys.argv[1]
    targets = sys.argv[2:] or [os.path.join(os.path.dirname(__file__), "..", "tests", "ir")]
    passed = failed = 0
    for path in files(targets):
        try:
            msg = run_file(opt, path)
        except subprocess.TimeoutExpired:
            msg = "timeout"
        if msg:
            failed += 1
            print("FAIL %s: %s" % (path, msg))
        else:
            passed += 1
            print("ok   %s" % path)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
