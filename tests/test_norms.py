"""gnlib.norms: norm axioms, overflow/underflow safety, accuracy, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gnlib.norms import global_norm, l2_norm, lp_norm

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
vectors = arrays(np.float64, st.integers(1, 30), elements=finite)
orders = st.sampled_from([1, 1.5, 2, 3, 7.5, np.inf])


def ulps(value: float, reference: float) -> float:
    return abs(value - reference) / math.ulp(reference)


# --- norm axioms -----------------------------------------------------------

@given(vectors, orders)
def test_norm_is_nonnegative_and_zero_only_for_zero(x, p):
    n = lp_norm(x, p)
    assert n >= 0
    assert (n == 0) == (not np.any(x))


@given(vectors, orders, st.floats(-1e3, 1e3, allow_nan=False))
def test_absolute_homogeneity(x, p, c):
    assert lp_norm(c * x, p) == pytest.approx(abs(c) * lp_norm(x, p), rel=1e-9, abs=1e-300)


@given(st.integers(1, 20).flatmap(lambda n: st.tuples(
    arrays(np.float64, n, elements=finite), arrays(np.float64, n, elements=finite))), orders)
def test_triangle_inequality(xy, p):
    x, y = xy
    assert lp_norm(x + y, p) <= (lp_norm(x, p) + lp_norm(y, p)) * (1 + 1e-12) + 1e-300


@given(vectors)
def test_ordering_of_inf_2_and_1_norms(x):
    n = x.size
    inf, two, one = lp_norm(x, np.inf), l2_norm(x), lp_norm(x, 1)
    assert inf <= two * (1 + 1e-12)
    assert two <= one * (1 + 1e-12)
    assert one <= math.sqrt(n) * two * (1 + 1e-12)


def test_known_values():
    assert l2_norm([3.0, 4.0]) == 5.0
    assert lp_norm([3.0, -4.0], 1) == 7.0
    assert lp_norm([3.0, -4.0], np.inf) == 4.0
    assert lp_norm([1.0, 1.0], 3) == pytest.approx(2 ** (1 / 3), rel=1e-15)
    assert lp_norm(np.arange(6).reshape(2, 3), 2) == pytest.approx(math.sqrt(55), rel=1e-15)


# numpy cubes without scaling: entries below about 1e-103 underflow there (x = [6.6e-279] gives 0)
numpy_safe = arrays(np.float64, st.integers(1, 30), elements=st.one_of(
    st.just(0.0), st.floats(1e-90, 1e6), st.floats(-1e6, -1e-90)))


@given(numpy_safe, st.sampled_from([1, 3, np.inf]))
def test_lp_norm_matches_numpy_in_the_safe_range(x, p):
    assert lp_norm(x, p) == pytest.approx(np.linalg.norm(x, p), rel=1e-12, abs=1e-300)


# --- l2_norm: range and accuracy ---------------------------------------------

@pytest.mark.parametrize("x, expected", [
    ([3e200, 4e200], 5e200),
    ([3e-200, 4e-200], 5e-200),
    ([3e-160, 4e-160], 5e-160),
    ([1e300, 1e-300], 1e300),
    ([5e-324, 0.0], 5e-324),
    ([1e308, 1e308], math.hypot(1e308, 1e308)),
])
def test_l2_norm_has_no_overflow_or_underflow(x, expected):
    assert ulps(l2_norm(x), expected) <= 2


def test_numpy_fails_where_l2_norm_does_not():
    with np.errstate(over="ignore", under="ignore"):
        assert np.linalg.norm([3e200, 4e200]) == np.inf
        assert np.linalg.norm([3e-200, 4e-200]) == 0.0
    assert l2_norm([3e200, 4e200]) == pytest.approx(5e200, rel=1e-15)


def test_l2_norm_of_subnormals():
    tiny = np.full(4, 5e-324)
    assert l2_norm(tiny) == pytest.approx(1e-323, abs=5e-324)
    x = np.array([3.0, 4.0]) * 2.0**-1060
    assert l2_norm(x) == 5.0 * 2.0**-1060


def test_norm_that_truly_overflows_is_inf():
    assert l2_norm([1.7e308, 1.7e308]) == math.inf


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_low_precision_input_is_promoted(dtype):
    assert l2_norm(np.full(10_000, 10, dtype=dtype)) == 1000.0
    assert l2_norm(np.array([300], dtype=dtype)) == 300.0
    big = np.array([3e19, 4e19], dtype=np.float32)
    assert l2_norm(big) == pytest.approx(5e19, rel=1e-6)


@pytest.mark.parametrize("n", [10, 1000, 100_000, 1_000_000])
def test_l2_norm_within_two_ulp_of_hypot(n):
    rng = np.random.default_rng(n)
    for trial in range(4 if n < 1e6 else 2):
        x = rng.normal(size=n) * 10.0 ** rng.uniform(-250, 250)
        assert ulps(l2_norm(x), math.hypot(*x)) <= 2, (n, trial)


@given(arrays(np.float64, st.integers(1, 40),
              elements=st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False)))
def test_l2_norm_within_two_ulp_over_the_whole_range(x):
    reference = math.hypot(*x)
    if reference == 0.0:
        assert l2_norm(x) == 0.0
    elif reference >= 2.2250738585072014e-308:  # normal result: ulp-accurate
        assert ulps(l2_norm(x), reference) <= 2
    else:  # subnormal result: absolute accuracy of a few subnormal steps
        assert abs(l2_norm(x) - reference) <= 4 * 5e-324


def test_l2_norm_of_any_shape_and_empty():
    assert l2_norm(np.ones((2, 3, 4))) == pytest.approx(math.sqrt(24), rel=1e-15)
    assert l2_norm([]) == 0.0
    assert l2_norm(np.zeros(5)) == 0.0


def test_nonfinite_entries_follow_hypot():
    assert l2_norm([np.inf, 1.0]) == math.inf
    assert l2_norm([np.inf, np.nan]) == math.inf
    assert math.isnan(l2_norm([np.nan, 1.0]))
    assert lp_norm([np.nan, -np.inf], 1) == math.inf
    assert math.isnan(lp_norm([np.nan, 2.0], np.inf))


# --- global_norm -----------------------------------------------------------

@given(st.lists(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4)), elements=finite),
                min_size=1, max_size=5), orders)
def test_global_norm_equals_norm_of_concatenation(arrays_, p):
    flat = np.concatenate([a.ravel() for a in arrays_])
    assert global_norm(arrays_, p) == pytest.approx(lp_norm(flat, p), rel=1e-12, abs=1e-300)


def test_global_norm_is_overflow_safe_and_empty():
    assert global_norm([np.array([3e200]), np.array([[4e200]])]) == pytest.approx(5e200, rel=1e-15)
    assert global_norm([]) == 0.0
    assert global_norm(iter([np.ones(4)])) == 2.0


# --- bad input -------------------------------------------------------------

@pytest.mark.parametrize("p", [0.5, 0, -1])
def test_p_below_one_is_not_a_norm(p):
    with pytest.raises(ValueError, match="not a norm"):
        lp_norm([1.0, 2.0], p)
    with pytest.raises(ValueError, match="p must be"):
        global_norm([np.ones(2)], p)


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="p must be a number"):
        lp_norm([1.0], float("nan"))
    with pytest.raises(TypeError, match="p must be a real number"):
        lp_norm([1.0], "2")
    with pytest.raises(TypeError, match="x must be"):
        l2_norm("abc")
    with pytest.raises(TypeError, match="x must be"):
        l2_norm([1 + 2j])
    with pytest.raises(TypeError, match="x must be"):
        l2_norm([[1.0, 2.0], [3.0]])
    with pytest.raises(TypeError, match="x must be"):
        l2_norm(np.array(["a"], dtype=object))
    with pytest.raises(TypeError, match="single numpy.ndarray"):
        global_norm(np.ones(3))
    with pytest.raises(TypeError, match=r"arrays\[1\]"):
        global_norm([np.ones(2), "oops"])
    with pytest.raises(TypeError, match="list of arrays"):
        global_norm(3.0)


def test_inline_short_array_sums_match_one_call_per_flattened_array():
    """The batched helper gives what the per-array function gives (its inline branch within 1 ulp)."""
    from gnlib._sums import BLOCK, SMALL, fast_sum_of_squares, sums_of_squares

    rng = np.random.default_rng(5)
    arrays = [rng.normal(size=(30, 20)).astype(np.float32), rng.normal(size=(30, 20)).T,
              rng.normal(size=2 * BLOCK + 7).astype(np.float32), rng.normal(size=50).astype(np.float16),
              np.full(10, 1e-30, dtype=np.float32), rng.normal(size=(4, 5)).T, np.full(SMALL, 1 / 3)]
    sums, trusted_from, rel_error = sums_of_squares(arrays)
    one_by_one = [fast_sum_of_squares(a.reshape(-1)) for a in arrays]
    for a, got, (want, _, _) in zip(arrays, sums, one_by_one):
        if a.dtype == np.float64 and a.size <= SMALL:  # the inline branch: fsum of the squares
            assert abs(got - want) <= math.ulp(want)
        else:
            assert got == want
    assert trusted_from == max(low for _, low, _ in one_by_one)
    assert rel_error == max(bound for _, _, bound in one_by_one) > 0  # the large float32 array
