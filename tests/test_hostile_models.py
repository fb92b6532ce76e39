"""Models and explorers under hostile input: a clear error naming the argument, or the value honoured.

Each explorer is built with warnings turned into errors, so a matplotlib
"singular limits" warning or a numpy overflow warning fails the test as
surely as a crash.
"""

import math
import warnings

import numpy as np
import pytest

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


def test_ngd_explorer_honours_start_values_inside_the_ranges():
    ex = ngd_comparison_explorer(eta=0.033, max_norm=2.5, condition_number=7.3, n_steps=7)
    assert {k: c.value for k, c in ex.controls.items()} == {
        "eta": 0.033, "max_norm": 2.5, "condition_number": 7.3, "n_steps": 7}
    with pytest.raises(TypeError, match="n_steps"):
        ngd_comparison_explorer(n_steps=7.5)
