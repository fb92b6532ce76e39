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

import math
import re
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatterSciNotation, LogLocator, NullLocator

__all__ = ["COLORS", "CYCLE", "STYLE", "CourseFigure", "PlainLogFormatter", "use_course_style",
           "new_figure", "grid_2d", "contour_landscape"]

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

    Called once when :mod:`gnlib.figures.style` is imported, so every lesson gets
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


_SUPERSCRIPTS = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
_MATH_POWER = re.compile(r"^\$\\mathdefault\{(?:([0-9.]+)\\times)?10\^\{([-+]?[0-9]+)\}\}\$$")


class PlainLogFormatter(LogFormatterSciNotation):
    """Log-axis tick labels such as ``10⁻³`` and ``2×10⁻¹`` in plain text.

    matplotlib's default writes them as mathtext (``$\\mathdefault{10^{-3}}$``),
    and every distinct label is then parsed by the mathtext parser, about
    20 ms each on a slow machine: a third of a course figure's drawing time
    when its log axes span many decades. Unicode superscripts look the same
    and cost nothing to parse. Labels of any other form are kept as they are.

    Examples
    --------
    >>> PlainLogFormatter()(1e-3)
    '10⁻³'
    """

    def __call__(self, x: float, pos: int | None = None) -> str:
        label = super().__call__(x, pos)
        match = _MATH_POWER.match(label)
        if match is None:
            return label
        mantissa, exponent = match.groups()
        power = "10" + exponent.translate(_SUPERSCRIPTS)
        return f"{mantissa}×{power}" if mantissa else power


class CourseFigure(Figure):
    """A matplotlib Figure that keeps log-scale axes light to draw.

    Before each draw, every log axis is adjusted in two ways that change
    nothing a reader needs:

    * its tick labels are plain text (:class:`PlainLogFormatter`) instead of
      mathtext, which would be parsed once per distinct label;
    * when it spans two decades or more it shows its labelled decades only:
      eight unlabelled minor ticks per decade are many small artists that
      layout and drawing visit (about a third of the drawing time), and the
      grid is on the decades anyway. A narrower log axis keeps its minor
      ticks, which are then the only ticks between its labels.

    Formatters and locators that were set on purpose are left alone.

    It also skips work that shows nothing. Before a figure with a layout
    engine is saved, matplotlib draws it once with every drawing call
    switched off, only to run the layout. Here that pass runs the layout and
    stops: walking every artist without drawing anything costs about a
    quarter of a figure's time. The saved image is the same, pixel for pixel
    (tested on every course figure).
    """

    def draw(self, renderer: Any) -> None:
        for ax in self.axes:
            for axis in (ax.xaxis, ax.yaxis):
                if axis.get_scale() == "log":
                    _plain_log_labels(axis)
                    _lighten_log_axis(axis)
        engine = self.get_layout_engine()
        if engine is not None and self.axes and _drawing_is_off(renderer):
            try:
                engine.execute(self)
            except ValueError:  # matplotlib ignores a layout that cannot be made; so do we
                pass
            self.stale = False
            return
        super().draw(renderer)


def _drawing_is_off(renderer: Any) -> bool:
    """True inside matplotlib's ``renderer._draw_disabled()`` (the layout pre-pass).

    That context manager replaces the renderer's drawing methods by no-ops set
    on the instance, so an instance attribute ``draw_path`` means nothing
    would be drawn. Should a later matplotlib disable drawing differently,
    this returns False and figures are drawn exactly as before, only slower
    (the pinned version is tested).
    """
    return "draw_path" in vars(renderer)


def _plain_log_labels(axis: Any) -> None:
    for formatter, setter in ((axis.get_major_formatter(), axis.set_major_formatter),
                              (axis.get_minor_formatter(), axis.set_minor_formatter)):
        if type(formatter) is LogFormatterSciNotation:  # matplotlib's default, not a chosen one
            plain = PlainLogFormatter(base=formatter._base, labelOnlyBase=formatter.labelOnlyBase,
                                      minor_thresholds=formatter.minor_thresholds,
                                      linthresh=formatter._linthresh)
            setter(plain)


def _lighten_log_axis(axis: Any) -> None:
    """Drop the minor ticks of a log axis over two decades or more; restore them below."""
    low, high = sorted(axis.get_view_interval())
    if not (0 < low < high < math.inf):
        return
    current = axis.get_minor_locator()
    original = getattr(axis, "_gnlib_minor_locator", None)
    if original is None:
        if not isinstance(current, LogLocator):
            return  # a locator someone chose on purpose: leave it
        original = axis._gnlib_minor_locator = current
    if math.log10(high / low) >= 2:
        if not isinstance(current, NullLocator):
            axis.set_minor_locator(NullLocator())
    elif current is not original:
        axis.set_minor_locator(original)


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
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, subplot_kw=subplot_kw or None,
                             layout="constrained", FigureClass=CourseFigure)
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
        Z = np.log10(1.0 + (Z - Z.min()))  # 1.0 + Z first would round to Z for Z above 1e16
    ax.contourf(X, Y, Z, levels=levels, cmap="Greys_r", alpha=0.55)
    ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.4, alpha=0.4)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")


use_course_style()
_render_inline_figures_once()
