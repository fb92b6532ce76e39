"""gnlib.functions: analytic gradients against finite differences, batching, bad input."""

import numpy as np
import pytest

from gnlib.functions import plateau, quadratic_bowl, quartic, rosenbrock, saddle
from gnlib.gradcheck import check_gradient

OBJECTIVES = [quadratic_bowl(), quadratic_bowl(100.0, dim=4), rosenbrock(), rosenbrock(2.0, 10.0),
              plateau(), plateau(3), quartic(), quartic(2), saddle()]


@pytest.mark.parametrize("objective", OBJECTIVES, ids=lambda o: o.name)
def test_gradient_matches_finite_differences(objective):
    rng = np.random.default_rng(1)
    for _ in range(10):
        x = rng.uniform(-1.5, 1.5, size=objective.dim)
        assert check_gradient(lambda v: float(objective.value(v)), objective.gradient, x) < 1e-6


@pytest.mark.parametrize("objective", OBJECTIVES, ids=lambda o: o.name)
def test_batched_evaluation_equals_pointwise(objective):
    pts = np.random.default_rng(2).normal(size=(4, 3, objective.dim))
    values, grads = objective.value(pts), objective.gradient(pts)
    assert values.shape == (4, 3) and grads.shape == pts.shape
    for idx in np.ndindex(4, 3):
        assert values[idx] == pytest.approx(float(objective.value(pts[idx])))
        np.testing.assert_allclose(grads[idx], objective.gradient(pts[idx]))


@pytest.mark.parametrize("objective", [o for o in OBJECTIVES if o.minimizer is not None], ids=lambda o: o.name)
def test_minimizer_has_zero_gradient(objective):
    np.testing.assert_allclose(objective.gradient(objective.minimizer), 0.0, atol=1e-12)


def test_condition_number_is_exact():
    bowl = quadratic_bowl(50.0, dim=3)
    h = np.array([bowl.gradient(e) for e in np.eye(3)])  # the Hessian, since f is quadratic
    eig = np.linalg.eigvalsh(h)
    assert eig.max() / eig.min() == pytest.approx(50.0)


def test_plateau_gradient_is_tiny_far_away():
    assert plateau().gradient(np.array([5.0]))[0] == pytest.approx(10 * np.exp(-25))


def test_bad_input():
    with pytest.raises(ValueError, match="condition_number must be >= 1"):
        quadratic_bowl(0.5)
    with pytest.raises(TypeError, match="dim must be an integer"):
        quadratic_bowl(dim=2.5)
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., 2\)"):
        rosenbrock().value(np.ones(3))
    with pytest.raises(ValueError, match="b must be >= 0"):
        rosenbrock(b=-1.0)
