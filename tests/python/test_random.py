"""np.random in compiled code (jit/ember/_lib_random.py, targets/native/rt_random.c).

Compiled code has its own generator (one per thread), whose streams are NumPy's
legacy RandomState's: each test seeds it in compiled code and compares what it
draws with np.random.RandomState(seed), or with the same function interpreted
(which seeds NumPy's global generator), exactly: uniform doubles, randint,
shuffle and permutation, and normal too (legacy_gauss with its kept value).
Also: shapes and dtypes of size= results, NumPy's error texts, NumPy's own
global state left alone by compiled calls, one state per thread, and a
Monte-Carlo loop.
"""
import threading

import numpy as np
import numpy.random as npr
import pytest

import ember

SEEDS = [0, 1, 2, 7, 42, 12345, 2**31 - 1, 2**31, 2**32 - 1] + [(k * 2654435761) % 2**32 for k in range(1, 12)]


def same(want, got):
    """Equal values of the same type (arrays: shape, dtype and every bit)."""
    if isinstance(want, tuple):
        return isinstance(got, tuple) and len(want) == len(got) and all(same(a, b) for a, b in zip(want, got))
    if isinstance(want, np.ndarray):
        return (isinstance(got, np.ndarray) and want.shape == got.shape and want.dtype == got.dtype
                and want.tobytes() == got.tobytes())
    return type(want) is type(got) and (want == got or (want != want and got != got))


def agree(f, *args):
    """Compiled 'f' gives what its Python function (on NumPy's global generator) gives."""
    want, got = f.py_func(*args), f(*args)
    assert same(want, got), (args, want, got)
    return got


def raises_as_numpy(f, *args):
    """Compiled 'f' raises the exception class and message its Python function raises."""
    with pytest.raises(Exception) as want:
        f.py_func(*args)
    with pytest.raises(want.type) as got:
        f(*args)
    assert str(got.value) == str(want.value), (args, str(want.value), str(got.value))


# -- Streams ------------------------------------------------------------------------

@ember.jit
def doubles(s, n):
    np.random.seed(s)
    out = np.empty(n)
    for i in range(n):
        out[i] = np.random.random()
    return out


def test_random_equals_randomstate():
    for s in SEEDS:
        assert same(np.random.RandomState(s).random_sample(700), doubles(s, 700)), s   # past one twist (624 words)


@ember.jit
def scalar_draws(s):
    np.random.seed(s)
    a = np.random.random_sample()
    b = np.random.rand()
    c = np.random.randn()
    d = np.random.standard_normal()
    e = np.random.normal(1.5, 2.0)
    f = np.random.uniform(-3.0, 5.0)
    g = np.random.exponential(2.5)
    h = np.random.standard_exponential()
    i = np.random.randint(10)
    j = np.random.randint(-5, 5)
    k = np.random.ranf() + np.random.sample()
    m = np.random.normal()
    return a, b, c, d, e, f, g, h, i, j, k, m


def test_scalar_draws():
    for s in SEEDS:
        agree(scalar_draws, s)


def test_scalar_types():
    r = scalar_draws(3)
    assert [type(x) for x in r] == [float] * 8 + [int, int, float, float]


@ember.jit
def gauss_pairs(s, t):
    np.random.seed(s)
    a = np.random.randn()          # the first of a pair; the second is kept
    np.random.seed(t)              # and dropped by seed
    b = np.random.randn()
    c = np.random.randn()          # the kept one
    d = np.random.random()
    return a, b, c, d


def test_gauss_kept_value_and_seed():
    for s in SEEDS[:8]:
        agree(gauss_pairs, s, s + 1)


@ember.jit
def normals(s, n, loc, scale):
    np.random.seed(s)
    out = np.empty(n)
    for i in range(n):
        out[i] = np.random.normal(loc, scale)
    return out


def test_normal_stream():
    for s in SEEDS:
        assert same(np.random.RandomState(s).normal(0.5, 3.0, 501), normals(s, 501, 0.5, 3.0)), s


# -- size= ---------------------------------------------------------------------------

@ember.jit
def sized(s):
    np.random.seed(s)
    return (np.random.random(5), np.random.random_sample((2, 3)), np.random.rand(3), np.random.rand(2, 3, 4),
            np.random.randn(4, 2), np.random.standard_normal((3,)), np.random.normal(1.0, 2.0, (4, 5)),
            np.random.uniform(-1.0, 3.0, 7), np.random.randint(0, 10, (3, 4)), np.random.randint(7, size=6),
            np.random.exponential(2.0, 5), np.random.standard_exponential((2, 2)), np.random.normal(size=3),
            np.random.random(0), np.random.randint(3, size=(2, 0)))


def test_sized_results():
    for s in SEEDS[:10]:
        got = agree(sized, s)
    assert [g.shape for g in got] == [(5,), (2, 3), (3,), (2, 3, 4), (4, 2), (3,), (4, 5), (7,), (3, 4), (6,), (5,),
                                      (2, 2), (3,), (0,), (2, 0)]
    assert [g.dtype for g in got[8:10]] == [np.int64, np.int64]
    assert all(g.dtype == np.float64 for g in got[:8] + got[10:14])


@ember.jit
def sized_n(s, n, m):
    np.random.seed(s)
    return np.random.random((n, m)), np.random.randint(-n, m, n * m), np.random.randn(n, m)


def test_sized_runtime_shapes():
    for n, m in [(1, 1), (3, 700), (17, 5), (0, 4)]:
        agree(sized_n, 11, n, m)


# -- Integers --------------------------------------------------------------------

@ember.jit
def ints(s, low, high, n):
    np.random.seed(s)
    out = np.empty(n, np.int64)
    for i in range(n):
        out[i] = np.random.randint(low, high)
    return out


@pytest.mark.parametrize("low,high", [(0, 1), (0, 2), (0, 7), (-5, 5), (3, 4), (0, 2**31), (0, 2**32 - 1),
                                      (0, 2**32), (0, 2**32 + 1), (-2**40, 2**40), (10, 10**15),
                                      (-2**62, 2**62), (-2**63, 2**63 - 1), (-2**63, 5), (-5, 2**63 - 1)])
def test_randint_stream(low, high):
    for s in SEEDS[:6]:
        want = np.random.RandomState(s).randint(low, high, 300)
        assert same(want, ints(s, low, high, 300)), (s, low, high)


@ember.jit
def int_array(s, low, high, n):
    np.random.seed(s)
    return np.random.randint(low, high, n)


def test_randint_array():
    for low, high in [(0, 3), (-100, 100), (0, 2**33)]:
        for s in SEEDS[:6]:
            agree(int_array, s, low, high, 257)


# -- shuffle, permutation, choice --------------------------------------------------

@ember.jit
def shuffled(s, x):
    np.random.seed(s)
    np.random.shuffle(x)
    return x


def test_shuffle_in_place():
    for dt in [np.float64, np.int64, np.int32, np.uint8, np.float32, np.bool_, np.complex128]:
        for n in [0, 1, 2, 10, 1000]:
            for s in SEEDS[:4]:
                x = (np.arange(n) * 3 % 7).astype(dt)
                want = x.copy()
                np.random.RandomState(s).shuffle(want)
                got = x.copy()
                r = shuffled(s, got)
                assert same(want, got) and same(want, r), (dt, n, s)


def test_shuffle_strided_view():
    base = np.arange(40.0)
    want = base.copy()
    np.random.RandomState(5).shuffle(want[::3])
    shuffled(5, base[::3])
    assert same(want, base)


def test_shuffle_rows():
    for shape in [(5, 3), (2, 2, 2), (7, 0), (1, 4), (30, 2)]:
        for s in SEEDS[:4]:
            x = np.arange(float(np.prod(shape))).reshape(shape)
            want = x.copy()
            np.random.RandomState(s).shuffle(want)
            shuffled(s, x)
            assert same(want, x), (shape, s)


@ember.jit
def perm2(s, x):
    np.random.seed(s)
    return np.random.permutation(x), np.random.random()


def test_permutation_rows():
    x = np.arange(24).reshape(6, 4)
    for s in SEEDS[:5]:
        r = np.random.RandomState(s)
        assert same((r.permutation(x), r.random_sample()), perm2(s, x)), s


@ember.jit
def perms(s, n, x):
    np.random.seed(s)
    return np.random.permutation(n), np.random.permutation(x)


def test_permutation():
    x = np.linspace(0.0, 1.0, 33)
    for n in [0, 1, 5, 100]:
        for s in SEEDS[:5]:
            r = np.random.RandomState(s)
            want = (r.permutation(n), r.permutation(x))
            got = perms(s, n, x)
            assert same(want, got), (n, s)
    assert same(x, np.linspace(0.0, 1.0, 33))   # a copy was shuffled


@ember.jit
def choices(s, n, a):
    np.random.seed(s)
    return (np.random.choice(n), np.random.choice(n, 5), np.random.choice(a), np.random.choice(a, (2, 3)),
            np.random.choice(n, 3, replace=False), np.random.choice(a, 4, False), np.random.choice(n, replace=False))


def test_choice():
    a = np.arange(10.0, 30.0)
    for n in [3, 4, 50]:
        for s in SEEDS[:6]:
            r = np.random.RandomState(s)
            want = (r.choice(n), r.choice(n, 5), r.choice(a), r.choice(a, (2, 3)), r.choice(n, 3, replace=False),
                    r.choice(a, 4, False), r.choice(n, replace=False))
            got = choices(s, n, a)
            assert same(want[:2] + want[3:], got[:2] + got[3:]), (n, s)
            assert type(got[2]) is float and got[2] == want[2]   # an element of a float64 array: a Python float here


@ember.jit
def choice_p(s, n, p, size):
    np.random.seed(s)
    return np.random.choice(n, size, p=p), np.random.choice(n, p=p)


def test_choice_p():
    for n in [1, 4, 9]:
        w = np.arange(1.0, n + 1.0)
        p = w / w.sum()
        for s in SEEDS[:6]:
            r = np.random.RandomState(s)
            want = (r.choice(n, 7, p=p), r.choice(n, p=p))
            assert same(want, choice_p(s, n, p, 7)), (n, s)


# -- Errors -------------------------------------------------------------------------

@ember.jit
def seed_only(s):
    np.random.seed(s)
    return np.random.random()


@ember.jit
def bad_randint(low, high):
    return np.random.randint(low, high)


@ember.jit
def bad_randint1(high):
    return np.random.randint(high)


@ember.jit
def bad_normal(scale):
    return np.random.normal(0.0, scale)


@ember.jit
def bad_exponential(scale):
    return np.random.exponential(scale, 3)


@ember.jit
def bad_uniform(low, high):
    return np.random.uniform(low, high)


@ember.jit
def bad_choice(n, k):
    return np.random.choice(n, k, replace=False)


@ember.jit
def bad_choice_p(p):
    return np.random.choice(3, p=p)


def test_errors_as_numpy():
    for s in [-1, 2**32, 2**40, -2**40]:
        raises_as_numpy(seed_only, s)
    raises_as_numpy(seed_only, 1.5)
    for low, high in [(5, 3), (4, 4), (0, 0), (-1, -1)]:
        raises_as_numpy(bad_randint, low, high)
    for high in [0, -3]:
        raises_as_numpy(bad_randint1, high)
    for scale in [-1.0, -0.0, -np.inf]:
        raises_as_numpy(bad_normal, scale)
        raises_as_numpy(bad_exponential, scale)
    for low, high in [(0.0, np.inf), (-1e308, 1e308), (np.nan, 1.0)]:
        raises_as_numpy(bad_uniform, low, high)
    for n, k in [(0, 1), (3, 5), (-2, 1), (2.5, 1)]:
        raises_as_numpy(bad_choice, n, k)
    for p in [np.array([0.5, 0.5, 0.5]), np.array([1.5, -0.5, 0.0]), np.array([0.5, 0.5]), np.array([np.nan, 0.5, 0.5])]:
        raises_as_numpy(bad_choice_p, p)


def test_nan_scale_passes():
    assert np.isnan(bad_normal(np.nan)) and np.isnan(np.random.RandomState(0).normal(0.0, np.nan))


# -- NumPy's state, threads, modules -------------------------------------------------------

def test_numpy_global_state_untouched():
    np.random.seed(2024)
    before = np.random.get_state()
    np.random.randn()                      # NumPy keeps a gauss now
    before = np.random.get_state()
    doubles(7, 1000)
    scalar_draws(9)
    seed_only(3)
    after = np.random.get_state()
    assert before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:]


@ember.jit
def draw(n):
    out = np.empty(n)
    for i in range(n):
        out[i] = np.random.random()
    return out


def test_one_state_per_thread():
    seed_only(77)                                  # this thread: 77, one double drawn
    got = {}

    def other():
        got["other"] = doubles(5, 10)              # seeds and draws on its own state
        got["fresh"] = draw(4)                     # continues that thread's stream

    t = threading.Thread(target=other)
    t.start()
    t.join()
    r = np.random.RandomState(77)
    r.random_sample()
    assert same(r.random_sample(6), draw(6))       # this thread's stream, untouched by the other
    r5 = np.random.RandomState(5)
    assert same(r5.random_sample(10), got["other"]) and same(r5.random_sample(4), got["fresh"])


def test_unseeded_thread_draws_from_entropy():
    out = []
    ts = [threading.Thread(target=lambda: out.append(draw(8))) for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert all(((x >= 0.0) & (x < 1.0)).all() for x in out)
    assert not np.array_equal(out[0], out[1])      # two fresh threads: two entropy seeds


@ember.jit
def via_module_alias(s):
    npr.seed(s)
    return npr.random(3), npr.randint(0, 100)


def test_numpy_random_imported_as_module():
    for s in SEEDS[:5]:
        agree(via_module_alias, s)


# -- Monte-Carlo ------------------------------------------------------------------

@ember.jit
def mc_pi(s, n):
    np.random.seed(s)
    hits = 0
    for _ in range(n):
        x = np.random.random()
        y = np.random.random()
        if x * x + y * y < 1.0:
            hits += 1
    return 4.0 * hits / n


def test_monte_carlo_pi():
    for s in SEEDS[:4]:
        got = agree(mc_pi, s, 20000)
        assert abs(got - np.pi) < 0.05


# -- poisson, gamma, beta --------------------------------------------------------------

@ember.jit
def more_draws(s, lam, shape, scale, a, b, n):
    np.random.seed(s)
    return (np.random.poisson(lam), np.random.poisson(lam, n), np.random.standard_gamma(shape),
            np.random.gamma(shape, scale, n), np.random.beta(a, b), np.random.beta(a, b, (2, n)),
            np.random.poisson(size=3), np.random.gamma(shape))


@pytest.mark.parametrize("lam,shape,a,b", [(0.0, 1.0, 0.5, 0.5), (3.5, 0.3, 2.0, 3.0), (10.0, 2.5, 0.2, 0.9),
                                           (150.0, 7.0, 1.0, 1.0), (1e6, 0.0, 5.0, 0.5)])
def test_more_distributions(lam, shape, a, b):
    for s in SEEDS[:6]:
        agree(more_draws, s, lam, shape, 1.5, a, b, 40)


@ember.jit
def bad_poisson(lam):
    return np.random.poisson(lam)


@ember.jit
def bad_gamma(shape, scale):
    return np.random.gamma(shape, scale)


@ember.jit
def bad_beta(a, b):
    return np.random.beta(a, b)


def test_more_errors_as_numpy():
    for lam in [-1.0, np.nan, 1e19]:
        raises_as_numpy(bad_poisson, lam)
    for shape, scale in [(-1.0, 1.0), (1.0, -0.0)]:
        raises_as_numpy(bad_gamma, shape, scale)
    for a, b in [(0.0, 1.0), (1.0, -2.0)]:
        raises_as_numpy(bad_beta, a, b)


from numpy.random import rand as np_rand, randint as np_randint, seed as np_seed   # noqa: E402


@ember.jit
def imported_names(s):
    np_seed(s)
    return np_rand(2, 2), np_randint(5, 10)


def test_functions_imported_by_name():
    for s in SEEDS[:5]:
        agree(imported_names, s)


@ember.jit
def binomials(s, n, p, k):
    np.random.seed(s)
    return np.random.binomial(n, p), np.random.binomial(n, p, k), np.random.binomial(n, p, (2, 3))


@pytest.mark.parametrize("n,p", [(10, 0.3), (0, 0.5), (5, 0.0), (5, 1.0), (1, 0.5), (100, 0.5), (1000, 0.05),
                                 (1000, 0.97), (10**6, 0.3), (50, 0.7), (61, 0.5), (10**9, 1e-3)])
def test_binomial(n, p):
    for s in SEEDS[:6]:
        agree(binomials, s, n, p, 300)


def test_binomial_errors():
    for n, p in [(-1, 0.5), (5, 1.5), (5, -0.1), (5, np.nan)]:
        raises_as_numpy(binomials, 1, n, p, 3)


@ember.jit
def unused_and_repeated(s):
    np.random.seed(s)
    np.random.random()                         # unused: still a draw
    np.random.randint(5)
    a = np.random.random() + np.random.random()   # two draws, never merged
    b = np.random.randn() - np.random.randn()
    t = 0.0
    for i in range(3):                         # never hoisted out of the loop
        t += np.random.uniform(0.0, 1.0)
    return a, b, t, np.random.random()


def test_draws_are_effects():
    for s in SEEDS[:6]:
        agree(unused_and_repeated, s)


@ember.jit
def odd_arguments(s):
    np.random.seed(s)
    return (np.random.random(()), np.random.randn(np.int64(3), 2), np.random.random((np.int32(2), 3)),
            np.random.randint(1.5, 10.7), np.random.normal(np.float32(1.5), 2),
            np.random.choice((1.5, 2.5, 3.5), 4), np.random.choice([4, 5, 6]), np.random.permutation([1, 2, 3, 4]),
            np.random.choice(5, 3, p=[0.1, 0.2, 0.3, 0.2, 0.2]))


def test_odd_arguments():
    for s in SEEDS[:6]:
        agree(odd_arguments, s)
    agree(seed_only, np.uint32(4000000000))
    agree(seed_only, True)


# -- The other continuous distributions --------------------------------------------------

@ember.jit
def other_draws(s, a, b, n):
    np.random.seed(s)
    return (np.random.lognormal(a, b), np.random.lognormal(a, b, n), np.random.chisquare(b, n),
            np.random.standard_cauchy(n), np.random.standard_cauchy(), np.random.standard_t(b, n),
            np.random.weibull(b, n), np.random.pareto(b, n), np.random.power(b, n), np.random.rayleigh(b, n),
            np.random.laplace(a, b, n), np.random.logistic(a, b, n), np.random.gumbel(a, b, (2, n)),
            np.random.triangular(a - 1.0, a, a + b, n), np.random.triangular(a, a, a + 1.0),
            np.random.chisquare(b), np.random.gumbel())


@pytest.mark.parametrize("a,b", [(0.0, 1.0), (1.5, 0.3), (-2.0, 7.5), (0.5, 2.0)])
def test_other_distributions(a, b):
    for s in SEEDS[:5]:
        agree(other_draws, s, a, b, 50)


@ember.jit
def other_errors(k, x):
    if k == 0:
        return np.random.lognormal(0.0, x)
    if k == 1:
        return np.random.chisquare(x)
    if k == 2:
        return np.random.standard_t(x)
    if k == 3:
        return np.random.weibull(x)
    if k == 4:
        return np.random.pareto(x)
    if k == 5:
        return np.random.power(x)
    if k == 6:
        return np.random.rayleigh(x)
    if k == 7:
        return np.random.laplace(0.0, x)
    if k == 8:
        return np.random.logistic(0.0, x)
    if k == 9:
        return np.random.gumbel(0.0, x)
    if k == 10:
        return np.random.triangular(x, 0.0, 1.0)
    if k == 11:
        return np.random.triangular(-1.0, 0.0, x)
    return np.random.triangular(x, x, x)


def test_other_errors_as_numpy():
    for k in range(10):
        raises_as_numpy(other_errors, k, -1.0)
    for k in [1, 2, 4, 5]:
        raises_as_numpy(other_errors, k, 0.0)
    raises_as_numpy(other_errors, 10, 0.5)
    raises_as_numpy(other_errors, 11, -0.5)
    raises_as_numpy(other_errors, 12, 1.0)


@ember.jit
def int_draws(s, p, n, k):
    np.random.seed(s)
    return (np.random.geometric(p), np.random.geometric(p, k), np.random.negative_binomial(n, p),
            np.random.negative_binomial(n, p, (k, 2)))


@pytest.mark.parametrize("p,n", [(0.5, 3.0), (0.1, 0.7), (0.9, 25.0), (1.0, 5.0), (0.3333, 12.5), (1e-4, 2.0)])
def test_geometric_negative_binomial(p, n):
    for s in SEEDS[:5]:
        agree(int_draws, s, p, n, 40)


def test_int_draw_errors():
    for p, n in [(0.0, 3.0), (1.5, 3.0), (np.nan, 3.0), (0.5, 0.0), (0.5, -1.0)]:
        raises_as_numpy(int_draws, 1, p, n, 3)


# -- randint's dtype= ----------------------------------------------------------------

@ember.jit
def ints_dtype(s, lo, hi, n, dt):
    np.random.seed(s)
    return (np.random.randint(lo, hi, n, dt), np.random.randint(lo, hi, dtype=dt),
            np.random.randint(lo, hi, (2, n), dtype=dt), np.random.random())


@pytest.mark.parametrize("dt", [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64, bool])
def test_randint_dtype(dt):
    for lo, hi in [(0, 2), (0, 1), (-5, 5), (0, 100), (0, 256), (0, 65536), (-128, 128), (3, 4), (-2**31, 2**31),
                   (0, 2**32), (0, 2**40)]:
        for s in SEEDS[:3]:
            try:
                want = ints_dtype.py_func(s, lo, hi, 37, dt)
            except ValueError:
                raises_as_numpy(ints_dtype, s, lo, hi, 37, dt)
                continue
            assert same(want, ints_dtype(s, lo, hi, 37, dt)), (dt, lo, hi, s)


@ember.jit
def ints_dtype_str(s):
    np.random.seed(s)
    return np.random.randint(0, 200, 5, dtype="uint8"), np.random.randint(-3, 3, size=4, dtype="int16")


def test_randint_dtype_str():
    agree(ints_dtype_str, 5)


@ember.jit
def keywords(s):
    np.random.seed(seed=s)
    return (np.random.normal(loc=1.0, scale=2.0, size=3), np.random.uniform(high=3.0, size=(2,)),
            np.random.randint(low=2, high=9, size=4), np.random.choice(a=7, size=2, replace=False, p=None),
            np.random.exponential(scale=0.5), np.random.poisson(lam=4.0, size=2), np.random.binomial(n=5, p=0.25))


def test_keyword_arguments():
    for s in SEEDS[:4]:
        agree(keywords, s)


def test_forked_child_reseeds():
    import os
    seed_only(5)                                   # the parent's generator is in use
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:                                   # child: draws from a fresh entropy seed
        try:
            os.write(w, draw(4).tobytes())
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while len(data) < 32:
        chunk = os.read(r, 32 - len(data))
        if not chunk:
            break
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    child = np.frombuffer(data, np.float64)
    parent = draw(4)
    want = np.random.RandomState(5)
    want.random_sample()
    assert same(want.random_sample(4), parent)     # the parent's stream goes on
    assert child.shape == (4,) and not np.array_equal(child, parent)


# -- f, noncentral_chisquare, noncentral_f, wald, vonmises, zipf, logseries, hypergeometric --

@ember.jit
def more_float_draws(s, a, b, c, n):
    np.random.seed(s)
    return (np.random.f(a, b), np.random.f(a, b, n), np.random.noncentral_chisquare(a, c, n),
            np.random.noncentral_chisquare(a, 0.0, 3), np.random.noncentral_f(a, b, c, n), np.random.wald(a, b, n),
            np.random.vonmises(c - 1.0, a, n), np.random.vonmises(0.5, 1e-9), np.random.vonmises(0.5, 5e-6, 4))


@pytest.mark.parametrize("a,b,c", [(1.0, 2.0, 0.5), (0.5, 7.5, 3.0), (12.0, 0.3, 1.0), (2.5, 40.0, 0.0)])
def test_more_float_distributions(a, b, c):
    for s in SEEDS[:5]:
        agree(more_float_draws, s, a, b, c, 40)


@ember.jit
def more_int_draws(s, a, p, good, bad, sample, n):
    np.random.seed(s)
    return (np.random.zipf(a), np.random.zipf(a, n), np.random.logseries(p), np.random.logseries(p, n),
            np.random.hypergeometric(good, bad, sample), np.random.hypergeometric(good, bad, sample, n))


@pytest.mark.parametrize("a,p,good,bad,sample", [(1.5, 0.5, 10, 5, 3), (2.0, 0.9, 100, 200, 50), (3.7, 0.01, 7, 7, 14),
                                                 (1.1, 0.99, 1000, 3, 500), (6.0, 0.0, 0, 10, 10)])
def test_more_int_distributions(a, p, good, bad, sample):
    for s in SEEDS[:5]:
        agree(more_int_draws, s, a, p, good, bad, sample, 40)


def test_more_draw_errors():
    for a, b, c in [(0.0, 1.0, 1.0), (1.0, -1.0, 1.0), (1.0, 1.0, -1.0)]:
        raises_as_numpy(more_float_draws, 1, a, b, c, 3)
    for args in [(1.0, 0.5, 1, 1, 1), (2.0, 1.0, 1, 1, 1), (2.0, -0.1, 1, 1, 1), (2.0, 0.5, -1, 5, 3),
                 (2.0, 0.5, 5, -1, 3), (2.0, 0.5, 5, 5, 0), (2.0, 0.5, 2, 2, 5)]:
        raises_as_numpy(more_int_draws, 1, *args, 3)


# -- multinomial, dirichlet ---------------------------------------------------------

@ember.jit
def vector_draws(s, n, pvals, alpha):
    np.random.seed(s)
    return (np.random.multinomial(n, pvals), np.random.multinomial(n, pvals, 4), np.random.multinomial(n, pvals, (2, 3)),
            np.random.dirichlet(alpha), np.random.dirichlet(alpha, 3), np.random.dirichlet(alpha, (2, 2)),
            np.random.random())


@pytest.mark.parametrize("n,pvals,alpha", [(10, [0.2, 0.3, 0.5], [1.0, 2.0, 0.5]), (0, [0.5, 0.5], [0.1, 0.1]),
                                           (1000, [0.01, 0.9, 0.05, 0.04], [30.0, 1.0]), (7, [1.0], [2.5]),
                                           (50, [0.5, 0.6], [1.0, 1.0, 1.0, 1.0])])
def test_multinomial_dirichlet(n, pvals, alpha):
    pv, al = np.array(pvals), np.array(alpha)
    for s in SEEDS[:5]:
        agree(vector_draws, s, n, pv, al)


def test_vector_draw_errors():
    for n, pvals, alpha in [(5, [-0.5, 0.6], [1.0]), (5, [0.7, 0.6, 0.1], [1.0]), (-1, [0.5, 0.5], [1.0]),
                            (5, [0.5, 0.5], [1.0, -1.0]), (5, [0.5, np.nan], [1.0])]:
        raises_as_numpy(vector_draws, 1, n, np.array(pvals), np.array(alpha))


@ember.jit
def vector_displays(s):
    np.random.seed(s)
    return np.random.multinomial(20, [0.2, 0.3, 0.5]), np.random.dirichlet((1.0, 2.0), 2)


def test_vector_draws_of_displays():
    for s in SEEDS[:3]:
        agree(vector_displays, s)
