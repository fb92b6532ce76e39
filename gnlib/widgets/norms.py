"""Lesson 01's explorable: the unit ball of the p-norm, with a slider for p from 1 to infinity."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import to_rgba

from .._validation import as_float_array
from ..figures.norms import unit_ball_boundary
from ..figures.style import COLORS, new_figure
from ..norms import lp_norm
from ._explorable import Explorable

__all__ = ["P_VALUES", "p_slider", "ball_title", "unit_ball_explorer"]

#: The positions of the p slider: 1, 1.25, ..., 10, then infinity.
P_VALUES: tuple[float, ...] = tuple(float(v) for v in np.arange(1.0, 10.01, 0.25)) + (math.inf,)

_INF_POSITION = 11.0  # where p = inf sits on the right panel's p axis


def _p_text(p: float) -> str:
    return "∞" if math.isinf(p) else f"{p:g}"


_SUBSCRIPTS = str.maketrans("0123456789.", "₀₁₂₃₄₅₆₇₈₉.")


def ball_title(p: float, x_norm: float) -> str:
    """The explorable's title, naming the norm: ``"Unit ball of the ℓ₃ norm (p = 3):  ‖x‖₃ = 1.26"``.

    Plain Unicode rather than mathtext, so a redraw does not parse TeX.

    Parameters
    ----------
    p : float
        The norm order (``math.inf`` allowed).
    x_norm : float
        The p-norm of the explorable's vector, printed to 4 significant digits.

    Returns
    -------
    str

    Examples
    --------
    >>> ball_title(math.inf, 1.2)
    'Unit ball of the ℓ∞ norm (p = ∞, largest |entry|):  ‖x‖∞ = 1.2'
    """
    sub = _p_text(p).translate(_SUBSCRIPTS)
    name = {1.0: ", sum of |entries|", 2.0: ", Euclidean length", math.inf: ", largest |entry|"}.get(p, "")
    return f"Unit ball of the ℓ{sub} norm (p = {_p_text(p)}{name}):  ‖x‖{sub} = {x_norm:.4g}"


def p_slider(p: float = 2.0) -> widgets.SelectionSlider:
    """A slider over the norm order p: 1, 1.25, ..., 10 and a last position "∞".

    Parameters
    ----------
    p : float, default 2
        Initial position, one of :data:`P_VALUES`.

    Returns
    -------
    ipywidgets.SelectionSlider
        Labelled "norm order p"; its ``value`` is a float (``math.inf`` at the
        last position), so ``slider.value = 3.0`` or ``slider.value =
        numpy.inf`` move it.

    Raises
    ------
    TypeError
        If ``p`` is not a number.
    ValueError
        If ``p`` is not one of :data:`P_VALUES`.

    Examples
    --------
    >>> slider = p_slider(3.0)
    >>> slider.label, slider.options[-1]
    ('3', ('∞', inf))
    """
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):  # numpy numbers count
        raise TypeError(f"p must be a number (1, 1.25, ..., 10 or inf), got {type(p).__name__} {p!r}")
    if p not in P_VALUES:
        raise ValueError(f"p must be one of the slider positions 1, 1.25, ..., 10 or inf, got {p!r}")
    return widgets.SelectionSlider(
        options=[(_p_text(q), q) for q in P_VALUES], value=float(p), description="norm order p",
        continuous_update=True, style={"description_width": "initial"}, layout=widgets.Layout(width="420px"),
    )


_LARGEST_X = 1e300


def unit_ball_explorer(x: Sequence[float] = (1.2, 0.6), p: float = 2.0) -> Explorable:
    """The unit ball ``{z : ||z||_p <= 1}`` in the plane and the p-norm of a fixed vector ``x``.

    Left: the boundary ``||z||_p = 1`` for the slider's p, the balls for
    p = 1, 2 and infinity as faint references, the vector ``x`` and the point
    ``x / ||x||_p`` where the ray towards ``x`` leaves the ball (``||x||_p`` is
    how many times the ball must be blown up to reach ``x``). Right:
    ``||x||_p`` against p, falling towards ``||x||_inf``.

    Parameters
    ----------
    x : sequence of 2 floats, default (1.2, 0.6)
        The vector whose norm is shown; not zero.
    p : float, default 2
        Initial slider position (one of :data:`P_VALUES`).

    Returns
    -------
    Explorable
        Control ``"p"``. ``data`` holds ``"ball"`` (points on the boundary,
        shape (401, 2), each of p-norm 1), ``"x_norm"`` (``||x||_p``),
        ``"on_ball"`` (``x / ||x||_p``), ``"p_position"`` (p, or 11 for
        infinity, where the marker sits on the right panel) and
        ``"title"``. p itself is not in ``data`` (it can be infinite).

    Raises
    ------
    ValueError
        If ``x`` does not hold 2 numbers, is zero, not finite or has an entry
        above 1e300 in size (the axes could not hold it), or ``p`` is not a
        slider position.
    TypeError
        If ``x`` is not numeric.

    Examples
    --------
    >>> ex = unit_ball_explorer()
    >>> round(ex.set(p=1.0)["x_norm"], 6), ex.set(p=math.inf)["x_norm"]
    (1.8, 1.2)
    """
    xv = as_float_array(x, "x").astype(np.float64).reshape(-1)
    if xv.shape != (2,):
        raise ValueError(f"x must hold exactly 2 numbers (a vector in the plane), got shape {xv.shape}")
    if not np.isfinite(xv).all() or not xv.any():
        raise ValueError(f"x must be finite and not zero, got {xv.tolist()}")
    if np.abs(xv).max() > _LARGEST_X:  # the axes must hold 1.15 |x| and the curve ||x||_1 <= 2 |x|
        raise ValueError(f"x must have entries of size at most {_LARGEST_X:g} for the plot to hold it, "
                         f"got {xv.tolist()}")
    control = p_slider(p)

    fig, (ax_ball, ax_p) = new_figure(1, 2, figsize=(8.4, 3.8))
    for ref, style in ((1.0, ":"), (2.0, "--"), (math.inf, "-.")):
        pts = unit_ball_boundary(ref, 161)
        ax_ball.plot(pts[:, 0], pts[:, 1], style, color=COLORS["neutral"], lw=1,
                     label=f"p = {_p_text(ref)}")
    (ball,) = ax_ball.fill(*unit_ball_boundary(p).T, facecolor=to_rgba(COLORS["gd"], 0.18),
                           edgecolor=COLORS["gd"], lw=2)
    ax_ball.annotate("", xy=tuple(xv), xytext=(0.0, 0.0),
                     arrowprops={"arrowstyle": "->", "color": COLORS["black"], "lw": 1.5})
    ax_ball.text(xv[0], xv[1], "  x", va="center", style="italic")
    (hit,) = ax_ball.plot([], [], "o", color=COLORS["ngd"], ms=6, label="x / ‖x‖ₚ")
    lim = max(1.3, 1.15 * float(np.abs(xv).max()))
    ax_ball.set_xlim(-lim, lim)
    ax_ball.set_ylim(-lim, lim)
    ax_ball.set_aspect("equal")
    ax_ball.set_xlabel("z₁")
    ax_ball.set_ylabel("z₂")

    finite_ps = np.linspace(1.0, 10.0, 91)
    curve = [lp_norm(xv, q) for q in finite_ps]
    x_inf = lp_norm(xv, math.inf)
    ax_p.plot(finite_ps, curve, color=COLORS["gd"], label="‖x‖ₚ")
    ax_p.plot([_INF_POSITION], [x_inf], "s", color=COLORS["gd"], ms=5)
    ax_p.axhline(x_inf, color=COLORS["neutral"], lw=1, ls="--", label="‖x‖∞")
    (marker,) = ax_p.plot([], [], "o", color=COLORS["ngd"], ms=8)
    ax_p.set_xticks([1, 2, 4, 6, 8, 10, _INF_POSITION], ["1", "2", "4", "6", "8", "10", "∞"])
    ax_p.set_xlim(0.5, _INF_POSITION + 0.5)
    ax_p.set_xlabel("norm order p")
    ax_p.set_ylabel("‖x‖ₚ")
    ax_p.set_title("the p-norm of x falls as p grows", fontsize=10)
    # one legend for both panels, outside them: a slider redraw never has to repaint it
    fig.legend(loc="outside lower center", ncols=6, fontsize=8)
    title = fig.suptitle("", fontsize=11, fontweight="bold")

    def update(p: float) -> dict:
        pts = unit_ball_boundary(p)
        ball.set_xy(pts)
        x_norm = lp_norm(xv, p)
        on_ball = xv / x_norm
        hit.set_data([on_ball[0]], [on_ball[1]])
        position = _INF_POSITION if math.isinf(p) else p
        marker.set_data([position], [x_norm])
        text = ball_title(p, x_norm)
        title.set_text(text)
        return {"ball": pts, "x_norm": x_norm, "on_ball": on_ball, "p_position": position, "title": text}

    return Explorable(fig, {"p": control}, update,
                      caption="Slide p from 1 to ∞. Which points of the ball never move? "
                              "Why does ||x||_p only shrink as p grows?")
