"""The core math under hostile input: extreme magnitudes, low precision, aliasing, odd callbacks.

One section per class of defect, each checked as a property over many inputs
(not only the example that revealed it), against exact references built
from ``fractions.Fraction`` and ``decimal.Decimal``.
"""

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gnlib.clip import clip_by_global_norm, clip_by_norm
from gnlib.gradcheck import check_gradient, forward_difference_gradient, numerical_gradient, rel_error
from gnlib.norms import global_norm, l2_norm, lp_norm, scaled_global_norm
from gnlib.optim import clipped_gradient_descent, gradient_descent, normalized_gradient_descent

DTYPES = [np.float16, np.float32, np.float64]


def exact_sum_of_squares(values) -> Fraction:
    return sum((Fraction(float(v)) ** 2 for v in np.ravel(values)), Fraction(0))


def decimal_sqrt(value: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        return (Decimal(value.numerator) / Decimal(value.denominator)).sqrt()


def correctly_rounded_norm(values) -> float:
    return float(decimal_sqrt(exact_sum_of_squares(values)))


def ulps(value: float, reference: float) -> float:
    return abs(value - reference) / math.ulp(reference)


# --- 1. low-precision clipping: no underflowing factor, no overshoot ---------

def unit_roundoff(dtype) -> Fraction:
    return Fraction(float(np.finfo(dtype).eps)) / 2


def assert_clipped_within_bound(g: np.ndarray, tau: float, clipped: np.ndarray) -> None:
    """Where the exact result is representable: norm <= tau (1 + 2u), no non-zero entry lost."""
    assert clipped.dtype == g.dtype and clipped.shape == g.shape
    info = np.finfo(g.dtype)
    squares = exact_sum_of_squares(g)
    if squares == 0:
        assert not clipped.any()
        return
    with localcontext() as ctx:
        ctx.prec = 60
        norm = decimal_sqrt(squares)
        factor = min(Decimal(1), Decimal(tau) / norm)
        exact = [Decimal(float(v)) * factor for v in g.ravel()]
        representable = all(e == 0 or Decimal(float(info.tiny)) <= abs(e) <= Decimal(float(info.max))
                             for e in exact)
    if not representable:
        return
    bound = Fraction(tau) * (1 + 2 * unit_roundoff(g.dtype))
    assert exact_sum_of_squares(clipped) <= bound**2, (g, tau, clipped)
    lost = (g != 0) & (clipped == 0)
    assert not lost.any(), f"non-zero entries became zero: {g[lost]} -> {clipped[lost]}"


@st.composite
def low_precision_cases(draw):
    """A gradient of one dtype around 2**scale (entries spread over 2**-12 of it) and a threshold."""
    dtype = draw(st.sampled_from(DTYPES))
    info = np.finfo(dtype)
    n = draw(st.integers(1, 12))
    scale = draw(st.integers(int(info.minexp) + 14, int(info.maxexp) - 6))
    mantissas = draw(st.lists(st.floats(-1, 1, allow_nan=False), min_size=n, max_size=n))
    offsets = draw(st.lists(st.integers(-12, 0), min_size=n, max_size=n))
    g = np.array([math.ldexp(m, scale + o) for m, o in zip(mantissas, offsets)]).astype(dtype)
    tau_exponent = draw(st.integers(int(info.minexp) + 14, int(info.maxexp) - 2))
    tau = math.ldexp(draw(st.floats(0.5, 1.0)), tau_exponent)
    return g, tau


@settings(max_examples=300, deadline=None)
@given(low_precision_cases())
def test_clip_by_norm_never_overshoots_or_flushes_in_any_dtype(case):
    g, tau = case
    assert_clipped_within_bound(g, tau, clip_by_norm(g, tau))


@settings(max_examples=200, deadline=None)
@given(low_precision_cases(), st.integers(1, 4), st.booleans())
def test_clip_by_global_norm_never_overshoots_or_flushes_with_or_without_out(case, n_groups, in_place):
    g, tau = case
    groups = [part.copy() for part in np.array_split(g, n_groups)]
    out = [part.copy() for part in groups] if in_place else None
    clipped, _ = clip_by_global_norm(groups, tau, out=out)
    if in_place:
        assert all(c is o for c, o in zip(clipped, out))
    assert_clipped_within_bound(g, tau, np.concatenate(clipped))


@pytest.mark.parametrize("g, tau", [
    (np.array([60000, 60000], np.float16), 1e-3),   # was all zeros: the factor underflowed float16
    (np.array([30000, 40000], np.float16), 0.05),   # was 1.3% above max_norm
    (np.array([1e30, 1e30], np.float32), 1e-20),    # was all zeros: the factor underflowed float32
    (np.array([3e38, -3e38, 1e30], np.float32), 1e-30),
    (np.array([65504, 1e-3], np.float16), 1e-4),
    (np.array([1e300, 1e300]), 1e-300),             # the factor 7e-601 underflows float64 itself
])
def test_reported_low_precision_cases(g, tau):
    assert_clipped_within_bound(g, tau, clip_by_norm(g, tau))
    parts = [g[:1], g[1:]]
    assert_clipped_within_bound(g, tau, np.concatenate(clip_by_global_norm(parts, tau)[0]))
    out = [part.copy() for part in parts]
    clip_by_global_norm(parts, tau, out=out)
    assert_clipped_within_bound(g, tau, np.concatenate(out))
    in_place = [part.copy() for part in parts]
    clip_by_global_norm(in_place, tau, out=in_place)
    assert_clipped_within_bound(g, tau, np.concatenate(in_place))


@pytest.mark.parametrize("n", [10_000, 2**16 + 1, 100_003, 300_007])
@pytest.mark.parametrize("magnitude", [1e-30, 1.0, 1e30])
@pytest.mark.parametrize("shape", ["constant", "random"])
def test_large_float32_gradients_clip_below_the_threshold(n, magnitude, shape):
    """Summed in float32 with a proven error bound: the factor never lets the norm overshoot."""
    if shape == "constant":
        g = np.full(n, magnitude / 3, dtype=np.float32)
    else:
        g = (np.random.default_rng(n).normal(size=n) * magnitude).astype(np.float32)
    exact = l2_norm(g.astype(np.float64))  # float64 sums: far more precise than float32 rounding
    u = np.finfo(np.float32).eps / 2
    for tau in (exact * 0.5, exact * 1e-10, exact * (1 - 1e-6)):
        if np.abs(g).min() * (tau / exact) < np.finfo(np.float32).tiny:
            continue  # subnormal results have fewer digits: outside the promise
        clipped, total = clip_by_global_norm([g], tau)
        assert total == pytest.approx(exact, rel=7.7e-6)
        clipped_norm = l2_norm(clipped[0].astype(np.float64))
        assert tau * (1 - 1.6e-5) <= clipped_norm <= tau * (1 + 2 * u)
        assert np.count_nonzero(clipped[0]) == np.count_nonzero(g)


# --- 2. finite input whose norm overflows float64 ---------------------------

@pytest.mark.parametrize("p", [1, 2, 3, np.inf])
def test_finite_gradients_with_an_overflowing_norm_are_clipped(p):
    g = np.array([1.7e308, 1.7e308])
    expected = clip_by_norm(g / 2.0**100, 1.0, p=p)  # the same direction, a representable norm
    for error_if_nonfinite in (True, False):
        clipped, total = clip_by_global_norm([g], 1.0, p=p, error_if_nonfinite=error_if_nonfinite)
        np.testing.assert_allclose(clipped[0], expected, rtol=4e-16)
        assert total == (1.7e308 if p == np.inf else math.inf)
    np.testing.assert_allclose(clip_by_norm(g, 1.0, p=p), expected, rtol=4e-16)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-1, 1, allow_nan=False), min_size=1, max_size=10),
       st.integers(1, 60), st.sampled_from([1, 1.5, 2, 3, np.inf]), st.floats(1e-300, 1e280))
def test_clipping_commutes_with_power_of_two_scaling_up_to_overflow(mantissas, k, p, tau):
    """clip(g 2**k, tau 2**k) = clip(g, tau) 2**k, also where ||g 2**k|| is beyond the float range."""
    base = np.array(mantissas) * 2.0**1000
    assume(np.any(base != 0))
    with np.errstate(over="ignore"):
        huge = base * 2.0**k
    assume(np.all(np.isfinite(huge)))  # finite entries, whatever their norm
    expected = clip_by_norm(base, tau, p=p) * 2.0**k
    np.testing.assert_allclose(clip_by_norm(huge, tau * 2.0**k, p=p), expected, rtol=1e-14, atol=0)


def test_norms_of_finite_entries_beyond_the_float_range_are_inf_not_errors():
    assert lp_norm([1e308, 1e308], 1) == math.inf
    assert lp_norm(np.full(5000, 1e308), 1) == math.inf  # the numpy-summed branch
    assert lp_norm([1.7e308, 1.7e308], 3) == math.inf
    assert lp_norm([1e308, 1e308], 3) == pytest.approx(2 ** (1 / 3) * 1e308, rel=1e-15)
    assert l2_norm([1.7e308, 1.7e308]) == math.inf
    assert global_norm([np.array([1e308]), np.array([1e308])], p=1) == math.inf
    assert global_norm([np.array([1e308]), np.array([1e308])], p=np.inf) == 1e308
    mantissa, exponent = scaled_global_norm([np.array([1e308]), np.array([1e308])], p=1)
    assert math.ldexp(mantissa, exponent - 1) == pytest.approx(1e308, rel=1e-15)
    assert scaled_global_norm([np.array([np.inf, 1.0])]) == (math.inf, 0)
    assert math.isnan(scaled_global_norm([np.array([np.nan, 1.0])])[0])


# --- 3. out= aliasing --------------------------------------------------------

def test_the_same_array_twice_in_place_is_scaled_once():
    a = np.array([3.0, 4.0])
    clipped, total = clip_by_global_norm([a, a], 1.0, out=[a, a])
    assert total == pytest.approx(math.sqrt(50))
    np.testing.assert_allclose(a, np.array([3.0, 4.0]) / math.sqrt(50), rtol=1e-15)
    assert clipped[0] is a and clipped[1] is a


def test_swapped_outputs_get_the_right_results():
    a, b = np.array([3.0, 4.0]), np.array([6.0, 8.0])
    expected, _ = clip_by_global_norm([a, b], 1.0)
    clip_by_global_norm([a, b], 1.0, out=[b, a])
    np.testing.assert_array_equal(b, expected[0])
    np.testing.assert_array_equal(a, expected[1])


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_any_aliasing_pattern_gives_the_functional_result_or_refuses_untouched(data):
    """Inputs and outputs drawn from views of two buffers: right answer, or ValueError and no write."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    buffers = [rng.normal(size=12) * 10 for _ in range(2)]
    views = [lambda b: b[0:4], lambda b: b[4:8], lambda b: b[2:6], lambda b: b[8:12],
             lambda b: b[::3], lambda b: b[1::3], lambda b: b[0:4][::-1]]
    n = data.draw(st.integers(1, 3))
    pick = st.tuples(st.integers(0, 1), st.integers(0, len(views) - 1))
    grads = [views[i](buffers[k]) for k, i in data.draw(st.lists(pick, min_size=n, max_size=n))]
    outs = [views[i](buffers[k]) for k, i in data.draw(st.lists(pick, min_size=n, max_size=n))]
    outs = [o if o.shape == g.shape else g for o, g in zip(outs, grads)]  # shapes must match
    tau = data.draw(st.sampled_from([0.5, 1e3]))
    expected, expected_total = clip_by_global_norm([g.copy() for g in grads], tau)
    before = [b.copy() for b in buffers]
    try:
        result, total = clip_by_global_norm(grads, tau, out=outs)
    except ValueError as exc:
        assert "share memory" in str(exc)
        for b, old in zip(buffers, before):
            np.testing.assert_array_equal(b, old)  # nothing was written
        return
    assert total == expected_total
    for o, r, e in zip(outs, result, expected):
        assert r is o
        np.testing.assert_array_equal(o, e)


def test_overlapping_outputs_with_different_results_are_refused_before_any_write():
    buffer = np.arange(6.0) + 1
    grads = [np.array([10.0, 20.0, 30.0]), np.array([1.0, 2.0, 3.0])]
    with pytest.raises(ValueError, match=r"out\[0\] and out\[1\] share memory"):
        clip_by_global_norm(grads, 1.0, out=[buffer[0:3], buffer[2:5]])
    np.testing.assert_array_equal(buffer, np.arange(6.0) + 1)


def test_in_place_views_of_one_flat_buffer_match_the_functional_result():
    flat = np.random.default_rng(0).normal(size=100) * 5
    grads = [flat[i:i + 10] for i in range(0, 100, 10)]
    expected, _ = clip_by_global_norm([g.copy() for g in grads], 1.0)
    clip_by_global_norm(grads, 1.0, out=grads)
    np.testing.assert_array_equal(flat, np.concatenate(expected))


# --- 4. user callbacks ---------------------------------------------------------

def scaled_in_place(x):
    x *= 1e4  # a careless f that changes its argument
    return float(x[0] ** 2 + 2e-4 * x[1])


@pytest.mark.parametrize("difference", [numerical_gradient, forward_difference_gradient])
def test_an_f_that_changes_its_argument_changes_nothing(difference):
    x = np.array([0.0, 1.0])
    careful = difference(lambda v: float((v[0] * 1e4) ** 2 + 2e-4 * v[1] * 1e4), x.copy())
    np.testing.assert_allclose(difference(scaled_in_place, x), careful, rtol=1e-6, atol=1e-3)
    np.testing.assert_array_equal(x, [0.0, 1.0])


@pytest.mark.parametrize("value", ["1.5", None, 1j, True, np.array(["1.5"]), [1.0, 2.0 + 1j], object()])
def test_non_numeric_values_of_f_are_refused_naming_f(value):
    for function in (numerical_gradient, forward_difference_gradient):
        with pytest.raises(TypeError, match=r"\bf\b"):
            function(lambda x: value, np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match=r"\bf\b"):
        check_gradient(lambda x: value, lambda x: x, np.array([1.0]))


@pytest.mark.parametrize("optimizer", ["gd", "ngd", "clipped"])
@pytest.mark.parametrize("value, error", [
    (None, TypeError), ("0.5", TypeError), (np.array([1j]), TypeError), (np.array(["a"]), TypeError),
])
def test_bad_gradients_from_grad_fn_raise_naming_it(optimizer, value, error):
    with pytest.raises(error, match="grad_fn"):
        run_optimizer(optimizer, lambda th: value)


@pytest.mark.parametrize("value, error", [
    (None, TypeError), ("0.5", TypeError), (1j, TypeError), (np.array([1.0, 2.0]), ValueError), (True, TypeError),
])
def test_bad_losses_from_loss_fn_raise_naming_it(value, error):
    for optimizer in ("gd", "ngd", "clipped"):
        with pytest.raises(error, match="loss_fn"):
            run_optimizer(optimizer, lambda th: th, loss_fn=lambda th: value)


def run_optimizer(name, grad_fn, **kwargs):
    if name == "gd":
        return gradient_descent(grad_fn, [1.0], 0.1, 3, **kwargs)
    if name == "ngd":
        return normalized_gradient_descent(grad_fn, [1.0], 0.1, 3, **kwargs)
    return clipped_gradient_descent(grad_fn, [1.0], 0.1, 1.0, 3, **kwargs)


def test_grad_fn_and_loss_fn_get_copies():
    seen = []

    def grad_fn(th):
        seen.append(th.copy())
        th += 100.0  # must not move the optimizer
        return 2 * th - 200.0

    def loss_fn(th):
        value = float(th[0] ** 2)
        th.fill(7.0)  # must not move the optimizer either
        return value

    run = gradient_descent(grad_fn, [1.0], 0.25, 2, loss_fn=loss_fn)
    np.testing.assert_allclose(run.thetas.ravel(), [1.0, 0.5, 0.25])
    np.testing.assert_allclose(run.losses, [1.0, 0.25, 0.0625])
    np.testing.assert_allclose(np.ravel(seen), [1.0, 0.5, 0.25])


# --- 5. arithmetic at the extremes ---------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.floats(-1, 1, allow_nan=False), st.floats(-1, 1, allow_nan=False), st.integers(-40, 1022))
def test_rel_error_is_scale_invariant_up_to_the_largest_floats(a, b, k):
    """rel_error(a 2**k, b 2**k) = rel_error(a, b) while |a| + |b| stays above the 1e-8 floor."""
    assume(math.ldexp(abs(a) + abs(b), k) > 1e-8)  # above the floor of the denominator
    reference = abs(Fraction(a) - Fraction(b)) / (abs(Fraction(a)) + abs(Fraction(b)))
    scaled = rel_error([math.ldexp(a, k)], [math.ldexp(b, k)])
    assert math.isfinite(scaled)
    assert scaled == pytest.approx(float(reference), rel=1e-14, abs=1e-300)


def test_rel_error_of_huge_values():
    assert rel_error([1.5e308], [1.6e308]) == pytest.approx(1 / 31, rel=1e-14)
    assert rel_error([1.5e308], [-1.6e308]) == 1.0
    assert rel_error([1.7976931348623157e308], [-1.7976931348623157e308]) == 1.0
    assert math.isnan(rel_error([np.nan], [1.0]))


@settings(max_examples=150, deadline=None)
@given(st.integers(-1074, 1000), st.floats(1e-300, 1e10), st.integers(1, 3))
def test_every_ngd_step_has_length_eta_whatever_the_gradient_magnitude(k, eta, dim):
    direction = np.arange(1.0, dim + 1)
    gradient = np.ldexp(direction, k) if k > -1070 else np.full(dim, 5e-324)  # down to subnormal
    assume(np.all(gradient != 0) and np.all(np.isfinite(gradient)))
    start = np.full(dim, 0.0)
    run = normalized_gradient_descent(lambda th: gradient, start, eta, 2)
    assert not run.diverged and run.n_steps == 2
    for step in np.diff(run.thetas, axis=0):
        assert l2_norm(step) == pytest.approx(eta, rel=1e-14)


def test_reported_ngd_extremes_take_every_step():
    for gradient, eta in [(np.array([1e-310]), 0.5), (np.array([1e-300]), 1e10), (np.array([1.7e308, 1.7e308]), 1.0)]:
        run = normalized_gradient_descent(lambda th: gradient, np.zeros(gradient.shape), eta, 3)
        assert not run.diverged and run.n_steps == 3
        assert l2_norm(run.thetas[-1]) == pytest.approx(3 * eta, rel=1e-14)


def test_clipped_gd_with_a_factor_below_the_float_range_steps_eta_tau():
    run = clipped_gradient_descent(lambda th: np.array([1.7e308, 1.7e308]), np.zeros(2), 1.0, 1e-300, 2)
    assert not run.diverged
    assert l2_norm(run.thetas[-1]) == pytest.approx(2e-300, rel=1e-14)


# --- 6. accuracy of l2_norm ------------------------------------------------------

def lengths_around_blocks():
    from gnlib._sums import BLOCK, GROUP, ROW, SHORT, SMALL
    edges = [SMALL, ROW, SHORT, ROW * GROUP, BLOCK, 2 * BLOCK, ROW * GROUP * 3]
    near = {e + d for e in edges for d in (-1, 0, 1, 7)}
    powers = {2**k for k in range(1, 21)}
    return sorted(near | powers | {1, 3, 1000, 99_999, 1_000_001})


@pytest.mark.parametrize("n", lengths_around_blocks())
def test_l2_norm_of_constant_vectors_within_its_bound(n):
    """Constant vectors are where plain dot products pile up rounding errors (83 ulp at 32768)."""
    for c in (1 / 3, 0.1, 0.7, math.pi, 1 - 2**-40, 3e160, 3e-160, 1e-310):
        reference = float(decimal_sqrt(Fraction(c) ** 2 * n))
        assert ulps(l2_norm(np.full(n, c)), reference) <= 2, (n, c)


@pytest.mark.parametrize("n", [33, 255, 257, 1000, 8191, 8193, 40_000])
@pytest.mark.parametrize("dtype", DTYPES)
def test_l2_norm_of_random_vectors_within_its_bound(n, dtype):
    rng = np.random.default_rng(n)
    for scale in (1.0, 1e-3, 1e3):
        x = (rng.normal(size=n) * scale).astype(dtype)
        assert ulps(l2_norm(x), correctly_rounded_norm(x)) <= 2


@pytest.mark.parametrize("n", [5000, 40_000])
def test_l2_norm_of_huge_and_tiny_constant_vectors_on_the_rescaling_path(n):
    for c in (1e300, 1.7e308 / 1e3, 1e-300, 4e-320):
        reference = decimal_sqrt(Fraction(c) ** 2 * n)
        got = l2_norm(np.full(n, c))
        if reference > Decimal(1.7976931348623157e308):
            assert got == math.inf
        else:
            assert ulps(got, float(reference)) <= 2, c
