"""Models and explorers under hostile input: a clear error naming the argument, or the value honoured.

Values beyond the float range give a named error or ``inf`` only where the true
value is beyond it (checked against mpmath); counts beyond the documented bounds
of :mod:`gnlib.models._numerics` are refused before any work.

Each explorer is built with warnings turned into errors, so a matplotlib
"singular limits" warning or a numpy overflow warning fails the test as
surely as a crash.
"""

import math
import warnings

import mpmath
import numpy as np
import pytest

from gnlib.models import adding_problem, cliff, dirac_gan, flat_minima, gan, mlp, param_stack, rnn, toy_data
from gnlib.models import penalty_check, update_rules
from gnlib.models import vector_rnn
from gnlib.models._numerics import MAX_SAMPLES, MAX_STEPS, MAX_WIDTH
from gnlib.models.dirac_gan import dirac_vector_field
from gnlib.models.gan import mode_coverage, train_wgan
from gnlib.models.mlp import MLP, init_mlp, penalty_from_input_gradient
from gnlib.widgets import (
    cliff_clipping_explorer,
    dirac_gan_explorer,
    directional_derivative_explorer,
    finite_difference_explorer,
    learning_rate_explorer,
    ngd_comparison_explorer,
    param_penalty_explorer,
    unit_ball_explorer,
)


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --- models -------------------------------------------------------------------

@pytest.mark.parametrize("weights, biases, message", [
    ([np.zeros((2, 1))], [np.zeros(1)], "at least two layers"),       # no hidden layer
    ([], [], "at least two layers"),
    ([np.zeros((2, 3)), np.zeros((3, 1))], [np.zeros(3)], "one array per layer"),
    ([np.zeros((2, 3)), np.zeros((4, 1))], [np.zeros(3), np.zeros(1)], r"weights\[1\] must have 3 rows"),
    ([np.zeros((2, 3)), np.zeros((3, 1))], [np.zeros(2), np.zeros(1)], r"biases\[0\]"),
])
def test_mlp_layers_are_checked_when_built(weights, biases, message):
    with pytest.raises(ValueError, match=message):
        MLP(weights, biases)


def test_mlp_refuses_integer_weights_and_unknown_activations():
    with pytest.raises(TypeError, match=r"weights\[0\]"):
        MLP([np.zeros((2, 3), dtype=int), np.zeros((3, 1))], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match="activation"):
        MLP([np.zeros((2, 3)), np.zeros((3, 1))], [np.zeros(3), np.zeros(1)], "sigmoid")


@pytest.mark.parametrize("dtype", [np.int64, np.int32, bool, np.complex128])
def test_init_mlp_refuses_non_float_dtypes(dtype):
    with pytest.raises(TypeError, match="dtype"):
        init_mlp([2, 4, 1], np.random.default_rng(0), dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_init_mlp_keeps_float_weights_intact(dtype):
    net = init_mlp([2, 64, 1], np.random.default_rng(0), dtype=dtype)
    assert all(w.dtype == dtype for w in net.weights)
    assert len(np.unique(net.weights[0])) > 3  # not truncated to -1, 0, 1


@pytest.mark.parametrize("g", [np.array([3.0, 4.0]), np.zeros((0, 2)), np.ones((2, 2, 2)), 5.0])
def test_penalty_from_input_gradient_needs_one_gradient_per_row(g):
    with pytest.raises(ValueError, match=r"g must have shape \(n, d\)"):
        penalty_from_input_gradient(g)


def test_penalty_from_input_gradient_checks_target():
    with pytest.raises(ValueError, match="target"):
        penalty_from_input_gradient(np.ones((2, 2)), target=-1.0)
    value, norms = penalty_from_input_gradient([[3.0, 4.0]], target=5.0)
    assert value == 0.0 and norms.tolist() == [5.0]


@pytest.mark.parametrize("samples, centres, name", [
    (np.array([0.1, 0.2]), None, "samples"),
    (np.zeros((0, 2)), None, "samples"),
    (np.zeros((3, 2)), np.array([1.0, 0.0]), "centres"),
    (np.zeros((3, 2)), np.zeros((4, 3)), "centres"),
])
def test_mode_coverage_refuses_shapes_naming_the_argument(samples, centres, name):
    with pytest.raises(ValueError, match=name):
        mode_coverage(samples, centres)


@pytest.mark.parametrize("kwargs, error, name", [
    ({"callback_every": 0}, ValueError, "callback_every"),
    ({"callback_every": 1.5}, TypeError, "callback_every"),
    ({"callback": "print"}, TypeError, "callback"),
    ({"dtype": np.int64}, TypeError, "dtype"),
])
def test_train_wgan_refuses_bad_arguments_before_training(kwargs, error, name):
    with pytest.raises(error, match=name):
        train_wgan(n_iters=1, batch_size=8, width=4, depth=1, **kwargs)


def test_train_wgan_calls_back_every_iteration_when_asked():
    seen = []
    train_wgan(n_iters=3, batch_size=8, width=4, depth=1, n_critic=1, callback=lambda it, info: seen.append(it),
               callback_every=1)
    assert seen == [1, 2, 3]


@pytest.mark.parametrize("theta, psi, error, name", [
    ("1", 0.0, TypeError, "theta"), (1.0, "1", TypeError, "psi"), (None, 1.0, TypeError, "theta"),
    (1j, 1.0, TypeError, "theta"), (np.ones(2), np.ones(3), ValueError, "theta and psi"),
])
def test_dirac_vector_field_refuses_non_numbers(theta, psi, error, name):
    with pytest.raises(error, match=name):
        dirac_vector_field(theta, psi)


def test_dirac_vector_field_keeps_numbers_and_arrays():
    assert dirac_vector_field(1, 0) == (-0.0, 0.5)
    v_theta, v_psi = dirac_vector_field(np.zeros((2, 2)), np.ones((2, 2)), penalty="r1", weight=0.3)
    np.testing.assert_allclose(v_theta, -0.5)
    np.testing.assert_allclose(v_psi, -0.3)
    with pytest.raises(ValueError, match="target"):
        dirac_vector_field(1.0, 1.0, penalty="wgan_gp", weight=1.0, target=-1.0)


# --- explorers ------------------------------------------------------------------

@pytest.mark.parametrize("x", [(1.7e308, 1.7e308), (-1e301, 0.0)])
def test_unit_ball_explorer_refuses_vectors_the_axes_cannot_hold(x):
    with pytest.raises(ValueError, match=r"\bx\b"):
        unit_ball_explorer(x=x)


@pytest.mark.parametrize("x", [(1e300, 1e300), (1e-300, -1e-300), (1e-300, 1e300)])
def test_unit_ball_explorer_survives_every_p_at_extreme_magnitudes(x):
    ex = unit_ball_explorer(x=x)
    for p in (1.0, 2.0, math.inf):
        data = ex.set(p=p)
        assert math.isfinite(data["x_norm"]) and np.isfinite(data["on_ball"]).all()
        ex.render_png()  # draw the frame: matplotlib must accept every limit and point


@pytest.mark.parametrize("builder", [directional_derivative_explorer, finite_difference_explorer])
@pytest.mark.parametrize("point", [(1e200, 1e200), (1e20, -1e20), (1e7, 0.0)])
def test_point_explorers_refuse_points_out_of_reach(builder, point):
    with pytest.raises(ValueError, match="point"):
        builder(point=point)


@pytest.mark.parametrize("builder", [directional_derivative_explorer, finite_difference_explorer])
def test_point_explorers_work_at_the_edge_of_their_reach(builder):
    ex = builder(point=(1e3, -1e3))
    ex.render_png()


@pytest.mark.parametrize("builder", [cliff_clipping_explorer, dirac_gan_explorer, param_penalty_explorer,
                                     learning_rate_explorer])
def test_n_steps_zero_is_refused_naming_it(builder):
    with pytest.raises(ValueError, match="n_steps"):
        builder(n_steps=0)


@pytest.mark.parametrize("builder", [dirac_gan_explorer, param_penalty_explorer, learning_rate_explorer])
def test_one_step_explorers_draw_without_warnings(builder):
    builder(n_steps=1).render_png()


@pytest.mark.parametrize("theta0", [0.0, 3.0, -1e300, math.nan])
def test_learning_rate_explorer_refuses_start_points_off_the_plot(theta0):
    with pytest.raises(ValueError, match="theta0"):
        learning_rate_explorer(theta0=theta0)


@pytest.mark.parametrize("name, value", [
    ("eta", 1.0), ("eta", 1e-3), ("max_norm", 100.0), ("max_norm", 0.01),
    ("condition_number", 1000.0), ("condition_number", 0.5), ("n_steps", 0), ("n_steps", 1000),
])
def test_ngd_explorer_refuses_start_values_its_sliders_would_move(name, value):
    with pytest.raises(ValueError, match=name):
        ngd_comparison_explorer(**{name: value})


def test_ngd_explorer_honours_start_values_on_its_slider_grids():
    ex = ngd_comparison_explorer(eta=0.03, max_norm=2.0, condition_number=5.0, n_steps=7)
    assert {k: c.value for k, c in ex.controls.items()} == {
        "eta": 0.03, "max_norm": 2.0, "condition_number": 5.0, "n_steps": 7}


@pytest.mark.parametrize("name, value", [("eta", 0.033), ("max_norm", 2.5), ("condition_number", 7.3)])
def test_ngd_explorer_refuses_start_values_between_its_slider_positions(name, value):
    # The sliders hit exactly the values the lesson names; a value between two
    # positions would be silently replaced by its neighbour, so it is refused.
    with pytest.raises(ValueError, match=name):
        ngd_comparison_explorer(**{name: value})
    with pytest.raises(TypeError, match="n_steps"):
        ngd_comparison_explorer(n_steps=7.5)


# --- values beyond the float range: a named error, or inf only where the true value is beyond it -------------

M = float(np.finfo(np.float64).max)
RNN = vector_rnn.init_rnn(3, rng=np.random.default_rng(0))
RNN_STACK = vector_rnn.init_rnn(3, rng=np.random.default_rng(0), n_models=2)


@pytest.mark.parametrize("params, target", [
    (RNN, np.full(4, 1e300)), (RNN, [1e200, 0.0, 0.0, 0.0]), (RNN, np.full(4, -1e160)),
    (RNN_STACK, np.full(4, 1e155)), (RNN, [0.0, 0.0, 0.0, 1.7e308]), (RNN, np.full(4, -1e154)),
])
def test_vector_rnn_loss_beyond_the_float_range_is_inf_with_finite_exact_gradients(params, target):
    x = np.zeros((4, 3, 2))
    assert np.all(vector_rnn.rnn_loss(params, x, target) == np.inf)
    loss, grads, dh = vector_rnn.rnn_loss_and_grads(params, x, target)
    assert np.all(loss == np.inf) and all(np.isfinite(g).all() for g in grads.values()) and np.isfinite(dh).all()
    y, _ = vector_rnn.rnn_forward(params, x)
    np.testing.assert_allclose(grads["c"], 2 * np.mean(y - np.asarray(target), axis=-1), rtol=1e-12)


@pytest.mark.parametrize("target", [[1.7e308], [-1e308], [M]])
def test_vector_rnn_refuses_a_target_whose_gradient_exceeds_the_float_range(target):
    with pytest.raises(ValueError, match="target"):
        vector_rnn.rnn_loss_and_grads(RNN, np.zeros((1, 3, 2)), target)
    assert vector_rnn.rnn_loss(RNN, np.zeros((1, 3, 2)), target) == math.inf
    with np.errstate(over="ignore", invalid="ignore"):  # "keep" is for a trainer that flags divergence
        loss, grads, _ = vector_rnn.rnn_loss_and_grads(RNN, np.zeros((1, 3, 2)), target, on_overflow="keep")
    assert loss == math.inf and np.isinf(grads["c"])  # kept for a trainer that flags divergence


@pytest.mark.parametrize("on_overflow", ["ignore", None, "inf"])
def test_vector_rnn_on_overflow_is_checked(on_overflow):
    with pytest.raises(ValueError, match="on_overflow"):
        vector_rnn.rnn_loss_and_grads(RNN, np.zeros((1, 3, 2)), [0.0], on_overflow=on_overflow)


def test_vector_rnn_stack_with_one_exact_model_and_one_near_the_limit():
    y, _ = vector_rnn.rnn_forward(RNN_STACK, np.zeros((2, 3, 2)))
    target = np.stack([y[0], y[1] - np.array([1.3e154, 0.0])])
    loss, grads, dh = vector_rnn.rnn_loss_and_grads(RNN_STACK, np.zeros((2, 3, 2)), target)
    assert loss[0] == 0.0 and loss[1] == pytest.approx(1.3e154**2 / 2, rel=1e-12)
    assert all(np.isfinite(g).all() for g in grads.values()) and np.isfinite(dh).all()


@pytest.mark.parametrize("target", [[math.inf, 0.0], [0.0, -math.inf], [math.nan, 1.0]])
@pytest.mark.parametrize("fn", [vector_rnn.rnn_loss, vector_rnn.rnn_loss_and_grads])
def test_vector_rnn_refuses_non_finite_targets(fn, target):
    with pytest.raises(ValueError, match="target"):
        fn(RNN, np.zeros((2, 3, 2)), target)


@pytest.mark.parametrize("n, t", [(1, 1e150), (1, 1.3e154), (4, -6e153), (3, 1e100)])
def test_vector_rnn_near_the_float_limit_gives_finite_exact_gradients(n, t):
    x = np.zeros((n, 3, 2))
    loss, grads, dh = vector_rnn.rnn_loss_and_grads(RNN, x, np.full(n, t))
    y, _ = vector_rnn.rnn_forward(RNN, x)
    err = [mpmath.mpf(float(v)) - mpmath.mpf(t) for v in y]
    assert loss == pytest.approx(float(sum(e * e for e in err) / n), rel=1e-12)
    assert all(np.isfinite(g).all() for g in grads.values()) and np.isfinite(dh).all()
    assert float(grads["c"]) == pytest.approx(float(2 * sum(err) / n), rel=1e-12)
    expected_last = float(2 * mpmath.sqrt(sum(e * e for e in err)) / n) * np.linalg.norm(RNN["w_out"])
    assert dh[-1] == pytest.approx(expected_last, rel=1e-12)


def modulus_reference(gamma, eta, f0=0.5):
    with mpmath.workdps(60):
        root = mpmath.sqrt(mpmath.mpf(gamma) ** 2 / 4 - mpmath.mpf(f0) ** 2)
        return max(abs(1 + mpmath.mpf(eta) * (-mpmath.mpf(gamma) / 2 + s * root)) for s in (1, -1))


@pytest.mark.parametrize("gamma, eta", [
    (1e300, 1e10), (1e300, 1e-10), (0.0, 1e300), (1e308, 1.0), (1.0, 1e308), (0.3, 0.2), (1.0, 0.2), (2.0, 0.2),
    (0.999999, 3.0), (1e-300, 1e-300), (5.0, 1e-20), (1e200, 1e200),
])
def test_dirac_update_modulus_is_accurate_and_inf_only_beyond_the_range(gamma, eta):
    ref = modulus_reference(gamma, eta)
    got = dirac_gan.dirac_update_modulus(gamma, eta)
    if ref > M:
        assert got == math.inf
    else:
        assert got == pytest.approx(float(ref), rel=1e-12)


@pytest.mark.parametrize("kwargs, name", [
    ({"gamma": -1.0}, "gamma"), ({"gamma": math.nan}, "gamma"), ({"gamma": 10**400}, "gamma"),
    ({"learning_rate": 10**400}, "learning_rate"), ({"learning_rate": 0.0}, "learning_rate"), ({"f0": 0.0}, "f0"),
])
def test_dirac_update_modulus_names_bad_arguments(kwargs, name):
    args = {"gamma": 0.1, "learning_rate": 0.2} | kwargs
    with pytest.raises(ValueError, match=name):
        dirac_gan.dirac_update_modulus(**args)


SMALL_GAN = {"batch_size": 8, "width": 4, "depth": 1}


@pytest.mark.parametrize("lam", [1e308, 1e7, gan.MAX_LAM * 1.000001, 10**400, -1.0])
@pytest.mark.parametrize("run", [
    lambda lam: gan.train_wgan(n_iters=1, n_critic=1, lam=lam, **SMALL_GAN),
    lambda lam: gan.train_critic(n_steps=1, lam=lam, **SMALL_GAN),
    lambda lam: gan.critic_loss_and_grads(init_mlp([2, 4, 1], np.random.default_rng(0)), np.ones((2, 2)),
                                          np.zeros((2, 2)), np.full(2, 0.5), lam),
])
def test_penalty_weights_beyond_the_documented_range_are_refused(run, lam):
    with pytest.raises(ValueError, match="lam"):
        run(lam)


def test_the_largest_penalty_weight_trains_a_finite_critic():
    critic, slopes = gan.train_critic(n_steps=3, lam=gan.MAX_LAM, **SMALL_GAN)
    assert all(np.isfinite(p).all() for p in critic.params) and np.isfinite(slopes).all()
    run = gan.train_wgan(n_iters=2, n_critic=2, lam=gan.MAX_LAM, **SMALL_GAN)
    assert np.isfinite(run.grad_norms).all() and np.isfinite(run.wasserstein).all()


CRITIC = init_mlp([2, 4, 1], np.random.default_rng(0), activation="tanh")
X_HAT = np.random.default_rng(1).normal(size=(3, 2))


@pytest.mark.parametrize("target", [1e308, 1e151, 10**400, M])
def test_penalty_and_grad_refuses_targets_beyond_1e150(target):
    with pytest.raises(ValueError, match="target"):
        CRITIC.penalty_and_grad(X_HAT, target=target)
    with pytest.raises(ValueError, match="target"):
        penalty_check.penalty_gradient_error(CRITIC, X_HAT, target=target)


@pytest.mark.parametrize("target", [1e150, 1e100, 1e6])
def test_penalty_and_grad_at_large_targets_is_finite_and_right(target):
    value, grads, g = CRITIC.penalty_and_grad(X_HAT, target=target)
    assert all(np.isfinite(a).all() for a in grads)
    assert value == pytest.approx(float(np.mean((np.linalg.norm(g, axis=1) - target) ** 2)), rel=1e-12)


@pytest.mark.parametrize("h", [1e308, 1.0, 0.11, 0.0, -1e-6, math.nan, 10**400])
def test_penalty_gradient_error_refuses_steps_that_are_no_derivative(h):
    with pytest.raises(ValueError, match="h"):
        penalty_check.penalty_gradient_error(CRITIC, X_HAT, h=h)


def test_penalty_gradient_error_still_checks_with_its_default_and_largest_step():
    assert penalty_check.penalty_gradient_error(CRITIC, X_HAT) < 1e-6
    assert penalty_check.penalty_gradient_error(CRITIC, X_HAT, h=0.1) < 1e-1


# --- counts: huge Python integers are refused quickly, naming the argument ------------------------------

RNG = np.random.default_rng(0)
COUNT_CALLS = {
    "train_wgan": lambda **kw: gan.train_wgan(**({"n_iters": 1, "n_critic": 1} | SMALL_GAN | kw)),
    "train_critic": lambda **kw: gan.train_critic(**({"n_steps": 1} | SMALL_GAN | kw)),
    "simulate_dirac": lambda **kw: dirac_gan.simulate_dirac(**kw),
    "init_rnn": lambda **kw: vector_rnn.init_rnn(**({"rng": RNG} | kw)),
    "init_mlp": lambda sizes: init_mlp(sizes, RNG),
    "adding_problem": lambda **kw: adding_problem.adding_problem(**({"n": 2, "n_steps": 4, "rng": RNG} | kw)),
    "train_adding": lambda **kw: adding_problem.train_adding(**({"n_updates": 1, "seq_len": 3, "hidden": 2,
                                                                 "batch_size": 2} | kw)),
    "linear_recurrence": lambda **kw: rnn.linear_recurrence(0.5, **kw),
    "linear_recurrence_gradient": lambda **kw: rnn.linear_recurrence_gradient(0.5, **kw),
    "rnn_states": lambda **kw: rnn.rnn_states(1.0, 0.0, **kw),
    "rnn_loss": lambda **kw: rnn.rnn_loss(1.0, 0.0, **kw),
    "rnn_loss_and_grad": lambda **kw: rnn.rnn_loss_and_grad(1.0, 0.0, **kw),
    "rnn_grad_scalar": lambda **kw: rnn.rnn_grad_scalar(1.0, 0.0, **kw),
    "cliff_objective": lambda **kw: rnn.cliff_objective(**kw),
    "wall_peak_gradient_norm": lambda **kw: cliff.wall_peak_gradient_norm(5.0, **kw),
    "spike_response": lambda **kw: update_rules.spike_response("sgd", **kw),
    "gd_on_penalized": lambda **kw: flat_minima.gd_on_penalized([0.0], 0.1, 0.1, **kw),
    "settled": lambda **kw: flat_minima.settled(np.zeros((3, 1)), **kw),
    "eight_gaussians": lambda n: toy_data.eight_gaussians(n, RNG),
    "twentyfive_gaussians": lambda n: toy_data.twentyfive_gaussians(n, RNG),
    "swiss_roll": lambda n: toy_data.swiss_roll(n, RNG),
    "sample_toy": lambda n: toy_data.sample_toy("8gaussians", n, RNG),
    "model_norms": lambda n_lead: param_stack.model_norms({"a": np.ones(2)}, n_lead),
    "final_loss": lambda last: adding_problem.train_adding(n_updates=2, seq_len=3, hidden=2, batch_size=2
                                                           ).final_loss(last),
}
COUNTS = [
    ("train_wgan", "n_iters", MAX_STEPS), ("train_wgan", "n_critic", MAX_STEPS),
    ("train_wgan", "batch_size", MAX_SAMPLES), ("train_wgan", "width", MAX_WIDTH), ("train_wgan", "depth", MAX_WIDTH),
    ("train_wgan", "n_samples", MAX_SAMPLES), ("train_critic", "n_steps", MAX_STEPS),
    ("train_critic", "batch_size", MAX_SAMPLES), ("train_critic", "width", MAX_WIDTH),
    ("train_critic", "depth", MAX_WIDTH), ("simulate_dirac", "n_steps", MAX_STEPS),
    ("simulate_dirac", "d_steps", MAX_STEPS), ("init_rnn", "hidden", MAX_WIDTH), ("init_rnn", "n_inputs", MAX_WIDTH),
    ("init_rnn", "n_models", MAX_WIDTH), ("adding_problem", "n", MAX_SAMPLES),
    ("adding_problem", "n_steps", MAX_SAMPLES), ("train_adding", "n_updates", MAX_STEPS),
    ("train_adding", "seq_len", MAX_SAMPLES), ("train_adding", "hidden", MAX_WIDTH),
    ("train_adding", "batch_size", MAX_SAMPLES), ("linear_recurrence", "n_steps", MAX_STEPS),
    ("rnn_states", "n_steps", MAX_STEPS), ("rnn_loss", "n_steps", MAX_STEPS),
    ("rnn_loss_and_grad", "n_steps", MAX_STEPS), ("rnn_grad_scalar", "n_steps", MAX_STEPS),
    ("cliff_objective", "n_steps", MAX_STEPS), ("wall_peak_gradient_norm", "n", 10**5),
    ("wall_peak_gradient_norm", "n_ulp", 10**5), ("spike_response", "n_steps", MAX_STEPS),
    ("gd_on_penalized", "n_steps", MAX_STEPS), ("settled", "window", MAX_STEPS),
    ("eight_gaussians", "n", MAX_SAMPLES), ("twentyfive_gaussians", "n", MAX_SAMPLES),
    ("swiss_roll", "n", MAX_SAMPLES), ("sample_toy", "n", MAX_SAMPLES), ("model_norms", "n_lead", 64),
    ("final_loss", "last", MAX_STEPS),
]


@pytest.mark.parametrize("value", [10**400, 10**19, "bound + 1"])
@pytest.mark.parametrize("fn, name, bound", COUNTS)
def test_huge_counts_are_refused_naming_the_argument(fn, name, bound, value):
    value = bound + 1 if value == "bound + 1" else value
    with pytest.raises(ValueError, match=name):
        COUNT_CALLS[fn](**{name: value})


@pytest.mark.parametrize("value", [10**400, 10**19, 10**7 + 1])
def test_huge_layer_sizes_and_step_arrays_are_refused(value):
    with pytest.raises(ValueError, match="sizes"):
        COUNT_CALLS["init_mlp"]([2, value, 1])
    if value > M ** 0.5:
        with pytest.raises(ValueError, match="n_steps"):
            COUNT_CALLS["linear_recurrence_gradient"](n_steps=value)


@pytest.mark.parametrize("fn, kwargs, names", [
    ("init_mlp", {"sizes": [2, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 1]}, "sizes"),
    ("init_rnn", {"hidden": 4096, "n_models": 10}, "n_models"),
    ("adding_problem", {"n": 10**7, "n_steps": 10}, "n and n_steps"),
    ("train_adding", {"seq_len": 10**4, "batch_size": 10**4}, "seq_len, batch_size"),
    ("train_wgan", {"batch_size": 10**6, "width": 4096}, "batch_size, width"),
    ("train_wgan", {"n_samples": 10**7, "width": 100}, "n_samples, width"),
    ("train_critic", {"batch_size": 10**7, "width": 20}, "batch_size, width"),
])
def test_counts_that_multiply_into_one_huge_array_are_refused_naming_them(fn, kwargs, names):
    call = COUNT_CALLS[fn]
    with pytest.raises(ValueError, match=names):
        call(kwargs["sizes"]) if fn == "init_mlp" else call(**kwargs)
