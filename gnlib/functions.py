"""Test functions with analytic gradients, for optimizer experiments.

Every function is an :class:`Objective`: ``value`` and ``gradient`` accept a
single point of shape ``(dim,)`` or a batch of shape ``(..., dim)`` (a grid for
contour plots), so the same code draws the landscape and runs the optimizer.
Gradients are checked against finite differences in the tests. Far from the
origin a value or gradient beyond the float range is ``±inf``, without
warnings; a finite point never gives NaN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._objective_inputs import points, quiet
from ._validation import ARRAY_SIZE_LIMIT, as_float_array, check_callable, check_int, check_scalar

__all__ = ["Objective", "quadratic_bowl", "rosenbrock", "plateau", "quartic", "saddle", "quadratic_plus_quartic",
           "hill_and_pit"]


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

    Raises
    ------
    TypeError, ValueError
        Naming the field: ``value`` or ``gradient`` not callable, ``name`` not a
        string, ``dim`` not an integer >= 1, ``minimizer`` not of shape ``(dim,)``.
    """

    name: str
    dim: int
    value: Callable[[np.ndarray], np.ndarray]
    gradient: Callable[[np.ndarray], np.ndarray]
    minimizer: np.ndarray | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {type(self.name).__name__}")
        check_int(self.dim, "dim", low=1, high=ARRAY_SIZE_LIMIT)
        check_callable(self.value, "value")
        check_callable(self.gradient, "gradient")
        if self.minimizer is not None and as_float_array(self.minimizer, "minimizer").shape != (self.dim,):
            raise ValueError(f"minimizer must have shape ({self.dim},), got {np.shape(self.minimizer)}")

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.value(x)


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
    dim = check_int(dim, "dim", low=1, high=ARRAY_SIZE_LIMIT)
    curv = np.geomspace(1.0, kappa, dim) if dim > 1 else np.array([1.0])

    def value(x: np.ndarray) -> np.ndarray:
        x = points(x, dim)
        return 0.5 * np.sum(curv * x**2, axis=-1)

    def gradient(x: np.ndarray) -> np.ndarray:
        return curv * points(x, dim)

    return Objective(f"quadratic bowl (κ = {kappa:g})", dim, quiet(value), quiet(gradient), np.zeros(dim))


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
        x = points(x, 2)
        u, v = x[..., 0], x[..., 1]
        return (a - u) ** 2 + (b * (v - u**2) ** 2 if b else 0.0)  # b = 0: no 0 * inf

    def gradient(x: np.ndarray) -> np.ndarray:
        x = points(x, 2)
        u, v = x[..., 0], x[..., 1]
        du = -2.0 * (a - u) - (4.0 * b * u * (v - u**2) if b else 0.0)
        dv = 2.0 * b * (v - u**2) if b else np.zeros_like(u)
        return np.stack([du, dv], axis=-1)

    return Objective(f"Rosenbrock (a = {a:g}, b = {b:g})", 2, quiet(value), quiet(gradient), np.array([a, a * a]))


def plateau(dim: int = 1) -> Objective:
    """``f(x) = 1 - exp(-||x||^2)``: a well at the origin inside a flat plateau.

    Far from the origin the gradient ``2 x exp(-||x||^2)`` is tiny (about 1.4e-10
    at ``|x| = 5``), so plain gradient descent barely moves there.

    Examples
    --------
    >>> f = plateau()
    >>> float(f.value(np.array([0.0])))
    0.0
    >>> bool(f.gradient(np.array([5.0]))[0] < 1e-9)
    True
    """
    dim = check_int(dim, "dim", low=1, high=ARRAY_SIZE_LIMIT)

    def value(x: np.ndarray) -> np.ndarray:
        x = points(x, dim)
        return 1.0 - np.exp(-np.sum(x**2, axis=-1))

    def gradient(x: np.ndarray) -> np.ndarray:
        x = points(x, dim)
        return x * (2.0 * np.exp(-np.sum(x**2, axis=-1)))[..., None]  # not 2x, which overflows

    return Objective("plateau 1 − exp(−‖θ‖²)", dim, quiet(value), quiet(gradient), np.zeros(dim))


def quartic(dim: int = 1) -> Objective:
    """``f(x) = sum_i x_i^4``: gentle near 0, very steep far away.

    At ``x = 10`` the gradient is 4000, so gradient descent with learning rate
    0.01 overshoots and blows up, while a normalized step does not.

    Examples
    --------
    >>> quartic().gradient(np.array([10.0]))
    array([4000.])
    """
    dim = check_int(dim, "dim", low=1, high=ARRAY_SIZE_LIMIT)

    def value(x: np.ndarray) -> np.ndarray:
        return np.sum(points(x, dim) ** 4, axis=-1)

    def gradient(x: np.ndarray) -> np.ndarray:
        return 4.0 * points(x, dim) ** 3

    return Objective("quartic Σ θᵢ⁴", dim, quiet(value), quiet(gradient), np.zeros(dim))


def saddle() -> Objective:
    """``f(x, y) = x^2 - y^2``: a saddle point at the origin (no minimizer).

    Examples
    --------
    >>> saddle().gradient(np.array([1.0, 1.0]))
    array([ 2., -2.])
    """

    def value(x: np.ndarray) -> np.ndarray:
        x = points(x, 2)
        u, v = x[..., 0], x[..., 1]
        result = u**2 - v**2
        lost = np.isnan(result) & np.isfinite(u) & np.isfinite(v)  # both squares overflowed
        if np.any(lost):  # (u - v)(u + v) from halves: 0 when |u| = |v|, inf when beyond the range
            result = np.where(lost, 4.0 * ((u / 2 - v / 2) * (u / 2 + v / 2)), result)
        return result

    def gradient(x: np.ndarray) -> np.ndarray:
        x = points(x, 2)
        return np.stack([2.0 * x[..., 0], -2.0 * x[..., 1]], axis=-1)

    return Objective("saddle θ₁² − θ₂²", 2, quiet(value), quiet(gradient), None)


def quadratic_plus_quartic() -> Objective:
    """``J(theta) = theta^2 / 2 + theta^4 / 4``: steep far away, a plain bowl near 0.

    Its gradient ``theta + theta^3`` is huge at ``theta = 10`` (1010) and
    close to ``theta`` near the minimum, so gradient descent blows up from far
    away while clipped gradient descent walks in and then converges like GD.

    Examples
    --------
    >>> f = quadratic_plus_quartic()
    >>> float(f.value(np.array([2.0]))), f.gradient(np.array([2.0])).tolist()
    (6.0, [10.0])
    """

    def value(x: np.ndarray) -> np.ndarray:
        x = points(x, 1)
        return np.sum(0.5 * x**2 + 0.25 * x**4, axis=-1)

    def gradient(x: np.ndarray) -> np.ndarray:
        x = points(x, 1)
        return x + x**3

    return Objective("θ²/2 + θ⁴/4", 1, quiet(value), quiet(gradient), np.zeros(1))


HILL_CENTRE = np.array([-1.0, 0.6])
PIT_CENTRE = np.array([1.2, -0.6])
HILL_WIDTH, PIT_WIDTH = 1.0, 0.7


def _bump(x: np.ndarray, centre: np.ndarray, width: float) -> tuple[np.ndarray, np.ndarray]:
    """``1 / (1 + ||x - c||^2 / s^2)`` and ``x - c``, for ``x`` of shape ``(..., 2)``."""
    d = x - centre
    r2 = (d[..., 0] * d[..., 0] + d[..., 1] * d[..., 1]) / (width * width)
    return 1.0 / (1.0 + r2), d


def hill_and_pit(height: float = 1.0, depth: float = 0.8) -> Objective:
    """A hill and a pit: ``f(x) = height * b_hill(x) - depth * b_pit(x)``.

    Each bump is ``b(x) = 1 / (1 + ||x - c||^2 / s^2)``, a rational "Cauchy"
    bump, with the hill at ``(-1, 0.6)`` (width ``s = 1``) and the narrower pit
    at ``(1.2, -0.6)`` (``s = 0.7``). Its gradient is

    ``grad b(x) = -2 (x - c) / s^2 * b(x)^2``,

    so ``grad f`` is nearly zero near the top of the hill, the bottom of the
    pit and far away, and large on the flanks, most of all between the two.
    Lesson 02's landscape. It is built from ``+ - * /`` only, so its values,
    gradients and finite-difference errors are bit-for-bit the same on every
    machine (no ``exp`` or ``sin`` whose last bits depend on the maths
    library): the lesson's printed round-off errors reproduce exactly.

    Parameters
    ----------
    height : float, default 1.0
        Height of the hill, >= 0.
    depth : float, default 0.8
        Depth of the pit, >= 0.

    Returns
    -------
    Objective
        Two-dimensional; ``value`` and ``gradient`` accept ``(..., 2)``.

    Raises
    ------
    ValueError
        If ``height`` or ``depth`` is negative or not finite.

    Examples
    --------
    >>> f = hill_and_pit()
    >>> round(float(f.value(np.array([-1.0, 0.6]))), 4)  # top of the hill, minus a little pit
    0.9421
    >>> f.gradient(np.array([-1.0, 0.6])).shape
    (2,)
    """
    height = check_scalar(height, "height", low=0.0)
    depth = check_scalar(depth, "depth", low=0.0)

    def value(x: np.ndarray) -> np.ndarray:
        x = points(x, 2)
        hill, _ = _bump(x, HILL_CENTRE, HILL_WIDTH)
        pit, _ = _bump(x, PIT_CENTRE, PIT_WIDTH)
        return height * hill - depth * pit

    def gradient(x: np.ndarray) -> np.ndarray:
        x = points(x, 2)
        hill, d_hill = _bump(x, HILL_CENTRE, HILL_WIDTH)
        pit, d_pit = _bump(x, PIT_CENTRE, PIT_WIDTH)
        g_hill = (-2.0 * height / (HILL_WIDTH * HILL_WIDTH)) * (hill * hill)[..., None] * d_hill
        g_pit = (-2.0 * depth / (PIT_WIDTH * PIT_WIDTH)) * (pit * pit)[..., None] * d_pit
        return g_hill - g_pit

    return Objective(f"hill and pit (height {height:g}, depth {depth:g})", 2, quiet(value), quiet(gradient), None)
