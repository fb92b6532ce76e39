"""Lesson 05: what a Lipschitz bound looks like for a function of one variable.

A function ``f`` is K-Lipschitz when ``|f(x) - f(y)| <= K |x - y|`` for all
``x, y``. At every point ``x0`` the graph then stays inside the double cone
``f(x0) ± K |x - x0|``; for a differentiable ``f`` the smallest such ``K`` is
``max |f'|``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._validation import check_scalar
from .style import COLORS, new_figure

__all__ = ["wavy", "wavy_slope", "WAVY_LIPSCHITZ", "plot_lipschitz_cone"]

#: ``max |wavy'(x)| = 0.8 + 0.5``, reached where ``cos(2x) = 1``.
WAVY_LIPSCHITZ: float = 1.3


def wavy(x: np.ndarray) -> np.ndarray:
    """The example function ``f(x) = 0.4 sin(2x) + 0.5 x`` (its slope: :func:`wavy_slope`).

    Examples
    --------
    >>> float(wavy(np.array(0.0)))
    0.0
    """
    return 0.4 * np.sin(2.0 * x) + 0.5 * x


def wavy_slope(x: np.ndarray) -> np.ndarray:
    """``f'(x) = 0.8 cos(2x) + 0.5``, between -0.3 and 1.3 (so ``f`` is 1.3-Lipschitz).

    Examples
    --------
    >>> float(wavy_slope(np.array(0.0)))
    1.3
    """
    return 0.8 * np.cos(2.0 * x) + 0.5


def plot_lipschitz_cone(x0: float = 0.8, lipschitz: float = WAVY_LIPSCHITZ) -> Figure:
    """Left: ``f`` inside the cone of slope ``K`` at ``x0``. Right: ``|f'|`` against ``K``.

    The right panel also shows ``sqrt|x|``, whose slope has no bound at 0.

    Examples
    --------
    >>> len(plot_lipschitz_cone().axes)
    2
    """
    x0 = check_scalar(x0, "x0")
    k = check_scalar(lipschitz, "lipschitz", low=0.0)
    x = np.linspace(-3.0, 3.0, 601)
    fig, (ax, ax_slope) = new_figure(1, 2, figsize=(9.0, 3.4))
    y0 = float(wavy(np.array(x0)))
    ax.fill_between(x, y0 - k * np.abs(x - x0), y0 + k * np.abs(x - x0), color=COLORS["accent"], alpha=0.25,
                    label=f"cone f(x₀) ± K|x − x₀|, K = {k:g}")
    ax.plot(x, wavy(x), color=COLORS["gd"], label="f(x) = 0.4 sin 2x + 0.5x")
    ax.plot([x0], [y0], "o", color=COLORS["black"], ms=5, label="x₀")
    ax.set_ylim(-3.0, 3.0)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title("A K-Lipschitz f never leaves the cone at any x₀", fontsize=10)
    ax.legend(fontsize=7, loc="upper left")
    ax_slope.plot(x, np.abs(wavy_slope(x)), color=COLORS["gd"], label="|f′(x)| of the wavy f")
    ax_slope.plot(x[x != 0], 0.5 / np.sqrt(np.abs(x[x != 0])), color=COLORS["ngd"], label="|g′(x)| of g = √|x|")
    ax_slope.axhline(k, color=COLORS["black"], ls="--", lw=1, label=f"K = {k:g}")
    ax_slope.set_ylim(0.0, 3.0)
    ax_slope.set_xlabel("x")
    ax_slope.set_ylabel("slope |f′(x)|")
    ax_slope.set_title("K is the largest slope; √|x| has none", fontsize=10)
    ax_slope.legend(fontsize=7, loc="upper right")
    return fig
