"""Lesson 02 (gradients): the gradient field and the gradient-norm map of a 2-D landscape.

The default landscape is :func:`gnlib.functions.hill_and_pit`; the maths of
the lesson (directional derivatives, finite-difference errors) is in
:mod:`gnlib.gradcheck`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._validation import check_int
from ..functions import Objective, hill_and_pit
from .style import COLORS, contour_landscape, grid_2d, new_figure

__all__ = ["gradient_field_figure", "gradient_norm_figure"]


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
        A 2-D objective; default :func:`gnlib.functions.hill_and_pit`.
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
