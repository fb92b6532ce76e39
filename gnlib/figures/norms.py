"""Static figures for lesson 01 (vector norms), and the unit-ball geometry behind them.

- :func:`unit_ball_boundary` -- points ``x`` in the plane with ``||x||_p = 1``
- :func:`unit_balls_figure`  -- the unit balls for several ``p`` drawn together
- :func:`naive_l2_norm`      -- the textbook ``sqrt(sum(x**2))``, failures included
- :func:`overflow_error_figure` -- relative error of the naive formula and of
  :func:`gnlib.norms.l2_norm` across the whole float64 range
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .._validation import as_float_array, check_int, check_scalar
from ..norms import l2_norm
from .style import COLORS, new_figure

__all__ = ["unit_ball_boundary", "p_label", "unit_balls_figure", "naive_l2_norm", "overflow_error_figure"]


def _check_p(p: Any) -> float:
    p = check_scalar(p, "p", allow_inf=True)
    if p < 1:
        raise ValueError(f"p must be >= 1 (or numpy.inf), got {p:g}: for p < 1 the formula is not a norm")
    return p


def p_label(p: float) -> str:
    """The norm's name as mathtext: ``"\\ell_1"``, ``"\\ell_{1.5}"``, ``"\\ell_\\infty"``.

    Examples
    --------
    >>> p_label(2)
    '\\\\ell_{2}'
    >>> p_label(np.inf)
    '\\\\ell_{\\\\infty}'
    """
    p = _check_p(p)
    return r"\ell_{\infty}" if math.isinf(p) else rf"\ell_{{{p:g}}}"


def unit_ball_boundary(p: float, n_points: int = 401) -> np.ndarray:
    """Points on the boundary of the 2-D unit ball ``{x : ||x||_p <= 1}``.

    Each direction ``u = (cos t, sin t)`` is divided by its own p-norm, so
    every returned point has p-norm 1 up to rounding, and the corners of the
    ``p = 1`` diamond and the ``p = inf`` square are hit exactly.

    Parameters
    ----------
    p : float
        Order of the norm, ``p >= 1`` or ``numpy.inf``.
    n_points : int, default 401
        Number of points, at least 9; the first and last coincide (a closed
        curve). With ``n_points - 1`` a multiple of 8 the angles include every
        multiple of 45 degrees.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_points, 2)``, counter-clockwise from ``(1, 0)``.

    Raises
    ------
    ValueError
        If ``p < 1`` or NaN, or ``n_points < 9``.
    TypeError
        If ``p`` is not a number or ``n_points`` not an integer.

    Examples
    --------
    >>> unit_ball_boundary(1, 9)[:3].round(3).tolist()
    [[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]
    """
    p = _check_p(p)
    n_points = check_int(n_points, "n_points", low=9)
    t = np.linspace(0.0, 2.0 * np.pi, n_points)
    u = np.stack([np.cos(t), np.sin(t)], axis=1)
    u[np.abs(u) < 1e-15] = 0.0  # cos(pi/2) is 6e-17, not 0: keep the corners exact
    a = np.abs(u)
    if math.isinf(p):
        lengths = a.max(axis=1)
    else:
        m = a.max(axis=1, keepdims=True)  # scale first, as lp_norm does, so large p cannot overflow
        lengths = m[:, 0] * np.sum((a / m) ** p, axis=1) ** (1.0 / p)
    return u / lengths[:, None]


def unit_balls_figure(ps: Sequence[float] = (1, 1.5, 2, 4, np.inf)) -> Figure:
    """The unit balls of several p-norms drawn on one pair of axes.

    Parameters
    ----------
    ps : sequence of float, default (1, 1.5, 2, 4, inf)
        Norm orders, each ``>= 1`` or ``numpy.inf``; at most 7.

    Returns
    -------
    matplotlib.figure.Figure
        One square panel, axes ``x_1`` and ``x_2``, a legend naming each norm.

    Raises
    ------
    ValueError
        If ``ps`` is empty, longer than 7, or holds a ``p < 1``.
    """
    ps = [_check_p(p) for p in ps]
    if not 1 <= len(ps) <= 7:
        raise ValueError(f"ps must hold 1 to 7 norm orders, got {len(ps)}")
    fig, ax = new_figure(figsize=(5.0, 4.6))
    styles = ["-", "--", "-", "-.", "-", ":", "--"]
    colors = [COLORS[k] for k in ("ngd", "value", "gd", "clipped", "penalty", "accent", "black")]
    for p, style, color in zip(ps, styles, colors):
        pts = unit_ball_boundary(p)
        ax.plot(pts[:, 0], pts[:, 1], style, color=color, lw=2, label=f"$p={p:g}$".replace("inf", r"\infty"))
    ax.plot([0.0], [0.0], "o", color=COLORS["black"], ms=3)
    ax.set_aspect("equal")
    ax.set_xlim(-1.25, 1.25)
    ax.set_ylim(-1.25, 1.25)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), title=r"$\|x\|_p = 1$")
    ax.set_title("Unit balls grow with p:\nfrom the diamond (p=1) to the square (p=∞)")
    return fig


def naive_l2_norm(x: Any) -> float:
    """The textbook Euclidean norm ``sqrt(sum(x**2))``, in the dtype of ``x``, without warnings.

    For teaching only: it overflows to ``inf`` once an entry passes about
    ``sqrt(finfo(dtype).max)`` (256 in float16, 1.3e154 in float64) and
    loses tiny entries whose squares underflow. This is exactly what
    ``numpy.linalg.norm`` computes. Use :func:`gnlib.norms.l2_norm` instead.

    Parameters
    ----------
    x : array_like
        Real numbers of any shape (flattened).

    Returns
    -------
    float
        The naive norm, possibly ``inf`` or ``0.0`` where the true norm is neither.

    Raises
    ------
    TypeError
        If ``x`` is not real numeric data.

    Examples
    --------
    >>> naive_l2_norm([3.0, 4.0])
    5.0
    >>> naive_l2_norm([3e200, 4e200])
    inf
    """
    a = as_float_array(x, "x").reshape(-1)
    with np.errstate(over="ignore", under="ignore"):
        return float(np.sqrt(np.sum(a * a)))


def overflow_error_figure(n_points: int = 400) -> Figure:
    """Relative error of ``sqrt(sum(x**2))`` and of ``l2_norm`` against magnitude (float64).

    For magnitudes ``s`` from 1e-320 to 1e308 the vector ``x = s * (0.6, 0.8)``
    is measured three ways; the reference is :func:`math.hypot` (correctly
    rounded). Errors of 0 are drawn at 1e-17, and a naive result of ``inf`` or
    ``0`` counts as relative error 1.

    Parameters
    ----------
    n_points : int, default 400
        Number of magnitudes, log-spaced; at least 10.

    Returns
    -------
    matplotlib.figure.Figure
        A log-log panel with the naive and the safe error curves and the two
        thresholds ``sqrt(DBL_MAX)`` and ``sqrt(DBL_MIN)`` marked.
    """
    n_points = check_int(n_points, "n_points", low=10)
    scales = np.logspace(-320, 308, n_points)
    vectors = scales[:, None] * np.array([0.6, 0.8])
    reference = np.array([math.hypot(*v) for v in vectors])
    naive = np.array([naive_l2_norm(v) for v in vectors])
    safe = np.array([l2_norm(v) for v in vectors])
    floor = 1e-17

    def rel(values: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", over="ignore"):
            err = np.abs(values - reference) / reference
        return np.clip(np.nan_to_num(err, nan=1.0, posinf=1.0), floor, 1.0)

    # Matplotlib's transforms overflow near 1e308, so the x axis shows the decimal
    # exponent log10(s) on a linear scale, with ticks labelled as powers of ten.
    expo = np.log10(scales)
    fig, ax = new_figure(figsize=(7.0, 3.8))
    big = math.log10(math.sqrt(np.finfo(np.float64).max))
    small = math.log10(math.sqrt(np.finfo(np.float64).tiny))
    ax.axvspan(big, 310, color=COLORS["ngd"], alpha=0.08, lw=0)
    ax.axvspan(-322, small, color=COLORS["value"], alpha=0.10, lw=0)
    ax.axvline(big, color=COLORS["neutral"], lw=1, ls=":")
    ax.axvline(small, color=COLORS["neutral"], lw=1, ls=":")
    ax.semilogy(expo, rel(naive), color=COLORS["ngd"], label=r"naive $\sqrt{\sum x_i^2}$ (= numpy.linalg.norm)")
    ax.semilogy(expo, rel(safe), "--", color=COLORS["clipped"], label="gnlib.l2_norm (power-of-two scaling)")
    ax.text(big, 1e-4, " $\\sqrt{\\mathrm{max}}\\approx$1.3e154:\n squares overflow", fontsize=8, va="center")
    ax.text(small, 1e-4, "$\\sqrt{\\mathrm{min}}\\approx$1.5e-154: \nsquares underflow ",
            fontsize=8, va="center", ha="right")
    ticks = np.arange(-300, 301, 100)
    ax.set_xticks(ticks, [f"1e{t}" if t else "1" for t in ticks])
    ax.set_xlim(-322, 310)
    ax.set_ylim(floor / 3, 5.0)
    ax.set_xlabel(r"magnitude $\|x\|_2$ of $x = s\,(0.6,\ 0.8)$ (float64)")
    ax.set_ylabel("relative error (0 drawn at 1e-17)")
    ax.legend(loc="center", fontsize=8)
    ax.set_title("The naive formula is exact only in the middle of the range;\nscaling keeps full precision everywhere")
    return fig
