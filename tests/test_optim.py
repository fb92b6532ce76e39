"""gnlib.optim: update rules, zero-gradient guard, schedules, divergence, bad input."""

import numpy as np
import pytest

from gnlib.functions import plateau, quadratic_bowl, quartic
from gnlib.norms import l2_norm
from gnlib.optim import (clipped_gradient_descent, gradient_descent, inverse_sqrt_schedule,
                         normalized_gradient_descent)


def test_gradient_descent_on_a_parabola():
    run = gradient_descent(lambda th: 2 * th, [1.0], 0.25, 4, loss_fn=lambda th: th[0] ** 2)
    np.testing.assert_allclose(run.thetas[:, 0], 0.5 ** np.arange(5))
    np.testing.assert_allclose(run.losses, 0.25 ** np.arange(5))
    np.testing.assert_allclose(run.grad_norms, 2 * 0.5 ** np.arange(5))
    assert not run.diverged and run.n_steps == 4


def test_normalized_steps_have_length_eta():
    bowl = quadratic_bowl(10.0)
    run = normalized_gradient_descent(bowl.gradient, [3.0, -2.0], 0.1, 20)
    steps = np.linalg.norm(np.diff(run.thetas, axis=0), axis=1)
    np.testing.assert_allclose(steps, 0.1, rtol=1e-12)


def test_normalized_divides_by_gradient_norm_not_loss():
    # with J = 100 * theta^2 the loss is large, but the step is still eta
    run = normalized_gradient_descent(lambda th: 200 * th, [3.0], 0.5, 1)
    assert run.thetas[1, 0] == pytest.approx(2.5)


def test_zero_gradient_gives_zero_step_not_nan():
    run = normalized_gradient_descent(lambda th: np.zeros_like(th), [1.0, 2.0], 0.5, 3)
    assert np.isfinite(run.thetas).all()
    np.testing.assert_array_equal(run.thetas, [[1.0, 2.0]] * 4)


def test_schedule_is_used():
    schedule = inverse_sqrt_schedule(1.0)
    run = normalized_gradient_descent(lambda th: np.ones_like(th), [0.0], schedule, 3)
    np.testing.assert_allclose(-np.diff(run.thetas[:, 0]), [1.0, 2**-0.5, 3**-0.5])
    with pytest.raises(ValueError, match=r"learning_rate\(0\) must be >= 0"):
        gradient_descent(lambda th: th, [1.0], lambda t: -1.0, 2)


def test_constant_eta_ngd_cycles_and_decaying_eta_converges():
    bowl = quadratic_bowl(1.0, dim=1)
    constant = normalized_gradient_descent(bowl.gradient, [1.05], 0.1, 200)
    decaying = normalized_gradient_descent(bowl.gradient, [1.05], inverse_sqrt_schedule(0.1), 2000)
    tail = np.abs(constant.thetas[-20:, 0])
    assert tail.max() == pytest.approx(0.05, abs=1e-9)  # 2-cycle around 0 with size about eta
    assert abs(decaying.final[0]) < 0.01


def test_plateau_and_steep_function():
    flat = plateau()
    gd = gradient_descent(flat.gradient, [5.0], 0.1, 100)
    ngd = normalized_gradient_descent(flat.gradient, [5.0], 0.1, 100)
    assert abs(gd.final[0] - 5.0) < 1e-6
    assert abs(ngd.final[0]) <= 0.1
    steep = quartic()
    gd = gradient_descent(steep.gradient, [10.0], 0.01, 50)
    assert gd.diverged and gd.n_steps < 10
    assert np.isfinite(gd.thetas).all()
    ngd = normalized_gradient_descent(steep.gradient, [10.0], 0.1, 150)
    assert abs(ngd.final[0]) <= 0.1


def test_clipped_gd_is_gd_near_optimum_and_ngd_far_away():
    bowl = quadratic_bowl(1.0, dim=2)
    far = clipped_gradient_descent(bowl.gradient, [30.0, 40.0], 0.1, 1.0, 1)
    assert l2_norm(far.thetas[1] - far.thetas[0]) == pytest.approx(0.1)  # eta * tau, like NGD
    near_clip = clipped_gradient_descent(bowl.gradient, [0.3, 0.4], 0.1, 1.0, 5)
    near_gd = gradient_descent(bowl.gradient, [0.3, 0.4], 0.1, 5)
    np.testing.assert_array_equal(near_clip.thetas, near_gd.thetas)


@pytest.mark.parametrize("bad, exc, message", [
    (-0.1, ValueError, "learning_rate must be > 0"),
    (0.0, ValueError, "learning_rate must be > 0"),
    (float("nan"), ValueError, "learning_rate must be a number"),
    (float("inf"), ValueError, "learning_rate must be finite"),
    ("fast", TypeError, "learning_rate must be a real number"),
])
def test_bad_learning_rates(bad, exc, message):
    with pytest.raises(exc, match=message):
        gradient_descent(lambda th: th, [1.0], bad, 3)


def test_other_bad_input():
    with pytest.raises(ValueError, match="max_norm must be > 0"):
        clipped_gradient_descent(lambda th: th, [1.0], 0.1, -1.0, 3)
    with pytest.raises(ValueError, match="n_steps must be >= 0"):
        gradient_descent(lambda th: th, [1.0], 0.1, -1)
    with pytest.raises(TypeError, match="n_steps must be an integer"):
        gradient_descent(lambda th: th, [1.0], 0.1, 2.5)
    with pytest.raises(ValueError, match="theta0 must be finite"):
        gradient_descent(lambda th: th, [np.nan], 0.1, 3)
    with pytest.raises(ValueError, match="theta0 must not be empty"):
        gradient_descent(lambda th: th, [], 0.1, 3)
    with pytest.raises(ValueError, match=r"grad_fn must return an array of shape \(2,\)"):
        gradient_descent(lambda th: np.ones(3), [1.0, 2.0], 0.1, 3)
    with pytest.raises(TypeError, match="grad_fn must be callable"):
        gradient_descent(None, [1.0], 0.1, 3)
    with pytest.raises(ValueError, match="eta0 must be > 0"):
        inverse_sqrt_schedule(0.0)
