"""Gradient descent, normalized gradient descent and clipped gradient descent.

All three share one interface::

    optimizer(grad_fn, theta0, learning_rate, n_steps, *, loss_fn=None) -> Trajectory

``learning_rate`` (eta) is a positive number or a schedule ``t -> eta_t`` for
``t = 0, 1, ...``. The run stops early, with ``Trajectory.diverged`` set, as
soon as an iterate or a gradient stops being finite, so a divergent run never
fills the arrays with ``inf``/``nan`` or prints overflow warnings.

Update rules (g_t = grad J(theta_t)):

* gradient descent:            theta <- theta - eta_t g_t
* normalized gradient descent: theta <- theta - eta_t g_t / ||g_t||   (zero step if g_t = 0)
* clipped gradient descent:    theta <- theta - eta_t clip_by_norm(g_t, tau)

Normalized GD divides by the norm of the *gradient*, not of the loss: every
step has length exactly eta_t, however steep or flat the function is. Where
the factor eta_t / ||g_t|| would leave the float range, the unit vector
g_t / ||g_t|| is formed first (by an exact power-of-two scaling when the norm
is subnormal or overflows), so a subnormal gradient (1e-310) or a huge eta
with a tiny gradient still gives a step of length eta_t.

The callbacks are checked at every call: ``grad_fn`` must return real
numbers shaped like ``theta0`` and ``loss_fn`` one real number; None, strings,
complex values or a vector for a loss raise ``TypeError``/``ValueError``
naming the callback, rather than ending the run as "diverged" or losing an
imaginary part.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import as_float_array, as_real_scalar, check_int, check_scalar
from ..clip import clip_coefficient
from ..norms import l2_norm

__all__ = [
    "Trajectory",
    "gradient_descent",
    "normalized_gradient_descent",
    "clipped_gradient_descent",
    "inverse_sqrt_schedule",
    "MAX_STEPS",
]

LearningRate = float | Callable[[int], float]

# A step is one Python-level call of grad_fn: a million steps take seconds to
# minutes and store a million iterates, so more is a typo (10**9 for 10**3),
# refused naming n_steps rather than left running.
MAX_STEPS = 10**6


@dataclass(frozen=True)
class Trajectory:
    """The iterates of an optimizer run.

    Attributes
    ----------
    thetas : numpy.ndarray
        Shape ``(k + 1, *theta0.shape)``: the start point and the ``k`` iterates
        taken (``k = n_steps`` unless the run diverged).
    grad_norms : numpy.ndarray
        Shape ``(k + 1,)``: ``||grad J(theta)||`` at each iterate (``inf`` or
        NaN at the last iterate of a run that diverged there; ``inf`` also
        for a finite gradient whose norm exceeds the float range, which
        normalized and clipped GD still follow correctly).
    losses : numpy.ndarray or None
        Shape ``(k + 1,)``, when a ``loss_fn`` was given.
    diverged : bool
        True if the run stopped because an iterate or gradient was not finite.
    """

    thetas: np.ndarray
    grad_norms: np.ndarray
    losses: np.ndarray | None
    diverged: bool

    @property
    def final(self) -> np.ndarray:
        """The last finite iterate."""
        return self.thetas[-1]

    @property
    def n_steps(self) -> int:
        """Number of steps actually taken."""
        return len(self.thetas) - 1


def inverse_sqrt_schedule(eta0: float) -> Callable[[int], float]:
    """The decaying step size ``eta_t = eta0 / sqrt(t + 1)``.

    Examples
    --------
    >>> schedule = inverse_sqrt_schedule(1.0)
    >>> [round(schedule(t), 3) for t in range(4)]
    [1.0, 0.707, 0.577, 0.5]
    """
    eta0 = check_scalar(eta0, "eta0", low=0.0, low_inclusive=False)

    def schedule(t: int) -> float:
        return eta0 / math.sqrt(t + 1)

    return schedule


def _learning_rate_at(learning_rate: LearningRate, t: int) -> float:
    if callable(learning_rate):
        return check_scalar(learning_rate(t), f"learning_rate({t})", low=0.0)
    return learning_rate  # already checked


def _run(
    grad_fn: Callable[[np.ndarray], Any],
    theta0: Any,
    learning_rate: LearningRate,
    n_steps: int,
    loss_fn: Callable[[np.ndarray], Any] | None,
    step: Callable[[np.ndarray, float, float], np.ndarray],
) -> Trajectory:
    """Shared loop: theta <- theta - step(g, ||g||, eta_t)."""
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be callable, got {type(grad_fn).__name__}")
    if loss_fn is not None and not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable or None, got {type(loss_fn).__name__}")
    if not callable(learning_rate):
        learning_rate = check_scalar(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
    n_steps = check_int(n_steps, "n_steps", low=0, high=MAX_STEPS)
    theta = as_float_array(theta0, "theta0", allow_empty=False).astype(np.float64, copy=True)
    if not np.isfinite(theta).all():
        raise ValueError("theta0 must be finite, got a NaN or inf entry")

    def gradient(th: np.ndarray) -> np.ndarray:
        g = as_float_array(grad_fn(th.copy()), "the value of grad_fn")
        if g.shape != th.shape:
            raise ValueError(f"grad_fn must return an array of shape {th.shape} (like theta0), got {g.shape}")
        return g.astype(np.float64, copy=False)

    def loss(th: np.ndarray) -> float:
        return as_real_scalar(loss_fn(th.copy()), "the value of loss_fn")

    with np.errstate(all="ignore"):  # overflow ends the run (diverged=True), silently
        return _loop(gradient, loss if loss_fn is not None else None, theta, learning_rate, n_steps, step)


def _loop(gradient: Callable[[np.ndarray], np.ndarray], loss: Callable[[np.ndarray], float] | None,
          theta: np.ndarray, learning_rate: LearningRate, n_steps: int,
          step: Callable[[np.ndarray, float, float], np.ndarray]) -> Trajectory:
    thetas, norms, losses = [theta.copy()], [], []
    diverged = False
    g = gradient(theta)
    for t in range(n_steps + 1):
        g_norm = l2_norm(g)
        norms.append(g_norm)
        if loss is not None:
            losses.append(loss(theta))
        if not math.isfinite(g_norm) and not np.isfinite(g).all():
            diverged = True
            break
        if t == n_steps:
            break
        theta = theta - step(g, g_norm, _learning_rate_at(learning_rate, t))
        if not np.isfinite(theta).all():
            diverged = True
            break
        thetas.append(theta.copy())
        g = gradient(theta)
    k = len(thetas)
    return Trajectory(
        thetas=np.array(thetas),
        grad_norms=np.array(norms[:k]),
        losses=np.array(losses[:k]) if loss is not None else None,
        diverged=diverged,
    )


def _unit(g: np.ndarray, norm: float) -> np.ndarray:
    """``g / ||g||``, or zero for a zero gradient, with length 1 to float64 rounding.

    A norm that overflows, or is so small that it lost digits (subnormal), is
    taken again after scaling ``g`` by an exact power of two.
    """
    if norm == 0.0:
        return np.zeros_like(g)
    if 2.0**-960 <= norm < math.inf:
        return g / norm  # |g_i| <= norm: no overflow
    _, exponent = math.frexp(float(np.max(np.abs(g))))
    scaled = np.ldexp(g, -exponent)  # largest entry in [0.5, 1): exact, tiny entries aside
    return scaled / l2_norm(scaled)


def _ngd_step(g: np.ndarray, norm: float, eta: float) -> np.ndarray:
    """``eta g / ||g||``: ``(eta / ||g||) g`` where that factor is a normal number, else ``eta (g / ||g||)``."""
    if norm == 0.0:
        return np.zeros_like(g)
    if 2.0**-960 <= norm < math.inf:
        factor = eta * (1.0 / norm)
        if 2.0**-1000 <= factor < math.inf:
            return factor * g  # each entry is at most eta in size: no overflow
    return eta * _unit(g, norm)  # a subnormal or overflowing norm, or eta / ||g|| beyond the float range


def _clipped_step(g: np.ndarray, norm: float, eta: float, max_norm: float) -> np.ndarray:
    """``eta g min(1, max_norm / ||g||)`` without underflow of the factor."""
    coef = clip_coefficient(norm, max_norm)
    if coef == 1.0:
        return eta * g
    if coef >= 2.0**-1000:
        return (eta * coef) * g
    return eta * (_unit(g, norm) * max_norm)  # the factor alone would underflow


def gradient_descent(
    grad_fn: Callable[[np.ndarray], Any],
    theta0: Any,
    learning_rate: LearningRate,
    n_steps: int,
    *,
    loss_fn: Callable[[np.ndarray], Any] | None = None,
) -> Trajectory:
    """Plain gradient descent ``theta <- theta - eta_t grad J(theta)``.

    Parameters
    ----------
    grad_fn : callable
        ``grad_fn(theta)`` returns the gradient, shaped like ``theta``.
    theta0 : array_like
        Start point (finite, non-empty).
    learning_rate : float or callable
        eta > 0, or a schedule ``t -> eta_t``.
    n_steps : int
        Number of steps, from 0 to ``MAX_STEPS`` (10**6).
    loss_fn : callable, optional
        ``loss_fn(theta)`` returns the loss; recorded at every iterate.

    Returns
    -------
    Trajectory

    Raises
    ------
    ValueError
        If ``learning_rate`` is not a positive finite number, ``n_steps`` is
        negative or above ``MAX_STEPS``, ``theta0`` is not finite, ``grad_fn`` returns the wrong
        shape, or ``loss_fn`` returns more than one number.
    TypeError
        If ``grad_fn`` or ``loss_fn`` is not callable, or returns None, a
        string or complex values.

    Examples
    --------
    >>> run = gradient_descent(lambda th: 2 * th, [1.0], 0.25, 3)
    >>> run.thetas.ravel().tolist()
    [1.0, 0.5, 0.25, 0.125]
    """
    return _run(grad_fn, theta0, learning_rate, n_steps, loss_fn, lambda g, norm, eta: eta * g)


def normalized_gradient_descent(
    grad_fn: Callable[[np.ndarray], Any],
    theta0: Any,
    learning_rate: LearningRate,
    n_steps: int,
    *,
    loss_fn: Callable[[np.ndarray], Any] | None = None,
) -> Trajectory:
    """Normalized gradient descent ``theta <- theta - eta_t g / ||g||``.

    Every step has length exactly eta_t. At a zero gradient the step is zero
    (never NaN): the method stays at a stationary point. With a constant eta
    it ends in a cycle of size about eta around a minimum; a decaying
    schedule such as :func:`inverse_sqrt_schedule` removes the cycle.

    Parameters and errors as :func:`gradient_descent`.

    Examples
    --------
    >>> run = normalized_gradient_descent(lambda th: 4 * th**3, [10.0], 1.0, 3)
    >>> run.thetas.ravel().tolist()
    [10.0, 9.0, 8.0, 7.0]
    >>> normalized_gradient_descent(lambda th: 0 * th, [1.0], 0.5, 2).thetas.ravel().tolist()
    [1.0, 1.0, 1.0]
    """
    return _run(
        grad_fn, theta0, learning_rate, n_steps, loss_fn, _ngd_step)


def clipped_gradient_descent(
    grad_fn: Callable[[np.ndarray], Any],
    theta0: Any,
    learning_rate: LearningRate,
    max_norm: float,
    n_steps: int,
    *,
    loss_fn: Callable[[np.ndarray], Any] | None = None,
) -> Trajectory:
    """Gradient descent on norm-clipped gradients, ``theta <- theta - eta_t clip(g, tau)``.

    Behaves as plain gradient descent where ``||g|| <= tau`` (near a minimum)
    and as normalized gradient descent with step ``eta_t * tau`` where the
    gradient is large.

    Parameters
    ----------
    max_norm : float
        The clipping threshold tau, finite and > 0.

    Other parameters and errors as :func:`gradient_descent`.

    Examples
    --------
    >>> run = clipped_gradient_descent(lambda th: 4 * th**3, [10.0], 0.1, 1.0, 2)
    >>> [round(v, 6) for v in run.thetas.ravel().tolist()]
    [10.0, 9.9, 9.8]
    """
    max_norm = check_scalar(max_norm, "max_norm", low=0.0, low_inclusive=False)
    return _run(
        grad_fn, theta0, learning_rate, n_steps, loss_fn,
        lambda g, norm, eta: _clipped_step(g, norm, eta, max_norm),
    )
