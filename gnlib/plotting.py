"""One plotting style for the whole course.

Colours come from the Okabe-Ito palette, which stays distinguishable under the
common forms of colour blindness; lines also differ by style where several are
compared. Each method keeps one colour across every lesson:

========================  =============  ==========================
role                      colour         used for
========================  =============  ==========================
``COLORS["gd"]``          blue           plain gradient descent
``COLORS["ngd"]``         vermillion     normalized gradient descent
``COLORS["clipped"]``     bluish green   clipped gradient descent / clipped gradient
``COLORS["value"]``       orange         clip-by-value
``COLORS["penalty"]``     reddish purple penalties, critic quantities
``COLORS["accent"]``      sky blue       highlights
``COLORS["neutral"]``     grey           reference lines
========================  =============  ==========================

Figures are made with :func:`new_figure`, which closes them in pyplot right
away: a gnlib function returns a figure and the notebook shows it once (by
ending a cell with it), never twice, and widgets redraw the same figure.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["COLORS", "CYCLE", "STYLE", "use_course_style", "new_figure", "grid_2d", "contour_landscape"]

COLORS: dict[str, str] = {
    "gd": "#0072B2",
    "ngd": "#D55E00",
    "clipped": "#009E73",
    "value": "#E69F00",
    "penalty": "#CC79A7",
    "accent": "#56B4E9",
    "yellow": "#F0E442",
    "neutral": "#777777",
    "black": "#000000",
}

CYCLE: list[str] = [COLORS[k] for k in ("gd", "ngd", "clipped", "value", "penalty", "accent", "black")]

STYLE: dict[str, Any] = {
    "axes.prop_cycle": mpl.cycler(color=CYCLE),
    "axes.grid": True,
    # grid and ticks under every artist: they look quieter, and a slider redraw
    # never has to repaint an axis drawn above a changing artist
    "axes.axisbelow": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.framealpha": 0.85,
    "figure.dpi": 90,
    "savefig.dpi": 90,
    "figure.figsize": (6.4, 4.0),
    "image.cmap": "viridis",
    "lines.linewidth": 2.0,
}


def use_course_style() -> None:
    """Apply the course style to matplotlib's global settings.

    Called once when :mod:`gnlib.plotting` is imported, so every lesson gets
    the same look; call it again after changing ``rcParams`` by hand.
    """
    mpl.rcParams.update(STYLE)


def _render_inline_figures_once() -> None:
    """In a notebook, show figures without ``bbox_inches="tight"``.

    The inline backend crops every figure to a tight bounding box, which
    draws it twice. Course figures use constrained layout, which already fits
    everything inside the figure, so one draw is enough: notebooks run
    faster. Outside a kernel this does nothing.
    """
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None or not hasattr(shell, "kernel"):
            return
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png", bbox_inches=None)
    except ImportError:  # pragma: no cover - no IPython or no inline backend
        return


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float] | None = None,
               **subplot_kw: Any) -> tuple[Figure, Any]:
    """A figure and its axes in the course style, already closed in pyplot.

    Returns ``(figure, axes)`` like :func:`matplotlib.pyplot.subplots`, with
    constrained layout (an :class:`~gnlib.widgets.Explorable` runs it once and
    then keeps the layout, so redraws are cheap). The
    figure is closed in pyplot so that the notebook's inline backend does not
    show it a second time; it still draws and renders normally.
    """
    use_course_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, subplot_kw=subplot_kw or None, layout="constrained")
    plt.close(fig)
    return fig, axes


def grid_2d(xlim: tuple[float, float], ylim: tuple[float, float], n: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A square grid for contour plots.

    Returns ``(X, Y, points)`` with ``X`` and ``Y`` of shape ``(n, n)`` and
    ``points`` of shape ``(n, n, 2)``, ready for an ``Objective``'s value.
    """
    xs = np.linspace(*xlim, n)
    ys = np.linspace(*ylim, n)
    X, Y = np.meshgrid(xs, ys)
    return X, Y, np.stack([X, Y], axis=-1)


def contour_landscape(ax: Axes, objective: Any, xlim: tuple[float, float], ylim: tuple[float, float],
                      *, n: int = 150, levels: int = 20, log: bool = False) -> None:
    """Draw filled contours of a 2-D ``Objective`` on ``ax``, labelled theta_1 and theta_2.

    With ``log=True`` the contours are of ``log10(1 + f)``, for functions such
    as Rosenbrock whose values span many orders of magnitude.
    """
    X, Y, pts = grid_2d(xlim, ylim, n)
    Z = objective.value(pts)
    if log:
        Z = np.log10(1.0 + Z - Z.min())
    ax.contourf(X, Y, Z, levels=levels, cmap="Greys_r", alpha=0.55)
    ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.4, alpha=0.4)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")


use_course_style()
_render_inline_figures_once()
