"""The update rules :func:`~gnlib.models.adding_problem.train_adding` offers, and what one gradient spike does to them.

SGD, heavy-ball momentum (PyTorch's form) and Adam update a list of arrays in
place. :func:`spike_response` feeds one of them unit gradients with a single
spike, clipped first or not, to show why clipping belongs **before** the
optimizer (lesson 03b). :mod:`gnlib.models.adding_problem` re-exports
:data:`OPTIMIZERS` and :func:`spike_response`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_int, check_scalar
from ..adam import Adam
from ._numerics import MAX_STEPS

__all__ = ["OPTIMIZERS", "SGD", "MomentumSGD", "make_optimizer", "spike_response"]

OPTIMIZERS = ("sgd", "momentum", "adam")


class MomentumSGD:
    """Heavy-ball SGD: ``v <- mu v + g;  theta <- theta - eta v`` (PyTorch's form), in place."""

    def __init__(self, params: list[np.ndarray], learning_rate: float, momentum: float) -> None:
        self.params, self.learning_rate, self.momentum = params, learning_rate, momentum
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads: list[np.ndarray]) -> None:
        for p, g, v in zip(self.params, grads, self.v):
            v *= self.momentum
            v += g
            p -= self.learning_rate * v


class SGD:
    """Plain SGD ``theta <- theta - eta g``, in place."""

    def __init__(self, params: list[np.ndarray], learning_rate: float) -> None:
        self.params, self.learning_rate = params, learning_rate

    def step(self, grads: list[np.ndarray]) -> None:
        for p, g in zip(self.params, grads):
            p -= self.learning_rate * g


def make_optimizer(name: str, params: list[np.ndarray], learning_rate: float, momentum: float) -> Any:
    """The optimizer ``name`` (one of :data:`OPTIMIZERS`, already checked) over ``params``.

    ``momentum`` is the heavy-ball coefficient mu, or Adam's beta1 (its beta2 is 0.999).
    """
    if name == "sgd":
        return SGD(params, learning_rate)
    if name == "momentum":
        return MomentumSGD(params, learning_rate, momentum)
    return Adam(params, learning_rate, (momentum, 0.999))


def spike_response(optimizer: str, clip: float | None = None, *, learning_rate: float = 0.1,
                   spike: float = 1e4, spike_at: int = 20, n_steps: int = 200, momentum: float = 0.9
                   ) -> np.ndarray:
    """Step lengths of an optimizer fed unit gradients with one spike, clipped first or not.

    The gradient is 1 at every step except step ``spike_at``, where it is
    ``spike``. If ``clip`` is given the gradient is clipped to ``clip`` before
    the optimizer sees it. This isolates what a single exploding gradient does:

    * SGD with momentum (``v <- mu v + g``) keeps the spike in ``v`` and
      repeats it, shrinking by ``mu`` per step, for about ``1 / (1 - mu)`` steps.
    * Adam divides by ``sqrt(v)``, so the spike's own step stays bounded
      (below about ``eta (1 - beta1) / sqrt(1 - beta2) ≈ 3.2 eta``); but ``v``
      keeps ``(1 - beta2) spike^2`` for about ``1 / (1 - beta2) = 1000`` steps,
      so every later step shrinks.

    Parameters
    ----------
    optimizer : {"sgd", "momentum", "adam"}
    clip : float, optional
        tau, applied to the gradient before the optimizer.
    learning_rate, spike, spike_at, n_steps, momentum
        eta, the spike's size, its step, the number of steps, mu (Adam's beta1; beta2 = 0.999).

    Returns
    -------
    numpy.ndarray
        ``|theta_t - theta_{t-1}|`` for every step (length ``n_steps``).

    Examples
    --------
    >>> steps = spike_response("sgd", clip=None, learning_rate=0.1, spike=100.0, spike_at=1, n_steps=3)
    >>> steps.round(6).tolist()
    [0.1, 10.0, 0.1]
    """
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    learning_rate = check_scalar(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
    spike = check_scalar(spike, "spike")
    n_steps = check_int(n_steps, "n_steps", low=1, high=MAX_STEPS)
    spike_at = check_int(spike_at, "spike_at")
    momentum = check_scalar(momentum, "momentum", low=0.0, high=1.0, high_inclusive=False)
    tau = np.inf if clip is None else check_scalar(clip, "clip", low=0.0, low_inclusive=False)
    theta = np.zeros(1)
    opt = make_optimizer(optimizer, [theta], learning_rate, momentum)
    steps = np.empty(n_steps)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(n_steps):
            g = spike if t == spike_at else 1.0
            g = g * min(1.0, tau / abs(g)) if g != 0 else g
            before = theta[0]
            opt.step([np.array([g])])
            steps[t] = abs(theta[0] - before)
    if not np.isfinite(steps).all():
        raise ValueError(f"learning_rate = {learning_rate:g} with spike = {spike:g} takes theta beyond the float range")
    return steps
