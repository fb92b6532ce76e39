"""Lesson 02 (gradients): a 2-D landscape, directional derivatives, finite differences.

The landscape :func:`hill_and_pit` is built from ``+ - * /`` only, so its values,
gradients and finite-difference errors are bit-for-bit the same on every
machine (no ``exp`` or ``sin`` whose last bits depend on the maths library):
the lesson's printed round-off errors reproduce exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ._validation import as_float_array, check_int, check_scalar
from .functions import Objective
from .gradcheck import forward_difference_gradient, numerical_gradient, rel_error
from .plotting import COLORS, contour_landscape, grid_2d, new_figure

__all__ = [
    "hill_and_pit",
    "unit_vector",
    "directional_derivative",
    "finite_difference_errors",
    "gradient_field_figure",
    "gradient_norm_figure",
]

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

    def points(x: Any) -> np.ndarray:
        arr = as_float_array(x, "x").astype(np.float64, copy=False)
        if arr.ndim == 0 or arr.shape[-1] != 2:
            raise ValueError(f"x must have shape (..., 2), got {arr.shape}")
        return arr

    def value(x: np.ndarray) -> np.ndarray:
        x = points(x)
        hill, _ = _bump(x, HILL_CENTRE, HILL_WIDTH)
        pit, _ = _bump(x, PIT_CENTRE, PIT_WIDTH)
        return height * hill - depth * pit

    def gradient(x: np.ndarray) -> np.ndarray:
        x = points(x)
        hill, d_hill = _bump(x, HILL_CENTRE, HILL_WIDTH)
        pit, d_pit = _bump(x, PIT_CENTRE, PIT_WIDTH)
        g_hill = (-2.0 * height / (HILL_WIDTH * HILL_WIDTH)) * (hill * hill)[..., None] * d_hill
        g_pit = (-2.0 * depth / (PIT_WIDTH * PIT_WIDTH)) * (pit * pit)[..., None] * d_pit
        return g_hill - g_pit

    return Objective(f"hill and pit (height {height:g}, depth {depth:g})", 2, value, gradient, None)


def unit_vector(angle_deg: Any) -> np.ndarray:
    """The unit vector ``u = (cos phi, sin phi)`` at angle ``phi`` (degrees, from the theta_1 axis).

    Parameters
    ----------
    angle_deg : float or array_like
        Angle(s) in degrees, measured anticlockwise.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., 2)``: one unit vector per angle.

    Examples
    --------
    >>> np.round(unit_vector(90.0), 12)
    array([0., 1.])
    >>> unit_vector([0.0, 180.0]).shape
    (2, 2)
    """
    phi = np.deg2rad(as_float_array(angle_deg, "angle_deg").astype(np.float64))
    if not np.isfinite(phi).all():
        raise ValueError("angle_deg must be finite")
    return np.stack([np.cos(phi), np.sin(phi)], axis=-1)


def directional_derivative(gradient: Any, u: Any) -> np.ndarray | float:
    """The directional derivative ``D_u f = grad f . u`` along unit vector(s) ``u``.

    A scalar per direction: the rate at which ``f`` changes when you move
    from the point along ``u``. It is largest, equal to ``||grad f||``, when
    ``u`` points along the gradient (steepest ascent), ``-||grad f||`` along
    ``-grad f`` (steepest descent) and 0 along a contour line.

    Parameters
    ----------
    gradient : array_like
        The gradient ``grad f`` at the point, shape ``(dim,)``.
    u : array_like
        A unit vector of shape ``(dim,)`` or a stack of them, ``(..., dim)``.

    Returns
    -------
    float or numpy.ndarray
        A float for one direction, shape ``(...)`` for a stack.

    Raises
    ------
    ValueError
        If the last dimension of ``u`` differs from the gradient's length or
        some ``u`` does not have length 1 (within 1e-9).

    Examples
    --------
    >>> directional_derivative([3.0, 4.0], [0.6, 0.8])  # along the gradient: its norm
    5.0
    >>> round(directional_derivative([3.0, 4.0], [0.8, -0.6]), 12)  # along a contour line
    0.0
    """
    g = as_float_array(gradient, "gradient").astype(np.float64)
    u = as_float_array(u, "u").astype(np.float64)
    if g.ndim != 1:
        raise ValueError(f"gradient must be a vector of shape (dim,), got {g.shape}")
    if u.ndim == 0 or u.shape[-1] != g.shape[0]:
        raise ValueError(f"u must have shape (..., {g.shape[0]}) like the gradient, got {u.shape}")
    lengths = np.sqrt(np.sum(u * u, axis=-1))
    if not np.all(np.abs(lengths - 1.0) <= 1e-9):
        raise ValueError("u must be a unit vector (length 1); divide it by its norm first")
    result = u @ g
    return float(result) if np.ndim(result) == 0 else result


def finite_difference_errors(f: Callable[[np.ndarray], Any], grad_f: Callable[[np.ndarray], Any],
                             x: Any, hs: Sequence[float] | np.ndarray) -> dict[str, np.ndarray]:
    """Relative errors of forward and central differences for each step ``h``.

    For every ``h`` in ``hs``, compares :func:`gnlib.gradcheck.forward_difference_gradient`
    and :func:`gnlib.gradcheck.numerical_gradient` (central) at ``x`` with the
    analytic gradient, using :func:`gnlib.gradcheck.rel_error`. Large ``h``:
    truncation error, O(h) forward and O(h^2) central. Tiny ``h``: round-off
    error, about eps / h for both.

    Parameters
    ----------
    f : callable
        Scalar function of an array shaped like ``x``.
    grad_f : callable
        Its analytic gradient.
    x : array_like
        The point.
    hs : sequence of float
        Steps, each > 0.

    Returns
    -------
    dict
        ``"h"``, ``"forward"``, ``"central"``: float arrays of the same length.
        Errors are floored at 1e-17 so that a lucky exact 0 still shows on a log axis.

    Raises
    ------
    ValueError
        If ``hs`` is empty or some ``h <= 0``.

    Examples
    --------
    >>> f = hill_and_pit()
    >>> errs = finite_difference_errors(f.value, f.gradient, [0.3, -0.2], [1e-3])
    >>> bool(errs["central"][0] < errs["forward"][0])
    True
    """
    hs = as_float_array(hs, "hs").astype(np.float64).reshape(-1)
    if hs.size == 0:
        raise ValueError("hs must contain at least one step h")
    if not np.all(hs > 0) or not np.isfinite(hs).all():
        raise ValueError("hs must contain finite steps h > 0")
    x = as_float_array(x, "x").astype(np.float64)
    exact = np.asarray(grad_f(x.copy()), dtype=np.float64)
    forward = np.array([rel_error(forward_difference_gradient(f, x, h), exact) for h in hs])
    central = np.array([rel_error(numerical_gradient(f, x, h), exact) for h in hs])
    return {"h": hs, "forward": np.maximum(forward, 1e-17), "central": np.maximum(central, 1e-17)}


def _landscape_axes(objective: Objective | None, xlim: tuple[float, float], ylim: tuple[float, float],
                    n_grid: int) -> tuple[Objective, np.ndarray, np.ndarray, np.ndarray]:
    objective = hill_and_pit() if objective is None else objective
    if not isinstance(objective, Objective) or objective.dim != 2:
        raise TypeError("objective must be a 2-D gnlib.functions.Objective")
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        if len(lim) != 2 or not lim[0] < lim[1]:
            raise ValueError(f"{name} must be (low, high) with low < high, got {lim}")
    X, Y, pts = grid_2d(xlim, ylim, check_int(n_grid, "n_grid", low=2))
    return objective, X, Y, pts


def gradient_field_figure(objective: Objective | None = None, xlim: tuple[float, float] = (-3.0, 3.0),
                          ylim: tuple[float, float] = (-2.5, 2.5), n_arrows: int = 17) -> Figure:
    """Contours of ``f`` with the gradient field ``grad f`` drawn as arrows (quiver).

    Parameters
    ----------
    objective : Objective, optional
        A 2-D objective; default :func:`hill_and_pit`.
    xlim, ylim : (float, float)
        Plot range.
    n_arrows : int, default 17
        Arrows per axis, >= 2.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``objective`` is not a 2-D ``Objective``.
    ValueError
        If a range is empty or ``n_arrows < 2``.
    """
    objective, X, Y, pts = _landscape_axes(objective, xlim, ylim, n_arrows)
    fig, ax = new_figure(figsize=(6.0, 4.6))
    contour_landscape(ax, objective, xlim, ylim, n=120, levels=16)
    G = objective.gradient(pts)
    longest = float(np.max(np.linalg.norm(G, axis=-1))) or 1.0
    spacing = min(X[0, 1] - X[0, 0], Y[1, 0] - Y[0, 0])
    ax.quiver(X, Y, G[..., 0], G[..., 1], color=COLORS["gd"], angles="xy", scale_units="xy",
              scale=longest / (0.95 * spacing), pivot="mid", width=0.005, label=r"$\nabla f(\theta)$")
    ax.set_aspect("equal")
    ax.legend(loc="upper right")
    ax.set_title("∇f points uphill, across the contour lines;\nlong arrows where the contours crowd")
    return fig


def gradient_norm_figure(objective: Objective | None = None, xlim: tuple[float, float] = (-3.0, 3.0),
                         ylim: tuple[float, float] = (-2.5, 2.5), n_grid: int = 160) -> Figure:
    """Heat map of the gradient norm ``||grad f(theta)||`` with the contours of ``f`` on top.

    Same parameters and errors as :func:`gradient_field_figure` (``n_grid``
    pixels per axis instead of arrows).

    Returns
    -------
    matplotlib.figure.Figure
    """
    objective, X, Y, pts = _landscape_axes(objective, xlim, ylim, n_grid)
    norm = np.linalg.norm(objective.gradient(pts), axis=-1)
    fig, ax = new_figure(figsize=(6.0, 4.6))
    mesh = ax.pcolormesh(X, Y, norm, cmap="viridis", shading="auto")
    ax.contour(X, Y, objective.value(pts), levels=16, colors="white", linewidths=0.5, alpha=0.6)
    fig.colorbar(mesh, ax=ax, label=r"$\|\nabla f(\theta)\|$")
    ax.set_aspect("equal")
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title("‖∇f‖ is large on the flanks, near zero at the\ntop, at the bottom and far away")
    return fig
