"""Test functions with analytic gradients, for optimizer experiments.

Every function is an :class:`Objective`: ``value`` and ``gradient`` accept a
single point of shape ``(dim,)`` or a batch of shape ``(..., dim)`` (a grid for
contour plots), so the same code draws the landscape and runs the optimizer.
Gradients are checked against finite differences in the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_int, check_scalar

__all__ = ["Objective", "quadratic_bowl", "rosenbrock", "plateau", "quartic", "saddle"]


@dataclass(frozen=True)
class Objective:
    """A differentiable function ``R^dim -> R`` with its gradient.

    Attributes
    ----------
    name : str
        Short label for plots, e.g. ``"quadratic bowl (kappa = 10)"``.
    dim : int
        Number of coordinates.
    value : callable
        ``value(x)`` for ``x`` of shape ``(..., dim)``, returns shape ``(...)``.
    gradient : callable
        ``gradient(x)`` for ``x`` of shape ``(..., dim)``, returns ``(..., dim)``.
    minimizer : numpy.ndarray or None
        A global minimizer, when there is one.
    """

    name: str
    dim: int
    value: Callable[[np.ndarray], np.ndarray]
    gradient: Callable[[np.ndarray], np.ndarray]
    minimizer: np.ndarray | None = None

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.value(x)


def _points(x: np.ndarray, dim: int) -> np.ndarray:
    arr = as_float_array(x, "x").astype(np.float64, copy=False)
    if arr.ndim == 0 or arr.shape[-1] != dim:
        raise ValueError(f"x must have shape (..., {dim}), got {arr.shape}")
    return arr


def quadratic_bowl(condition_number: float = 10.0, dim: int = 2) -> Objective:
    """``f(x) = 1/2 sum_i a_i x_i^2`` with curvatures from 1 to ``condition_number``.

    The curvatures ``a_i`` are spaced geometrically, so the Hessian is
    ``diag(a)`` and its condition number is exactly ``condition_number``.
    Gradient descent converges for learning rates below ``2 / max(a)``.

    Parameters
    ----------
    condition_number : float, default 10
        kappa = largest / smallest curvature, >= 1.
    dim : int, default 2
        Dimension, >= 1.

    Examples
    --------
    >>> bowl = quadratic_bowl(4.0)
    >>> float(bowl.value(np.array([1.0, 1.0])))
    2.5
    >>> bowl.gradient(np.array([1.0, 1.0]))
    array([1., 4.])
    """
    kappa = check_scalar(condition_number, "condition_number", low=1.0)
    dim = check_int(dim, "dim", low=1)
    curv = np.geomspace(1.0, kappa, dim) if dim > 1 else np.array([1.0])

    def value(x: np.ndarray) -> np.ndarray:
        x = _points(x, dim)
        return 0.5 * np.sum(curv * x**2, axis=-1)

    def gradient(x: np.ndarray) -> np.ndarray:
        return curv * _points(x, dim)

    return Objective(f"quadratic bowl (κ = {kappa:g})", dim, value, gradient, np.zeros(dim))


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Objective:
    """Rosenbrock's banana ``f(x, y) = (a - x)^2 + b (y - x^2)^2``.

    A curved, narrow valley with the minimum at ``(a, a^2)``: easy to find the
    valley, slow to follow it.

    Examples
    --------
    >>> r = rosenbrock()
    >>> float(r.value(np.array([1.0, 1.0])))
    0.0
    >>> r.gradient(np.array([0.0, 0.0]))
    array([-2.,  0.])
    """
    a = check_scalar(a, "a")
    b = check_scalar(b, "b", low=0.0)

    def value(x: np.ndarray) -> np.ndarray:
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        return (a - u) ** 2 + b * (v - u**2) ** 2

    def gradient(x: np.ndarray) -> np.ndarray:
        x = _points(x, 2)
        u, v = x[..., 0], x[..., 1]
        du = -2.0 * (a - u) - 4.0 * b * u * (v - u**2)
        dv = 2.0 * b * (v - u**2)
        return np.stack([du, dv], axis=-1)

    return Objective(f"Rosenbrock (a = {a:g}, b = {b:g})", 2, value, gradient, np.array([a, a * a]))


def plateau(dim: int = 1) -> Objective:
    """``f(x) = 1 - exp(-||x||^2)``: a well at the origin inside a flat plateau.

    Far from the origin the gradient ``2 x exp(-||x||^2)`` is tiny (about 7e-11
    at ``|x| = 5``), so plain gradient descent barely moves there.

    Examples
    --------
    >>> f = plateau()
    >>> float(f.value(np.array([0.0])))
    0.0
    >>> bool(f.gradient(np.array([5.0]))[0] < 1e-9)
    True
    """
    dim = check_int(dim, "dim", low=1)

    def value(x: np.ndarray) -> np.ndarray:
        x = _points(x, dim)
        return 1.0 - np.exp(-np.sum(x**2, axis=-1))

    def gradient(x: np.ndarray) -> np.ndarray:
        x = _points(x, dim)
        return 2.0 * x * np.exp(-np.sum(x**2, axis=-1))[..., None]

    return Objective("plateau 1 - exp(-‖x‖²)", dim, value, gradient, np.zeros(dim))


def quartic(dim: int = 1) -> Objective:
    """``f(x) = sum_i x_i^4``: gentle near 0, very steep far away.

    At ``x = 10`` the gradient is 4000, so gradient descent with learning rate
    0.01 overshoots and blows up, while a normalized step does not.

    Examples
    --------
    >>> quartic().gradient(np.array([10.0]))
    array([4000.])
    """
    dim = check_int(dim, "dim", low=1)

    def value(x: np.ndarray) -> np.ndarray:
        return np.sum(_points(x, dim) ** 4, axis=-1)

    def gradient(x: np.ndarray) -> np.ndarray:
        return 4.0 * _points(x, dim) ** 3

    return Objective("quartic Σ x⁴", dim, value, gradient, np.zeros(dim))


def saddle() -> Objective:
    """``f(x, y) = x^2 - y^2``: a saddle point at the origin (no minimizer).

    Examples
    --------
    >>> saddle().gradient(np.array([1.0, 1.0]))
    array([ 2., -2.])
    """

    def value(x: np.ndarray) -> np.ndarray:
        x = _points(x, 2)
        return x[..., 0] ** 2 - x[..., 1] ** 2

    def gradient(x: np.ndarray) -> np.ndarray:
        x = _points(x, 2)
        return np.stack([2.0 * x[..., 0], -2.0 * x[..., 1]], axis=-1)

    return Objective("saddle x² - y²", 2, value, gradient, None)
