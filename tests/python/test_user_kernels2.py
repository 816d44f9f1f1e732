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
import math

import numpy as np
import pytest

import ember
from arrhelpers import check, same

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

SIZES = [0, 1, 2, 7, 33]

INT64_MAX = 2 ** 63 - 1
INT64_MIN = -2 ** 63
GRAVITY = 9.81
NBINS = 8


def rng(seed):
    return np.random.default_rng(seed)


def xfail(reason):
    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)


def unsupported(reason):
    return pytest.mark.xfail(strict=True, raises=ember.CompileError, reason=reason)


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


@unsupported("np.nonzero is not compiled (TypingError: cannot call numpy.nonzero)")
def test_primes_nonzero():
    assert same(compiled(primes_nonzero, 30), primes_nonzero.py_func(30))


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
