"""Explorables for lesson 02: the directional derivative and the finite-difference step h."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from .._validation import as_float_array, check_scalar
from ..figures.style import COLORS, contour_landscape, new_figure
from ..functions import Objective, hill_and_pit
from ..gradcheck import directional_derivative, finite_difference_errors, unit_vector
from ..norms import l2_norm
from ._explorable import Explorable, float_slider, log_slider

__all__ = ["directional_derivative_explorer", "finite_difference_explorer"]


# The map shows a window of +-1.6 around the point: beyond this, neighbouring
# floating-point numbers are too far apart for contours and arrows to be drawn.
_FARTHEST = 1e6


def _objective_and_point(objective: Objective | None, point: Any) -> tuple[Objective, np.ndarray]:
    objective = hill_and_pit() if objective is None else objective
    if not isinstance(objective, Objective) or objective.dim != 2:
        raise TypeError("objective must be a 2-D gnlib.functions.Objective")
    point = as_float_array(point, "point").astype(np.float64)
    if point.shape != (2,) or not np.isfinite(point).all():
        raise ValueError(f"point must be two finite numbers (theta_1, theta_2), got {point!r}")
    if np.abs(point).max() > _FARTHEST:
        raise ValueError(f"point must lie within ±{_FARTHEST:g} in each coordinate, got {point.tolist()}: "
                         "the views are windows of fixed size around it, which the plot cannot resolve "
                         "that far out")
    with np.errstate(over="ignore", invalid="ignore"):
        value, gradient = objective.value(point), np.asarray(objective.gradient(point), dtype=np.float64)
    if not (np.isfinite(value) and np.isfinite(gradient).all()):
        raise ValueError(f"the objective's value or gradient at point {point.tolist()} is not finite "
                         "(it overflows there); choose a point nearer the origin")
    return objective, point


def directional_derivative_explorer(objective: Objective | None = None,
                                    point: Any = (0.0, 0.0)) -> Explorable:
    """Turn a unit vector ``u`` around a point and watch ``D_u f = grad f . u``.

    Left: contours of ``f``, the point, the gradient (blue), ``u`` (orange)
    and the projection of the gradient onto ``u``, whose signed length is
    ``D_u f``. Right: ``D_u f`` against the angle of ``u``, a cosine of
    amplitude ``||grad f||`` peaking at the gradient's own angle.

    Parameters
    ----------
    objective : Objective, optional
        A 2-D objective; default :func:`gnlib.functions.hill_and_pit`.
    point : (float, float), default (0, 0)
        Where the derivatives are taken.

    Returns
    -------
    Explorable
        Control ``"angle"`` (degrees). ``data`` holds ``"angle"``, ``"u"``,
        ``"gradient"``, ``"grad_norm"``, ``"grad_angle"`` (degrees),
        ``"directional_derivative"``, ``"angles"`` and ``"curve"`` (the full
        ``D_u f`` curve over 0..360 degrees).

    Raises
    ------
    TypeError
        If ``objective`` is not a 2-D ``Objective``.
    ValueError
        If ``point`` is not two finite numbers within ±1e6, or the
        objective's value or gradient overflows there.
    """
    objective, point = _objective_and_point(objective, point)
    grad = np.asarray(objective.gradient(point), dtype=np.float64)
    grad_norm = l2_norm(grad)
    grad_angle = float(np.degrees(np.arctan2(grad[1], grad[0])) % 360.0)
    angles = np.linspace(0.0, 360.0, 361)
    curve = directional_derivative(grad, unit_vector(angles))

    fig, (ax_map, ax_curve) = new_figure(1, 2, figsize=(9.0, 3.9))
    reach = 1.6
    xlim, ylim = (point[0] - reach, point[0] + reach), (point[1] - reach, point[1] + reach)
    contour_landscape(ax_map, objective, xlim, ylim, n=60, levels=14)
    ax_map.set_aspect("equal")
    # Plain-text labels everywhere: mathtext is re-parsed on every redraw and would double its cost.
    ax_map.set_xlabel("θ₁")
    ax_map.set_ylabel("θ₂")
    if grad_norm > 0:
        tangent = np.array([-grad[1], grad[0]]) / grad_norm * 1.4
        ax_map.plot(*np.stack([point - tangent, point + tangent]).T, "--", color=COLORS["neutral"],
                    lw=1, label="contour direction (D_u f = 0)")
    arrows = ax_map.quiver([point[0], point[0]], [point[1], point[1]], [grad[0], 1.0], [grad[1], 0.0],
                           color=[COLORS["gd"], COLORS["value"]], angles="xy", scale_units="xy",
                           scale=1.0, width=0.012, zorder=4)
    (projection,) = ax_map.plot([], [], ":", color=COLORS["black"], lw=1.2)
    (foot,) = ax_map.plot([], [], "o", color=COLORS["penalty"], ms=6, zorder=5,
                          label="(∇f·u) u")
    ax_map.plot(*point, "o", color=COLORS["black"], ms=5, zorder=6)
    ax_map.plot([], [], color=COLORS["gd"], label="∇f(θ)")
    ax_map.plot([], [], color=COLORS["value"], label="unit vector u")
    ax_map.legend(loc="lower left", fontsize=8)

    ax_curve.plot(angles, curve, color=COLORS["neutral"], lw=1.5)
    for level in (grad_norm, -grad_norm):
        ax_curve.axhline(level, color=COLORS["gd"], ls="--", lw=1)
    ax_curve.axvline(grad_angle, color=COLORS["gd"], ls=":", lw=1)
    ax_curve.text(2.0, grad_norm, " +‖∇f‖", color=COLORS["gd"], va="bottom", fontsize=9)
    ax_curve.text(2.0, -grad_norm, " −‖∇f‖", color=COLORS["gd"], va="top", fontsize=9)
    marker = ax_curve.scatter([0.0], [0.0], s=60, color=COLORS["value"], zorder=5)
    ax_curve.set_xlim(0.0, 360.0)
    ax_curve.set_xticks(np.arange(0, 361, 90))
    pad = 0.25 * grad_norm + 1e-3
    ax_curve.set_ylim(-grad_norm - pad, grad_norm + pad)
    ax_curve.set_xlabel("angle φ of u (degrees)")
    ax_curve.set_ylabel("D_u f(θ)")
    ax_curve.set_title(f"largest D_u f = ‖∇f‖ = {grad_norm:.3g}, at φ = {grad_angle:.0f}°")

    def update(angle: float) -> dict:
        u = unit_vector(angle)
        rate = directional_derivative(grad, u)
        arrows.set_UVC([grad[0], u[0]], [grad[1], u[1]])
        tip = point + rate * u
        foot.set_data([tip[0]], [tip[1]])
        projection.set_data([point[0] + grad[0], tip[0]], [point[1] + grad[1], tip[1]])
        marker.set_offsets([[angle, rate]])
        ax_map.set_title(f"φ = {angle:.0f}°:  D_u f = ∇f·u = {rate:+.3f}")
        return {"angle": float(angle), "u": u, "gradient": grad, "grad_norm": grad_norm,
                "grad_angle": grad_angle, "directional_derivative": rate,
                "angles": angles, "curve": curve}

    controls = {"angle": float_slider("angle φ of u (degrees)", 0.0, 0.0, 360.0, 1.0, readout_format=".0f")}
    return Explorable(fig, controls, update, caption=(
        f"Find the angle where D_u f is largest (it is the gradient's angle, about {grad_angle:.0f}°), "
        "where it is most negative (steepest descent, −∇f) and where it is 0 (along the contour line)."))


def finite_difference_explorer(objective: Objective | None = None, point: Any = (0.3, -0.2)) -> Explorable:
    """Forward and central differences: relative error against the step ``h`` (log-log).

    The two curves are computed once for 97 steps from 1e-14 to 1; the slider
    picks one ``h``, marks it on both curves and prints both errors. Large
    ``h``: truncation error (slope 1 forward, slope 2 central). Small ``h``:
    round-off error, growing like eps / h.

    Parameters
    ----------
    objective : Objective, optional
        A 2-D objective with an analytic gradient; default
        :func:`gnlib.functions.hill_and_pit`.
    point : (float, float), default (0.3, -0.2)
        Where the gradient is approximated.

    Returns
    -------
    Explorable
        Control ``"h"``. ``data`` holds ``"h"``, ``"forward_error"``,
        ``"central_error"`` (at the chosen ``h``) and the curves ``"hs"``,
        ``"forward"``, ``"central"``.

    Raises
    ------
    TypeError
        If ``objective`` is not a 2-D ``Objective``.
    ValueError
        If ``point`` is not two finite numbers within ±1e6, or the
        objective's value or gradient overflows there.
    """
    objective, point = _objective_and_point(objective, point)
    curves = finite_difference_errors(objective.value, objective.gradient, point, np.logspace(-14, 0, 97))
    hs = curves["h"]
    fig, ax = new_figure(figsize=(6.6, 4.0))
    ax.loglog(hs, curves["forward"], color=COLORS["value"], label="forward difference")
    ax.loglog(hs, curves["central"], color=COLORS["clipped"], ls="--", label="central difference")
    ax.loglog(hs, np.finfo(float).eps / hs, ":", color=COLORS["neutral"], lw=1.2, label="round-off ε_mach/h")
    marks = ax.scatter([1.0, 1.0], [1.0, 1.0], s=60, color=[COLORS["value"], COLORS["clipped"]],
                       edgecolors="black", zorder=5)
    vline = ax.axvline(1e-5, color=COLORS["black"], lw=0.8)
    ax.set_xlim(hs[0], hs[-1])
    ax.set_ylim(1e-13, 1e1)
    # Plain "1e-08" tick labels: the default mathtext labels cost most of a redraw.
    ax.set_xticks(10.0 ** np.arange(-14, 1, 2))
    ax.set_yticks(10.0 ** np.arange(-12, 1, 2))
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"1e{round(np.log10(v)):+03d}"))
        axis.set_minor_locator(NullLocator())
    ax.set_xlabel("step h")
    ax.set_ylabel("relative error of the gradient")
    ax.legend(loc="upper center", ncol=3, fontsize=8)

    def update(h: float) -> dict:
        h = check_scalar(h, "h", low=0.0, low_inclusive=False)
        errs = finite_difference_errors(objective.value, objective.gradient, point, [h])
        fwd, cen = float(errs["forward"][0]), float(errs["central"][0])
        marks.set_offsets([[h, fwd], [h, cen]])
        vline.set_xdata([h, h])
        ax.set_title(f"h = {h:.1e}\nforward error {fwd:.1e}, central error {cen:.1e}")
        return {"h": h, "forward_error": fwd, "central_error": cen,
                "hs": hs, "forward": curves["forward"], "central": curves["central"]}

    controls = {"h": log_slider("step h", 1e-5, -14.0, 0.0, 0.25, readout_format=".1e")}
    return Explorable(fig, controls, update, caption=(
        "Slide h from 1 down to 1e-14. Where is each error smallest? Why does making h smaller "
        "stop helping, and why does the central difference reach a smaller error than the forward one?"))
