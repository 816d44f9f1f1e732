"""python -m ember cache: look at and clear Ember's on-disk cache.

    python -m ember cache [list]           entries (function, signature, size, age) and totals
    python -m ember cache clear [PATTERN]  remove all entries, or those whose function matches
                                           PATTERN (fnmatch, on "qualname" or "module.qualname")
    python -m ember cache dir              print the cache directory

The directory is $EMBER_CACHE_DIR, else $XDG_CACHE_HOME/ember, else
~/.cache/ember.  The entry layout is described in jit/cache.c; this reads the
header only (the checksum is checked when an entry is loaded).
"""
import fnmatch
import os
import struct
import sys
import time

from . import cache_dir

MAGIC = b"EMBERC\0\n"
FORMAT = 1
FIXED = 88


def _read_str(b, i):
    (n,) = struct.unpack_from("<H", b, i)
    return b[i + 2:i + 2 + n].decode("utf-8", "replace"), i + 2 + n


def read_header(path):
    """The header of entry 'path' as a dict; 'damaged' holds the reason when it cannot be read."""
    st = os.stat(path)
    info = {"path": path, "size": st.st_size, "mtime": st.st_mtime, "qualname": "?", "module": "?",
            "signature": "?", "callees": 0, "damaged": None}
    try:
        with open(path, "rb") as f:
            head = f.read(FIXED)
            if len(head) < FIXED or head[:8] != MAGIC:
                info["damaged"] = "not an Ember cache entry" if head[:8] != MAGIC else "truncated"
                return info
            fmt, hsize, psize = struct.unpack_from("<IIQ", head, 8)
            if fmt != FORMAT:
                info["damaged"] = f"format {fmt}, not {FORMAT}"
                return info
            if hsize < FIXED or hsize + psize != st.st_size:
                info["damaged"] = "truncated"
                return info
            b = head + f.read(hsize - FIXED)
        nargs, nret = b[FIXED + 1], b[FIXED + 2]
        i = FIXED + 4 + nargs + nret
        (info["created"],) = struct.unpack_from("<Q", b, i)
        i += 8
        info["qualname"], i = _read_str(b, i)
        info["module"], i = _read_str(b, i)
        info["symbol"], i = _read_str(b, i)
        info["signature"], i = _read_str(b, i)
        (info["callees"],) = struct.unpack_from("<I", b, i)
    except (OSError, struct.error, IndexError) as e:
        info["damaged"] = f"unreadable header ({e})"
    return info


def entries(directory):
    """Headers of every entry in 'directory', most recently used first."""
    out = []
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return out
    for name in names:
        if name.endswith(".emc") and not name.startswith("."):
            try:
                out.append(read_header(os.path.join(directory, name)))
            except FileNotFoundError:   # evicted meanwhile
                pass
    out.sort(key=lambda e: e["mtime"], reverse=True)
    return out


def _size(n):
    for unit in ("B", "KiB", "MiB"):
        if n < 1024 or unit == "MiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


def _age(seconds):
    s = max(0, int(seconds))
    for unit, n in (("d", 86400), ("h", 3600), ("m", 60)):
        if s >= n:
            return f"{s // n}{unit}"
    return f"{s}s"


def _bound():
    try:
        mb = float(os.environ.get("EMBER_CACHE_MAX_MB", "256"))
    except ValueError:
        mb = 256.0
    return f"{mb:g} MiB" if mb > 0 else "none"


def cmd_list(directory):
    es = entries(directory)
    now = time.time()
    rows = [(f"{e['module']}.{e['qualname']}" if e["module"] else e["qualname"],
             e["signature"] if not e["damaged"] else f"<damaged: {e['damaged']}>",
             _size(e["size"]), _age(now - e["mtime"])) for e in es]
    head = ("function", "signature", "size", "last used")
    if rows:
        w = [max(len(r[i]) for r in rows + [head]) for i in range(4)]
        print(f"{head[0]:<{w[0]}}  {head[1]:<{w[1]}}  {head[2]:>{w[2]}}  {head[3]:>{w[3]}}")
        for r in rows:
            print(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]:>{w[2]}}  {r[3]:>{w[3]}}")
    total = sum(e["size"] for e in es)
    nfun = len({(e["module"], e["qualname"]) for e in es})
    print(f"{len(es)} entries of {nfun} functions, {_size(total)} in {directory} (bound {_bound()})")
    return 0


def cmd_clear(directory, pattern=None):
    n = size = 0
    for e in entries(directory):
        full = f"{e['module']}.{e['qualname']}"
        if pattern and not (fnmatch.fnmatchcase(e["qualname"], pattern) or fnmatch.fnmatchcase(full, pattern)):
            continue
        try:
            os.unlink(e["path"])
            n += 1
            size += e["size"]
        except FileNotFoundError:
            pass
    if not pattern and os.path.isdir(directory):
        for name in os.listdir(directory):
            if name.startswith(".tmp-"):
                try:
                    os.unlink(os.path.join(directory, name))
                except OSError:
                    pass
    what = f" matching {pattern!r}" if pattern else ""
    print(f"removed {n} entries{what} ({_size(size)}) from {directory}")
    return 0


USAGE = "usage: python -m ember cache [list | clear [PATTERN] | dir]"


def main(argv):
    if not argv or argv[0] != "cache":
        print(USAGE, file=sys.stderr)
        return 2
    directory = cache_dir()
    if directory is None:
        print("ember: no cache directory (set EMBER_CACHE_DIR)", file=sys.stderr)
        return 1
    args = argv[1:] or ["list"]
    if args[0] == "list" and len(args) == 1:
        return cmd_list(directory)
    if args[0] == "clear" and len(args) <= 2:
        return cmd_clear(directory, args[1] if len(args) == 2 else None)
    if args[0] == "dir" and len(args) == 1:
        print(directory)
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
