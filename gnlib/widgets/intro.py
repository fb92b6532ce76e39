"""Lesson 00's explorable: gradient descent on a parabola, one slider for eta."""

from __future__ import annotations

import numpy as np

from .._validation import check_int, check_scalar
from ..figures.style import COLORS, new_figure
from ..optim import gradient_descent
from ._explorable import Explorable, float_slider

__all__ = ["learning_rate_explorer", "describe_learning_rate"]


def describe_learning_rate(eta: float) -> str:
    """What gradient descent on J(theta) = theta^2 does for learning rate ``eta``.

    Each step multiplies theta by (1 - 2 eta): it converges monotonically for
    eta < 0.5, oscillates but converges for 0.5 < eta < 1, cycles at
    eta = 1 and diverges beyond.

    Examples
    --------
    >>> describe_learning_rate(0.1)
    'converges smoothly'
    >>> describe_learning_rate(1.05)
    'diverges: each step overshoots further'
    """
    factor = abs(1.0 - 2.0 * eta)
    if factor > 1.0:
        return "diverges: each step overshoots further"
    if factor == 1.0:
        return "bounces between two points forever"
    return "converges smoothly" if eta <= 0.5 else "converges, zig-zagging across the minimum"


def learning_rate_explorer(theta0: float = 1.0, n_steps: int = 12) -> Explorable:
    """Gradient descent on J(theta) = theta^2 from ``theta0``, with a slider for eta.

    Left: the parabola and the iterates. Right: |theta_t| on a log scale, a
    straight line whose slope is log|1 - 2 eta|.

    Returns
    -------
    Explorable
        Control ``"eta"``; ``data`` holds ``"iterates"`` (theta_0..theta_n),
        ``"losses"`` and ``"eta"``.

    Raises
    ------
    ValueError
        If ``theta0`` is 0 or outside [-2, 2] (the plotted range), or
        ``n_steps`` is below 1.
    TypeError
        If ``theta0`` is not a number or ``n_steps`` not an integer.
    """
    theta0 = check_scalar(theta0, "theta0", low=-2.0, high=2.0)  # inside the plotted parabola
    if theta0 == 0.0:
        raise ValueError("theta0 must not be 0: gradient descent would not move, and |theta_t| has no log")
    n_steps = check_int(n_steps, "n_steps", low=1)
    fig, (ax_curve, ax_log) = new_figure(1, 2, figsize=(8.0, 3.4))
    grid = np.linspace(-2.2, 2.2, 200)
    ax_curve.plot(grid, grid**2, color=COLORS["neutral"], lw=1.5, label=r"$J(\theta)=\theta^2$")
    (path,) = ax_curve.plot([], [], "o-", color=COLORS["gd"], ms=4, lw=1, label="iterates")
    ax_curve.set_xlim(-2.2, 2.2)
    ax_curve.set_ylim(-0.1, 4.8)
    ax_curve.set_xlabel(r"$\theta$")
    ax_curve.set_ylabel(r"$J(\theta)$")
    ax_curve.legend(loc="upper center")
    (decay,) = ax_log.semilogy([], [], "o-", color=COLORS["gd"], ms=4)
    ax_log.set_xlim(-0.5, n_steps + 0.5)
    ax_log.set_ylim(1e-8, 1e4)
    ax_log.set_xlabel("step $t$")
    ax_log.set_ylabel(r"$|\theta_t|$ (log scale)")
    ax_log.set_title("distance to the minimum")

    def update(eta: float) -> dict:
        run = gradient_descent(lambda th: 2.0 * th, [theta0], eta, n_steps, loss_fn=lambda th: th[0] ** 2)
        iterates = run.thetas[:, 0]
        path.set_data(iterates, iterates**2)
        decay.set_data(np.arange(len(iterates)), np.maximum(np.abs(iterates), 1e-300))
        ax_curve.set_title(f"η = {eta:.2f}\n{describe_learning_rate(eta)}")
        return {"eta": eta, "iterates": iterates, "losses": run.losses}

    controls = {"eta": float_slider("learning rate η", 0.1, 0.02, 1.1, 0.02)}
    return Explorable(fig, controls, update,
                      caption="Try η = 0.1, 0.45, 0.7, 1.0 and 1.05. Where does the behaviour change, and why at η = 1/2 and η = 1?")
