"""What Numba users write, kept: signature strings with Numba's abbreviations
("f8(f8[:], i8)", "void(...)", "int32(int32, i4)") and NumPy's operators on
np.bool_ arguments (~ is logical not, + is or), as NumPy computes them."""
import numpy as np
import pytest

import ember

SIGS = [
    ("f8(f8[:], i8)", lambda a, k: a.sum() * k, (np.arange(5.0), 3)),
    ("float64(float64[::1], int64)", lambda a, k: a.sum() * k, (np.arange(5.0), 3)),
    ("i8(i4[:])", lambda a: a.sum(), (np.arange(7, dtype=np.int32),)),
    ("int32(int32, i4)", lambda a, b: a + b, (np.int32(2), np.int32(2**31 - 3))),
    ("f4(f4, f4)", lambda a, b: a * b + a, (np.float32(1.5), np.float32(-0.25))),
    ("u1(u1)", lambda x: x * x, (np.uint8(20),)),
    ("c16(c16)", lambda z: z * 1j, (1 + 2j,)),
    ("b1(f8, f8)", lambda a, b: a < b, (1.0, 2.0)),
    ("void(f8[:, :], u2[:])", lambda a, b: None, (np.zeros((2, 2)), np.zeros(3, np.uint16))),
    ("(f8[:], f4[::1])", lambda a, b: a[0] + b[0], (np.ones(2), np.ones(2, np.float32))),
]


@pytest.mark.parametrize("sig,py,args", SIGS, ids=[s for s, _, _ in SIGS])
def test_numba_signature_names(sig, py, args):
    f = ember.jit(sig)(py)
    with np.errstate(all="ignore"):
        want = py(*args)
    got = f(*args)
    assert got == want and type(got) is type(want) or (np.asarray(got) == np.asarray(want)).all()
    assert np.asarray(got).dtype == np.asarray(want).dtype


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(TypeError, match="known: .*f8"):
        ember.jit("f9(f8)")(lambda x: x)


@ember.jit
def bool_ops(x, y):
    return x + y, x * y, ~x, x & y, x | y, x ^ y, x + 1, abs(x), x == y, not x


@pytest.mark.parametrize("x", [np.True_, np.False_])
@pytest.mark.parametrize("y", [np.True_, np.False_])
def test_np_bool_arguments_follow_numpy(x, y):
    got = bool_ops(x, y)
    want = (x + y, x * y, ~x, x & y, x | y, x ^ y, x + 1, abs(x), x == y, not x)
    for g, w in zip(got, want):
        assert g == w and np.asarray(g).dtype == np.asarray(w).dtype, (x, y, got, want)


def test_python_bools_stay_python():
    got = bool_ops(True, True)
    assert got[0] == 2 and got[2] == -2 and got[6] == 2


def test_np_bool_subtract_is_refused():
    @ember.jit
    def sub(x, y):
        return x - y
    with pytest.raises(ember.TypingError, match="numpy boolean subtract"):
        sub(np.True_, np.False_)
