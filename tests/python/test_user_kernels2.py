"""User-style kernels, round 2: compiled and interpreted side by side.

A second, different set of the kernels Numba users write: finite differences
and ODE steps, Monte Carlo over random arrays made outside and passed in, image
filters, prefix algorithms, sorting and searching by hand, sieves, dynamic
programming, digit parsing, bit tricks on int64/uint64/uint8, integer and float
edge values, complex arithmetic, small-dtype arrays with Python scalars (NEP
50), control flow with early exits, tuples, calls between jitted functions,
recursion, globals, defaults and keywords, short-circuit side effects, views
written through, reductions with an axis, 0-d arrays and NumPy scalars.

Each test runs the compiled kernel and f.py_func on copies of the same
generated inputs (seeded numpy Generators, edge values mixed in) and demands
the same result (types included, floats to the bit), the same effect on the
argument arrays and the same exception type (arrhelpers.check).  Known
failures are strict xfails whose reason says what is wrong.
"""
import cmath
import math

import numpy as np
import pytest

import ember
from arrhelpers import _py, check, same

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

SIZES = [0, 1, 2, 7, 33]

INT64_MAX = 2 ** 63 - 1
INT64_MIN = -2 ** 63
GRAVITY = 9.81
NBINS = 8
COEFFS = (1.0, -2.0, 0.5)
EPS32 = np.float32(1e-3)


def rng(seed):
    return np.random.default_rng(seed)


def xfail(reason):
    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)


def unsupported(reason):
    return pytest.mark.xfail(strict=True, raises=ember.CompileError, reason=reason)


def check_close(f, *args, rtol=1e-13):
    """check(), but float results within 'rtol' (NumPy's own exp or summation order may differ in the last bits)."""
    got, want = f(*args), f.py_func(*args)
    gs, ws = (got, want) if isinstance(got, tuple) else ((got,), (want,))
    assert len(gs) == len(ws)
    for g, w in zip(gs, ws):
        assert type(_py(g)) is type(_py(w)) and np.asarray(g).dtype == np.asarray(w).dtype, (g, w)
        assert np.shape(g) == np.shape(w) and np.allclose(g, w, rtol=rtol, atol=0.0, equal_nan=True), (g, w)


def check_message(f, *args):
    """check(), and the same exception text where the interpreter raises."""
    try:
        want = f.py_func(*args)
    except Exception as e:  # noqa: BLE001 - an exception is a result here
        with pytest.raises(type(e)) as got:
            f(*args)
        assert str(got.value) == str(e)
        return
    assert same(f(*args), want)


def check_or_refused(f, *args):
    """A construct this release may refuse (other work adds such features): either a
    CompileError naming this file and a line, or the compiled result checked."""
    try:
        f(*args)
    except ember.CompileError as e:
        assert "test_user_kernels2.py:" in str(e), str(e)
        return
    except Exception:  # noqa: BLE001 - compiled, and raised: check() compares
        pass
    check(f, *args)


def compiled(f, *args):
    """f(*args) compiled; a CompileError must name this file and a line, and is raised again."""
    try:
        return f(*args)
    except ember.CompileError as e:
        assert "test_user_kernels2.py:" in str(e), str(e)
        raise


# -- finite differences and ODE steps -------------------------------------------

@ember.jit
def central_diff(y, h):
    n = y.shape[0]
    d = np.zeros(n)
    if n < 2:
        return d
    d[0] = (y[1] - y[0]) / h
    d[n - 1] = (y[n - 1] - y[n - 2]) / h
    for i in range(1, n - 1):
        d[i] = (y[i + 1] - y[i - 1]) / (2.0 * h)
    return d


@ember.jit
def wave_step(u, u_prev, c2):
    n = u.shape[0]
    u_next = np.empty_like(u)
    u_next[0] = 0.0
    u_next[n - 1] = 0.0
    for i in range(1, n - 1):
        u_next[i] = 2.0 * u[i] - u_prev[i] + c2 * (u[i - 1] - 2.0 * u[i] + u[i + 1])
    return u_next


@ember.jit
def lorenz_rhs(x, y, z, sigma=10.0, rho=28.0, beta=8.0 / 3.0):
    return sigma * (y - x), x * (rho - z) - y, x * y - beta * z


@ember.jit
def lorenz_rk4(state, dt, steps):
    x, y, z = state[0], state[1], state[2]
    out = np.empty((steps, 3))
    for s in range(steps):
        k1 = lorenz_rhs(x, y, z)
        k2 = lorenz_rhs(x + 0.5 * dt * k1[0], y + 0.5 * dt * k1[1], z + 0.5 * dt * k1[2])
        k3 = lorenz_rhs(x + 0.5 * dt * k2[0], y + 0.5 * dt * k2[1], z + 0.5 * dt * k2[2])
        k4 = lorenz_rhs(x + dt * k3[0], y + dt * k3[1], z + dt * k3[2])
        x += dt / 6.0 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        y += dt / 6.0 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
        z += dt / 6.0 * (k1[2] + 2 * k2[2] + 2 * k3[2] + k4[2])
        out[s, 0] = x
        out[s, 1] = y
        out[s, 2] = z
    return out


@ember.jit
def projectile(v0, angle, dt):
    vx = v0 * math.cos(angle)
    vy = v0 * math.sin(angle)
    x = 0.0
    y = 0.0
    t = 0.0
    while y >= 0.0 and t < 1000.0:
        x += vx * dt
        vy -= GRAVITY * dt
        y += vy * dt
        t += dt
    return x, t


@ember.jit
def heat_2d(u, alpha, steps):
    n, m = u.shape
    a = u.copy()
    b = u.copy()
    for s in range(steps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                b[i, j] = a[i, j] + alpha * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1] - 4 * a[i, j])
        a, b = b, a
    return a


@pytest.mark.parametrize("n", SIZES)
def test_finite_differences(n):
    y = np.sin(np.linspace(0.0, 3.0, n))
    check(central_diff, y, 0.1)
    check(central_diff, y, 0.0)
    if n >= 2:
        check(wave_step, y, y * 0.99, 0.25)


def test_ode_steps():
    check(lorenz_rk4, np.array([1.0, 1.0, 1.0]), 0.01, 50)
    check(lorenz_rk4, np.array([1.0, 1.0, 1.0]), 0.01, 0)
    check(lorenz_rhs, 1.0, 2.0, 3.0)
    for v0, ang in [(10.0, 0.7), (0.0, 0.0), (50.0, 1.5)]:
        check(projectile, v0, ang, 0.01)
    u = rng(1).random((6, 7))
    check(heat_2d, u, 0.2, 5)
    check(heat_2d, u, 0.2, 0)


# -- Monte Carlo over random arrays passed in -------------------------------------

@ember.jit
def mc_pi(xs, ys):
    inside = 0
    for i in range(xs.shape[0]):
        if xs[i] * xs[i] + ys[i] * ys[i] <= 1.0:
            inside += 1
    return 4.0 * inside / xs.shape[0]


@ember.jit
def random_walk(steps):
    pos = 0
    best = 0
    for s in steps:
        pos += 1 if s > 0.5 else -1
        best = max(best, abs(pos))
    return pos, best


@ember.jit
def gbm_paths(z, s0, mu, sigma, dt):
    npath, nstep = z.shape
    out = np.empty(npath)
    for p in range(npath):
        s = s0
        for t in range(nstep):
            s *= math.exp((mu - 0.5 * sigma ** 2) * dt + sigma * math.sqrt(dt) * z[p, t])
        out[p] = s
    return out


def test_monte_carlo():
    r = rng(2)
    for n in [1, 10, 1000]:
        check(mc_pi, r.random(n), r.random(n))
        check(random_walk, r.random(n))
    check(mc_pi, np.zeros(0), np.zeros(0))    # ZeroDivisionError in both
    check(gbm_paths, r.standard_normal((4, 30)), 100.0, 0.05, 0.2, 1 / 252)


# -- image filters ----------------------------------------------------------------

@ember.jit
def box_blur(img):
    h, w = img.shape
    out = np.zeros((h, w), dtype=np.float64)
    for i in range(h):
        for j in range(w):
            s = 0.0
            c = 0
            for di in range(-1, 2):
                for dj in range(-1, 2):
                    ii = i + di
                    jj = j + dj
                    if 0 <= ii < h and 0 <= jj < w:
                        s += img[ii, jj]
                        c += 1
            out[i, j] = s / c
    return out


@ember.jit
def sobel_mag(img):
    h, w = img.shape
    out = np.zeros((h, w))
    for i in range(1, h - 1):
        for j in range(1, w - 1):
            gx = (img[i - 1, j + 1] + 2 * img[i, j + 1] + img[i + 1, j + 1]
                  - img[i - 1, j - 1] - 2 * img[i, j - 1] - img[i + 1, j - 1])
            gy = (img[i + 1, j - 1] + 2 * img[i + 1, j] + img[i + 1, j + 1]
                  - img[i - 1, j - 1] - 2 * img[i - 1, j] - img[i - 1, j + 1])
            out[i, j] = math.sqrt(gx * gx + gy * gy)
    return out


@ember.jit
def threshold_u8(img, t):
    out = np.empty_like(img)
    for i in range(img.shape[0]):
        for j in range(img.shape[1]):
            out[i, j] = 255 if img[i, j] > t else 0
    return out


@ember.jit
def brighten_u8(img, delta):
    h, w = img.shape
    for i in range(h):
        for j in range(w):
            v = int(img[i, j]) + delta
            img[i, j] = min(255, max(0, v))


@ember.jit
def invert_u8(img):
    return 255 - img


@ember.jit
def gray_from_rgb(rgb):
    h, w, _ = rgb.shape
    out = np.empty((h, w), dtype=np.float32)
    for i in range(h):
        for j in range(w):
            out[i, j] = 0.299 * rgb[i, j, 0] + 0.587 * rgb[i, j, 1] + 0.114 * rgb[i, j, 2]
    return out


@ember.jit
def histogram_u8(img):
    counts = np.zeros(256, dtype=np.int64)
    for v in img.ravel():
        counts[v] += 1
    return counts


@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (8, 5)])
def test_image_filters(shape):
    r = rng(3)
    img = r.integers(0, 256, shape).astype(np.uint8)
    check(box_blur, img)
    check(box_blur, img.astype(np.float32))
    check(sobel_mag, img.astype(np.float64))
    check(threshold_u8, img, 128)
    check(brighten_u8, img, 40)
    check(brighten_u8, img, -300)
    check(invert_u8, img)
    check(gray_from_rgb, r.integers(0, 256, shape + (3,)).astype(np.uint8))


def test_histogram_u8():
    img = rng(4).integers(0, 256, (5, 6)).astype(np.uint8)
    check(histogram_u8, img)


# -- sorting and searching by hand -------------------------------------------------

@ember.jit
def quicksort_inplace(a, lo, hi):
    if lo >= hi:
        return
    p = a[(lo + hi) // 2]
    i = lo
    j = hi
    while i <= j:
        while a[i] < p:
            i += 1
        while a[j] > p:
            j -= 1
        if i <= j:
            a[i], a[j] = a[j], a[i]
            i += 1
            j -= 1
    quicksort_inplace(a, lo, j)
    quicksort_inplace(a, i, hi)


@ember.jit
def selection_sort(a):
    b = a.copy()
    n = len(b)
    for i in range(n):
        m = i
        for j in range(i + 1, n):
            if b[j] < b[m]:
                m = j
        if m != i:
            t = b[i]
            b[i] = b[m]
            b[m] = t
    return b


@ember.jit
def merge_sorted(a, b):
    out = np.empty(a.shape[0] + b.shape[0], dtype=a.dtype)
    i = j = k = 0
    while i < a.shape[0] and j < b.shape[0]:
        if a[i] <= b[j]:
            out[k] = a[i]
            i += 1
        else:
            out[k] = b[j]
            j += 1
        k += 1
    while i < a.shape[0]:
        out[k] = a[i]
        i += 1
        k += 1
    while j < b.shape[0]:
        out[k] = b[j]
        j += 1
        k += 1
    return out


@ember.jit
def lower_bound(a, x):
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@ember.jit
def counting_sort_small(a, k):
    counts = np.zeros(k, dtype=np.int64)
    for v in a:
        counts[v] += 1
    out = np.empty_like(a)
    pos = 0
    for v in range(k):
        for _ in range(counts[v]):
            out[pos] = v
            pos += 1
    return out


@ember.jit
def is_sorted(a):
    for i in range(1, a.shape[0]):
        if a[i - 1] > a[i]:
            return False
    return True


@pytest.mark.parametrize("n", SIZES)
def test_sorting_and_searching(n):
    r = rng(5 + n)
    for a in [r.integers(-20, 20, n), r.standard_normal(n), r.integers(0, 100, n).astype(np.int32)]:
        b = a.copy()
        if n:
            check(quicksort_inplace, b, 0, n - 1)
        check(selection_sort, a)
        check(is_sorted, a)
        s = np.sort(a)
        check(is_sorted, s)
        check(merge_sorted, s, np.sort(a[: n // 2]))
        for x in [a.min() - 1 if n else 0, 0, 3, 1000]:
            check(lower_bound, s, x)
    check(counting_sort_small, r.integers(0, 5, n), 5)
    check(counting_sort_small, r.integers(0, 6, n + 1), 5)   # IndexError past k


def test_quicksort_matches_numpy():
    a = rng(6).standard_normal(200)
    b = a.copy()
    quicksort_inplace(b, 0, len(b) - 1)
    assert np.array_equal(b, np.sort(a))


# -- primes, gcd, lcm, integer loops -----------------------------------------------

@ember.jit
def primes_upto(n):
    sieve = np.ones(n + 1, dtype=np.bool_)
    sieve[:2] = False
    i = 2
    while i * i <= n:
        if sieve[i]:
            sieve[i * i::i] = False
        i += 1
    out = np.empty(sieve.sum(), dtype=np.int64)
    k = 0
    for j in range(n + 1):
        if sieve[j]:
            out[k] = j
            k += 1
    return out


@ember.jit
def primes_nonzero(n):
    sieve = np.ones(n + 1, dtype=np.bool_)
    sieve[:2] = False
    for i in range(2, int(math.sqrt(n)) + 1):
        if sieve[i]:
            sieve[i * i::i] = False
    return np.nonzero(sieve)[0]


@ember.jit
def nth_prime(k):
    count = 0
    cand = 1
    while count < k:
        cand += 1
        is_p = True
        d = 2
        while d * d <= cand:
            if cand % d == 0:
                is_p = False
                break
            d += 1
        if is_p:
            count += 1
    return cand


@ember.jit
def gcd_rec(a, b):
    return a if b == 0 else gcd_rec(b, a % b)


@ember.jit
def lcm_all(a):
    r = 1
    for v in a:
        g = gcd_rec(r, v)
        r = r // g * v
    return r


@ember.jit
def ext_gcd(a, b):
    old_r, r = a, b
    old_s, s = 1, 0
    old_t, t = 0, 1
    while r != 0:
        q = old_r // r
        old_r, r = r, old_r - q * r
        old_s, s = s, old_s - q * s
        old_t, t = t, old_t - q * t
    return old_r, old_s, old_t


@ember.jit
def modpow(b, e, m):
    result = 1
    b %= m
    while e > 0:
        if e & 1:
            result = result * b % m
        b = b * b % m
        e >>= 1
    return result


@ember.jit
def digit_sum(n):
    s = 0
    n = abs(n)
    while n:
        n, d = divmod(n, 10)
        s += d
    return s


@ember.jit
def parse_digits(codes):
    # ASCII codes of an optionally signed decimal integer, as a uint8 array
    i = 0
    sign = 1
    if codes.shape[0] > 0 and codes[0] == 45:
        sign = -1
        i = 1
    v = 0
    while i < codes.shape[0]:
        c = codes[i]
        if c < 48 or c > 57:
            raise ValueError("not a digit")
        v = v * 10 + (c - 48)
        i += 1
    return sign * v


@ember.jit
def reverse_number(n):
    r = 0
    while n > 0:
        r = r * 10 + n % 10
        n //= 10
    return r


def test_primes():
    for n in [0, 1, 2, 3, 30, 100]:
        check(primes_upto, n)
    for k in [1, 2, 10, 50]:
        check(nth_prime, k)


def test_primes_nonzero():
    # np.nonzero: refused (TypingError 'cannot call numpy.nonzero') or NumPy's result
    check_or_refused(primes_nonzero, 30)


def test_gcd_lcm():
    r = rng(7)
    for a, b in [(0, 0), (12, 18), (-12, 18), (12, -18), (INT64_MAX, 6), (7, 0), (0, -7)]:
        check(gcd_rec, a, b)
        check(ext_gcd, a, b)
    check(lcm_all, r.integers(1, 30, 10))
    check(lcm_all, np.arange(1, 60))         # past int64: both the exact big int
    check(lcm_all, np.array([4, 0, 6]))      # ZeroDivisionError in both


def test_modpow_digits():
    for b, e, m in [(2, 10, 1000), (3, 200, 1000000007), (-3, 5, 7), (5, 0, 1), (2, 5, -7), (2, 3, 0)]:
        check(modpow, b, e, m)
    for n in [0, 7, -12345, INT64_MAX, INT64_MIN]:
        check(digit_sum, n)
        check(reverse_number, n)
    for s in ["0", "123", "-9876543210", "12a", "-5x", "9223372036854775807", "99999999999999999999"]:
        check(parse_digits, np.frombuffer(s.encode(), dtype=np.uint8).copy())


# -- dynamic programming on int arrays ---------------------------------------------

@ember.jit
def edit_distance(a, b):
    n, m = a.shape[0], b.shape[0]
    d = np.zeros((n + 1, m + 1), dtype=np.int64)
    for i in range(n + 1):
        d[i, 0] = i
    for j in range(m + 1):
        d[0, j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + cost)
    return d[n, m]


@ember.jit
def knapsack(weights, values, cap):
    best = np.zeros(cap + 1, dtype=np.int64)
    for k in range(weights.shape[0]):
        w = weights[k]
        v = values[k]
        for c in range(cap, w - 1, -1):
            if best[c - w] + v > best[c]:
                best[c] = best[c - w] + v
    return best[cap]


@ember.jit
def lis_length(a):
    n = a.shape[0]
    if n == 0:
        return 0
    dp = np.ones(n, dtype=np.int64)
    for i in range(n):
        for j in range(i):
            if a[j] < a[i] and dp[j] + 1 > dp[i]:
                dp[i] = dp[j] + 1
    return dp.max()


@ember.jit
def coin_change_ways(coins, amount):
    ways = np.zeros(amount + 1, dtype=np.int64)
    ways[0] = 1
    for c in coins:
        for s in range(c, amount + 1):
            ways[s] += ways[s - c]
    return ways[amount]


@ember.jit
def max_subarray(a):
    best = a[0]
    cur = a[0]
    for i in range(1, len(a)):
        cur = max(a[i], cur + a[i])
        best = max(best, cur)
    return best


@ember.jit
def lcs_length(a, b):
    prev = np.zeros(b.shape[0] + 1, dtype=np.int32)
    for i in range(a.shape[0]):
        cur = np.zeros(b.shape[0] + 1, dtype=np.int32)
        for j in range(b.shape[0]):
            if a[i] == b[j]:
                cur[j + 1] = prev[j] + 1
            else:
                cur[j + 1] = max(prev[j + 1], cur[j])
        prev = cur
    return prev[b.shape[0]]


@pytest.mark.parametrize("n", SIZES)
def test_dynamic_programming(n):
    r = rng(8 + n)
    a = r.integers(0, 4, n)
    b = r.integers(0, 4, n // 2 + 1)
    check(edit_distance, a, b)
    check(lcs_length, a, b)
    if n:
        check(lis_length, r.standard_normal(n))
    check(knapsack, r.integers(1, 10, n), r.integers(0, 50, n), 20)
    check(coin_change_ways, np.array([1, 2, 5, 10]), 10 * n)
    check(max_subarray, r.integers(-10, 10, n))    # IndexError for n == 0 in both
    check(max_subarray, r.standard_normal(n))


@xfail("difference: a Python int and a NumPy int meeting at a return or a variable join to the NumPy "
       "int, so the path that returns the Python int gives np.int64(0) where CPython gives 0")
def test_python_int_joined_with_numpy_int():
    check(lis_length, np.zeros(0))


@xfail("difference: as test_python_int_joined_with_numpy_int (v = 0, then v = v * 10 + (c - 48) of a "
       "uint8 c): with no digits CPython returns the int 0, compiled np.uint8(0)")
def test_python_int_joined_with_numpy_int_no_digits():
    check(parse_digits, np.zeros(0, dtype=np.uint8))


# -- bit manipulation ---------------------------------------------------------------

@ember.jit
def popcount64(x):
    c = 0
    while x:
        x &= x - 1
        c += 1
    return c


@ember.jit
def popcount_array(a):
    out = np.zeros(a.shape[0], dtype=np.int64)
    for i in range(a.shape[0]):
        v = a[i]
        c = 0
        while v != 0:
            c += int(v & 1)
            v >>= 1
        out[i] = c
    return out


@ember.jit
def swar_popcount(x):
    # the classic SWAR popcount on uint64 scalars
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@ember.jit
def bit_reverse8(a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        v = a[i]
        r = 0
        for _ in range(8):
            r = (r << 1) | (v & 1)
            v >>= 1
        out[i] = r
    return out


@ember.jit
def xor_checksum(a):
    h = np.uint64(0)
    for v in a:
        h ^= v
        h = (h << np.uint64(5)) | (h >> np.uint64(59))
    return h


@ember.jit
def lowest_set_bit(x):
    return x & -x


@ember.jit
def pack_bits(flags):
    out = np.zeros((flags.shape[0] + 7) // 8, dtype=np.uint8)
    for i in range(flags.shape[0]):
        if flags[i]:
            out[i // 8] |= 1 << (7 - i % 8)
    return out


@ember.jit
def mask_shift_ops(a, s):
    t = 0
    for v in a:
        t += (v << s) ^ (v >> s) & 0xFF | ~v
    return t


@ember.jit
def shift_amounts(x, s):
    return x << s, x >> s


@ember.jit
def gray_code(n):
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        out[i] = i ^ (i >> 1)
    return out


def test_bit_tricks():
    r = rng(9)
    for x in [0, 1, 255, 2 ** 40 + 3, INT64_MAX, -1, INT64_MIN]:
        check(popcount64, x) if x >= 0 else None
        check(lowest_set_bit, x)
    for dt in [np.uint8, np.uint64, np.int32]:
        info = np.iinfo(dt)
        a = r.integers(0, info.max, 9, dtype=dt, endpoint=True)
        a[0] = info.max
        check(popcount_array, a)
    u = np.array([0, 1, 2 ** 64 - 1, 0x8000000000000000, 12345678901234567], dtype=np.uint64)
    for v in u:
        check(swar_popcount, v)
    check(xor_checksum, u)
    check(bit_reverse8, r.integers(0, 256, 10).astype(np.uint8))
    check(pack_bits, r.integers(0, 2, 13).astype(np.bool_))
    check(pack_bits, np.zeros(0, dtype=np.bool_))
    check(mask_shift_ops, r.integers(-1000, 1000, 10), 3)
    check(mask_shift_ops, r.integers(0, 200, 10).astype(np.uint8), 3)
    check(mask_shift_ops, r.integers(-100, 100, 10).astype(np.int8), 2)
    check(gray_code, 17)


def test_shift_edges():
    for x, s in [(1, 63), (1, 64), (-1, 70), (3, 62), (5, 0), (1, -1), (INT64_MIN, 1), (INT64_MAX, 1), (0, 1000)]:
        check(shift_amounts, x, s)


# -- integer edges ----------------------------------------------------------------------

@ember.jit
def floordiv_mod_table(a, b):
    n = a.shape[0]
    q = np.empty(n, dtype=np.int64)
    m = np.empty(n, dtype=np.int64)
    for i in range(n):
        q[i] = a[i] // b[i]
        m[i] = a[i] % b[i]
    return q, m


@ember.jit
def py_divmod_edges(a, b):
    return a // b, a % b, divmod(a, b), -a // b, a % -b


@ember.jit
def int_pow_edges(b, e):
    return b ** e


@ember.jit
def abs_neg(x):
    return abs(x), -x


@ember.jit
def sum_squares_int(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


@ember.jit
def factorial_loop(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


@ember.jit
def np_int_wrap(a):
    # NumPy ints wrap silently where Python ints grow
    s = a[0]
    for i in range(1, a.shape[0]):
        s = s * a[i] + a[i]
    return s


@ember.jit
def mixed_int_widths(a8, b32):
    out = np.empty(a8.shape[0], dtype=np.int64)
    for i in range(a8.shape[0]):
        out[i] = a8[i] * b32[i] - a8[i] // 3
    return out


def test_int_edges():
    r = rng(10)
    a = r.integers(-100, 100, 20)
    b = r.integers(-7, 8, 20)
    b[b == 0] = 3
    check(floordiv_mod_table, a, b)
    b[4] = 0
    check(floordiv_mod_table, a, b)     # ZeroDivisionError... NumPy's int // 0 gives 0 with a warning
    for x, y in [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (INT64_MIN, -1), (INT64_MIN, 1), (INT64_MAX, -1),
                 (5, 0), (INT64_MIN, INT64_MAX)]:
        check(py_divmod_edges, x, y)
    for bb, e in [(2, 10), (2, 62), (2, 63), (2, 64), (-2, 63), (2, -1), (2, -3), (0, -1), (-3, 3), (10, 18),
                  (10, 19), (1, -5), (-1, -5), (7, 0), (0, 0)]:
        check(int_pow_edges, bb, e)
    for x in [0, 5, -5, INT64_MAX, INT64_MIN]:
        check(abs_neg, x)
        check(abs_neg, np.int64(x))
    check(abs_neg, np.int8(-128))
    check(abs_neg, np.int32(-2 ** 31))
    for n in [0, 10, 3000000]:
        check(sum_squares_int, n)
    for n in [0, 1, 20, 21, 30]:
        check(factorial_loop, n)
    check(np_int_wrap, r.integers(-10 ** 6, 10 ** 6, 12))
    check(np_int_wrap, r.integers(0, 250, 12).astype(np.uint8))
    check(mixed_int_widths, r.integers(-128, 128, 9).astype(np.int8), r.integers(-10 ** 9, 10 ** 9, 9).astype(np.int32))


# -- float edges ------------------------------------------------------------------------

@ember.jit
def float_classify(a):
    nans = infs = zeros_neg = subn = 0
    for v in a:
        if math.isnan(v):
            nans += 1
        elif math.isinf(v):
            infs += 1
        elif v == 0.0 and math.copysign(1.0, v) < 0:
            zeros_neg += 1
        elif v != 0.0 and abs(v) < 2.2250738585072014e-308:
            subn += 1
    return nans, infs, zeros_neg, subn


@ember.jit
def nan_aware_max(a):
    m = -math.inf
    seen = False
    for v in a:
        if v != v:
            continue
        if not seen or v > m:
            m = v
            seen = True
    return m if seen else math.nan


@ember.jit
def safe_ratio(x, y):
    if y == 0.0:
        return math.copysign(math.inf, x) if x != 0.0 else math.nan
    return x / y


@ember.jit
def float_ops_edges(x, y):
    return x + y, x - y, x * y, x % y if y != 0.0 else 0.0, x // y if y != 0.0 else 0.0, min(x, y), max(x, y)


@ember.jit
def kahan_sum(a):
    s = 0.0
    c = 0.0
    for v in a:
        y = v - c
        t = s + y
        c = (t - s) - y
        s = t
    return s


@ember.jit
def hypot_loop(a, b):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = math.hypot(a[i], b[i])
    return out


@ember.jit
def float_to_int_trunc(a):
    out = np.empty(a.shape[0], dtype=np.int64)
    for i in range(a.shape[0]):
        out[i] = int(a[i])
    return out


@ember.jit
def round_trip_f32(a):
    s = np.float32(0.0)
    for v in a:
        s += np.float32(v)
    return s


def test_float_edges():
    sub = 5e-324
    vals = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, sub, -sub, 1e308, -1e308, 2.2250738585072014e-308,
                     1.0, -2.5])
    check(float_classify, vals)
    check(nan_aware_max, vals)
    check(nan_aware_max, np.array([np.nan, np.nan]))
    check(kahan_sum, vals[3:])
    check(kahan_sum, np.array([1e16, 1.0, -1e16, 1.0]))
    for x in vals:
        for y in vals:
            check(safe_ratio, float(x), float(y))
            check(float_ops_edges, float(x), float(y))
    check(hypot_loop, vals, vals[::-1].copy())
    check(float_to_int_trunc, np.array([0.5, -0.5, -1.9, 1e15, -1e18]))
    check(float_to_int_trunc, np.array([1e300]))      # past int64: CPython's big int does not fit the array
    check(float_to_int_trunc, np.array([np.nan]))     # ValueError
    check(float_to_int_trunc, np.array([np.inf]))     # OverflowError
    check(round_trip_f32, np.array([1e-3, 3e38, 3e38, 1.0]))


# -- complex arithmetic ---------------------------------------------------------------------

@ember.jit
def complex_poly(z, coeffs):
    r = 0j
    for c in coeffs:
        r = r * z + c
    return r


@ember.jit
def complex_ops(z, w):
    return z + w, z - w, z * w, z / w, abs(z), z.conjugate(), z.real * w.imag, -z, z == w, z ** 2


@ember.jit
def julia_counts(zs, c, maxiter):
    out = np.zeros(zs.shape, dtype=np.int32)
    for i in range(zs.shape[0]):
        for j in range(zs.shape[1]):
            z = zs[i, j]
            k = 0
            while k < maxiter and z.real * z.real + z.imag * z.imag <= 4.0:
                z = z * z + c
                k += 1
            out[i, j] = k
    return out


@ember.jit
def roots_of_unity(n):
    out = np.empty(n, dtype=np.complex128)
    for k in range(n):
        t = 2.0 * math.pi * k / n
        out[k] = complex(math.cos(t), math.sin(t))
    return out


@ember.jit
def complex64_accumulate(a):
    s = np.complex64(0)
    for v in a:
        s += v * v
    return s


@ember.jit
def complex_pow_int(z, n):
    return z ** n


def test_complex():
    r = rng(11)
    coeffs = r.standard_normal(5) + 1j * r.standard_normal(5)
    for z in [0j, 1 + 1j, -2.5 + 0.5j, complex(math.inf, 0), complex(0, -0.0)]:
        check(complex_poly, z, coeffs)
    for z, w in [(1 + 2j, 3 - 4j), (1j, 1j), (1e300 + 1e300j, 1e-300 + 1e-300j), (0j, 1 + 0j),
                 (complex(math.nan, 1), 2j), (1 + 1j, 0j)]:
        check(complex_ops, z, w)
    xs = np.linspace(-1.5, 1.5, 6)
    zs = xs[None, :] + 1j * xs[:, None]
    check(julia_counts, zs, -0.8 + 0.156j, 50)
    check(roots_of_unity, 8)
    check(roots_of_unity, 0)
    check(complex64_accumulate, (r.standard_normal(7) + 1j * r.standard_normal(7)).astype(np.complex64))
    for z, n in [(1 + 1j, 3), (1 + 1j, -2), (0j, 2), (2j, 0), (0j, -1), (1.5 - 0.5j, 10)]:
        check(complex_pow_int, z, n)


# -- small dtypes with Python scalars (NEP 50) ------------------------------------------------

@ember.jit
def u8_plus_scalar(a, k):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] + k
    return out


@ember.jit
def f32_poly(a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        x = a[i]
        out[i] = 1.5 * x * x - 0.25 * x + 3.0
    return out


@ember.jit
def i32_scale_div(a):
    s = a[0] * 2
    q = a[0] / 3
    f = a[0] // 3
    return s, q, f


@ember.jit
def int8_sum_overflows(a):
    s = np.int8(0)
    for v in a:
        s += v
    return s


@ember.jit
def mean_of_u8(img):
    total = 0
    for v in img.ravel():
        total += v
    return total / img.size


@ember.jit
def scalar_type_mix(a8, f32, x):
    return a8[0] + f32[0], a8[0] * x, f32[0] * x, a8[0] + 1.5, f32[0] + 1


@ember.jit
def uint_minus_int(a):
    return a[0] - 1, a[0] - a[1], a[1] > -1


def test_nep50_small_dtypes():
    r = rng(12)
    u8 = r.integers(0, 256, 9).astype(np.uint8)
    check(u8_plus_scalar, u8, 10)
    check(u8_plus_scalar, u8, 300)            # OverflowError: 300 is not a uint8
    check(u8_plus_scalar, u8, -1)             # OverflowError
    check(u8_plus_scalar, u8, 2.5)            # float64 result stored into uint8
    check(f32_poly, r.standard_normal(7).astype(np.float32))
    for dt in [np.int8, np.int32, np.uint16, np.float32]:
        check(i32_scale_div, (r.standard_normal(3) * 100).astype(dt))
    check(int8_sum_overflows, np.array([100, 100, 100], dtype=np.int8))
    check(mean_of_u8, r.integers(0, 256, (4, 5)).astype(np.uint8))
    a8 = np.array([-100], dtype=np.int8)
    f32 = np.array([1.25], dtype=np.float32)
    for x in [3, 3.5, 1000, 2 ** 40]:
        check(scalar_type_mix, a8, f32, x)
    check(uint_minus_int, np.array([0, 5], dtype=np.uint32))
    check(uint_minus_int, np.array([0, 5], dtype=np.uint64))


@ember.jit
def u64_vs_python_int(a, k):
    return a[0] > k, a[0] >= k, a[0] < k, a[0] <= k, a[0] == k, a[0] != k, k < a[0], k == a[0], k >= a[0]


def test_uint64_element_compared_with_negative_int():
    # NumPy 2 compares the values: every uint64 is above a negative Python int
    for v in [0, 1, 2 ** 63, 2 ** 64 - 1]:
        for k in [-1, INT64_MIN, 0, 1, INT64_MAX]:
            check(u64_vs_python_int, np.array([v], dtype=np.uint64), k)


@ember.jit
def u64_array_vs_python_int(a, k):
    return a > k, a == k, k <= a, a != k, k > a, (a + np.uint64(1) >= k) & (a < 100)


def test_uint64_array_compared_with_negative_int():
    a = np.array([0, 1, 99, 2 ** 63, 2 ** 64 - 2], dtype=np.uint64)
    for k in [-1, INT64_MIN, 0, 1, 99, INT64_MAX]:
        check(u64_array_vs_python_int, a, k)
        check(u64_array_vs_python_int, a.reshape(5, 1), k)
        check(u64_array_vs_python_int, a[::-2], k)


# -- 0-d arrays and NumPy scalars as arguments ------------------------------------------------

@ember.jit
def scale_by_0d(a, s):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] * s[()]
    return out


@ember.jit
def write_0d(s, v):
    s[()] = v
    return s


@ember.jit
def np_scalar_args(x, y, n):
    t = x
    for _ in range(n):
        t = t * y + x
    return t


@ember.jit
def np_scalar_methods(x):
    return float(x), int(x) if x == x else 0, bool(x), abs(x)


@ember.jit
def np_scalar_item(x):
    return x.item()


def test_zero_d_and_numpy_scalars():
    r = rng(13)
    a = r.standard_normal(5)
    check(scale_by_0d, a, np.array(2.5))
    check(scale_by_0d, a, np.array(3, dtype=np.int32))
    check(write_0d, np.array(1.0), 7.5)
    check(write_0d, np.array(1, dtype=np.uint8), 200)
    check(write_0d, np.array(1, dtype=np.uint8), 300)
    for x, y in [(np.float32(1.5), np.float32(0.5)), (np.int16(3), np.int16(100)), (np.uint8(3), 2),
                 (np.float64(0.1), 3), (np.int64(5), np.float32(0.5)), (np.complex64(1j), np.float32(2))]:
        check(np_scalar_args, x, y, 6)
    for x in [np.float32(2.5), np.int8(-3), np.uint64(2 ** 64 - 1), np.float64(np.nan)]:
        check(np_scalar_methods, x)


def test_numpy_scalar_item():
    # .item(): refused (TypingError 'cannot call generic.item') or NumPy's result
    check_or_refused(np_scalar_item, np.float32(2.5))


# -- control flow: early exits, nested breaks, while with compound conditions ------------------

@ember.jit
def find_pair_sum(a, target):
    n = a.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            if a[i] + a[j] == target:
                return i, j
    return -1, -1


@ember.jit
def first_row_with_negative(A):
    found = -1
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            if A[i, j] < 0:
                found = i
                break
        else:
            continue
        break
    return found


@ember.jit
def skip_and_stop(a, stop):
    s = 0.0
    k = 0
    while k < a.shape[0] and not (a[k] == stop) and s < 1e6:
        if a[k] < 0 or a[k] != a[k]:
            k += 1
            continue
        s += a[k]
        k += 1
    return s, k


@ember.jit
def collatz_max(n):
    best = 0
    arg = 0
    for start in range(1, n + 1):
        x = start
        steps = 0
        while x != 1:
            x = x // 2 if x % 2 == 0 else 3 * x + 1
            steps += 1
        if steps > best:
            best, arg = steps, start
    return arg, best


@ember.jit
def loop_else_search(a, v):
    for i in range(len(a)):
        if a[i] == v:
            break
    else:
        return -1
    return i


@ember.jit
def triangle_count(n):
    c = 0
    for a in range(1, n):
        for b in range(a, n):
            if a + b > n:
                break
            for cc in range(b, n):
                if cc >= a + b:
                    break
                if a * a + b * b == cc * cc:
                    c += 1
    return c


def test_control_flow():
    r = rng(14)
    for n in SIZES:
        a = r.integers(-5, 6, n)
        check(find_pair_sum, a, 3)
        check(loop_else_search, a, 2)
        f = r.standard_normal(n)
        if n > 2:
            f[1] = np.nan
        check(skip_and_stop, f, 0.5)
        check(skip_and_stop, np.abs(f), f[0] if n else 0.0)
        check(first_row_with_negative, np.abs(r.standard_normal((n, 3))) * (1 - 2 * (r.random((n, 3)) < 0.1)))
    check(collatz_max, 100)
    check(triangle_count, 30)


# -- tuples, calls between jitted functions, recursion, globals, defaults, keywords ----------

@ember.jit
def stats3(a):
    lo = hi = a[0]
    s = 0.0
    for v in a:
        lo = min(lo, v)
        hi = max(hi, v)
        s += v
    return lo, hi, s / len(a)


@ember.jit
def normalize_by_stats(a):
    lo, hi, mean = stats3(a)
    span = hi - lo
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = (a[i] - mean) / span if span > 0 else 0.0
    return out, (lo, hi)


@ember.jit
def swap_minmax(t):
    a, (b, c) = t
    return (c, b), a


@ember.jit
def fib_rec(n):
    return n if n < 2 else fib_rec(n - 1) + fib_rec(n - 2)


@ember.jit
def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


@ember.jit
def is_even(n):
    return True if n == 0 else is_odd(n - 1)


@ember.jit
def is_odd(n):
    return False if n == 0 else is_even(n - 1)


@ember.jit
def hanoi_moves(n, src=0, dst=2, tmp=1):
    if n == 0:
        return 0
    return hanoi_moves(n - 1, src, tmp, dst) + 1 + hanoi_moves(n - 1, tmp, dst, src)


@ember.jit
def falling_time(h, g=GRAVITY, *, drag=0.0, dt=1e-3):
    v = 0.0
    t = 0.0
    while h > 0.0:
        v += (g - drag * v * v) * dt
        h -= v * dt
        t += dt
    return t


@ember.jit
def call_with_keywords(h):
    return falling_time(h, drag=0.1), falling_time(h, 1.62, dt=1e-2), falling_time(dt=0.01, h=h)


@ember.jit
def bin_index(x, lo=0.0, hi=1.0, nbins=NBINS):
    k = int((x - lo) / (hi - lo) * nbins)
    return min(max(k, 0), nbins - 1)


@ember.jit
def histogram_with_helper(a):
    counts = np.zeros(NBINS, dtype=np.int64)
    for v in a:
        counts[bin_index(v)] += 1
    return counts


def test_tuples_calls_recursion():
    r = rng(15)
    for n in [1, 2, 9]:
        a = r.standard_normal(n)
        check(stats3, a)
        check(normalize_by_stats, a)
    check(normalize_by_stats, np.ones(3))
    check(swap_minmax, (1, (2.5, 3)))
    for n in [0, 1, 10, 20]:
        check(fib_rec, n)
    for m, n in [(0, 0), (1, 2), (2, 3), (3, 3)]:
        check(ackermann, m, n)
    for n in [0, 7, 100]:
        check(is_even, n)
        check(is_odd, n)
    for n in [0, 1, 5, 10]:
        check(hanoi_moves, n)
    check(call_with_keywords, 10.0)
    check(histogram_with_helper, r.random(50))
    check(histogram_with_helper, np.array([-1.0, 2.0, 0.5, np.inf]))    # int(inf): OverflowError
    check(histogram_with_helper, np.array([np.nan]))                   # int(nan): ValueError


def test_deep_recursion_raises():
    check(fib_rec, -1)      # n < 2 right away
    check(ackermann, 0, -5)
    with pytest.raises(RecursionError):
        hanoi_moves(100000)


# -- short-circuit side effects --------------------------------------------------------------

@ember.jit
def count_and_test(a, i, counter):
    counter[0] += 1
    return a[i] > 0


@ember.jit
def short_circuit(a, counter):
    hits = 0
    for i in range(a.shape[0]):
        if count_and_test(a, i, counter) and count_and_test(a, a.shape[0] - 1 - i, counter):
            hits += 1
        if i % 2 == 0 or count_and_test(a, i, counter):
            hits += 10
    return hits


@ember.jit
def guarded_index(a, i):
    return i < a.shape[0] and a[i] > 0


@ember.jit
def or_value(x, y):
    return (x or y), (x and y), (not x) or y


def test_short_circuit():
    r = rng(16)
    for n in SIZES:
        check(short_circuit, r.standard_normal(n), np.zeros(1, dtype=np.int64))
    a = np.array([1.0, -1.0])
    for i in [0, 1, 2, 5]:
        check(guarded_index, a, i)
    for x, y in [(3, 0), (1.5, 0.0), (True, False)]:
        check(or_value, x, y)


@xfail("difference: a bool and an int meeting in `(not x) or y` join to int, so the path that gives "
       "CPython's True gives 1 (as the documented int/float join)")
def test_bool_joined_with_int():
    check(or_value, 0, 5)


def test_abs_of_numpy_bool():   # an np.bool_ argument keeps NumPy's operators (test_numba_names.py)
    check(np_scalar_methods, np.bool_(True))


# -- views and slices written through, 2-D/3-D indexing, negative steps -----------------------

@ember.jit
def zero_border(img):
    img[0, :] = 0
    img[-1, :] = 0
    img[:, 0] = 0
    img[:, -1] = 0


@ember.jit
def scale_rows_via_view(A, w):
    for i in range(A.shape[0]):
        row = A[i]
        row *= w[i]


@ember.jit
def reverse_via_step(a):
    b = a[::-1]
    out = np.empty_like(a)
    for i in range(b.shape[0]):
        out[i] = b[i]
    return out


@ember.jit
def every_other_negated(a):
    v = a[1::2]
    for i in range(v.shape[0]):
        v[i] = -v[i]
    return v.shape[0]


@ember.jit
def strided_sum_back(a, step):
    s = 0.0
    for i in range(a.shape[0] - 1, -1, -step):
        s += a[i]
    return s


@ember.jit
def volume_sum_slices(V):
    nz, ny, nx = V.shape
    out = np.zeros(nz)
    for k in range(nz):
        plane = V[k]
        for j in range(ny):
            for i in range(nx):
                out[k] += plane[j, i]
    return out


@ember.jit
def transpose_inplace(A):
    n = A.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            A[i, j], A[j, i] = A[j, i], A[i, j]


@ember.jit
def block_copy(src, dst, r0, c0):
    h, w = src.shape
    dst[r0:r0 + h, c0:c0 + w] = src


@ember.jit
def rotate90(A):
    n, m = A.shape
    out = np.empty((m, n), dtype=A.dtype)
    for i in range(n):
        for j in range(m):
            out[m - 1 - j, i] = A[i, j]
    return out


@ember.jit
def upper_triangle_sum(A):
    s = 0
    for i in range(A.shape[0]):
        s += A[i, i:].sum()
    return s


@ember.jit
def shift_left_inplace(a, k):
    n = a.shape[0]
    a[: n - k] = a[k:]


def test_views_written_through():
    r = rng(17)
    for shape in [(1, 1), (3, 4), (5, 5)]:
        img = r.integers(1, 9, shape)
        check(zero_border, img)
        A = r.standard_normal(shape)
        check(scale_rows_via_view, A, r.standard_normal(shape[0]))
        check(rotate90, A)
        check(upper_triangle_sum, img)
        if shape[0] == shape[1]:
            check(transpose_inplace, A)
            check(transpose_inplace, np.asfortranarray(A))
    for n in SIZES:
        a = r.standard_normal(n)
        check(reverse_via_step, a)
        check(every_other_negated, a)
        for step in [1, 2, 3]:
            check(strided_sum_back, a, step)
        check(shift_left_inplace, np.arange(n), min(n, 2))
    check(strided_sum_back, np.ones(3), 0)       # range() arg 3 must not be zero
    check(volume_sum_slices, r.standard_normal((2, 3, 4)))
    check(volume_sum_slices, r.standard_normal((3, 2, 4))[:, ::-1, ::2])
    dst = np.zeros((5, 6))
    check(block_copy, r.standard_normal((2, 3)), dst, 1, 2)
    check(block_copy, r.standard_normal((2, 3)), dst, 4, 4)    # ValueError: shapes do not broadcast


# -- broadcasting expressions, reductions with axis, where/clip/cumsum in loops ---------------

@ember.jit
def standardize_columns(X):
    mu = X.mean(axis=0)
    sd = X.std(axis=0)
    return (X - mu) / np.where(sd > 0, sd, 1.0)


@ember.jit
def pairwise_sq_dists(X, Y):
    return ((X[:, None, :] - Y[None, :, :]) ** 2).sum(axis=2)


@ember.jit
def row_softmax(X):
    m = X.max(axis=1)
    e = np.exp(X - m[:, None])
    return e / e.sum(axis=1)[:, None]


@ember.jit
def clipped_steps(x, lo, hi, n):
    for _ in range(n):
        x = np.clip(x * 1.5 - 0.1, lo, hi)
    return x


@ember.jit
def running_totals(A):
    out = np.empty_like(A)
    for i in range(A.shape[0]):
        out[i] = np.cumsum(A[i])
    return out


@ember.jit
def relu_loop(x, iters):
    for _ in range(iters):
        x = np.where(x > 0, x, 0.01 * x) - 0.5
    return x


@ember.jit
def col_argmax(A):
    return A.argmax(axis=0), A.min(axis=1), A.sum(axis=-1), A.any(axis=0)


@ember.jit
def outer_by_broadcast(a, b):
    return a[:, None] * b[None, :] + 1


def test_broadcasting_and_axis_reductions():
    r = rng(18)
    for shape in [(1, 1), (4, 3), (6, 2)]:
        X = r.standard_normal(shape)
        check(standardize_columns, X)
        check(pairwise_sq_dists, X, r.standard_normal((5, shape[1])))
        check_close(row_softmax, X)
        check(running_totals, X)
        check(running_totals, r.integers(-3, 4, shape))
        check(col_argmax, X)
        check(col_argmax, r.integers(-3, 4, shape).astype(np.int16))
    check(standardize_columns, np.ones((3, 2)))
    check(pairwise_sq_dists, r.standard_normal((2, 3)), r.standard_normal((2, 4)))   # ValueError
    x = r.standard_normal(10)
    check(clipped_steps, x, -1.0, 2.0, 4)
    check(clipped_steps, x.astype(np.float32), -1.0, 2.0, 4)
    check(relu_loop, x, 3)
    check(outer_by_broadcast, np.arange(4), np.arange(3.0))
    check(outer_by_broadcast, np.arange(4, dtype=np.uint8), np.arange(3, dtype=np.int8))


# -- NumPy scalar constructors of Python numbers --------------------------------------------

@ember.jit
def quantize_u8(x, scale):
    # a user's clamp-free quantization: NumPy raises for a Python number out of range
    return np.uint8(x * scale), np.int8(x), np.int64(x * 1e3), np.uint64(abs(x) * scale)


@ember.jit
def cast_elements(a):
    # NumPy scalars are cast (wrapping), not checked
    return np.int8(a[0]), np.uint8(a[0]), np.int16(a[0] * 2)


def test_numpy_scalar_constructors():
    for x in [0.0, 1.5, -1.5, 100.0, 200.0, -129.0, 1e17, 1e300, math.nan, math.inf, -0.0]:
        for scale in [1.0, 2.0]:
            check_message(quantize_u8, x, scale)
    for x in [0, 1, -1, 127, 128, 255, 256, INT64_MAX]:
        check_message(quantize_u8, x, 1)
    for a in [np.array([300]), np.array([-129], dtype=np.int16), np.array([300.0]), np.array([1e3], dtype=np.float32)]:
        check(cast_elements, a)


# -- np.float64(x) of a Python number is NumPy's ----------------------------------------------

@ember.jit
def relative_change(old, new):
    # a user's way to get NumPy's inf instead of ZeroDivisionError
    return (np.float64(new) - old) / np.float64(old)


@ember.jit
def np_float_promotes(x):
    y = np.float64(x)
    return y * np.float32(2.0), y / 0.0, np.complex128(x) / 0, np.float64(3) // 0.0


def test_numpy_float64_of_python_numbers():
    for old, new in [(2.0, 3.0), (0.0, 1.0), (0.0, 0.0), (0.0, -1.0), (-0.0, 1.0), (4, 2)]:
        check(relative_change, old, new)
    for x in [1.5, 0.0, -2.0, 3]:
        check(np_float_promotes, x)


# -- constructs users write that this release refuses (a clean CompileError naming the line) ----

@ember.jit
def poly_global_tuple(x):
    s = 0.0
    for c in COEFFS:
        s = s * x + c
    return s


@ember.jit
def global_numpy_scalar(a):
    return a[0] + EPS32


@ember.jit
def min_with_float_inf(a):
    best = float("inf")
    for v in a:
        if v < best:
            best = v
    return best


@ember.jit
def dtype_dispatch(a):
    if a.dtype == np.float64:
        return 1
    return 2


@ember.jit
def zero_all(a):
    a[...] = 0
    return a


@ember.jit
def none_when_empty(a):
    if a.shape[0] == 0:
        return None
    return a * 2


@unsupported("a module global tuple (COEFFS = (1.0, -2.0, 0.5)) is not a number: TypingError")
def test_global_tuple():
    assert same(compiled(poly_global_tuple, 2.0), poly_global_tuple.py_func(2.0))


@unsupported("a module global NumPy scalar (np.float32(1e-3)) is not a number: TypingError")
def test_global_numpy_scalar():
    a = np.ones(1, dtype=np.float32)
    assert same(compiled(global_numpy_scalar, a), global_numpy_scalar.py_func(a))


def test_float_of_str():   # float("inf") folds at compile time (frontend/strlit.c)
    a = np.array([3.0, 1.0])
    assert same(compiled(min_with_float_inf, a), 1.0)


def test_dtype_comparison():
    # a.dtype == np.float64: refused (TypingError 'comparing object with object') or Python's answer
    check_or_refused(dtype_dispatch, np.zeros(1))
    check_or_refused(dtype_dispatch, np.zeros(1, dtype=np.float32))


def test_ellipsis_index():
    check(zero_all, np.ones((2, 2)))
    check(zero_all, np.ones(3, dtype=np.int8)[::-1])


@unsupported("None on one path and an array on another (an optional return): TypingError, one type per variable")
def test_optional_return():
    assert compiled(none_when_empty, np.zeros(0)) is None


# -- prefix algorithms ----------------------------------------------------------------------

@ember.jit
def exclusive_scan(a):
    out = np.empty_like(a)
    acc = a.dtype.type(0) if a.shape[0] else 0
    for i in range(a.shape[0]):
        out[i] = acc
        acc += a[i]
    return out


@ember.jit
def segmented_sum(vals, seg_ids):
    nseg = seg_ids[-1] + 1 if seg_ids.shape[0] else 0
    out = np.zeros(nseg)
    for i in range(vals.shape[0]):
        out[seg_ids[i]] += vals[i]
    return out


@ember.jit
def prefix_2d(A):
    n, m = A.shape
    S = np.zeros((n + 1, m + 1), dtype=A.dtype)
    for i in range(n):
        for j in range(m):
            S[i + 1, j + 1] = A[i, j] + S[i, j + 1] + S[i + 1, j] - S[i, j]
    return S


@ember.jit
def range_sums(S, queries):
    out = np.empty(queries.shape[0], dtype=S.dtype)
    for q in range(queries.shape[0]):
        r0, c0, r1, c1 = queries[q, 0], queries[q, 1], queries[q, 2], queries[q, 3]
        out[q] = S[r1, c1] - S[r0, c1] - S[r1, c0] + S[r0, c0]
    return out


@ember.jit
def ema(x, alpha):
    out = np.empty(x.shape[0])
    if x.shape[0] == 0:
        return out
    out[0] = x[0]
    for i in range(1, x.shape[0]):
        out[i] = alpha * x[i] + (1 - alpha) * out[i - 1]
    return out


@ember.jit
def drawdown(prices):
    peak = -np.inf
    worst = 0.0
    for p in prices:
        peak = max(peak, p)
        dd = (p - peak) / peak
        worst = min(worst, dd)
    return worst


@pytest.mark.parametrize("n", SIZES)
def test_prefix_algorithms(n):
    r = rng(19 + n)
    for a in [r.integers(-9, 10, n), r.standard_normal(n), r.integers(0, 9, n).astype(np.int16)]:
        check(exclusive_scan, a)
    seg = np.sort(r.integers(0, 4, n))
    check(segmented_sum, r.standard_normal(n), seg)
    A = r.integers(-5, 6, (n, 3))
    S = check(prefix_2d, A)
    if n:
        q = np.array([[0, 0, n, 3], [0, 1, 1, 2], [n - 1, 0, n, 3]])
        check(range_sums, S, q)
    check(ema, r.standard_normal(n), 0.3)
    check(drawdown, np.abs(r.standard_normal(n)) + 1.0)


# -- matrix algorithms by loops ----------------------------------------------------------------

@ember.jit
def lu_decompose(A):
    n = A.shape[0]
    L = np.eye(n)
    U = A.astype(np.float64)
    for k in range(n):
        if U[k, k] == 0.0:
            raise ZeroDivisionError("zero pivot")
        for i in range(k + 1, n):
            f = U[i, k] / U[k, k]
            L[i, k] = f
            for j in range(k, n):
                U[i, j] -= f * U[k, j]
    return L, U


@ember.jit
def det_by_lu(A):
    n = A.shape[0]
    M = A.copy()
    det = 1.0
    for k in range(n):
        p = k
        for i in range(k + 1, n):
            if abs(M[i, k]) > abs(M[p, k]):
                p = i
        if M[p, k] == 0.0:
            return 0.0
        if p != k:
            for j in range(n):
                M[k, j], M[p, j] = M[p, j], M[k, j]
            det = -det
        det *= M[k, k]
        for i in range(k + 1, n):
            f = M[i, k] / M[k, k]
            for j in range(k, n):
                M[i, j] -= f * M[k, j]
    return det


@ember.jit
def mat_power(A, e):
    n = A.shape[0]
    R = np.eye(n, dtype=A.dtype)
    B = A.copy()
    while e > 0:
        if e & 1:
            R = R @ B
        B = B @ B
        e >>= 1
    return R


@ember.jit
def back_substitute(U, b):
    n = b.shape[0]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        s = b[i]
        for j in range(i + 1, n):
            s -= U[i, j] * x[j]
        x[i] = s / U[i, i]
    return x


@ember.jit
def is_symmetric(A, tol=0.0):
    n, m = A.shape
    if n != m:
        return False
    for i in range(n):
        for j in range(i):
            if abs(A[i, j] - A[j, i]) > tol:
                return False
    return True


@pytest.mark.parametrize("n", [1, 2, 4, 6])
def test_matrix_algorithms(n):
    r = rng(20 + n)
    A = r.standard_normal((n, n)) + n * np.eye(n)
    check(lu_decompose, A)
    check(lu_decompose, r.integers(1, 5, (n, n)))
    check(det_by_lu, A)
    check(det_by_lu, np.zeros((n, n)))
    check(mat_power, r.integers(-2, 3, (n, n)), 5)
    check(mat_power, np.eye(n) * 0.5, 0)
    check(back_substitute, np.triu(A), r.standard_normal(n))
    check(back_substitute, np.triu(np.ones((n, n))) - np.eye(n), np.ones(n))    # x / 0.0: NumPy's inf/nan
    check(is_symmetric, A + A.T)
    check(is_symmetric, A, 100.0)
    check(is_symmetric, r.standard_normal((n, n + 1)))


# -- polynomials ---------------------------------------------------------------------------------

@ember.jit
def clenshaw_chebyshev(c, x):
    b1 = 0.0
    b2 = 0.0
    for k in range(c.shape[0] - 1, 0, -1):
        b1, b2 = 2.0 * x * b1 - b2 + c[k], b1
    return x * b1 - b2 + (c[0] if c.shape[0] else 0.0)


@ember.jit
def poly_mul(p, q):
    if p.shape[0] == 0 or q.shape[0] == 0:
        return np.zeros(0, dtype=p.dtype)
    out = np.zeros(p.shape[0] + q.shape[0] - 1, dtype=p.dtype)
    for i in range(p.shape[0]):
        for j in range(q.shape[0]):
            out[i + j] += p[i] * q[j]
    return out


@ember.jit
def poly_derivative(c):
    n = c.shape[0]
    out = np.empty(max(n - 1, 0), dtype=c.dtype)
    for k in range(1, n):
        out[k - 1] = k * c[k]
    return out


@ember.jit
def divided_differences(x, y):
    n = x.shape[0]
    c = y.astype(np.float64)
    for j in range(1, n):
        for i in range(n - 1, j - 1, -1):
            c[i] = (c[i] - c[i - 1]) / (x[i] - x[i - j])
    return c


@ember.jit
def newton_eval(c, x, t):
    r = c[-1]
    for k in range(c.shape[0] - 2, -1, -1):
        r = r * (t - x[k]) + c[k]
    return r


def test_polynomials():
    r = rng(21)
    for n in [0, 1, 2, 6]:
        c = r.standard_normal(n)
        for x in [-1.0, 0.3, 2.0, math.nan]:
            check(clenshaw_chebyshev, c, x)
        check(poly_mul, c, r.standard_normal(3))
        check(poly_mul, r.integers(-3, 4, n), r.integers(-3, 4, 2))
        check(poly_derivative, c)
        check(poly_derivative, r.integers(-3, 4, n).astype(np.int8))
    x = np.array([0.0, 1.0, 2.5, 4.0])
    y = np.sin(x)
    c = check(divided_differences, x, y)
    for t in [0.0, 1.7, 3.9]:
        check(newton_eval, c, x, t)
    check(divided_differences, np.array([1.0, 1.0]), np.array([2.0, 3.0]))   # a repeated node: inf
    check(divided_differences, np.array([1, 2, 4]), np.array([1, 4, 16]))


# -- Python floats from builtins and math meet float32 (NEP 50) ---------------------------------

@ember.jit
def scale_f32_by_python_floats(x, a):
    # math.sqrt(x), float(x), abs(x), max(x, 1.0), round(x, 1) are Python floats: weak
    return math.sqrt(x) * a[0], float(x) * a[0], abs(x) * a[0], max(x, 1.0) * a[0], round(x, 1) * a[0]


@ember.jit
def float_of_element_divides_as_python(a):
    return float(a[0]) / a[1]


@ember.jit
def abs_of_element_is_numpy(a):
    return abs(a[0]) / 0.0, max(a[0], -10.0) / 0.0


def test_python_floats_from_builtins_are_weak():
    a = np.array([3.0, 0.1], dtype=np.float32)
    for x in [2.0, 4.0, 0.3, -2.5]:
        check(scale_f32_by_python_floats, x, a)
    check(float_of_element_divides_as_python, np.array([1.0, 0.0]))     # ZeroDivisionError
    check(float_of_element_divides_as_python, np.array([1.0, 4.0]))
    check(abs_of_element_is_numpy, np.array([-2.0]))                    # NumPy's inf
    check(abs_of_element_is_numpy, np.array([0.0]))                     # NumPy's nan


# -- known differences and limitations met by these kernels ---------------------------------------

@ember.jit
def int16_sensor_features(raw):
    # 16-bit samples through NumPy's math functions: NumPy computes them in float32
    mag = np.sqrt(raw * raw + 1)
    return np.log1p(np.abs(raw)), np.sqrt(raw[0]), np.arctan2(raw, raw[::-1]), mag.dtype == np.float32 or True


def test_int16_math_functions_are_float32():
    r = rng(22)
    for dt in [np.int16, np.uint16]:
        raw = r.integers(0, 1000, 9).astype(dt)
        check_close(int16_sensor_features, raw, rtol=1e-6)
        got = int16_sensor_features(raw)
        assert [np.asarray(x).dtype for x in got[:3]] == [np.dtype(np.float32)] * 3


@ember.jit
def reciprocal(x):
    return 1.0 / x


@ember.jit
def reciprocal_of_element(a):
    return reciprocal(a[0])


@ember.jit
def scale_by_f32(x, a32):
    return x * a32[0]


@ember.jit
def scale_element_and_python_float(a, a32):
    return scale_by_f32(a[0], a32), scale_by_f32(0.1, a32), scale_by_f32(float(a[0]), a32)


def test_numpy_float_passed_to_callee():
    # the callee gets an np.float64 as NumPy's: 1.0 / x is inf, x * float32 is float64
    check(reciprocal_of_element, np.array([0.0]))
    check(reciprocal_of_element, np.array([-0.0]))
    check(reciprocal_of_element, np.array([4.0]))
    check(scale_element_and_python_float, np.array([0.1]), np.array([3.0], dtype=np.float32))


@ember.jit
def tuple_item_times_f32(x, a):
    t = (x * 0.5, 1, a[0] * 1.0)
    u, _, w = t
    return t[0] * a[0], u * a[0], t[-1] * a[0], w * a[0]


def test_python_float_in_tuple_is_weak():
    # a Python float taken back out of a tuple is still weak: t[0] * float32 is float32
    check(tuple_item_times_f32, 0.3, np.array([3.0], dtype=np.float32))
    check(tuple_item_times_f32, 0.3, np.array([3.0]))


@ember.jit
def factorial_logged(log, n):
    r = 1
    for i in range(1, n + 1):
        r *= i
        log[0] = i
    return r


@xfail("limitation: an int overflow in a kernel that writes an argument array cannot fall back to the "
       "interpreter: OverflowError where CPython returns the big int")
def test_overflow_with_an_effect():
    check(factorial_logged, np.zeros(1, dtype=np.int64), 25)


@ember.jit
def big_zeros(n):
    return np.zeros((n, 3)).shape, np.eye(n).shape


def test_array_too_big_error():
    # a byte size past intp is NumPy's ValueError ('array is too big; ...')
    check_message(big_zeros, 2 ** 62)
    with pytest.raises(MemoryError):     # NumPy's is a subclass of MemoryError
        big_zeros(2 ** 40)
    check(big_zeros, -1)
    check(big_zeros, 3)


@ember.jit
def reversed_range(n):
    s = 0
    for i in reversed(range(n)):
        s = s * 2 + i
    return s


@ember.jit
def enumerate_from_one(a):
    s = 0
    for i, v in enumerate(a, 1):
        s += i * v
    return s


@ember.jit
def len_of_range(n):
    return len(range(0, n, 3))


@ember.jit
def round_float32(a):
    return round(a[0])


def test_reversed():
    assert compiled(reversed_range, 10) == reversed_range.py_func(10)


def test_enumerate_start():
    assert compiled(enumerate_from_one, np.arange(5)) == 40


@unsupported("len() of a range: TypingError 'object of type range has no len()'")
def test_len_of_range():
    assert compiled(len_of_range, 10) == 4


@unsupported("round() of an np.float32 (or other NumPy scalar but float64): TypingError 'round() of NumPy values'")
def test_round_of_float32():
    assert compiled(round_float32, np.array([2.5], dtype=np.float32)) == 2


@ember.jit
def math_gcd(a, b):
    return math.gcd(a, b)


@ember.jit
def math_isqrt(n):
    return math.isqrt(n)


@ember.jit
def math_comb(n, k):
    return math.comb(n, k)


@ember.jit
def cmath_sqrt(z):
    return cmath.sqrt(z)


@pytest.mark.parametrize("f, args", [(math_gcd, (12, 18)), (math_isqrt, (99,)), (math_comb, (10, 3)),
                                     (cmath_sqrt, (-4 + 0j,))])
def test_math_functions_refused_or_exact(f, args):
    # math.gcd, isqrt, comb and cmath: refused (TypingError 'attribute math.gcd is not supported') or CPython's
    check_or_refused(f, *args)


# -- numba-benchmark style kernels -----------------------------------------------------------------

@ember.jit
def arc_distance(theta_1, phi_1, theta_2, phi_2):
    temp = (np.sin((theta_2 - theta_1) / 2) ** 2
            + np.cos(theta_1) * np.cos(theta_2) * np.sin((phi_2 - phi_1) / 2) ** 2)
    return 2 * np.arctan2(np.sqrt(temp), np.sqrt(1 - temp))


@ember.jit
def rosen_der(x):
    xm = x[1:-1]
    xm_m1 = x[:-2]
    xm_p1 = x[2:]
    der = np.zeros_like(x)
    der[1:-1] = 200 * (xm - xm_m1 ** 2) - 400 * (xm_p1 - xm ** 2) * xm - 2 * (1 - xm)
    der[0] = -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0])
    der[-1] = 200 * (x[-1] - x[-2] ** 2)
    return der


@ember.jit
def cronbach(itemscores):
    itemvars = itemscores.var(axis=1, ddof=1)
    tscores = itemscores.sum(axis=0)
    nitems = len(itemscores)
    return nitems / (nitems - 1) * (1 - itemvars.sum() / tscores.var(ddof=1))


@ember.jit
def harris(I):
    m, n = I.shape
    dx = (I[1:, :] - I[:m - 1, :])[:, 1:]
    dy = (I[:, 1:] - I[:, :n - 1])[1:, :]
    A = dx * dx
    B = dy * dy
    C = dx * dy
    tr = A + B
    det = A * B - C * C
    k = 0.05
    return det - k * tr * tr


@ember.jit
def log_likelihood(x, mu, sigma):
    n = x.shape[0]
    return -n / 2 * np.log(2 * np.pi * sigma ** 2) - np.sum((x - mu) ** 2) / (2 * sigma ** 2)


@ember.jit
def growcut(image, state, state_next, window_radius):
    changes = 0
    sqrt_3 = math.sqrt(3.0)
    height = image.shape[0]
    width = image.shape[1]
    for j in range(width):
        for i in range(height):
            winning_colony = state[i, j, 0]
            defense_strength = state[i, j, 1]
            for jj in range(max(j - window_radius, 0), min(j + window_radius + 1, width)):
                for ii in range(max(i - window_radius, 0), min(i + window_radius + 1, height)):
                    if ii != i or jj != j:
                        d = image[i, j, 0] - image[ii, jj, 0]
                        s = d * d
                        for k in range(1, image.shape[2]):
                            d = image[i, j, k] - image[ii, jj, k]
                            s += d * d
                        gval = 1.0 - math.sqrt(s) / sqrt_3
                        attack_strength = gval * state[ii, jj, 1]
                        if attack_strength > defense_strength:
                            defense_strength = attack_strength
                            winning_colony = state[ii, jj, 0]
                            changes += 1
            state_next[i, j, 0] = winning_colony
            state_next[i, j, 1] = defense_strength
    return changes


@ember.jit
def cosine_similarity_matrix(X):
    n = X.shape[0]
    out = np.empty((n, n))
    norms = np.sqrt((X * X).sum(axis=1))
    for i in range(n):
        for j in range(n):
            out[i, j] = (X[i] @ X[j]) / (norms[i] * norms[j])
    return out


@ember.jit
def hyantes(xmin, ymin, xmax, ymax, step, range_, range_x, range_y, t):
    pt = np.zeros((range_x, range_y))
    for i in range(range_x):
        for j in range(range_y):
            xi = xmin + step * i
            yj = ymin + step * j
            s = 0.0
            for k in range(t.shape[0]):
                tmp = 6368.0 * math.acos(math.cos(xi) * math.cos(t[k, 0]) * math.cos(yj - t[k, 1])
                                         + math.sin(xi) * math.sin(t[k, 0]))
                if tmp < range_:
                    s += t[k, 2] / (1 + tmp)
            pt[i, j] = s
    return pt


def test_benchmark_kernels():
    r = rng(23)
    n = 50
    t1, p1, t2, p2 = (r.random(n) * np.pi for _ in range(4))
    check_close(arc_distance, t1, p1, t2, p2, rtol=1e-12)
    x = r.standard_normal(20)
    check(rosen_der, x)
    check(rosen_der, x.astype(np.float32))
    check(rosen_der, x[:2])
    check_close(cronbach, r.standard_normal((5, 30)), rtol=1e-12)
    check(harris, r.random((6, 7)))
    check_close(log_likelihood, r.standard_normal(100), 0.1, 1.5, rtol=1e-12)
    img = r.random((6, 5, 3))
    st_ = np.zeros((6, 5, 2))
    st_[:, :, 0] = r.integers(0, 3, (6, 5))
    st_[:, :, 1] = r.random((6, 5))
    check(growcut, img, st_, np.zeros_like(st_), 1)
    check_close(cosine_similarity_matrix, r.standard_normal((4, 6)), rtol=1e-12)
    tt = np.column_stack([r.random(5) * 0.1, r.random(5) * 0.1, r.random(5)])
    check(hyantes, 0.0, 0.0, 0.1, 0.1, 0.02, 100.0, 5, 5, tt)


# -- errors users meet: clear messages naming the line --------------------------------------------

@ember.jit
def misspelled_attribute(a):
    return a.szie


@ember.jit
def misspelled_scalar_attribute(x):
    return x.rael


def test_unknown_attribute_is_numpys_attribute_error_text():
    with pytest.raises(ember.TypingError, match=r"test_user_kernels2.py:\d+\): 'numpy.ndarray' object has no "
                                                r"attribute 'szie'"):
        misspelled_attribute(np.zeros(3))
    with pytest.raises(ember.TypingError, match="'numpy.float32' object has no attribute 'rael'"):
        misspelled_scalar_attribute(np.float32(1))


# -- graph and grid algorithms with arrays as stacks, queues and tables ------------------------------

@ember.jit
def flood_fill_count(grid, r0, c0):
    h, w = grid.shape
    seen = np.zeros((h, w), dtype=np.bool_)
    stack = np.empty((h * w, 2), dtype=np.int64)
    if grid[r0, c0] == 0:
        return 0
    top = 0
    stack[0, 0] = r0
    stack[0, 1] = c0
    top = 1
    seen[r0, c0] = True
    count = 0
    while top > 0:
        top -= 1
        r = stack[top, 0]
        c = stack[top, 1]
        count += 1
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            rr = r + dr
            cc = c + dc
            if 0 <= rr < h and 0 <= cc < w and grid[rr, cc] != 0 and not seen[rr, cc]:
                seen[rr, cc] = True
                stack[top, 0] = rr
                stack[top, 1] = cc
                top += 1
    return count


@ember.jit
def bfs_distance(grid, sr, sc, tr, tc):
    h, w = grid.shape
    dist = np.full((h, w), -1, dtype=np.int64)
    qr = np.empty(h * w, dtype=np.int64)
    qc = np.empty(h * w, dtype=np.int64)
    head = tail = 0
    dist[sr, sc] = 0
    qr[tail] = sr
    qc[tail] = sc
    tail += 1
    while head < tail:
        r, c = qr[head], qc[head]
        head += 1
        if r == tr and c == tc:
            return int(dist[r, c])     # the int, as the -1 below (see test_python_int_joined_with_numpy_int)
        for k in range(4):
            rr = r + (1 if k == 0 else -1 if k == 1 else 0)
            cc = c + (1 if k == 2 else -1 if k == 3 else 0)
            if rr < 0 or rr >= h or cc < 0 or cc >= w or grid[rr, cc] or dist[rr, cc] >= 0:
                continue
            dist[rr, cc] = dist[r, c] + 1
            qr[tail] = rr
            qc[tail] = cc
            tail += 1
    return -1


@ember.jit
def dijkstra_dense(W, src):
    n = W.shape[0]
    dist = np.full(n, np.inf)
    done = np.zeros(n, dtype=np.bool_)
    dist[src] = 0.0
    for _ in range(n):
        u = -1
        best = np.inf
        for i in range(n):
            if not done[i] and dist[i] < best:
                best = dist[i]
                u = i
        if u < 0:
            break
        done[u] = True
        for v in range(n):
            if W[u, v] > 0 and dist[u] + W[u, v] < dist[v]:
                dist[v] = dist[u] + W[u, v]
    return dist


@ember.jit
def find_root(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@ember.jit
def count_components(n, edges):
    parent = np.arange(n)
    comps = n
    for k in range(edges.shape[0]):
        a = find_root(parent, edges[k, 0])
        b = find_root(parent, edges[k, 1])
        if a != b:
            parent[a] = b
            comps -= 1
    return comps


@ember.jit
def run_length_encode(a):
    n = a.shape[0]
    vals = np.empty(n, dtype=a.dtype)
    lens = np.empty(n, dtype=np.int64)
    k = 0
    i = 0
    while i < n:
        j = i
        while j < n and a[j] == a[i]:
            j += 1
        vals[k] = a[i]
        lens[k] = j - i
        k += 1
        i = j
    return vals[:k].copy(), lens[:k].copy()


@ember.jit
def sliding_window_max(a, w):
    n = a.shape[0]
    out = np.empty(max(n - w + 1, 0), dtype=a.dtype)
    dq = np.empty(n, dtype=np.int64)
    head = tail = 0
    for i in range(n):
        while tail > head and dq[head] <= i - w:
            head += 1
        while tail > head and a[dq[tail - 1]] <= a[i]:
            tail -= 1
        dq[tail] = i
        tail += 1
        if i >= w - 1:
            out[i - w + 1] = a[dq[head]]
    return out


@ember.jit
def pascal(n):
    T = np.zeros((n, n), dtype=np.int64)
    for i in range(n):
        T[i, 0] = 1
        for j in range(1, i + 1):
            T[i, j] = T[i - 1, j - 1] + T[i - 1, j]
    return T


@ember.jit
def tsp_bitmask(D):
    n = D.shape[0]
    full = 1 << n
    dp = np.full((full, n), np.inf)
    dp[1, 0] = 0.0
    for mask in range(full):
        if not mask & 1:
            continue
        for last in range(n):
            cur = dp[mask, last]
            if cur == np.inf or not (mask >> last) & 1:
                continue
            for nxt in range(n):
                if (mask >> nxt) & 1:
                    continue
                nm = mask | (1 << nxt)
                cand = cur + D[last, nxt]
                if cand < dp[nm, nxt]:
                    dp[nm, nxt] = cand
    best = np.inf
    for last in range(1, n):
        best = min(best, dp[full - 1, last] + D[last, 0])
    return best


def test_graph_and_grid_algorithms():
    r = rng(24)
    grid = (r.random((7, 8)) < 0.6).astype(np.int8)
    grid[0, 0] = 1
    check(flood_fill_count, grid, 0, 0)
    check(flood_fill_count, grid, 6, 7)
    walls = (r.random((6, 6)) < 0.25).astype(np.bool_)
    walls[0, 0] = walls[5, 5] = False
    check(bfs_distance, walls, 0, 0, 5, 5)
    check(bfs_distance, np.ones((2, 2), dtype=np.bool_), 0, 0, 1, 1)
    W = r.random((6, 6)) * (r.random((6, 6)) < 0.5)
    check(dijkstra_dense, W, 0)
    check(dijkstra_dense, W, 9)      # IndexError
    edges = r.integers(0, 10, (8, 2))
    check(count_components, 10, edges)
    check(count_components, 3, np.zeros((0, 2), dtype=np.int64))
    for a in [np.array([1, 1, 2, 2, 2, 3, 1, 1]), np.array([], dtype=np.int64), np.array([0.5, 0.5, np.nan, np.nan])]:
        check(run_length_encode, a)
    x = r.standard_normal(12)
    for w in [1, 3, 12, 13]:
        check(sliding_window_max, x, w)
    check(pascal, 8)
    check(pascal, 0)
    check(pascal, 68)                # int64 wraps in NumPy's array stores: Python's ints do not fit
    D = r.random((6, 6))
    check(tsp_bitmask, D)


# -- checksums, hashing and parsing on byte arrays ----------------------------------------------------

@ember.jit
def crc32_table():
    table = np.empty(256, dtype=np.uint32)
    for i in range(256):
        c = np.uint32(i)
        for _ in range(8):
            if c & np.uint32(1):
                c = np.uint32(0xEDB88320) ^ (c >> np.uint32(1))
            else:
                c = c >> np.uint32(1)
        table[i] = c
    return table


@ember.jit
def crc32(data, table):
    c = np.uint32(0xFFFFFFFF)
    for b in data:
        c = table[(c ^ b) & np.uint32(0xFF)] ^ (c >> np.uint32(8))
    return c ^ np.uint32(0xFFFFFFFF)


@ember.jit
def adler32(data):
    a = 1
    b = 0
    for v in data:
        a = (a + int(v)) % 65521     # int(): a uint8 item would make a uint8 (NEP 50) and wrap
        b = (b + a) % 65521
    return (b << 16) | a


@ember.jit
def fnv1a_64(data):
    h = np.uint64(14695981039346656037)
    for v in data:
        h ^= np.uint64(v)
        h *= np.uint64(1099511628211)
    return h


@ember.jit
def luhn_valid(digits):
    s = 0
    n = digits.shape[0]
    for i in range(n):
        d = int(digits[n - 1 - i])
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return s % 10 == 0


@ember.jit
def parse_floats(buf, out):
    # comma-separated decimals like b"1.5,-2,30.25" into out; returns how many
    k = 0
    i = 0
    n = buf.shape[0]
    while i < n:
        sign = 1.0
        if buf[i] == 45:
            sign = -1.0
            i += 1
        ip = 0.0
        while i < n and 48 <= buf[i] <= 57:
            ip = ip * 10.0 + (buf[i] - 48)
            i += 1
        if i < n and buf[i] == 46:
            i += 1
            scale = 0.1
            while i < n and 48 <= buf[i] <= 57:
                ip += (buf[i] - 48) * scale
                scale *= 0.1
                i += 1
        out[k] = sign * ip
        k += 1
        if i < n and buf[i] == 44:
            i += 1
        elif i < n:
            raise ValueError("unexpected byte")
    return k


@ember.jit
def to_base(n, base):
    digits = np.zeros(64, dtype=np.int8)
    k = 0
    while True:
        digits[k] = n % base
        n //= base
        k += 1
        if n == 0:
            break
    return digits[:k][::-1].copy()


@ember.jit
def day_of_week(y, m, d):
    # Zeller's congruence (0 = Saturday)
    if m < 3:
        m += 12
        y -= 1
    k = y % 100
    j = y // 100
    return (d + 13 * (m + 1) // 5 + k + k // 4 + j // 4 + 5 * j) % 7


@ember.jit
def fixed_point_mul(a, b, frac_bits):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = (np.int64(a[i]) * np.int64(b[i])) >> frac_bits
    return out


def bytes_of(s):
    return np.frombuffer(s.encode(), dtype=np.uint8).copy()


def test_checksums_hashing_parsing():
    table = check(crc32_table)
    for s in ["", "a", "hello world", "The quick brown fox jumps over the lazy dog"]:
        data = bytes_of(s)
        check(crc32, data, table)
        check(adler32, data)
        check(fnv1a_64, data)
    for s in ["79927398713", "79927398710", "0", ""]:
        check(luhn_valid, bytes_of(s) - 48)
    for s in ["1.5,-2,30.25", "", "7", "1.5;2", "-0.0,0.125"]:
        check(parse_floats, bytes_of(s), np.zeros(8))
    for n, base in [(0, 2), (255, 2), (255, 16), (10 ** 18, 7), (5, 0)]:
        check(to_base, n, base)
    for y, m, d in [(2000, 1, 1), (2024, 2, 29), (1900, 3, 1), (2026, 11, 27)]:
        check(day_of_week, y, m, d)
    r = rng(25)
    a = r.integers(-2 ** 20, 2 ** 20, 9).astype(np.int32)
    b = r.integers(-2 ** 20, 2 ** 20, 9).astype(np.int32)
    check(fixed_point_mul, a, b, 16)


@ember.jit
def two_params(a, b=2):
    return a + b


@ember.jit
def calls_with_three(x):
    return two_params(x, 1, 2)


def test_callee_argument_count_message():
    # CPython's own text for a function with a default
    with pytest.raises(ember.TypingError, match=r"two_params\(\) takes from 1 to 2 positional arguments but 3 "
                                                r"were given"):
        calls_with_three(1)


# -- np.clip: of scalars in loops, and NumPy's signed zeros ----------------------------------------

@ember.jit
def clipped_sum(a, lo, hi):
    s = 0.0
    for v in a:
        s += np.clip(v, lo, hi)
    return s


@ember.jit
def clip_scalars(x, lo, hi):
    return np.clip(x, lo, hi)


@ember.jit
def clip_array(a, lo, hi):
    return np.clip(a, lo, hi), np.clip(a * 1.0, lo, hi) + 0.0


def test_clip_scalars_and_signed_zeros():
    for a in [np.array([-3.0, 0.5, 4.0, np.nan]), np.array([-3, 0, 4], dtype=np.int16)]:
        check(clipped_sum, a, -1.0, 1.0)
        check(clipped_sum, a, 0, 2)
    for x in [0.5, -3.0, 4.0, math.nan, -0.0, 0.0, np.float32(2.5), np.int16(-7), np.uint8(200), 5]:
        for lo, hi in [(-1.0, 1.0), (0, 3), (-0.0, 0.0), (math.nan, 1.0), (2, 1)]:
            check(clip_scalars, x, lo, hi)
    a = np.array([-3.0, 0.5, 5.0, np.nan])
    for lo, hi in [(-1.0, 1.0), (0.0, 3.0), (np.zeros(4), 2.0)]:
        check(clip_array, a, lo, hi)
        check(clip_array, a.astype(np.float32), lo, hi)


@xfail("bug: np.clip of an array with scalar bounds: a tie of -0.0 with a 0.0 bound keeps the element in "
       "NumPy's loop for scalar bounds (np.clip([-0.0], 0.0, 2.0) is [-0.0]); Ember takes the bound as "
       "NumPy's loop for array bounds does")
def test_clip_array_signed_zero_ties():
    check(clip_array, np.array([-0.0, -3.0]), 0.0, 2.0)


# -- simulations with precomputed random numbers -----------------------------------------------------

@ember.jit
def ising_sweeps(spins, beta, rand, sweeps):
    n, m = spins.shape
    k = 0
    energy_changes = 0
    for _ in range(sweeps):
        for i in range(n):
            for j in range(m):
                s = spins[i, j]
                nb = spins[(i + 1) % n, j] + spins[i - 1, j] + spins[i, (j + 1) % m] + spins[i, j - 1]
                dE = 2 * s * nb
                if dE <= 0 or rand[k % rand.shape[0]] < math.exp(-beta * dE):
                    spins[i, j] = -s
                    energy_changes += dE
                k += 1
    return energy_changes


@ember.jit
def sir_model(beta, gamma, s0, i0, days, dt):
    s, i, r = s0, i0, 1.0 - s0 - i0
    out = np.empty((days, 3))
    steps = int(1.0 / dt)
    for d in range(days):
        for _ in range(steps):
            new_inf = beta * s * i * dt
            new_rec = gamma * i * dt
            s -= new_inf
            i += new_inf - new_rec
            r += new_rec
        out[d, 0] = s
        out[d, 1] = i
        out[d, 2] = r
    return out


@ember.jit
def logistic_orbit(r, x0, n, burn):
    x = x0
    for _ in range(burn):
        x = r * x * (1.0 - x)
    out = np.empty(n)
    for k in range(n):
        x = r * x * (1.0 - x)
        out[k] = x
    return out


@ember.jit
def verlet_orbit(steps, dt):
    x, y = 1.0, 0.0
    vx, vy = 0.0, 1.0
    r3 = (x * x + y * y) ** 1.5
    ax, ay = -x / r3, -y / r3
    for _ in range(steps):
        x += vx * dt + 0.5 * ax * dt * dt
        y += vy * dt + 0.5 * ay * dt * dt
        r3 = (x * x + y * y) ** 1.5
        nax, nay = -x / r3, -y / r3
        vx += 0.5 * (ax + nax) * dt
        vy += 0.5 * (ay + nay) * dt
        ax, ay = nax, nay
    energy = 0.5 * (vx * vx + vy * vy) - 1.0 / math.sqrt(x * x + y * y)
    return x, y, energy


@ember.jit
def walk_2d(angles, step):
    pos = np.zeros((angles.shape[0] + 1, 2))
    for k in range(angles.shape[0]):
        pos[k + 1, 0] = pos[k, 0] + step * math.cos(angles[k])
        pos[k + 1, 1] = pos[k, 1] + step * math.sin(angles[k])
    d = pos[-1]
    return pos, math.hypot(d[0], d[1])


@ember.jit
def reflect_particles(x, v, lo, hi, dt, steps):
    for _ in range(steps):
        for i in range(x.shape[0]):
            x[i] += v[i] * dt
            if x[i] < lo:
                x[i] = 2 * lo - x[i]
                v[i] = -v[i]
            elif x[i] > hi:
                x[i] = 2 * hi - x[i]
                v[i] = -v[i]


def test_simulations():
    r = rng(26)
    spins = np.where(r.random((6, 6)) < 0.5, 1, -1).astype(np.int8)
    check(ising_sweeps, spins, 0.4, r.random(500), 3)
    check(ising_sweeps, spins.astype(np.int64), 0.0, r.random(7), 2)
    check(sir_model, 0.3, 0.1, 0.99, 0.01, 30, 0.1)
    for rr in [2.5, 3.2, 3.9, 4.0]:
        check(logistic_orbit, rr, 0.2, 20, 100)
    check(verlet_orbit, 1000, 0.01)
    check(walk_2d, r.random(50) * 2 * np.pi, 0.5)
    check(walk_2d, np.zeros(0), 1.0)
    check(reflect_particles, r.random(10), r.standard_normal(10), 0.0, 1.0, 0.3, 20)


# -- integer edges on whole arrays and NumPy scalars -----------------------------------------------

@ember.jit
def int_array_edges(a, b):
    return a // b, a % b, np.abs(a), -a, a * a, a ** 2


@ember.jit
def int_scalar_pow_edges(a, e):
    return a[0] ** e


@ember.jit
def widen_then_sum(a):
    s = np.int64(0)
    for v in a:
        s += np.int64(v) * np.int64(v)
    return s


def test_integer_edges_on_arrays():
    for dt in [np.int8, np.int16, np.int32, np.int64]:
        info = np.iinfo(dt)
        a = np.array([info.min, info.min, -7, 7, info.max, 0], dtype=dt)
        b = np.array([-1, 1, 2, -2, -1, 3], dtype=dt)
        check(int_array_edges, a, b)
        check(int_array_edges, a, np.zeros_like(b))        # NumPy: 0 for // and % by zero
        check(widen_then_sum, a)
        for e in [0, 1, 2, 7, -1, -2]:
            check(int_scalar_pow_edges, a[2:4], e)          # a negative exponent: NumPy's ValueError
    u = np.array([0, 1, 255], dtype=np.uint8)
    check(int_array_edges, u, np.array([1, 0, 7], dtype=np.uint8))
