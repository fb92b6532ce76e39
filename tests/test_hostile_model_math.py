"""The model functions under hostile input (issue 15): accurate extremes, divergence flags, named errors.

Every test runs with warnings turned into errors, so an overflow warning that
leaks from a model fails the test as surely as a wrong number.
"""

import math
import warnings

import mpmath
import numpy as np
import pytest

from gnlib.gradcheck import numerical_gradient
from gnlib.models import cliff, rnn
from gnlib.models.adding_problem import adding_problem, train_adding
from gnlib.models.dirac_gan import dirac_vector_field, simulate_dirac
from gnlib.models.flat_minima import gd_on_penalized, penalized_gradient, settled, two_minima_loss
from gnlib.models.gan import mode_coverage, train_critic, train_wgan
from gnlib.models.mlp import init_mlp, penalty_from_input_gradient
from gnlib.models.penalty_check import penalty_gradient_error
from gnlib.models.toy_data import sample_toy, swiss_roll
from gnlib.models.update_rules import spike_response
from gnlib.models.vector_rnn import (PARAM_NAMES, init_rnn, list_to_params, model_norms, params_to_list,
                                     rnn_forward, rnn_loss, rnn_loss_and_grads)
from torch_reference import softplus_penalty_reference

M = float(np.finfo(np.float64).max)


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def rng():
    return np.random.default_rng(0)


def true_sigmoid(x: float) -> float:
    with mpmath.workdps(50):
        return float(1 / (1 + mpmath.exp(-mpmath.mpf(x))))


# --- finding 4: the sigmoid is accurate in the far tails ------------------------------------

@pytest.mark.parametrize("x", [-745.0, -700.0, -100.0, -40.0, -37.0, -20.0, -5.0, -1.0, -1e-10, 0.0,
                               0.5, 3.0, 20.0, 36.0, 40.0])
def test_sigmoid_is_within_a_few_ulp_everywhere(x):
    want = true_sigmoid(x)
    for got in (float(rnn.sigmoid(x)), float(rnn.sigmoid(np.array([x]))[0])):
        assert abs(got - want) <= 3 * np.spacing(want), (x, got, want)


def test_sigmoid_far_tail_values_and_dtypes():
    assert float(rnn.sigmoid(-40.0)) == pytest.approx(4.248354255291589e-18, rel=1e-15)
    assert float(rnn.sigmoid(-1000.0)) == 0.0 and float(rnn.sigmoid(1000.0)) == 1.0
    x32 = np.array([-80.0, -20.0, 0.0, 15.0], dtype=np.float32)
    s32 = rnn.sigmoid(x32)
    assert s32.dtype == np.float32
    want = np.array([true_sigmoid(v) for v in x32.astype(float)], dtype=np.float32)
    assert np.all(np.abs(s32 - want) <= 3 * np.spacing(want))


@pytest.mark.parametrize("value", ["a", None, 1j, [1.0, "x"]])
def test_sigmoid_refuses_non_numbers_naming_x(value):
    with pytest.raises(TypeError, match=r"\bx\b"):
        rnn.sigmoid(value)


@pytest.mark.parametrize("x0", [37.0, 40.0, -40.0, 0.5, -3.0, 300.0, -700.0])
def test_cliff_min_weight_is_one_over_the_sigmoid_slope(x0):
    with mpmath.workdps(400):  # enough digits for 1 - sigmoid(300)
        s = 1 / (1 + mpmath.exp(-mpmath.mpf(x0)))
        want = float(1 / (s * (1 - s)))
    assert cliff.cliff_min_weight(x0) == pytest.approx(want, rel=1e-14)


@pytest.mark.parametrize("x0", [-800.0, 711.0, 1e300])
def test_cliff_min_weight_beyond_the_float_range_is_a_value_error(x0):
    with pytest.raises(ValueError, match="x0"):
        cliff.cliff_min_weight(x0)


def exact_cliff_gradient(w: float, b: float, n_steps: int) -> tuple[float, float]:
    """(dE/dw, dE/db) of the single-unit net, differentiated in 60-digit arithmetic."""
    with mpmath.workdps(60):
        def loss(w_, b_):
            x = mpmath.mpf(0.5)
            for _ in range(n_steps):
                x = w_ * (1 / (1 + mpmath.exp(-x))) + b_
            return (1 / (1 + mpmath.exp(-x)) - mpmath.mpf(0.7)) ** 2
        w_, b_ = mpmath.mpf(w), mpmath.mpf(b)
        return float(mpmath.diff(lambda t: loss(t, b_), w_)), float(mpmath.diff(lambda t: loss(w_, t), b_))


@pytest.mark.parametrize("w, b", [(1.0, -30.0), (2.0, -45.0), (0.5, 38.0), (4.0, -2.0), (-3.0, 25.0), (1.0, -3.0)])
def test_cliff_bptt_matches_the_exact_gradient_in_the_sigmoid_tails(w, b):
    # finite differences in float64 cannot resolve gradients of 1e-13 on a loss of 0.5: compare with
    # the gradient taken in 60-digit arithmetic instead
    want = exact_cliff_gradient(w, b, 20)
    _, gw, gb = rnn.rnn_grad_scalar(w, b, n_steps=20)
    np.testing.assert_allclose([gw, gb], want, rtol=1e-9, atol=0.0)
    _, gw_v, gb_v = rnn.rnn_loss_and_grad(w, b, n_steps=20)
    np.testing.assert_allclose([gw_v, gb_v], want, rtol=1e-9, atol=0.0)


@pytest.mark.parametrize("theta, psi", [(40.0, 1.0), (-30.0, 1.5), (2.0, -25.0)])
def test_dirac_field_is_accurate_where_the_sigmoid_saturates(theta, psi):
    v_theta, v_psi = dirac_vector_field(theta, psi)
    fp = true_sigmoid(-psi * theta)  # f'(t) = sigmoid(-t)
    assert v_theta == pytest.approx(-psi * fp, rel=1e-14)
    assert v_psi == pytest.approx(theta * fp, rel=1e-14)
    arr_theta, arr_psi = dirac_vector_field(np.array([theta]), np.array([psi]))
    assert arr_theta[0] == pytest.approx(v_theta, rel=1e-14) and arr_psi[0] == pytest.approx(v_psi, rel=1e-14)


def test_softplus_double_backprop_matches_torch_with_saturated_units():
    torch = pytest.importorskip("torch")
    net = init_mlp([2, 6, 5, 1], rng(), activation="softplus")
    net.biases[0][:3] = -30.0  # half the first layer far out on the negative tail, where sigma' = sigmoid ~ 1e-13
    net.biases[1][:2] = -45.0
    x = np.random.default_rng(1).normal(size=(5, 2))
    value, grads, g = net.penalty_and_grad(x)
    t_value, t_g, t_grads = softplus_penalty_reference(torch, net, x)
    assert value == pytest.approx(t_value, rel=1e-12)
    np.testing.assert_allclose(g, t_g, rtol=1e-12)
    for mine, theirs in zip(grads, t_grads):
        # entry by entry, the tiny ones included: an inaccurate sigmoid would lose them
        np.testing.assert_allclose(mine, theirs, rtol=1e-8, atol=1e-30)


# --- finding 2: global norms of stacked models ---------------------------------------------------

@pytest.mark.parametrize("grads, n_lead, want", [
    ({"a": np.array([1e308]), "b": np.array([1.0])}, 0, 1e308),
    ({"a": np.array([[9e307], [1.0]])}, 1, [9e307, 1.0]),
    ({"a": np.array([M]), "b": np.zeros((2, 2))}, 0, M),
    ({"a": np.array([2.0**1023, 2.0**1022])}, 0, math.hypot(2.0**1023, 2.0**1022)),
    ({"a": np.full((2, 3), 3e200), "b": np.full((2, 1), 4e200)}, 1, [math.sqrt(27 + 16) * 1e200] * 2),
    ({"a": np.array([5e-324, 5e-324])}, 0, 5e-324),
    ({"a": np.array([3.0]), "b": np.array(4.0)}, 0, 5.0),
])
def test_model_norms_never_overflow_for_a_representable_norm(grads, n_lead, want):
    np.testing.assert_allclose(model_norms(grads, n_lead=n_lead), want, rtol=1e-15)


def test_model_norms_overflows_only_when_the_norm_does():
    assert model_norms({"a": np.array([M, M])}) == math.inf
    assert model_norms({"a": np.array([1e308, -1e308]), "b": np.array([1.0])}) == pytest.approx(math.sqrt(2) * 1e308)


@pytest.mark.parametrize("grads, n_lead, error, name", [
    ({}, 0, ValueError, "grads"),
    ([np.ones(2)], 0, TypeError, "grads"),
    ({"a": "x"}, 0, TypeError, "grads"),
    ({"a": np.ones((2, 3))}, 5, ValueError, "n_lead"),
    ({"a": np.ones(3)}, 2, ValueError, "n_lead"),
    ({"a": np.ones((2, 3)), "b": np.ones((3, 3))}, 1, ValueError, "n_lead"),
    ({"a": np.ones(3)}, -1, ValueError, "n_lead"),
    ({"a": np.ones(3)}, 1.0, TypeError, "n_lead"),
])
def test_model_norms_refuses_bad_input_naming_the_argument(grads, n_lead, error, name):
    with pytest.raises(error, match=name):
        model_norms(grads, n_lead=n_lead)


@pytest.mark.parametrize("g", [np.full((2, 2), 1e200), np.array([[M, 0.0], [3e-320, 4e-320]])])
def test_penalty_row_norms_do_not_overflow(g):
    _, norms = penalty_from_input_gradient(g)
    want = [float(mpmath.sqrt(sum(mpmath.mpf(v) ** 2 for v in row))) for row in g]
    np.testing.assert_allclose(norms, want, rtol=1e-15)


# --- finding 8: non-float dtypes and NaN thresholds ----------------------------------------------

DTYPE_USERS = {
    "adding_problem": lambda dtype: adding_problem(3, 5, rng(), dtype=dtype),
    "train_adding": lambda dtype: train_adding([0], n_updates=1, seq_len=3, hidden=2, dtype=dtype),
    "init_rnn": lambda dtype: init_rnn(3, rng=rng(), dtype=dtype),
    "init_mlp": lambda dtype: init_mlp([2, 3, 1], rng(), dtype=dtype),
    "train_wgan": lambda dtype: train_wgan(n_iters=1, batch_size=8, width=4, depth=1, dtype=dtype),
}


@pytest.mark.parametrize("user", sorted(DTYPE_USERS))
@pytest.mark.parametrize("dtype", [int, np.int32, np.uint8, bool, np.complex128, "nope", "a", 1.5])
def test_every_model_taking_dtype_refuses_non_float_dtypes(user, dtype):
    with pytest.raises(TypeError, match="dtype"):
        DTYPE_USERS[user](dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, "float32"])
def test_adding_problem_keeps_its_values_in_float_dtypes(dtype):
    x, target = adding_problem(4, 6, rng(), dtype=dtype)
    assert x.dtype == np.dtype(dtype) and target.dtype == np.dtype(dtype)
    assert (x[..., 0] > 0).any() and (target > 0).all()


@pytest.mark.parametrize("clip, error", [
    (math.nan, ValueError), (-1.0, ValueError), (0.0, ValueError), (-math.inf, ValueError),
    ([1.0, math.nan], ValueError), ([None, -2.0], ValueError), ("1", TypeError), ([1.0, "x"], TypeError),
    ([1.0, 2.0, 3.0], ValueError),
])
def test_train_adding_refuses_bad_thresholds_naming_clip(clip, error):
    with pytest.raises(error, match="clip"):
        train_adding([0, 1], clip=clip, n_updates=1, seq_len=3, hidden=2)


def test_none_and_inf_both_mean_no_clipping():
    kw = dict(n_updates=3, seq_len=4, hidden=3)
    a = train_adding([0, 0], clip=[None, math.inf], **kw)
    assert a.settings["clip"] == [math.inf, math.inf] and not a.clipped.any()
    np.testing.assert_array_equal(a.losses[0], a.losses[1])


# --- finding 9: a diverging run stops and says so -------------------------------------------------

@pytest.mark.parametrize("optimizer, learning_rate", [("sgd", 5.0), ("sgd", 1e30), ("momentum", 3.0)])
def test_train_adding_stops_a_diverging_network_and_flags_it(optimizer, learning_rate):
    run = train_adding([0], optimizer=optimizer, learning_rate=learning_rate, n_updates=60, seq_len=10, hidden=4)
    assert run.diverged.tolist() == [True]
    k = int(run.n_steps[0])
    assert 0 <= k < 60
    assert np.isfinite(run.losses[0, :k]).all() and np.isnan(run.losses[0, k + 1:]).all()
    assert np.isnan(run.grad_norms[0, k + 1:]).all() and np.isnan(run.dh_norms[k + 1:, :, 0]).all()
    assert all(np.isfinite(run.params[name]).all() for name in PARAM_NAMES)
    assert run.blew_up[0] and math.isnan(run.final_loss(5)[0])


def test_a_diverging_network_leaves_the_others_untouched():
    kw = dict(n_updates=40, seq_len=8, hidden=4, learning_rate=5.0)
    alone = train_adding([1], clip=0.5, **kw)
    mixed = train_adding([0, 1], clip=[None, 0.5], **kw)
    assert mixed.diverged.tolist() == [True, False] and mixed.n_steps[1] == 40
    assert not alone.diverged[0]
    np.testing.assert_array_equal(mixed.losses[1], alone.losses[0])
    for name in PARAM_NAMES:
        np.testing.assert_array_equal(mixed.params[name][1], alone.params[name][0])


def test_a_healthy_run_reports_no_divergence():
    run = train_adding([0, 1], clip=1.0, n_updates=5, seq_len=5, hidden=3)
    assert run.diverged.tolist() == [False, False] and run.n_steps.tolist() == [5, 5]
    assert np.isfinite(run.losses).all()


@pytest.mark.parametrize("learning_rate, n_steps", [(1e300, 3), (1e200, 10), (1e160, 50)])
def test_simulate_dirac_stops_and_flags_an_overflowing_run(learning_rate, n_steps):
    path = simulate_dirac(learning_rate=learning_rate, n_steps=n_steps)
    assert path.shape == (n_steps + 1, 2) and path.diverged
    assert np.isfinite(path[: path.n_steps + 1]).all() and np.isnan(path[path.n_steps + 1:]).all()
    assert path.n_steps < n_steps


@pytest.mark.parametrize("kwargs", [{}, {"method": "alternating"}, {"penalty": "r1", "weight": 0.3}])
def test_simulate_dirac_reports_a_finished_run(kwargs):
    path = simulate_dirac(n_steps=40, **kwargs)
    assert not path.diverged and path.n_steps == 40 and np.isfinite(path).all()


# --- finding 19 and the sweep: every argument is named when it is wrong ---------------------------

@pytest.mark.parametrize("call, error, name", [
    (lambda: train_adding(0), TypeError, "seeds"),
    (lambda: train_adding("01", n_updates=1), TypeError, "seeds"),
    (lambda: train_adding(None), TypeError, "seeds"),
    (lambda: train_adding([0], optimizer=np.zeros(0)), ValueError, "optimizer"),
    (lambda: train_adding([0], optimizer=["sgd"]), ValueError, "optimizer"),
    (lambda: train_adding([0], recurrent_scale=1e308, n_updates=1), ValueError, "recurrent_scale"),
    (lambda: spike_response("sgd", learning_rate=1e308), ValueError, "learning_rate"),
    (lambda: swiss_roll(5, rng(), noise=-1.0), ValueError, "noise"),
    (lambda: swiss_roll(5, rng(), noise=math.inf), ValueError, "noise"),
    (lambda: swiss_roll(5, rng(), noise=math.nan), ValueError, "noise"),
    (lambda: swiss_roll(5, rng(), noise="0.1"), TypeError, "noise"),
    (lambda: sample_toy(["swissroll"], 5, rng()), ValueError, "name"),
    (lambda: simulate_dirac(method=np.ones(2)), ValueError, "method"),
    (lambda: dirac_vector_field(1.0, 1.0, game=["gan"]), ValueError, "game"),
    (lambda: dirac_vector_field(1.0, 1.0, penalty=np.zeros(0)), ValueError, "penalty"),
    (lambda: train_critic(mode=np.ones(2), n_steps=1), ValueError, "mode"),
    (lambda: init_mlp([2, 3, 1], rng(), activation=np.zeros(0)), ValueError, "activation"),
    (lambda: init_mlp(5, rng()), TypeError, "sizes"),
    (lambda: init_mlp(None, rng()), TypeError, "sizes"),
    (lambda: penalty_gradient_error("critic", np.ones((2, 2))), TypeError, "critic"),
    (lambda: init_mlp([2, 3, 1], rng()).penalty_and_grad(np.ones((2, 2)), eps=None), TypeError, "eps"),
    (lambda: init_mlp([2, 3, 1], rng()).penalty_and_grad(np.ones((2, 2)), eps=-1.0), ValueError, "eps"),
    (lambda: mode_coverage(np.zeros((3, 2)), radius=math.nan), ValueError, "radius"),
])
def test_bad_arguments_are_named(call, error, name):
    with pytest.raises(error, match=name):
        call()


P = init_rnn(3, 2, rng=np.random.default_rng(0))


@pytest.mark.parametrize("fn", [rnn_forward, rnn_loss, rnn_loss_and_grads])
@pytest.mark.parametrize("x", [np.zeros((0, 3, 2)), np.zeros((4, 0, 2)), np.zeros((2, 0, 3, 2))])
def test_vector_rnn_refuses_an_empty_batch_naming_x(fn, x):
    args = (P, x) if fn is rnn_forward else (P, x, np.zeros(x.shape[:-2]))
    with pytest.raises(ValueError, match=r"\bx\b"):
        fn(*args)


@pytest.mark.parametrize("params, error", [
    (None, TypeError), (3.0, TypeError), ([1.0], TypeError), ({"W_hh": np.eye(3)}, ValueError),
    ({**P, "W_xh": np.ones(3)}, ValueError), ({**P, "W_hh": "a"}, TypeError),
])
def test_vector_rnn_names_params(params, error):
    with pytest.raises(error, match="params"):
        rnn_loss_and_grads(params, np.ones((2, 3, 2)), np.ones(2))


@pytest.mark.parametrize("target, error", [
    (None, TypeError), ("a", TypeError), (np.ones(3), ValueError), (np.ones((2, 2)), ValueError), (1.0, ValueError),
])
def test_vector_rnn_names_target(target, error):
    for fn in (rnn_loss, rnn_loss_and_grads):
        with pytest.raises(error, match="target"):
            fn(P, np.ones((2, 3, 2)), target)


def test_vector_rnn_still_broadcasts_a_shared_target_over_models():
    stack = init_rnn(3, 2, rng=rng(), n_models=2)
    loss, _, _ = rnn_loss_and_grads(stack, np.ones((4, 3, 2)), np.ones(4))
    assert loss.shape == (2,)


@pytest.mark.parametrize("call, error, name", [
    (lambda: params_to_list(None), TypeError, "params"),
    (lambda: params_to_list({}), TypeError, "params"),
    (lambda: list_to_params(None), TypeError, "arrays"),
    (lambda: list_to_params(3.0), TypeError, "arrays"),
    (lambda: list_to_params([np.ones(2)]), ValueError, "arrays"),
])
def test_parameter_list_conversions_name_their_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()


@pytest.mark.parametrize("kwargs, name", [
    ({"w": math.inf}, "w"), ({"w": -math.inf}, "w"), ({"b": math.nan}, "b"), ({"target": 1.5}, "target"),
    ({"target": -0.1}, "target"), ({"target": 1e308}, "target"),
])
def test_cliff_rnn_refuses_non_finite_weights_and_unreachable_targets(kwargs, name):
    args = {"w": 1.0, "b": 0.0, **kwargs}
    for fn in (rnn.rnn_loss, rnn.rnn_loss_and_grad, rnn.rnn_grad_scalar):
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            fn(args["w"], args["b"], 5, target=args.get("target", 0.7))


@pytest.mark.parametrize("w", [1e308, -1e308, 1e200])
def test_linear_recurrence_overflows_to_inf_without_a_warning(w):
    assert np.isinf(rnn.linear_recurrence(w, 3))


@pytest.mark.parametrize("path, kwargs, error, name", [
    (np.zeros((0, 2)), {}, ValueError, "path"),
    (np.zeros(5), {}, ValueError, "path"),
    (np.zeros((5, 2)), {"window": 0}, ValueError, "window"),
    (np.zeros((5, 2)), {"window": 2.5}, TypeError, "window"),
    (np.zeros((5, 2)), {"tol": -1.0}, ValueError, "tol"),
    (np.zeros((5, 2)), {"tol": 0.0}, ValueError, "tol"),
    (np.zeros((5, 2)), {"tol": math.nan}, ValueError, "tol"),
])
def test_settled_checks_its_arguments(path, kwargs, error, name):
    with pytest.raises(error, match=name):
        settled(path, **kwargs)


def test_settled_counts_a_run_with_non_finite_iterates_as_unsettled():
    path = np.array([[1.0, 0.0], [np.inf, 0.0], [np.inf, 0.0]])
    assert settled(path, window=2).tolist() == [False, True]


@pytest.mark.parametrize("theta", [1e308, -1e308, 1e160, 1e50])
def test_two_minima_loss_far_out_keeps_exact_derivatives(theta):
    value, slope, curv = two_minima_loss(np.array([theta]))
    assert value[0] == pytest.approx(0.02 * theta**2) if abs(theta) < 1e150 else value[0] == math.inf
    assert slope[0] == pytest.approx(0.04 * theta) and curv[0] == pytest.approx(0.04)
    assert np.isfinite(penalized_gradient(np.array([theta]), 0.0)).all()


@pytest.mark.parametrize("theta", [math.inf, -math.inf, math.nan])
def test_two_minima_loss_refuses_non_finite_theta(theta):
    with pytest.raises(ValueError, match="theta"):
        two_minima_loss(np.array([0.0, theta]))


@pytest.mark.parametrize("starts", [[1e308], [2e3], [math.inf], [0.0, math.nan]])
def test_gd_on_penalized_refuses_starts_outside_its_range(starts):
    with pytest.raises(ValueError, match="starts"):
        gd_on_penalized(starts, 0.0, 0.05, n_steps=3)


def test_gd_on_penalized_with_a_huge_step_stays_in_range_without_warnings():
    path = gd_on_penalized([0.3, -2.0], 0.0, 1e308, n_steps=3)
    assert np.isfinite(path).all() and (np.abs(path) <= 1e3).all()


@pytest.mark.parametrize("w", [2e6, 1e12, 1e300, np.inf, np.nan])
def test_wall_peak_refuses_weights_whose_peak_the_search_cannot_find(w):
    with pytest.raises(ValueError, match="w must be"):
        cliff.wall_peak_gradient_norm(w)


def test_wall_peak_keeps_growing_up_to_the_largest_weight():
    peaks = cliff.wall_peak_gradient_norm(np.array([100.0, 1e4, cliff.MAX_WALL_WEIGHT]))
    assert np.all(np.isfinite(peaks)) and np.all(np.diff(np.log10(peaks)) > 40)
