"""Arrays created in compiled code: np.empty and the library's creation
functions, returning them (alone and in tuples), and memory: a million calls
that allocate keep the resident memory flat."""
import os

import numpy as np
import pytest

import ember
from arrhelpers import check, same


def _rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@ember.jit
def creators(n, m):
    return (np.zeros(n), np.ones((n, m)), np.zeros((n, m), np.int32), np.ones(n, dtype=np.float32),
            np.full(n, 7), np.full((n, m), 2.5), np.full(n, 3, np.uint8), np.eye(n), np.eye(n, m, 1, np.int64),
            np.empty(n).shape)


@ember.jit
def ranges(n, m):
    return (np.arange(n), np.arange(1, n, 2), np.arange(0.0, n, 0.1), np.arange(n, 0, -3),
            np.linspace(0, 1, n), np.linspace(-2.5, 7.0, m, endpoint=False))


@ember.jit
def likes(a):
    return np.zeros_like(a), np.ones_like(a), np.full_like(a, 4), np.empty_like(a).shape, np.zeros_like(a, np.int8)


@ember.jit
def build(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i * i
    return a


@ember.jit
def pair(n):
    a = np.empty((n, 3), np.int16)
    a[:] = 5
    return a, n


@ember.jit
def temporary(n):
    a = np.zeros(n)
    b = a[1:]
    return b.shape[0] + a.size


def test_creation_functions():
    for n, m in ((0, 0), (1, 3), (4, 5), (7, 2)):
        check(creators, n, m)
        check(ranges, n, m)


def test_like_functions():
    for a in (np.arange(5.0), np.zeros((2, 3), np.int32), np.zeros(0, np.complex64)):
        check(likes, a)


def test_returned_arrays():
    for n in (0, 1, 10):
        check(build, n)
        check(pair, n)
        check(temporary, n + 1)


def test_negative_dimensions():
    with pytest.raises(ValueError, match="negative dimensions"):
        build(-1)


def test_allocation_in_a_loop_is_freed():
    @ember.jit
    def churn(n):
        s = 0.0
        for i in range(n):
            t = np.zeros(4)
            t[i % 4] = i
            s += t[i % 4]
        return s

    assert churn(1000) == churn.py_func(1000)


@pytest.mark.slow
def test_a_million_calls_keep_memory_flat():
    x = np.arange(10.0)

    @ember.jit
    def view(a):
        return a[::2], a.T

    for f, arg in ((build, 10), (temporary, 10), (view, x), (build, 1000)):
        for _ in range(20000):
            f(arg)
        r0 = _rss_mib()
        for _ in range(1000000):
            f(arg)
        grew = _rss_mib() - r0
        assert grew < 20, f"{f.__name__}: resident memory grew {grew:.1f} MiB over a million calls"
