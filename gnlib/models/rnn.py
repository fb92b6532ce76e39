"""Tiny recurrent models whose gradients explode, with exact BPTT gradients.

Two models from Pascanu, Mikolov and Bengio (2013), "On the difficulty of
training Recurrent Neural Networks":

* **The linear recurrence** ``x_t = w x_{t-1}``. After ``T`` steps
  ``x_T = x_0 w^T`` and ``dx_T/dw = T x_0 w^(T-1)``: the recurrent weight is
  multiplied in once per step, so the gradient vanishes for ``|w| < 1`` and
  explodes for ``|w| > 1``.
* **The single-unit recurrent net** ``x_t = w sigmoid(x_{t-1}) + b`` with
  ``x_0 = 0.5`` and loss ``E = (sigmoid(x_T) - 0.7)^2`` at ``T = 50`` (their
  Fig. 6). Its error surface over ``theta = (w, b)`` has a *cliff*: on the line
  ``b = x_0 - w sigmoid(x_0)`` (for ``w > 1/sigmoid'(x_0) = 4.255``) the start
  state sits on the unstable fixed point of ``x -> w sigmoid(x) + b``, the loss
  jumps and the gradient norm reaches about 7e3 at ``w = 5``.

The gradient ``(dE/dw, dE/db)`` comes from backpropagation through time
(BPTT): a forward pass keeping ``s_t = sigmoid(x_t)``, then a backward pass
carrying ``delta_t = dE/dx_t`` from ``t = T`` down to 1::

    delta_T = 2 (s_T - target) s_T (1 - s_T)          (1 - s_t kept as sigmoid(-x_t): no cancellation)
    dE/dw += delta_t s_{t-1};   dE/db += delta_t
    delta_{t-1} = delta_t w s_{t-1} (1 - s_{t-1})

:func:`rnn_loss_and_grad` runs it on whole arrays of ``(w, b)`` (a 200 x 200
surface in about 0.1 s); :func:`cliff_objective` wraps the model as an
:class:`~gnlib.functions.Objective` of ``theta = [w, b]`` whose single-point
gradient is plain-Python BPTT, fast enough for ``grad_fn`` in :mod:`gnlib.optim`.
Where the wall lies and how high its gradient peaks is in :mod:`gnlib.models.cliff`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._validation import as_float_array, check_int, check_scalar
from ..functions import Objective
from ._numerics import MAX_STEPS, sigmoid, sigmoid_pair, sigmoid_pair_float

__all__ = [
    "sigmoid", "linear_recurrence", "linear_recurrence_gradient", "rnn_states", "rnn_loss",
    "rnn_loss_and_grad", "rnn_grad_scalar", "cliff_objective", "CLIFF_START",
]

#: The start point of the clipping demo, just below the wall at w = 5.
CLIFF_START: tuple[float, float] = (5.0, -2.6124)


def _check_steps_x0(n_steps: Any, x0: Any) -> tuple[int, float]:
    return check_int(n_steps, "n_steps", low=0, high=MAX_STEPS), check_scalar(x0, "x0")


def linear_recurrence(w: Any, n_steps: int, x0: float = 0.5) -> np.ndarray:
    """The final state ``x_T = x_0 w^T`` of the linear recurrence ``x_t = w x_{t-1}``.

    Runs the recurrence itself (not the closed form) for ``n_steps = T >= 0``
    from ``x0``; returns ``x_T`` shaped like ``w``. Raises ``ValueError`` for a
    negative ``n_steps`` or non-finite ``x0``, ``TypeError`` for non-numeric ``w``.

    Examples
    --------
    >>> float(linear_recurrence(2.0, 3, x0=1.0))
    8.0
    """
    n_steps, x0 = _check_steps_x0(n_steps, x0)
    w = as_float_array(w, "w").astype(np.float64)
    x = np.full_like(w, x0)
    with np.errstate(over="ignore", invalid="ignore"):  # x_T beyond the float range is inf, without a warning
        for _ in range(n_steps):
            x = w * x
    return x


def linear_recurrence_gradient(w: Any, n_steps: Any, x0: float = 0.5) -> np.ndarray:
    """``dx_T/dw = T x_0 w^(T-1)`` for the linear recurrence, broadcast over ``w`` and ``T``.

    ``n_steps`` (int or array of ints ``T >= 0``) broadcasts against ``w``; the
    result is 0 where ``T = 0``. Raises ``ValueError`` for a negative or
    fractional ``T`` or a non-finite ``x0``.

    Examples
    --------
    >>> f"{float(linear_recurrence_gradient(1.2, 50)):.3g}"
    '1.9e+05'
    >>> linear_recurrence_gradient(0.5, [1, 2, 3], x0=1.0).tolist()
    [1.0, 1.0, 0.75]
    """
    x0 = check_scalar(x0, "x0")
    w = as_float_array(w, "w").astype(np.float64)
    steps = as_float_array(n_steps, "n_steps")
    if (steps < 0).any() or (steps != np.round(steps)).any():
        raise ValueError("n_steps must hold whole numbers >= 0")
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        grad = steps * x0 * w ** np.maximum(steps - 1.0, 0.0)
    return np.where(steps == 0, 0.0, grad)


def _broadcast_wb(w: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    w = as_float_array(w, "w").astype(np.float64)
    b = as_float_array(b, "b").astype(np.float64)
    if not (np.isfinite(w).all() and np.isfinite(b).all()):
        raise ValueError("w and b must be finite, got a NaN or inf entry")
    try:
        return tuple(np.broadcast_arrays(w, b))  # type: ignore[return-value]
    except ValueError:
        raise ValueError(f"w and b must broadcast together, got shapes {w.shape} and {b.shape}") from None


def rnn_states(w: Any, b: Any, n_steps: int = 50, x0: float = 0.5) -> np.ndarray:
    """Forward pass of ``x_t = w sigmoid(x_{t-1}) + b``: every state ``x_0 ... x_T``.

    ``w`` and ``b`` (array_like) broadcast against each other, so a grid of
    ``(w, b)`` runs as one vectorized computation. Returns shape
    ``(T + 1, *broadcast(w, b).shape)`` for ``n_steps = T >= 0``. Raises
    ``ValueError`` for a negative ``n_steps``, a non-finite ``x0``, ``w`` or ``b``, or shapes
    that do not broadcast, ``TypeError`` for non-numeric input.

    Examples
    --------
    >>> rnn_states(0.0, 1.0, n_steps=2).tolist()
    [0.5, 1.0, 1.0]
    """
    n_steps, x0 = _check_steps_x0(n_steps, x0)
    w, b = _broadcast_wb(w, b)
    states = np.empty((n_steps + 1, *w.shape))
    states[0] = x0
    for t in range(1, n_steps + 1):
        states[t] = w * sigmoid(states[t - 1]) + b
    return states


def rnn_loss(w: Any, b: Any, n_steps: int = 50, x0: float = 0.5, target: float = 0.7) -> np.ndarray:
    """The loss ``E = (sigmoid(x_T) - target)^2`` of the single-unit recurrent net.

    Parameters as :func:`rnn_states`; ``target`` (in [0, 1]) is the wanted output.

    Returns
    -------
    numpy.ndarray
        ``E`` with the broadcast shape of ``w`` and ``b``.

    Examples
    --------
    >>> round(float(rnn_loss(0.0, 0.0)), 6)  # x_T = 0, sigmoid(0) = 0.5
    0.04
    """
    target = check_scalar(target, "target", low=0.0, high=1.0)
    return (sigmoid(rnn_states(w, b, n_steps, x0)[-1]) - target) ** 2


def rnn_loss_and_grad(
    w: Any, b: Any, n_steps: int = 50, x0: float = 0.5, target: float = 0.7
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loss and BPTT gradient ``(E, dE/dw, dE/db)``, vectorized over arrays of ``(w, b)``.

    Parameters
    ----------
    w, b : array_like
        Recurrent weight and bias, broadcast against each other.
    n_steps : int, default 50
        Sequence length ``T >= 0``.
    x0 : float, default 0.5
        Initial state.
    target : float, default 0.7
        The wanted output ``sigmoid(x_T)``, in [0, 1].

    Returns
    -------
    E, dE_dw, dE_db : numpy.ndarray
        Each with the broadcast shape of ``w`` and ``b``.

    Raises
    ------
    ValueError, TypeError
        As :func:`rnn_states`, or for a ``target`` outside [0, 1].

    Examples
    --------
    >>> E, gw, gb = rnn_loss_and_grad(np.array([4.0, 5.0]), np.array([-2.0, -2.6124]))
    >>> bool(np.hypot(gw, gb)[1] > 100 * np.hypot(gw, gb)[0])
    True
    """
    target = check_scalar(target, "target", low=0.0, high=1.0)
    n_steps, x0 = _check_steps_x0(n_steps, x0)
    w, b = _broadcast_wb(w, b)
    # Forward pass, keeping s_t = sigmoid(x_t) and 1 - s_t = sigmoid(-x_t) (not a difference, which cancels)
    sig, comp = np.empty((2, n_steps + 1, *w.shape))
    sig[0], comp[0] = sigmoid_pair_float(x0)
    for t in range(1, n_steps + 1):
        sig[t], comp[t] = sigmoid_pair(w * sig[t - 1] + b)
    s_last = sig[-1]
    loss = (s_last - target) ** 2
    delta = 2.0 * (s_last - target) * s_last * comp[-1]  # dE/dx_T
    grad_w, grad_b = np.zeros(w.shape), np.zeros(w.shape)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(n_steps, 0, -1):
            s_prev = sig[t - 1]
            grad_w += delta * s_prev
            grad_b += delta
            delta = delta * w * s_prev * comp[t - 1]  # dE/dx_{t-1}
    return loss, grad_w, grad_b


def _bptt_scalar(w: float, b: float, n_steps: int, x0: float, target: float) -> tuple[float, float, float]:
    """BPTT for one point in Python floats; arguments already checked."""
    s, c = sigmoid_pair_float(x0)
    sig, comp = [s], [c]  # sigmoid(x_t) and 1 - sigmoid(x_t) = sigmoid(-x_t) for t = 0 ... T
    for _ in range(n_steps):
        s, c = sigmoid_pair_float(w * s + b)
        sig.append(s)
        comp.append(c)
    delta = 2.0 * (s - target) * s * c
    grad_w = grad_b = 0.0
    for t in range(n_steps, 0, -1):
        s_prev = sig[t - 1]
        grad_w += delta * s_prev
        grad_b += delta
        delta *= w * s_prev * comp[t - 1]
    return (s - target) ** 2, grad_w, grad_b


def rnn_grad_scalar(
    w: float, b: float, n_steps: int = 50, x0: float = 0.5, target: float = 0.7
) -> tuple[float, float, float]:
    """Loss and BPTT gradient ``(E, dE/dw, dE/db)`` at one point, in plain Python floats.

    The same computation as :func:`rnn_loss_and_grad`, many times faster for a
    single point (no array overhead), which matters inside an optimizer loop
    that a slider re-runs.

    Raises
    ------
    ValueError, TypeError
        If an argument is not a finite real number, ``n_steps`` is negative or ``target`` is outside [0, 1].

    Examples
    --------
    >>> E, gw, gb = rnn_grad_scalar(5.0, -2.6124)
    >>> round(math.hypot(gw, gb), -1)
    830.0
    """
    w = check_scalar(w, "w")
    b = check_scalar(b, "b")
    n_steps, x0 = _check_steps_x0(n_steps, x0)
    target = check_scalar(target, "target", low=0.0, high=1.0)
    return _bptt_scalar(w, b, n_steps, x0, target)


def cliff_objective(n_steps: int = 50, x0: float = 0.5, target: float = 0.7) -> Objective:
    """The single-unit recurrent net as an :class:`Objective` of ``theta = [w, b]``.

    ``value`` and ``gradient`` accept ``(..., 2)`` arrays (vectorized BPTT); a
    single point of shape ``(2,)`` takes the fast scalar path, so
    ``objective.gradient`` is a good ``grad_fn`` for :mod:`gnlib.optim`.

    Raises
    ------
    ValueError
        If ``n_steps`` is negative, ``x0`` is not finite or ``target`` is outside [0, 1].

    Examples
    --------
    >>> from gnlib.optim import clipped_gradient_descent
    >>> J = cliff_objective()
    >>> run = clipped_gradient_descent(J.gradient, CLIFF_START, 0.5, 1.0, 300, loss_fn=J.value)
    >>> bool(run.losses[-1] < 1e-3)
    True
    """
    n_steps, x0 = _check_steps_x0(n_steps, x0)
    target = check_scalar(target, "target", low=0.0, high=1.0)

    def points(theta: Any) -> np.ndarray:
        arr = as_float_array(theta, "theta").astype(np.float64, copy=False)
        if arr.ndim == 0 or arr.shape[-1] != 2:
            raise ValueError(f"theta must have shape (..., 2) holding (w, b), got {arr.shape}")
        return arr

    def value(theta: Any) -> np.ndarray:
        arr = points(theta)
        if arr.shape == (2,):
            return np.float64(_bptt_scalar(float(arr[0]), float(arr[1]), n_steps, x0, target)[0])
        return rnn_loss(arr[..., 0], arr[..., 1], n_steps, x0, target)

    def gradient(theta: Any) -> np.ndarray:
        arr = points(theta)
        if arr.shape == (2,):
            _, gw, gb = _bptt_scalar(float(arr[0]), float(arr[1]), n_steps, x0, target)
            return np.array([gw, gb])
        _, gw, gb = rnn_loss_and_grad(arr[..., 0], arr[..., 1], n_steps, x0, target)
        return np.stack([gw, gb], axis=-1)

    return Objective(f"single-unit recurrent net (T = {n_steps})", 2, value, gradient)
