"""gnlib.clip: clipping invariants, library semantics, non-finite input, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gnlib.clip import clip_by_global_norm, clip_by_norm, clip_by_value, clip_coefficient
from gnlib.norms import global_norm, l2_norm

# Entries are 0 or at least 1e-100 in size: scaling a subnormal entry may round
# it to 0, which is correct floating-point behaviour but not what these
# properties are about (test_norms covers subnormals).
finite = st.floats(-1e8, 1e8, allow_nan=False, allow_infinity=False).filter(lambda v: v == 0 or abs(v) >= 1e-100)
grads_strategy = arrays(np.float64, st.integers(1, 20), elements=finite)
thresholds = st.floats(1e-3, 1e3)


@given(grads_strategy, thresholds)
def test_clipped_norm_is_at_most_threshold(g, tau):
    assert l2_norm(clip_by_norm(g, tau)) <= tau * (1 + 1e-12)


@given(grads_strategy, thresholds)
def test_direction_is_kept(g, tau):
    clipped = clip_by_norm(g, tau)
    n = l2_norm(g)
    if n > 0:
        cosine = float(np.dot(clipped / l2_norm(clipped), g / n))
        assert cosine == pytest.approx(1.0, abs=1e-12)
        assert np.all(np.sign(clipped) == np.sign(g))


@given(grads_strategy, thresholds)
def test_clipping_is_idempotent(g, tau):
    once = clip_by_norm(g, tau)
    np.testing.assert_allclose(clip_by_norm(once, tau), once, rtol=1e-12)


@given(grads_strategy, thresholds)
def test_exact_formula_above_and_unchanged_below(g, tau):
    n = l2_norm(g)
    clipped = clip_by_norm(g, tau)
    if n > tau:
        np.testing.assert_array_equal(clipped, g * (tau / n))
        assert l2_norm(clipped) == pytest.approx(tau, rel=1e-12)
    else:
        np.testing.assert_array_equal(clipped, g)


def test_known_values_and_threshold_zero():
    np.testing.assert_allclose(clip_by_norm(np.array([3.0, 4.0]), 1.0), [0.6, 0.8], rtol=1e-15)
    np.testing.assert_array_equal(clip_by_norm(np.array([0.3, 0.4]), 1.0), [0.3, 0.4])
    np.testing.assert_array_equal(clip_by_norm(np.array([3.0, 4.0]), 0.0), [0.0, 0.0])
    np.testing.assert_array_equal(clip_by_norm(np.zeros(3), 1.0), np.zeros(3))
    np.testing.assert_allclose(clip_by_norm(np.array([3.0, -4.0]), 2.0, p=1), [6 / 7, -8 / 7], rtol=1e-15)


def test_inputs_are_never_modified():
    g = np.array([3.0, 4.0])
    groups = [np.array([3.0]), np.array([4.0])]
    clip_by_norm(g, 1.0)
    clip_by_global_norm(groups, 1.0)
    clip_by_value(g, 1.0)
    np.testing.assert_array_equal(g, [3.0, 4.0])
    assert [a.tolist() for a in groups] == [[3.0], [4.0]]
    assert clip_by_norm(g, 10.0) is not g  # a copy even when nothing is clipped


def test_dtype_is_kept_and_float16_is_clipped_correctly():
    # naive float16 code squares 300 -> inf and clips the gradient to [0]
    g16 = np.array([300.0], dtype=np.float16)
    clipped = clip_by_norm(g16, 1.0)
    assert clipped.dtype == np.float16
    assert float(clipped[0]) == 1.0
    g32 = np.array([1e20, 1e20], dtype=np.float32)  # torch/optax would zero this
    out = clip_by_norm(g32, 1.0)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [2**-0.5, 2**-0.5], rtol=1e-6)


@given(st.lists(arrays(np.float64, st.integers(1, 5), elements=finite), min_size=1, max_size=5), thresholds)
def test_global_clipping_scales_all_groups_by_one_factor(groups, tau):
    clipped, total = clip_by_global_norm(groups, tau)
    # measured before clipping: the fast sum of squares agrees with the
    # norm-of-norms formula of global_norm to float64 rounding
    assert total == pytest.approx(global_norm(groups), rel=1e-15, abs=0.0)
    assert global_norm(clipped) <= tau * (1 + 1e-12)
    coef = clip_coefficient(total, tau)
    for original, new in zip(groups, clipped):
        np.testing.assert_array_equal(new, original * coef if coef != 1.0 else original)


@given(st.lists(arrays(np.float64, st.integers(1, 5), elements=finite), min_size=1, max_size=5), thresholds)
def test_out_equals_grads_clips_in_place_like_the_functional_result(groups, tau):
    expected, expected_total = clip_by_global_norm(groups, tau)
    in_place = [g.copy() for g in groups]
    result, total = clip_by_global_norm(in_place, tau, out=in_place)
    assert total == expected_total
    assert all(r is g for r, g in zip(result, in_place))  # the very arrays passed in
    for got, want in zip(in_place, expected):
        np.testing.assert_array_equal(got, want)


def test_out_buffers_receive_the_result_and_grads_stay_unchanged():
    grads = [np.array([3.0, 0.0], dtype=np.float32), np.array([[0.0, 4.0]], dtype=np.float32)]
    buffers = [np.full(2, 7.0, dtype=np.float32), np.full((1, 2), 7.0, dtype=np.float32)]
    result, total = clip_by_global_norm(grads, 1.0, out=buffers)
    assert total == 5.0 and result[0] is buffers[0] and result[1] is buffers[1]
    np.testing.assert_allclose(buffers[0], [0.6, 0.0], rtol=1e-7)
    np.testing.assert_allclose(buffers[1], [[0.0, 0.8]], rtol=1e-7)
    assert grads[0].tolist() == [3.0, 0.0]
    # below the threshold the buffers get an exact copy
    clip_by_global_norm(grads, 10.0, out=buffers)
    np.testing.assert_array_equal(buffers[1], grads[1])
    # on a non-finite gradient nothing is written
    before = [b.copy() for b in buffers]
    with pytest.raises(FloatingPointError, match=r"grads\[1\] contains inf"):
        clip_by_global_norm([grads[0], np.array([[np.inf, 1.0]], np.float32)], 1.0, out=buffers)
    np.testing.assert_array_equal(buffers[0], before[0])


def test_bad_out_is_refused_with_a_clear_message():
    grads = [np.ones(3), np.ones((2, 2))]
    with pytest.raises(TypeError, match="out must be a list of arrays"):
        clip_by_global_norm(grads, 1.0, out=np.ones(3))
    with pytest.raises(ValueError, match="one array per gradient: 2 expected, got 1"):
        clip_by_global_norm(grads, 1.0, out=[np.ones(3)])
    with pytest.raises(ValueError, match=r"out\[1\] must match grads\[1\]: shape \(2, 2\)"):
        clip_by_global_norm(grads, 1.0, out=[np.ones(3), np.ones(4)])
    with pytest.raises(ValueError, match="dtype float64 expected"):
        clip_by_global_norm(grads, 1.0, out=[np.ones(3), np.ones((2, 2), np.float32)])
    with pytest.raises(TypeError, match=r"out\[0\] must be a numpy.ndarray"):
        clip_by_global_norm(grads, 1.0, out=[[1.0, 1.0, 1.0], np.ones((2, 2))])
    frozen = np.ones(3)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match=r"out\[0\] is read-only"):
        clip_by_global_norm(grads, 1.0, out=[frozen, np.ones((2, 2))])
    ints = [np.array([3, 4])]
    with pytest.raises(ValueError, match="dtype float64 expected"):  # integers are clipped into floats
        clip_by_global_norm(ints, 1.0, out=ints)


@pytest.mark.parametrize("scale", [1.0, 1e18, 1e-25, 1e-40])
@pytest.mark.parametrize("entries", ["normal", "constant"])
def test_float32_gradients_are_measured_to_1e5_and_never_overflow(scale, entries):
    rng = np.random.default_rng(1)
    sizes = (50_000, 70_001, 32_768, 3)
    values = [rng.normal(size=n) if entries == "normal" else np.full(n, 1.1) for n in sizes]
    grads = [(v * scale).astype(np.float32) for v in values]
    exact = math.sqrt(math.fsum(math.fsum((g.astype(np.float64) ** 2).tolist()) for g in grads))
    clipped, total = clip_by_global_norm(grads, 1.0)
    # float32 squares of 1e18 overflow and those of 1e-25 vanish: such sums are measured again exactly;
    # constant entries are the worst case for float32 accumulation
    assert total == pytest.approx(exact, rel=1e-5)
    assert total == pytest.approx(global_norm(grads), rel=1e-5)
    assert l2_norm(np.concatenate(clipped)) == pytest.approx(min(1.0, exact), rel=1e-5)


def test_global_norm_differs_from_per_tensor_clipping():
    groups = [np.array([3.0, 0.0]), np.array([0.0, 0.4])]
    global_clipped, total = clip_by_global_norm(groups, 1.0)
    per_tensor = [clip_by_norm(g, 1.0) for g in groups]
    assert total == pytest.approx(math.hypot(3.0, 0.4))
    # per-tensor clipping shrinks only the big group, so the overall direction changes
    assert per_tensor[1].tolist() == [0.0, 0.4]
    assert global_clipped[1][1] == pytest.approx(0.4 / total)


def test_empty_list_gives_zero_total():
    assert clip_by_global_norm([], 1.0) == ([], 0.0)


def test_other_p_norms():
    groups = [np.array([3.0]), np.array([-4.0])]
    clipped, total = clip_by_global_norm(groups, 2.0, p=np.inf)
    assert total == 4.0
    assert [c.tolist() for c in clipped] == [[1.5], [-2.0]]


# --- non-finite gradients --------------------------------------------------

def test_nonfinite_raises_by_default_naming_the_array():
    with pytest.raises(FloatingPointError, match=r"grads\[1\] contains NaN"):
        clip_by_global_norm([np.ones(2), np.array([1.0, np.nan])], 1.0)
    with pytest.raises(FloatingPointError, match=r"grads\[0\] contains inf"):
        clip_by_global_norm([np.array([np.inf]), np.ones(2)], 1.0)
    with pytest.raises(FloatingPointError, match="g contains NaN"):
        clip_by_norm(np.array([np.nan]), 1.0)


def test_nonfinite_with_error_disabled_behaves_like_pytorch():
    clipped, total = clip_by_global_norm([np.array([np.inf, 1.0])], 1.0, error_if_nonfinite=False)
    assert total == math.inf
    assert math.isnan(clipped[0][0]) and clipped[0][1] == 0.0
    clipped, total = clip_by_global_norm([np.array([np.nan, 1.0]), np.ones(2)], 1.0, error_if_nonfinite=False)
    assert math.isnan(total)
    assert all(np.isnan(c).all() for c in clipped)


def test_clip_coefficient():
    assert clip_coefficient(5.0, 1.0) == 0.2
    assert clip_coefficient(1.0, 1.0) == 1.0
    assert clip_coefficient(math.inf, 1.0) == 0.0
    assert math.isnan(clip_coefficient(math.nan, 1.0))


# --- clip_by_value ---------------------------------------------------------

@given(grads_strategy, thresholds)
def test_clip_by_value_bounds_every_entry(g, c):
    out = clip_by_value(g, c)
    assert np.all(np.abs(out) <= c)
    inside = np.abs(g) <= c
    np.testing.assert_array_equal(out[inside], g[inside])


def test_clip_by_value_changes_direction():
    g = np.array([3.0, 0.5])
    out = clip_by_value(g, 1.0)
    assert out.tolist() == [1.0, 0.5]
    cosine = np.dot(out, g) / (l2_norm(out) * l2_norm(g))
    assert cosine < 0.99  # unlike clip_by_norm, the direction moved
    assert math.isnan(clip_by_value(np.array([np.nan]), 1.0)[0])
    assert clip_by_value(np.array([-np.inf]), 2.0).tolist() == [-2.0]


# --- bad input -------------------------------------------------------------

@pytest.mark.parametrize("bad, message", [
    (-1.0, "max_norm must be >= 0"),
    (float("nan"), "max_norm must be a number"),
    (float("inf"), "max_norm must be finite"),
])
def test_bad_thresholds(bad, message):
    with pytest.raises(ValueError, match=message):
        clip_by_norm(np.ones(2), bad)
    with pytest.raises(ValueError, match=message):
        clip_by_global_norm([np.ones(2)], bad)
    with pytest.raises(ValueError, match=message.replace("max_norm", "clip_value")):
        clip_by_value(np.ones(2), bad)


def test_bad_types():
    with pytest.raises(TypeError, match="max_norm must be a real number"):
        clip_by_norm(np.ones(2), "1.0")
    with pytest.raises(TypeError, match="single numpy.ndarray"):
        clip_by_global_norm(np.ones(3), 1.0)
    with pytest.raises(TypeError, match=r"grads\[0\]"):
        clip_by_global_norm(["x"], 1.0)
    with pytest.raises(TypeError, match="g must be"):
        clip_by_value("x", 1.0)
    with pytest.raises(TypeError, match="error_if_nonfinite"):
        clip_by_global_norm([np.ones(2)], 1.0, error_if_nonfinite="yes")
    with pytest.raises(ValueError, match="not a norm"):
        clip_by_norm(np.ones(2), 1.0, p=0.5)


# --- cross-check against PyTorch (optional) --------------------------------

@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("max_norm", [0.1, 1.0, 100.0])
@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
def test_matches_torch_clip_grad_norm(seed, max_norm, norm_type):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional cross-check, not a course requirement")
    rng = np.random.default_rng(seed)
    grads = [rng.normal(size=shape) * rng.uniform(0.1, 10) for shape in [(3, 4), (5,), (2, 2, 2)]]
    params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads]
    for p, g in zip(params, grads):
        p.grad = torch.tensor(g)
    torch_total = float(torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type))
    ours, total = clip_by_global_norm(grads, max_norm, p=norm_type)
    assert total == pytest.approx(torch_total, rel=1e-12)
    for p, mine in zip(params, ours):
        # PyTorch divides by (total + 1e-6) and always multiplies; gnlib divides by total
        np.testing.assert_allclose(p.grad.numpy(), mine, rtol=2e-6 / max(total, 1e-300) + 1e-12, atol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_global_norm_of_views_equals_that_of_contiguous_copies(dtype):
    """Transposed, strided and sliced gradients give exactly the norm of their copies."""
    base = np.random.default_rng(3).normal(size=(60, 40)).astype(dtype)
    views = [base.T, base[::2], base[:, 1], base[5]]
    copies = [np.ascontiguousarray(v) for v in views]
    _, total_views = clip_by_global_norm(views, 1.0)
    _, total_copies = clip_by_global_norm(copies, 1.0)
    assert total_views == total_copies
    assert total_views == pytest.approx(global_norm(copies), rel=1e-6 if dtype == np.float32 else 1e-15)


# --- every claim gnlib.clip (and lesson 03's table) makes about PyTorch, checked against the installed version

def torch_clip(grads, max_norm, *, dtype=None, **kwargs):
    """``torch.nn.utils.clip_grad_norm_`` on copies of numpy gradients: (clipped arrays, total norm)."""
    torch = pytest.importorskip("torch", reason="PyTorch is an optional cross-check, not a course requirement")
    params = []
    for g in grads:
        p = torch.nn.Parameter(torch.zeros(g.shape, dtype=dtype or torch.from_numpy(g).dtype))
        p.grad = torch.from_numpy(g.copy()).to(p.dtype)
        params.append(p)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, **kwargs)
    return [p.grad.numpy() for p in params], float(total)


def test_torch_adds_an_epsilon_so_its_clipped_norm_ends_slightly_below_max_norm():
    g = np.array([3e-6, 4e-6])
    (clipped,), total = torch_clip([g], 1e-6)
    assert total == pytest.approx(5e-6, rel=1e-12)
    assert l2_norm(clipped) == pytest.approx(1e-6 * 5e-6 / (5e-6 + 1e-6), rel=1e-9)  # 0.83e-6, not 1e-6
    assert l2_norm(clip_by_norm(g, 1e-6)) == pytest.approx(1e-6, rel=1e-15)


def test_torch_zeroes_float32_gradients_whose_squares_overflow():
    (clipped,), total = torch_clip([np.array([1e20, 1e20], np.float32)], 1.0)
    assert total == math.inf and not clipped.any()
    np.testing.assert_allclose(clip_by_norm(np.array([1e20, 1e20], np.float32), 1.0), [2**-0.5] * 2, rtol=1e-6)


def test_torch_measures_float16_in_float32_and_zeroes_only_norms_above_float16_range():
    torch = pytest.importorskip("torch", reason="PyTorch is an optional cross-check, not a course requirement")
    (clipped,), total = torch_clip([np.array([300.0], np.float16)], 1.0)
    assert total == 300.0 and clipped.tolist() == [1.0]  # squares above 65504 do not overflow there
    (clipped,), total = torch_clip([np.array([300.0] * 100, np.float16)], 1.0)
    assert total == 3000.0 and clipped.any()
    (clipped,), total = torch_clip([np.array([60000.0, 60000.0], np.float16)], 1e-3)
    assert total == math.inf and not clipped.any()  # the norm, 84853, is beyond float16
    assert torch.linalg.vector_norm(torch.tensor([60000.0, 60000.0], dtype=torch.float16)).dtype == torch.float16
    np.testing.assert_allclose(clip_by_norm(np.array([60000.0, 60000.0], np.float16), 1e-3), [7.071e-4] * 2, rtol=1e-3)


def test_torch_with_nonfinite_gradients_gives_the_documented_results():
    inf_grads = [np.array([np.inf, 1.0]), np.array([2.0])]
    theirs, total = torch_clip(inf_grads, 1.0)
    ours, our_total = clip_by_global_norm(inf_grads, 1.0, error_if_nonfinite=False)
    assert total == our_total == math.inf
    for t, o in zip(theirs, ours):  # finite entries 0, infinite ones NaN
        np.testing.assert_array_equal(t, o)
    assert np.isnan(theirs[0][0]) and theirs[0][1] == 0.0 and theirs[1][0] == 0.0
    nan_grads = [np.array([np.nan, 1.0]), np.array([2.0])]
    theirs, total = torch_clip(nan_grads, 1.0)
    ours, _ = clip_by_global_norm(nan_grads, 1.0, error_if_nonfinite=False)
    assert math.isnan(total) and all(np.isnan(t).all() for t in theirs) and all(np.isnan(o).all() for o in ours)


def test_torch_scales_in_place_and_scales_a_parameter_listed_twice_twice():
    torch = pytest.importorskip("torch", reason="PyTorch is an optional cross-check, not a course requirement")
    p = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    p.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)
    grad_before = p.grad
    total = float(torch.nn.utils.clip_grad_norm_([p, p], 1.0))
    assert p.grad is grad_before  # in place
    assert total == pytest.approx(math.sqrt(50))
    factor = 1.0 / (math.sqrt(50) + 1e-6)
    np.testing.assert_allclose(p.grad.numpy(), np.array([3.0, 4.0]) * factor**2, rtol=1e-12)  # twice
    a = np.array([3.0, 4.0])
    clip_by_global_norm([a, a], 1.0, out=[a, a])
    np.testing.assert_allclose(a, np.array([3.0, 4.0]) / math.sqrt(50), rtol=1e-15)  # once


def test_torch_multiplies_even_below_the_threshold_without_changing_values():
    g = np.array([0.3, 0.4])
    (clipped,), total = torch_clip([g], 1.0)
    assert total == pytest.approx(0.5) and clipped.tolist() == [0.3, 0.4]  # factor clamped to exactly 1
