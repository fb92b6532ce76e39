"""Lesson 02 (gradients): the hill-and-pit landscape, directional derivatives,
finite-difference errors, the two explorables and the exercise checkers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from gnlib import check
from gnlib.figures.gradients import gradient_field_figure, gradient_norm_figure
from gnlib.functions import hill_and_pit, quadratic_bowl, rosenbrock
from gnlib.gradcheck import (check_gradient, directional_derivative, finite_difference_errors, numerical_gradient,
                             rel_error, unit_vector)
from gnlib.widgets import directional_derivative_explorer, finite_difference_explorer

coords = st.floats(-3.0, 3.0, allow_nan=False)


# ---------------------------------------------------------------- the landscape

@settings(derandomize=True, deadline=None, max_examples=60)
@given(coords, coords)
def test_hill_and_pit_gradient_matches_finite_differences(a, b):
    f = hill_and_pit()
    assert check_gradient(f.value, f.gradient, np.array([a, b])) < 1e-6


@pytest.mark.parametrize("height, depth", [(0.0, 0.8), (2.0, 0.0), (0.5, 3.0)])
def test_hill_and_pit_parameters_gradient(height, depth):
    f = hill_and_pit(height, depth)
    for point in ([0.3, -0.2], [-2.0, 1.5], [1.0, -1.0]):
        assert check_gradient(f.value, f.gradient, np.array(point)) < 1e-6


def test_hill_and_pit_is_vectorized_and_flat_at_the_top():
    f = hill_and_pit()
    grid = np.random.default_rng(0).uniform(-3, 3, size=(4, 5, 2))
    assert f.value(grid).shape == (4, 5)
    assert f.gradient(grid).shape == (4, 5, 2)
    np.testing.assert_allclose(f.gradient(grid)[1, 2], f.gradient(grid[1, 2]))
    # the hill's top is nearly stationary (the pit tilts it only slightly); far away is flat
    assert np.linalg.norm(f.gradient(np.array([-1.0, 0.6]))) < 0.05
    assert np.linalg.norm(f.gradient(np.array([0.7, -0.5]))) > 0.5  # the flank between them
    assert np.linalg.norm(f.gradient(np.array([40.0, 40.0]))) < 1e-4


def test_hill_and_pit_bad_input():
    with pytest.raises(ValueError, match="height"):
        hill_and_pit(height=-1.0)
    with pytest.raises(ValueError, match="depth"):
        hill_and_pit(depth=float("nan"))
    with pytest.raises(ValueError, match="x"):
        hill_and_pit().value(np.zeros(3))


# ---------------------------------------------------------------- directional derivative

def test_unit_vector_has_length_one():
    u = unit_vector(np.linspace(0, 360, 37))
    assert u.shape == (37, 2)
    np.testing.assert_allclose(np.linalg.norm(u, axis=-1), 1.0)
    np.testing.assert_allclose(unit_vector(90.0), [0.0, 1.0], atol=1e-15)
    with pytest.raises(ValueError, match="angle_deg"):
        unit_vector(np.inf)


@settings(derandomize=True, deadline=None, max_examples=40)
@given(coords, coords, st.floats(0.0, 360.0))
def test_directional_derivative_equals_rate_of_change_along_u(a, b, angle):
    f = hill_and_pit()
    theta, u = np.array([a, b]), unit_vector(angle)
    along = numerical_gradient(lambda t: f.value(theta + t[0] * u), np.zeros(1))[0]
    assert directional_derivative(f.gradient(theta), u) == pytest.approx(along, abs=1e-8)


def test_directional_derivative_is_largest_along_the_gradient():
    g = hill_and_pit().gradient(np.array([0.0, 0.0]))
    angles = np.linspace(0.0, 360.0, 3601)
    rates = directional_derivative(g, unit_vector(angles))
    best = angles[np.argmax(rates)]
    assert rates.max() == pytest.approx(np.linalg.norm(g), rel=1e-6)
    assert rates.min() == pytest.approx(-np.linalg.norm(g), rel=1e-6)
    assert best == pytest.approx(np.degrees(np.arctan2(g[1], g[0])) % 360, abs=0.1)


def test_directional_derivative_bad_input():
    with pytest.raises(ValueError, match="unit vector"):
        directional_derivative([1.0, 2.0], [3.0, 4.0])
    with pytest.raises(ValueError, match="u must have shape"):
        directional_derivative([1.0, 2.0], [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="gradient"):
        directional_derivative(np.ones((2, 2)), [1.0, 0.0])
    with pytest.raises(TypeError, match="u"):
        directional_derivative([1.0, 2.0], "north")


# ---------------------------------------------------------------- finite differences

def test_finite_difference_errors_show_truncation_orders():
    f = hill_and_pit()
    errs = finite_difference_errors(f.value, f.gradient, [0.3, -0.2], [1e-2, 1e-3])
    # truncation regime: forward error ~ h (factor 10 per decade), central ~ h^2 (factor 100)
    assert errs["forward"][0] / errs["forward"][1] == pytest.approx(10.0, rel=0.1)
    assert errs["central"][0] / errs["central"][1] == pytest.approx(100.0, rel=0.1)


def test_finite_difference_errors_have_a_best_step():
    bowl = rosenbrock()
    hs = np.logspace(-14, 0, 57)
    errs = finite_difference_errors(bowl.value, bowl.gradient, [-0.5, 0.7], hs)
    best_forward, best_central = hs[np.argmin(errs["forward"])], hs[np.argmin(errs["central"])]
    assert 1e-10 < best_forward < 1e-6 and 1e-8 < best_central < 1e-3
    assert errs["central"].min() < errs["forward"].min()
    assert errs["forward"][0] > 1e3 * errs["forward"].min()  # round-off at tiny h


def test_finite_difference_errors_bad_input():
    f = quadratic_bowl()
    with pytest.raises(ValueError, match="hs"):
        finite_difference_errors(f.value, f.gradient, [1.0, 1.0], [])
    with pytest.raises(ValueError, match="hs"):
        finite_difference_errors(f.value, f.gradient, [1.0, 1.0], [1e-3, 0.0])


# ---------------------------------------------------------------- static figures

@pytest.mark.parametrize("make", [gradient_field_figure, gradient_norm_figure])
def test_figures_build(make):
    fig = make()
    assert isinstance(fig, Figure)
    assert fig.axes[0].get_title()
    fig = make(rosenbrock(), xlim=(-2.0, 2.0), ylim=(-1.0, 3.0))
    assert isinstance(fig, Figure)


@pytest.mark.parametrize("make", [gradient_field_figure, gradient_norm_figure])
def test_figures_bad_input(make):
    with pytest.raises(ValueError, match="xlim"):
        make(xlim=(1.0, -1.0))
    with pytest.raises(TypeError, match="objective"):
        make(objective=quadratic_bowl(dim=3))


# ---------------------------------------------------------------- explorables

def test_directional_derivative_explorer_sliders():
    ex = directional_derivative_explorer()
    slider = ex.controls["angle"]
    seen = []
    for value in (slider.min, (slider.min + slider.max) / 2, slider.max - slider.step, slider.max):
        slider.value = value
        assert ex.finite()
        assert ex.data["angle"] == pytest.approx(value)
        np.testing.assert_allclose(ex.data["u"], unit_vector(value))
        assert ex.data["directional_derivative"] == pytest.approx(ex.data["gradient"] @ ex.data["u"])
        seen.append(ex.data["directional_derivative"])
        assert len(ex.render_png()) > 1000
    assert seen[0] != pytest.approx(seen[1]) and seen[1] != pytest.approx(seen[2])
    assert seen[0] == pytest.approx(seen[3])  # 0 and 360 degrees are the same direction


def test_directional_derivative_explorer_peaks_at_the_gradient():
    ex = directional_derivative_explorer(point=(-0.2, -0.6))
    curve, angles = ex.data["curve"], ex.data["angles"]
    assert curve.max() == pytest.approx(ex.data["grad_norm"], rel=1e-4)
    assert angles[np.argmax(curve)] == pytest.approx(ex.data["grad_angle"], abs=0.5)
    ex.set(angle=round(ex.data["grad_angle"]))
    assert ex.data["directional_derivative"] == pytest.approx(ex.data["grad_norm"], rel=1e-3)
    ex.set(angle=round(ex.data["grad_angle"] + 90.0) % 360)
    assert abs(ex.data["directional_derivative"]) < 1e-2 * ex.data["grad_norm"]


def test_finite_difference_explorer_sliders():
    ex = finite_difference_explorer()
    slider = ex.controls["h"]
    results = {}
    for exponent in (slider.min, (slider.min + slider.max) / 2, slider.max):
        slider.value = 10.0**exponent
        assert ex.finite()
        h = ex.data["h"]
        assert h == pytest.approx(10.0**exponent)
        f = hill_and_pit()
        again = finite_difference_errors(f.value, f.gradient, [0.3, -0.2], [h])
        assert (ex.data["forward_error"], ex.data["central_error"]) == (again["forward"][0], again["central"][0])
        results[exponent] = (ex.data["forward_error"], ex.data["central_error"])
        assert len(ex.render_png()) > 1000
    assert len(set(results.values())) == 3
    middle = results[(slider.min + slider.max) / 2]  # h = 1e-7: both far better than at either end
    assert max(middle) < 1e-6 and min(results[slider.min]) > 1e-5 and min(results[slider.max]) > 1e-2


@pytest.mark.parametrize("build", [directional_derivative_explorer, finite_difference_explorer])
def test_explorers_bad_input(build):
    with pytest.raises(ValueError, match="point"):
        build(point=(0.0, np.nan))
    with pytest.raises(TypeError, match="objective"):
        build(objective=quadratic_bowl(dim=3))


# ---------------------------------------------------------------- exercise checkers

def ref_central_difference(f, x, h=1e-5):
    return numerical_gradient(f, x, h)


def forward_instead(f, x, h=1e-5):
    x = np.asarray(x, dtype=np.float64).copy()
    base, grad = f(x), np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - base) / h
        x[i] = old
    return grad


def ref_grad_J(theta):
    c = np.cos(theta[0] * theta[1])
    return np.array([2 * theta[0] * theta[1] + theta[1] * c, theta[0] ** 2 + theta[0] * c])


def wrong_grad_J(theta):  # forgot the chain rule's inner derivative
    c = np.cos(theta[0] * theta[1])
    return np.array([2 * theta[0] * theta[1] + c, theta[0] ** 2 + c])


def ref_logistic_gradient(theta, X, y):
    m = y * (X @ theta)
    return -(X.T @ (y / (1.0 + np.exp(m)))) / len(y)


def buggy_logistic_gradient(theta, X, y):
    m = y * (X @ theta)
    return -(X.T @ (y / (1.0 + np.exp(-m)))) / len(y)


def ref_directional(grad_f, theta, u):
    u = np.asarray(u, dtype=np.float64)
    length = np.linalg.norm(u)
    if length == 0:
        raise ValueError("u must not be the zero vector")
    return float(grad_f(theta) @ (u / length))


def unnormalized_directional(grad_f, theta, u):
    return float(grad_f(theta) @ np.asarray(u, dtype=np.float64))


def stub(*args, **kwargs):
    raise NotImplementedError("Exercise: replace this line with your code")


CHECKERS = [
    (check.check_central_difference, ref_central_difference, forward_instead),
    (check.check_analytic_gradient, ref_grad_J, wrong_grad_J),
    (check.check_logistic_gradient, ref_logistic_gradient, buggy_logistic_gradient),
    (check.check_directional_derivative, ref_directional, unnormalized_directional),
]


@pytest.mark.parametrize("checker, reference, wrong", CHECKERS)
def test_checkers(checker, reference, wrong):
    good = checker(reference, quiet=True)
    assert good.status == "passed", str(good)
    bad = checker(wrong, quiet=True)
    assert bad.status == "failed"
    assert "✗" in str(bad)
    assert checker(stub, quiet=True).status == "not attempted"


def test_central_difference_checker_catches_side_effects_and_integer_input():
    def mutating(f, x, h=1e-5):
        flat = x.reshape(-1) if isinstance(x, np.ndarray) and x.dtype.kind == "f" else None
        grad = numerical_gradient(f, x, h)
        if flat is not None:
            flat[0] += 1.0  # a learner who forgot to restore an entry
        return grad

    def integer_copy(f, x, h=1e-5):
        x = np.array(x)  # keeps int dtype: x + h truncates
        grad = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + h
            plus = f(x)
            x[i] = old - h
            minus = f(x)
            x[i] = old
            grad[i] = (plus - minus) / (2 * h)
        return grad

    assert check.check_central_difference(mutating, quiet=True).status == "failed"
    report = check.check_central_difference(integer_copy, quiet=True)
    assert report.status == "failed" and "integer" in str(report)


def test_checker_hints_never_print_the_answer():
    report = check.check_directional_derivative(unnormalized_directional, quiet=True)
    assert "7.2" not in str(report) and "8.544" not in str(report)


def test_exercise_buggy_gradient_really_is_wrong():
    rng = np.random.default_rng(0)
    X, y, theta = rng.normal(size=(6, 3)), np.array([1.0, -1, 1, 1, -1, -1]), rng.normal(size=3)

    def loss(t):
        return np.mean(np.logaddexp(0.0, -y * (X @ t)))

    assert rel_error(buggy_logistic_gradient(theta, X, y), numerical_gradient(loss, theta)) > 1e-2
    assert rel_error(ref_logistic_gradient(theta, X, y), numerical_gradient(loss, theta)) < 1e-7
