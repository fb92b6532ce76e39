"""The two-panel landscape comparison of lesson 04: GD, normalized GD and clipped GD on two landscapes.

Left panel: the ill-conditioned quadratic bowl ``J = (theta_1^2 + kappa theta_2^2) / 2``
(its contours are ellipses, redrawn in place when kappa changes). Right panel:
Rosenbrock's banana. :class:`LandscapeComparison` builds the figure once and
:meth:`LandscapeComparison.draw` updates it in place: the static figure
:func:`plot_landscape_comparison` draws it once, and
:func:`gnlib.widgets.ngd_comparison_explorer` redraws it from its sliders.

The optimizers are :mod:`gnlib.optim`'s, driven by :func:`gnlib.optim.run_methods`.
Runs are cached per (landscape, method, eta, tau, kappa), so a new number of
iterations only slices stored trajectories.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from .._validation import check_int, check_scalar
from ..functions import Objective, quadratic_bowl, rosenbrock
from ..optim import METHOD_LABELS, METHODS, Trajectory, run_methods, step_lengths, trajectory_losses
from .style import COLORS, contour_landscape, new_figure

__all__ = ["LandscapeComparison", "plot_landscape_comparison"]

_BOWL_BOX = ((-3.0, 3.0), (-2.0, 2.0))
_ROSEN_BOX = ((-1.6, 1.6), (-0.7, 1.9))
_MARKERS = {"gd": "o", "ngd": "s", "clipped": "^"}
_SHORT = {"gd": "GD", "ngd": "NGD", "clipped": "clipped"}


def _for_plot(thetas: np.ndarray, box: tuple[tuple[float, float], tuple[float, float]]) -> np.ndarray:
    """Iterates pulled into a box 5 widths around the view, so a diverging path leaves the frame but stays finite."""
    (x0, x1), (y0, y1) = box
    wx, wy = 5 * (x1 - x0), 5 * (y1 - y0)
    lo, hi = np.array([x0 - wx, y0 - wy]), np.array([x1 + wx, y1 + wy])
    return np.clip(np.nan_to_num(thetas, nan=hi[0], posinf=hi[0], neginf=lo[0]), lo, hi)


def _bowl_gradient(curvatures: np.ndarray):
    """The quadratic bowl's gradient for one point, without the batch checks (same numbers, ~2x faster steps)."""
    return lambda theta: curvatures * theta


def _rosenbrock_gradient(a: float, b: float):
    """Rosenbrock's gradient for one point, the same expression as :func:`gnlib.functions.rosenbrock`."""

    def gradient(theta: np.ndarray) -> np.ndarray:
        u, v = theta
        return np.array([-2.0 * (a - u) - 4.0 * b * u * (v - u**2), 2.0 * b * (v - u**2)])

    return gradient


def _verdict(objective: Objective, run: Trajectory, n_steps: int) -> str:
    if run.diverged:
        return f"overflow, step {run.n_steps + 1}"
    loss = float(trajectory_losses(objective, run.thetas[-1:])[0])
    return f"{loss:.1e}" if np.isfinite(loss) and loss < 1e6 else "> 1e6"


class LandscapeComparison:
    """A two-panel figure comparing the three methods; :meth:`draw` updates it in place.

    Parameters
    ----------
    bowl_start : tuple of float, default (-2.5, 1.5)
        Start point on the quadratic bowl.
    rosenbrock_start : tuple of float, default (-1.2, 1.0)
        Start point on Rosenbrock's function.
    rosenbrock_b : float, default 10
        Steepness ``b`` of the Rosenbrock valley walls (the textbook value 100
        makes every method crawl for thousands of steps), in ``(0, 1e300]``
        so that the landscape's values over the drawn box stay finite.

    Raises
    ------
    ValueError
        If ``rosenbrock_b`` is not in ``(0, 1e300]``.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    rosenbrock : Objective
    rosenbrock_b : float
    """

    def __init__(self, *, bowl_start: tuple[float, float] = (-2.5, 1.5),
                 rosenbrock_start: tuple[float, float] = (-1.2, 1.0), rosenbrock_b: float = 10.0) -> None:
        self.bowl_start = np.array(bowl_start, dtype=float)
        self.rosenbrock_start = np.array(rosenbrock_start, dtype=float)
        # b (v - u^2)^2 stays below 1.1e301 over the drawn box for b <= 1e300
        self.rosenbrock_b = check_scalar(rosenbrock_b, "rosenbrock_b", low=0.0, low_inclusive=False, high=1e300)
        self.rosenbrock = rosenbrock(b=self.rosenbrock_b)
        self._cache: dict[tuple, Trajectory] = {}
        # Single-point gradients for the optimizer loops (tests check they equal the Objectives' gradients).
        self._gradients = {"rosen": _rosenbrock_gradient(1.0, self.rosenbrock_b)}
        self._layout_frozen = False
        self._kappa: float | None = None
        self.figure: Figure
        self.figure, (ax_b, ax_r) = new_figure(1, 2, figsize=(9.6, 4.3))
        self._axes = {"bowl": ax_b, "rosen": ax_r}

        # Quadratic bowl: nested filled ellipses (level sets J = c_k), rescaled
        # from a unit circle when kappa changes. They sit above the axis and the
        # title (zorder 3.2), so redrawing them never redraws tick labels or titles.
        (bx0, bx1), (by0, by1) = _BOWL_BOX
        angle = np.linspace(0.0, 2.0 * np.pi, 120)
        self._circle = np.stack([np.cos(angle), np.sin(angle)], axis=1)
        self._level_factors = 0.35 ** np.arange(-4, 9)  # levels relative to J(start), outermost first
        greys = np.linspace(0.93, 0.55, len(self._level_factors))
        self._ellipses = [Polygon(self._circle, closed=True, facecolor=(g, g, g), edgecolor=(0.4, 0.4, 0.4),
                                  lw=0.5, zorder=3.2) for g in greys]
        for patch in self._ellipses:
            ax_b.add_patch(patch)
        ax_b.set_xlim(bx0, bx1)
        ax_b.set_ylim(by0, by1)
        ax_b.set_xlabel(r"$\theta_1$")
        ax_b.set_ylabel(r"$\theta_2$")
        ax_b.plot(0.0, 0.0, "P", color="k", ms=8, zorder=5)

        (rx0, rx1), (ry0, ry1) = _ROSEN_BOX
        contour_landscape(ax_r, self.rosenbrock, (rx0, rx1), (ry0, ry1), n=80, levels=14, log=True)
        ax_r.plot(*self.rosenbrock.minimizer, "P", color="k", ms=8, zorder=5)
        ax_r.set_title(f"Rosenbrock (b = {self.rosenbrock_b:g}): a curved valley", fontsize=10)

        self._lines: dict[tuple[str, str], Any] = {}
        self._notes: dict[str, Any] = {}
        for panel, ax in self._axes.items():
            start = self.bowl_start if panel == "bowl" else self.rosenbrock_start
            ax.plot(*start, "*", color="k", ms=11, zorder=6)
            for m in METHODS:
                self._lines[panel, m] = ax.plot([], [], marker=_MARKERS[m], ms=2.5, lw=1.3, color=COLORS[m],
                                                label=METHOD_LABELS[m], zorder=4)[0]
            self._notes[panel] = ax.text(0.02, 0.03, "", transform=ax.transAxes, fontsize=8, va="bottom",
                                         family="monospace", zorder=7,
                                         bbox={"boxstyle": "round", "fc": "white", "alpha": 0.85, "lw": 0.3})
        ax_b.set_title("quadratic bowl (θ₁² + κθ₂²)/2: a narrow valley", fontsize=10)
        # The legend lives outside the axes: it is drawn once, not with every redraw.
        self.figure.legend(handles=[self._lines["rosen", m] for m in METHODS], loc="outside lower center",
                           ncols=3, fontsize=9, frameon=False)
        # A fixed figure title: slider values go into the axes, so a redraw never has to redo figure-level text.
        self.figure.suptitle("GD, normalized GD and clipped GD, all with the same learning rate η",
                             fontsize=11, fontweight="bold")
        for ax in self._axes.values():
            ax.locator_params(nbins=6)  # fewer tick labels: text is most of a redraw's cost

    def _run(self, panel: str, method: str, eta: float, max_norm: float, kappa: float, n_steps: int) -> Trajectory:
        key = (panel, method, eta, max_norm if method == "clipped" else None, kappa if panel == "bowl" else None)
        run = self._cache.get(key)
        if run is None or (run.n_steps < n_steps and not run.diverged):
            if len(self._cache) > 200:
                self._cache.clear()
            start = self.bowl_start if panel == "bowl" else self.rosenbrock_start
            run = run_methods(self._gradients[panel], start, eta, max_norm, n_steps, methods=[method])[method]
            self._cache[key] = run
        return run

    def draw(self, eta: float, max_norm: float, condition_number: float, n_steps: int) -> dict[str, Any]:
        """Run the three methods on both landscapes and update the figure in place.

        Parameters
        ----------
        eta : float
            Learning rate (> 0), shared by all methods and both panels.
        max_norm : float
            Clipping threshold tau (> 0).
        condition_number : float
            kappa (>= 1) of the quadratic bowl.
        n_steps : int
            Number of iterations (>= 1).

        Returns
        -------
        dict
            ``"<panel>_<method>"`` (plotted iterates, finite; panel ``bowl`` or
            ``rosen``), ``"<panel>_<method>_steps"`` (step lengths),
            ``"<panel>_diverged"`` (bool per method), ``"<panel>_summary"``
            (the text shown) and the slider values.
        """
        eta = check_scalar(eta, "eta", low=0.0, low_inclusive=False)
        max_norm = check_scalar(max_norm, "max_norm", low=0.0, low_inclusive=False)
        kappa = check_scalar(condition_number, "condition_number", low=1.0)
        n_steps = check_int(n_steps, "n_steps", low=1)
        bowl = quadratic_bowl(kappa)
        if kappa != self._kappa:  # redraw the landscape only when it changes
            self._kappa = kappa
            curv = bowl.gradient(np.eye(2)).diagonal()
            self._gradients["bowl"] = _bowl_gradient(curv)
            top = float(bowl.value(self.bowl_start))
            for factor, patch in zip(self._level_factors, self._ellipses):
                # J = c is the ellipse with semi-axes sqrt(2 c / a_i) for curvatures a_i.
                patch.set_xy(self._circle * np.sqrt(2.0 * top * factor / curv))

        data: dict[str, Any] = {"eta": eta, "max_norm": max_norm, "condition_number": kappa, "n_steps": n_steps}
        for panel, objective, box in (("bowl", bowl, _BOWL_BOX), ("rosen", self.rosenbrock, _ROSEN_BOX)):
            notes, diverged = [], []
            for m in METHODS:
                run = self._run(panel, m, eta, max_norm, kappa, n_steps)
                thetas = run.thetas[: n_steps + 1]
                shown = Trajectory(thetas, run.grad_norms[: n_steps + 1], None,
                                   run.diverged and run.n_steps <= n_steps)
                path = _for_plot(thetas, box)
                self._lines[panel, m].set_data(path[:, 0], path[:, 1])
                data[f"{panel}_{m}"] = path
                data[f"{panel}_{m}_steps"] = np.nan_to_num(step_lengths(thetas), nan=np.inf).clip(0.0, 1e300)
                diverged.append(shown.diverged)
                notes.append(f"{_SHORT[m]:<8}{_verdict(objective, shown, n_steps)}")
            data[f"{panel}_diverged"] = np.array(diverged)
            head = f"κ = {kappa:.3g}, final J(θ)" if panel == "bowl" else "final J(θ)"
            data[f"{panel}_summary"] = "\n".join([head, *notes])  # short: glyphs are a redraw's main cost
            self._notes[panel].set_text(data[f"{panel}_summary"])
        if self.figure.get_layout_engine() is not None and not self._layout_frozen:
            # Lay the figure out once, then keep it: redraws skip the costly constrained layout.
            self.figure.draw_without_rendering()
            self.figure.set_layout_engine("none")
            self._layout_frozen = True
        return data


def plot_landscape_comparison(eta: float = 0.05, max_norm: float = 1.0, condition_number: float = 30.0,
                              n_steps: int = 100, *, rosenbrock_b: float = 10.0) -> Figure:
    """The explorable's figure at fixed settings: three methods on a quadratic bowl and on Rosenbrock.

    See :class:`LandscapeComparison`.

    Examples
    --------
    >>> fig = plot_landscape_comparison(n_steps=10)
    >>> len(fig.axes)
    2
    """
    panels = LandscapeComparison(rosenbrock_b=rosenbrock_b)
    panels.draw(eta, max_norm, condition_number, n_steps)
    return panels.figure
