"""Array memory of compiled code (targets/native/rt_array.c): freed blocks of
1 MiB and more are kept for reuse; a block still owned by a live array is never
given out again, results stay correct, and resident memory stays bounded."""
import resource

import numpy as np

import ember


@ember.jit
def scaled(a, k):
    return a * k + 1.0


def test_live_results_keep_their_blocks():
    a = np.arange(300_000, dtype=np.float64)          # 2.4 MB results
    kept = [scaled(a, float(k)) for k in range(12)]    # all alive at once
    addrs = {r.ctypes.data for r in kept}
    assert len(addrs) == len(kept)                    # no block shared by two live arrays
    for k, r in enumerate(kept):
        np.testing.assert_array_equal(r, a * float(k) + 1.0)


def test_freed_block_is_reused_and_overwritten():
    a = np.arange(300_000, dtype=np.float64)
    r = scaled(a, 2.0)
    addr = r.ctypes.data
    del r                                              # freed: kept for the next result that fits
    r2 = scaled(a, 3.0)
    assert r2.ctypes.data == addr
    np.testing.assert_array_equal(r2, a * 3.0 + 1.0)   # every item written anew


def test_resident_memory_stays_bounded():
    a = np.ones(2_000_000)                             # 16 MB results
    for _ in range(3):
        scaled(a, 2.0)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for k in range(200):                               # 3.2 GB allocated in all
        r = scaled(a, float(k))
        assert r[0] == k + 1.0
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, grown_mb
