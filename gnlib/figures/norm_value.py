"""Lesson 03's clip-by-norm against clip-by-value picture, shared by the figure and the explorable.

:func:`norm_value_figure` draws the static parts, :func:`draw_norm_value`
moves the arrows for a threshold tau, :func:`gradient_in_view` checks the
gradient the picture can show; :mod:`gnlib.figures.clipping` re-exports them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from .._validation import as_float_array, check_scalar
from ..clip import clip_by_norm, clip_by_value
from ..angles import angle_between
from ..norms import l2_norm
from .style import COLORS, new_figure

__all__ = ["GRADIENT_RANGE", "gradient_in_view", "norm_value_figure", "draw_norm_value", "plot_norm_vs_value"]

GRADIENT_RANGE = (0.0, 3.5)  # each entry of g; the axes run from -0.4 to 3.6


def gradient_in_view(g: Any) -> np.ndarray:
    """``g`` as a float64 array of two entries in :data:`GRADIENT_RANGE`, not both zero.

    Raises
    ------
    TypeError
        If ``g`` is not numbers.
    ValueError
        If ``g`` does not have two entries, an entry lies outside ``[0, 3.5]``
        (not finite, negative, or out of the picture), or both are zero.

    Examples
    --------
    >>> gradient_in_view((3, 1))
    array([3., 1.])
    >>> gradient_in_view((1.7e308, 8.9e307))
    Traceback (most recent call last):
    ...
    ValueError: g must have both entries in [0, 3.5] (the picture's range), got [1.7e+308, 8.9e+307]
    """
    g = as_float_array(g, "g").astype(np.float64)
    low, high = GRADIENT_RANGE
    if g.shape != (2,):
        raise ValueError(f"g must be two numbers (g_1, g_2), got shape {g.shape}")
    if not (np.isfinite(g).all() and (g >= low).all() and (g <= high).all()):
        raise ValueError(f"g must have both entries in [{low:g}, {high:g}] (the picture's range), got {g.tolist()}")
    if not g.any():
        raise ValueError("g must be non-zero: the zero gradient has no direction to keep or turn")
    return g


def norm_value_figure(limit: float = 3.6) -> tuple[Figure, dict[str, Any]]:
    """Static part of the clip-by-norm / clip-by-value picture: the tau-ball, the tau-box, three arrows.

    Parameters
    ----------
    limit : float, default 3.6
        Upper end of both axes.

    Returns
    -------
    (Figure, dict)
        The figure and its moving artists, for :func:`draw_norm_value`.
    """
    fig, ax = new_figure(figsize=(5.4, 4.6))
    ball = Circle((0, 0), 1.0, fill=False, color=COLORS["clipped"], ls="--", lw=1.2)
    box = Rectangle((-1, -1), 2, 2, fill=False, color=COLORS["value"], ls=":", lw=1.5)
    ax.add_patch(ball)
    ax.add_patch(box)
    colors = [COLORS["gd"], COLORS["clipped"], COLORS["value"]]
    arrows = ax.quiver(np.zeros(3), np.zeros(3), np.ones(3), np.ones(3), color=colors,
                       angles="xy", scale_units="xy", scale=1, width=0.012, zorder=3)
    for c, label in zip(colors, ["$g$", r"clip by norm (direction kept)", "clip by value (element-wise)"]):
        ax.plot([], [], color=c, lw=3, label=label)
    ax.set_xlim(-0.4, limit)
    ax.set_ylim(-0.4, limit)
    ax.set_aspect("equal")
    ax.set_xlabel("$g_1$")
    ax.set_ylabel("$g_2$")
    ax.legend(loc="upper left", fontsize=8)
    return fig, {"ax": ax, "ball": ball, "box": box, "arrows": arrows}


def draw_norm_value(artists: Mapping[str, Any], g: np.ndarray, max_norm: float) -> dict[str, Any]:
    """Clip ``g`` by norm and by value and move the artists of :func:`norm_value_figure`.

    Parameters
    ----------
    artists : dict
        As returned by :func:`norm_value_figure`.
    g : numpy.ndarray
        A 2-D gradient.
    max_norm : float
        The threshold tau, > 0.

    Returns
    -------
    dict
        Both clipped vectors, their angles to ``g`` (degrees) and their norms.
    """
    by_norm = clip_by_norm(g, max_norm)
    by_value = clip_by_value(g, max_norm)
    vectors = np.stack([g, by_norm, by_value])
    artists["arrows"].set_UVC(vectors[:, 0], vectors[:, 1])
    artists["ball"].set_radius(max_norm)
    artists["box"].set_xy((-max_norm, -max_norm))
    artists["box"].set_width(2 * max_norm)
    artists["box"].set_height(2 * max_norm)
    angle_norm, angle_value = angle_between(g, by_norm), angle_between(g, by_value)
    artists["ax"].set_title(f"τ = {max_norm:.2f}: angle to g is {angle_norm:.1f}° (norm), "
                            f"{angle_value:.1f}° (value)", fontsize=10)
    return {"g": g, "by_norm": by_norm, "by_value": by_value, "angle_norm": angle_norm,
            "angle_value": angle_value, "norm_by_norm": l2_norm(by_norm),
            "norm_by_value": l2_norm(by_value)}


def plot_norm_vs_value(g: Sequence[float] = (3.0, 1.0), max_norm: float = 1.0) -> Figure:
    """A 2-D gradient, its clip-by-norm and clip-by-value versions, the angle in the title.

    Parameters
    ----------
    g : sequence of two floats, default (3.0, 1.0)
        The gradient, as :func:`gradient_in_view` accepts it.
    max_norm : float, default 1.0
        The threshold tau, > 0.

    Raises
    ------
    ValueError
        If ``g`` is not in view (see :func:`gradient_in_view`) or ``max_norm`` is not positive.

    Examples
    --------
    >>> fig = plot_norm_vs_value((3.0, 1.0), 1.0)
    >>> "26.6°" in fig.axes[0].get_title()
    True
    """
    g = gradient_in_view(g)
    max_norm = check_scalar(max_norm, "max_norm", low=0.0, low_inclusive=False)
    fig, artists = norm_value_figure()
    draw_norm_value(artists, g, max_norm)
    return fig
