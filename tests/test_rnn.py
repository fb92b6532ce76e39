"""Tests for gnlib.models.rnn: the linear recurrence, the single-unit recurrent net and its cliff."""

import math
import time
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnlib.gradcheck import check_gradient, numerical_gradient
from gnlib.optim import clipped_gradient_descent, gradient_descent
from gnlib.models.cliff import cliff_min_weight, cliff_wall_bias, wall_peak_gradient_norm
from gnlib.models.rnn import (CLIFF_START, cliff_objective, linear_recurrence, linear_recurrence_gradient,
                              rnn_grad_scalar, rnn_loss, rnn_loss_and_grad, rnn_states, sigmoid)

J = cliff_objective()


# --- the linear recurrence ------------------------------------------------------------------

@given(w=st.floats(-1.5, 1.5), n_steps=st.integers(0, 60), x0=st.floats(-2.0, 2.0))
def test_linear_gradient_matches_finite_differences(w, n_steps, x0):
    analytic = linear_recurrence_gradient(w, n_steps, x0)
    numeric = numerical_gradient(lambda v: linear_recurrence(v[0], n_steps, x0), np.array([w]), h=1e-6)
    assert analytic.shape == ()
    assert abs(float(analytic) - numeric[0]) <= 1e-6 * (abs(float(analytic)) + 1.0)


def test_linear_recurrence_closed_form_and_examples():
    assert float(linear_recurrence(1.2, 50)) == pytest.approx(0.5 * 1.2**50, rel=1e-12)
    assert float(linear_recurrence_gradient(1.2, 50)) == pytest.approx(50 * 0.5 * 1.2**49, rel=1e-12)
    assert float(linear_recurrence_gradient(1.2, 50)) > 1.8e5
    assert linear_recurrence_gradient(-2.0, 3, x0=1.0) == pytest.approx(12.0)  # 3 * (-2)^2
    assert linear_recurrence_gradient(0.0, [0, 1, 2], x0=1.0).tolist() == [0.0, 1.0, 0.0]


def test_linear_gradient_vanishes_below_one_and_explodes_above():
    steps = np.arange(1, 101)
    small = linear_recurrence_gradient(0.8, steps)
    big = linear_recurrence_gradient(1.2, steps)
    assert small[-1] < 1e-7 and big[-1] > 1e8
    assert np.all(np.diff(big) > 0)
    assert np.all(np.diff(small[10:]) < 0)


def test_linear_gradient_broadcasts():
    out = linear_recurrence_gradient(np.array([[0.5], [2.0]]), np.array([1, 2, 3]))
    assert out.shape == (2, 3)


@pytest.mark.parametrize("bad", [-1, [1, -2], 1.5])
def test_linear_gradient_rejects_bad_lengths(bad):
    with pytest.raises(ValueError, match="n_steps"):
        linear_recurrence_gradient(1.0, bad)


def test_linear_recurrence_bad_input():
    with pytest.raises(ValueError, match="n_steps"):
        linear_recurrence(1.0, -1)
    with pytest.raises(TypeError, match="n_steps"):
        linear_recurrence(1.0, 2.0)
    with pytest.raises(ValueError, match="x0"):
        linear_recurrence(1.0, 3, x0=math.nan)
    with pytest.raises(TypeError, match="w"):
        linear_recurrence("1.0", 3)


# --- the single-unit recurrent net: forward pass ---------------------------------------------

def test_sigmoid_is_stable():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = sigmoid(np.array([-1e4, -30.0, 0.0, 30.0, 1e4]))
    assert values[0] == 0.0 and values[-1] == 1.0 and values[2] == 0.5
    x = np.linspace(-20, 20, 101)
    assert np.allclose(sigmoid(x), 1.0 / (1.0 + np.exp(-x)), rtol=1e-12, atol=1e-15)


def test_states_follow_the_recurrence():
    states = rnn_states(np.array([2.0, -1.0]), np.array([0.5, 0.0]), n_steps=3, x0=0.5)
    assert states.shape == (4, 2)
    x = np.array([0.5, 0.5])
    for t in range(1, 4):
        x = np.array([2.0, -1.0]) / (1.0 + np.exp(-x)) + np.array([0.5, 0.0])
        assert np.allclose(states[t], x, rtol=1e-13)


def test_loss_at_zero_parameters():
    assert float(rnn_loss(0.0, 0.0)) == pytest.approx(0.04)  # sigmoid(0) = 0.5
    assert float(rnn_loss(0.0, 0.0, n_steps=0)) == pytest.approx((sigmoid(0.5) - 0.7) ** 2)


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="n_steps"):
        rnn_states(1.0, 1.0, n_steps=-1)
    with pytest.raises(ValueError, match="w and b"):
        rnn_loss_and_grad(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="target"):
        rnn_loss_and_grad(1.0, 1.0, target=math.inf)
    with pytest.raises(ValueError, match="x0"):
        rnn_grad_scalar(1.0, 1.0, x0=math.nan)
    with pytest.raises(TypeError, match="w"):
        rnn_grad_scalar("5", 1.0)
    with pytest.raises(ValueError, match="theta"):
        J.gradient(np.ones(3))
    with pytest.raises(ValueError, match="n_steps"):
        cliff_objective(n_steps=-5)
    with pytest.raises(ValueError, match="w must be"):
        wall_peak_gradient_norm(3.0)


# --- BPTT gradient ---------------------------------------------------------------------------

def test_bptt_matches_finite_differences_on_the_map():
    rng = np.random.default_rng(3)
    points = np.column_stack([rng.uniform(-2, 12, 120), rng.uniform(-8, 4, 120)])
    for theta in points:
        g = J.gradient(theta)
        numeric = numerical_gradient(J.value, theta, h=1e-5)
        # relative error of the vector, with a floor for the (many) points where ||g|| ~ 1e-7
        assert np.linalg.norm(g - numeric) <= 1e-5 * np.linalg.norm(g) + 1e-10, theta


NEAR_WALL = [(w, offset, 1e-8) for w, offsets in [(4.6, [-3e-3, -1e-3, 0.0, 1e-3]),
                                                   (5.0, [-4.45e-5, -1e-4, 0.0, 1e-4, 1e-3])]
             for offset in offsets] + [(5.5, offset, 1e-10) for offset in [-8.9e-7, -1e-5, 0.0, 1e-5]]


@pytest.mark.parametrize("w, offset, h", NEAR_WALL)
def test_bptt_matches_finite_differences_near_the_wall(w, offset, h):
    # Near the wall E changes by O(1) over a width of ~1e-4 in b at w = 5 (and ~1e-6 at
    # w = 5.5), so the usual h = 1e-5 straddles the step. h must sit well inside the
    # width; round-off eps * E / h (~1e-6 for h = 1e-10) stays far below these gradients.
    theta = np.array([w, float(cliff_wall_bias(w)) + offset])
    assert np.linalg.norm(J.gradient(theta)) > 0.1
    assert check_gradient(J.value, J.gradient, theta, h=h) < 1e-6


def test_bptt_matches_finite_differences_for_other_settings():
    for n_steps, x0, target in [(1, 0.5, 0.7), (5, -1.0, 0.2), (20, 2.0, 0.9)]:
        obj = cliff_objective(n_steps, x0, target)
        for theta in [np.array([1.5, -0.3]), np.array([-2.0, 1.0])]:
            assert check_gradient(obj.value, obj.gradient, theta) < 1e-7


def test_zero_steps_gives_zero_gradient():
    E, gw, gb = rnn_grad_scalar(3.0, 1.0, n_steps=0)
    assert (gw, gb) == (0.0, 0.0)
    assert E == pytest.approx((float(sigmoid(0.5)) - 0.7) ** 2)


def test_vectorized_equals_scalar():
    rng = np.random.default_rng(7)
    w = rng.uniform(-2, 12, 50)
    b = rng.uniform(-8, 4, 50)
    w[:5] = 5.0
    b[:5] = cliff_wall_bias(5.0) + np.array([-4.45e-5, -1e-4, 0.0, 1e-4, 1e-3])
    E, gw, gb = rnn_loss_and_grad(w, b)
    for i in range(50):
        e_s, gw_s, gb_s = rnn_grad_scalar(w[i], b[i])
        np.testing.assert_allclose([E[i], gw[i], gb[i]], [e_s, gw_s, gb_s], rtol=1e-10, atol=1e-300)
    batch = J.gradient(np.column_stack([w, b]))
    singles = np.array([J.gradient(np.array([wi, bi])) for wi, bi in zip(w, b)])
    np.testing.assert_allclose(batch, singles, rtol=1e-10)
    np.testing.assert_allclose(J.value(np.column_stack([w, b])), E, rtol=1e-12)


def test_surface_of_200_by_200_is_fast_and_finite():
    W, B = np.meshgrid(np.linspace(-2, 12, 200), np.linspace(-8, 4, 200))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        start = time.perf_counter()
        E, gw, gb = rnn_loss_and_grad(W, B)
        elapsed = time.perf_counter() - start
    assert E.shape == gw.shape == gb.shape == (200, 200)
    assert np.isfinite(E).all() and np.isfinite(gw).all() and np.isfinite(gb).all()
    assert elapsed < 5.0  # generous for a loaded machine; typically ~0.1 s


def test_no_warnings_far_out_on_the_plateau():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        E, gw, gb = rnn_grad_scalar(223.5, 349.0)
        Ev, gwv, gbv = rnn_loss_and_grad(np.array([223.5, -500.0]), np.array([349.0, 900.0]))
    # sigma'(x_T) = sigmoid(x_T) sigmoid(-x_T) is about e^-572 here: a gradient of 1e-249, kept rather
    # than cancelled to 0, and far too small to move theta (the plateau is never left)
    assert E == pytest.approx(0.09) and 0.0 < gw < 1e-240 and 0.0 < gb < 1e-240
    assert np.isfinite([Ev, gwv, gbv]).all()


# --- the cliff --------------------------------------------------------------------------------

def test_wall_location_and_threshold_weight():
    assert cliff_min_weight() == pytest.approx(4.2553, abs=1e-4)
    w = np.array([4.5, 5.0, 6.0, 8.0])
    assert np.allclose(cliff_wall_bias(w), 0.5 - 0.62246 * w, atol=1e-4)
    # x0 is a fixed point of x -> w sigmoid(x) + b on the wall
    assert np.allclose(w * sigmoid(0.5) + cliff_wall_bias(w), 0.5)


def test_loss_jumps_across_the_wall_at_w5():
    b_star = float(cliff_wall_bias(5.0))
    below, above = rnn_loss(5.0, b_star - 2e-4), rnn_loss(5.0, b_star + 2e-4)
    assert below > 0.3 and above < 0.01
    # below the threshold weight there is no wall: on a grid with step 1e-3 in b, E moves
    # by less than 0.01 between neighbours at w = 4, but by a third of its range at w = 5
    b = np.linspace(-4.0, 0.0, 4001)
    assert np.abs(np.diff(rnn_loss(4.0, b))).max() < 0.01
    assert np.abs(np.diff(rnn_loss(5.0, b))).max() > 0.3


def test_gradient_norm_on_the_wall_is_about_7e3_at_w5():
    peak = float(wall_peak_gradient_norm(5.0))
    assert 5e3 < peak < 1e4
    _, gw, gb = rnn_loss_and_grad(np.linspace(-2, 12, 60)[:, None], np.linspace(-8, 4, 60))
    typical = np.median(np.hypot(gw, gb))
    assert peak > 1e5 * typical
    peaks = wall_peak_gradient_norm(np.array([4.5, 5.0, 6.0, 8.0]))
    assert np.all(np.diff(peaks) > 0) and peaks[-1] > 1e12


def test_plain_gd_is_thrown_onto_the_plateau():
    run = gradient_descent(J.gradient, CLIFF_START, 0.5, 300, loss_fn=J.value)
    first_step = np.linalg.norm(run.thetas[1] - run.thetas[0])
    assert run.grad_norms[0] == pytest.approx(828, abs=1.0)
    assert first_step == pytest.approx(414, abs=1.0)
    assert not run.diverged and run.n_steps == 300
    assert np.linalg.norm(run.final - np.array(CLIFF_START)) > 100  # far away ...
    assert np.allclose(run.final, [223.5, 349.0], atol=0.1)
    assert run.losses[-1] == pytest.approx(0.09, abs=1e-9)  # ... on the plateau sigmoid(x_T) = 1
    assert np.all(run.grad_norms[1:] < 1e-12)  # where nothing moves any more
    assert np.allclose(run.thetas[1], run.thetas[-1])


def test_clipped_gd_converges_from_the_same_start():
    run = clipped_gradient_descent(J.gradient, CLIFF_START, 0.5, 1.0, 300, loss_fn=J.value)
    steps = np.linalg.norm(np.diff(run.thetas, axis=0), axis=1)
    assert steps.max() <= 0.5 + 1e-12  # eta * tau
    assert not run.diverged
    assert run.losses[-1] < 1e-3 and run.losses[-1] < run.losses[0] / 100
    assert np.allclose(run.final, [3.93, -1.92], atol=0.05)
    assert np.linalg.norm(run.final - np.array(CLIFF_START)) < 2.0


def test_wall_peak_search_finds_the_float64_peak_next_to_b_star():
    # at w = 8 the peak is a few ulp wide: the value at b* itself is 2.49e12, while the
    # float64 number 25 steps below b* gives 1.41e13 (an exhaustive scan of +-400 ulp agrees)
    w = 8.0
    b_star = float(cliff_wall_bias(w))
    steps = np.arange(-400, 401)
    biases = b_star + steps * np.spacing(abs(b_star))
    _, gw, gb = rnn_loss_and_grad(np.full(biases.shape, w), biases)
    scanned = np.hypot(gw, gb)
    _, gw0, gb0 = rnn_loss_and_grad(w, b_star)
    at_b_star = float(np.hypot(gw0, gb0))
    peak = float(wall_peak_gradient_norm(w))
    assert peak == pytest.approx(scanned.max(), rel=1e-12)
    assert peak > 4 * at_b_star
    assert steps[np.argmax(scanned)] == -25
    with pytest.raises(ValueError, match="n_ulp"):
        wall_peak_gradient_norm(w, n_ulp=0)


def test_wall_peak_grows_like_a_power_of_w_with_exponent_t():
    # roughly (0.235 w)^50: within a factor of 5 over w = 5 ... 8, so exponential in T = 50, not in w
    ws = np.array([5.0, 6.0, 8.0])
    ratio = wall_peak_gradient_norm(ws) / (0.235 * ws) ** 50
    assert np.all((ratio > 0.2) & (ratio < 5.0))
