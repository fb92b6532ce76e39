"""Static figures for lesson 04 (normalized gradient descent).

Every function returns a :class:`matplotlib.figure.Figure` made with
:func:`gnlib.figures.style.new_figure`; the lesson shows it by ending a cell with it.
The runs come from :mod:`gnlib.optim` via :func:`gnlib.optim.run_methods`.
Colours: ``COLORS["gd"]``, ``COLORS["ngd"]`` and ``COLORS["clipped"]`` as
everywhere in the course.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from .._validation import check_int, check_scalar
from ..clip import clip_coefficient
from ..functions import Objective, plateau, quadratic_bowl, saddle
from ..optim import (METHOD_LABELS, distances, gradient_descent, inverse_sqrt_schedule, normalized_gradient_descent,
                     run_methods, step_lengths, trajectory_losses)
from .style import COLORS, contour_landscape, new_figure

__all__ = [
    "plot_step_length_rules",
    "plot_race_1d",
    "plot_flat_and_saddle",
    "plot_schedule_fix",
]

_STYLE = {"gd": "-", "ngd": "-", "clipped": "--"}


def plot_step_length_rules(eta: float = 0.1, max_norm: float = 1.0) -> Figure:
    """Step length against gradient norm for GD, normalized GD and clipped GD.

    GD steps ``eta ||g||``, normalized GD always ``eta``, clipped GD
    ``eta min(||g||, tau)``: GD below tau, a normalized step of length
    ``eta tau`` above it.

    Parameters
    ----------
    eta : float, default 0.1
        Learning rate (> 0).
    max_norm : float, default 1
        Clipping threshold tau (> 0).

    Raises
    ------
    ValueError
        If ``eta`` or ``max_norm`` is not a positive finite number.

    Examples
    --------
    >>> fig = plot_step_length_rules(0.1, 1.0)
    >>> len(fig.axes[0].lines)
    4
    """
    eta = check_scalar(eta, "eta", low=0.0, low_inclusive=False)
    tau = check_scalar(max_norm, "max_norm", low=0.0, low_inclusive=False)
    g = np.geomspace(1e-3 * tau, 1e3 * tau, 200)
    fig, ax = new_figure(figsize=(6.0, 3.8))
    clipped = [eta * x * clip_coefficient(x, tau) for x in g]
    ax.loglog(g, clipped, color=COLORS["clipped"], lw=7, alpha=0.45,
              label=r"clipped GD: $\eta\,\min(\|g\|, \tau)$")
    ax.loglog(g, eta * g, color=COLORS["gd"], lw=1.5, label=r"GD: $\eta\,\|g\|$")
    ax.loglog(g, np.full_like(g, eta), color=COLORS["ngd"], lw=1.5, label=r"normalized GD: $\eta$")
    ax.axvline(tau, color=COLORS["neutral"], lw=1, ls=":")
    ax.text(tau * 1.15, eta * 1e-2, r"$\|g\| = \tau$", color=COLORS["neutral"], fontsize=9)
    ax.set_xlabel(r"gradient norm $\|\nabla J(\theta)\|$")
    ax.set_ylabel(r"step length $\|\theta_{t+1}-\theta_t\|$")
    ax.set_title(f"Clipped GD = GD below τ, normalized GD above\n(η = {eta:g}, τ = {tau:g})", fontsize=10)
    ax.legend(loc="upper left")
    ax.minorticks_off()  # decades are enough, and minor log ticks are slow to lay out
    return fig


def plot_race_1d(objective: Objective, x0: float, eta: float | Mapping[str, float], n_steps: int, *,
                 methods: Sequence[str] = ("gd", "ngd"), max_norm: float = 1.0,
                 xlim: tuple[float, float] | None = None, title: str | None = None) -> Figure:
    """Two panels for a 1-D objective: the iterates on the curve, and the distance to the minimizer.

    Parameters
    ----------
    objective : Objective
        A 1-D objective with a ``minimizer`` (e.g. ``plateau()``, ``quartic()``).
    x0 : float
        Start point.
    eta : float or mapping of str to float
        Learning rate: one for every method, or one per method
        (``{"gd": 0.01, "ngd": 0.1}``).
    n_steps : int
        Number of steps (>= 1).
    methods : sequence of str, default ("gd", "ngd")
        Methods to compare (keys of :data:`gnlib.optim.METHOD_LABELS`).
    max_norm : float, default 1
        tau for ``"clipped"``.
    xlim : tuple of float, optional
        Range of the left panel; default ``(-1.1 |x0|, 1.1 |x0|)``.
    title : str, optional
        Figure title (what to notice); a description of the run by default.

    Raises
    ------
    ValueError
        If ``objective`` is not 1-D or has no minimizer, or on invalid numbers.

    Examples
    --------
    >>> from gnlib.functions import quartic
    >>> fig = plot_race_1d(quartic(), 10.0, 0.01, 20)
    >>> len(fig.axes)
    2
    """
    if not isinstance(objective, Objective):
        raise TypeError(f"objective must be a gnlib.functions.Objective, got {type(objective).__name__}")
    if objective.dim != 1 or objective.minimizer is None:
        raise ValueError(f"objective must be 1-D with a minimizer, got {objective.name!r}")
    x0 = check_scalar(x0, "x0")
    n_steps = check_int(n_steps, "n_steps", low=1)
    if isinstance(eta, Mapping):
        missing = [m for m in methods if m not in eta]
        if missing:
            raise ValueError(f"eta must give a learning rate for every method, missing {missing}")
        runs = {m: run_methods(objective, [x0], eta[m], max_norm, n_steps, methods=[m])[m] for m in methods}
        etas = {m: check_scalar(eta[m], f"eta[{m!r}]") for m in methods}
    else:
        runs = run_methods(objective, [x0], eta, max_norm, n_steps, methods=methods)
        etas = {m: check_scalar(eta, "eta") for m in methods}
    lo, hi = xlim if xlim is not None else (-1.1 * abs(x0), 1.1 * abs(x0))
    fig, (ax_f, ax_d) = new_figure(1, 2, figsize=(9.0, 3.6))
    grid = np.linspace(lo, hi, 400)
    ax_f.plot(grid, objective.value(grid[:, None]), color=COLORS["neutral"], lw=1.5)
    ax_f.set_xlim(lo, hi)
    ax_f.set_xlabel(r"$\theta$")
    ax_f.set_ylabel(r"$J(\theta)$")
    ax_f.set_title(objective.name, fontsize=10)
    for name, run in runs.items():
        xs = run.thetas[:, 0]
        inside = (xs >= lo) & (xs <= hi)
        ax_f.plot(xs[inside], trajectory_losses(objective, xs[inside, None]), "o", ms=4, alpha=0.7,
                  color=COLORS[name], label=METHOD_LABELS[name])
        dist = distances(run, objective.minimizer)
        label = f"{METHOD_LABELS[name]}, η = {etas[name]:g}"
        if name == "clipped":
            label += f", τ = {max_norm:g}"
        if run.diverged:
            label += f" (overflow after step {run.n_steps})"
        ax_d.semilogy(np.arange(len(dist)), np.clip(dist, 1e-300, 1e300), _STYLE[name], color=COLORS[name],
                      marker="o", ms=2.5, lw=1.5, label=label)
        if run.diverged:
            ax_d.plot(run.n_steps, 5e3, "X", color=COLORS[name], ms=10, clip_on=False)
    ax_f.plot(x0, float(objective.value(np.array([x0]))), "*", color="k", ms=12, label=r"start $\theta_0$")
    ax_f.legend(loc="best")
    ax_d.set_xlabel("step $t$")
    ax_d.set_ylabel(r"$|\theta_t - \theta^\star|$ (log scale)")
    ax_d.set_ylim(1e-4, 1e4)
    ax_d.minorticks_off()
    ax_d.legend(loc="best")
    fig.suptitle(title or f"{objective.name} from θ₀ = {x0:g}", fontsize=11, fontweight="bold")
    return fig


def plot_flat_and_saddle(eta: float = 0.1, n_steps: int = 40) -> Figure:
    """GD and normalized GD on a 2-D plateau and near a saddle, with their step lengths.

    Left: ``1 - exp(-||theta||^2)`` from (2.2, 1.3), where the gradient is tiny.
    Middle: the saddle ``theta_1^2 - theta_2^2`` from (1.5, 0.001), almost on
    its stable direction. Right: the step length of each run per iteration;
    normalized GD keeps ``eta`` while GD's steps shrink with the gradient.

    Examples
    --------
    >>> fig = plot_flat_and_saddle(0.1, 10)
    >>> len(fig.axes)
    3
    """
    eta = check_scalar(eta, "eta", low=0.0, low_inclusive=False)
    n_steps = check_int(n_steps, "n_steps", low=1)
    fig, (ax_p, ax_s, ax_l) = new_figure(1, 3, figsize=(10.0, 3.7))
    setups = [(ax_p, plateau(2), (2.2, 1.3), (-2.5, 2.5), (-2.0, 2.0), "plateau"),
              (ax_s, saddle(), (1.5, 1e-3), (-1.7, 1.7), (-0.6, 2.0), "saddle")]
    for ax, objective, start, xlim, ylim, tag in setups:
        contour_landscape(ax, objective, xlim, ylim, n=100, levels=15)
        ax.plot(*start, "*", color="k", ms=12)
        ax.set_title(objective.name, fontsize=10)  # the name says which landscape it is
        runs = run_methods(objective, start, eta, 1.0, n_steps, methods=("gd", "ngd"))
        for name, run in runs.items():
            ax.plot(run.thetas[:, 0], run.thetas[:, 1], "o-", ms=2.5, lw=1.2, color=COLORS[name],
                    label=METHOD_LABELS[name])
            steps = step_lengths(run)
            ax_l.semilogy(np.arange(1, len(steps) + 1), steps, color=COLORS[name],
                          ls="-" if tag == "plateau" else "--", label=f"{METHOD_LABELS[name]}, {tag}")
    ax_p.legend(loc="lower left")
    ax_l.set_xlabel("step $t$")
    ax_l.set_ylabel(r"step length $\|\theta_{t+1}-\theta_t\|$")
    ax_l.set_title("normalized GD: always η", fontsize=10)
    ax_l.legend(loc="lower right", fontsize=8)
    ax_l.minorticks_off()
    fig.suptitle(f"Where the gradient is tiny, GD crawls; normalized GD keeps stepping η = {eta:g}",
                 fontsize=11, fontweight="bold")
    return fig


def plot_schedule_fix(eta0: float = 0.1, x0: float = 1.03, n_steps: int = 1000) -> Figure:
    """Normalized GD on ``J = theta^2 / 2``: constant eta cycles, ``eta_t = eta0 / sqrt(t+1)`` converges.

    Left: the first iterates (the constant-step run ends in a 2-cycle of
    amplitude about eta0). Right: the losses on a log scale, with GD at the
    same eta0 and the bound ``eta_t^2 / 2`` for the decaying schedule.

    Examples
    --------
    >>> fig = plot_schedule_fix(0.1, 1.03, 50)
    >>> len(fig.axes)
    2
    """
    eta0 = check_scalar(eta0, "eta0", low=0.0, low_inclusive=False)
    x0 = check_scalar(x0, "x0")
    n_steps = check_int(n_steps, "n_steps", low=1)
    bowl = quadratic_bowl(dim=1)
    schedule = inverse_sqrt_schedule(eta0)
    runs = {
        "constant": (normalized_gradient_descent(bowl.gradient, [x0], eta0, n_steps, loss_fn=bowl.value),
                     COLORS["ngd"], "-", f"normalized GD, η = {eta0:g}"),
        "decaying": (normalized_gradient_descent(bowl.gradient, [x0], schedule, n_steps, loss_fn=bowl.value),
                     COLORS["accent"], "-", rf"normalized GD, $\eta_t = {eta0:g}/\sqrt{{t+1}}$"),
        "gd": (gradient_descent(bowl.gradient, [x0], eta0, n_steps, loss_fn=bowl.value),
               COLORS["gd"], ":", f"GD, η = {eta0:g}"),
    }
    fig, (ax_x, ax_j) = new_figure(1, 2, figsize=(10.0, 3.8))
    shown = min(n_steps, max(30, int(2.5 * abs(x0) / eta0)))
    t = np.arange(n_steps + 1)
    for run, color, ls, label in runs.values():
        ax_x.plot(t[: shown + 1], run.thetas[: shown + 1, 0], ls, color=color, marker="o", ms=2.5, lw=1.2,
                  label=label)
        ax_j.loglog(t[1:], np.maximum(run.losses[1:], 1e-300), ls, color=color, lw=0.9, label=label)
    ax_j.loglog(t[1:], 0.5 * np.array([schedule(k - 1) for k in t[1:]]) ** 2, color=COLORS["neutral"], lw=1,
                ls="--", label=r"$\eta_{t-1}^2/2$")
    for y in (eta0, -eta0):
        ax_x.axhline(y, color=COLORS["neutral"], lw=0.8, ls=":")
    ax_x.set_xlabel("step $t$")
    ax_x.set_ylabel(r"$\theta_t$")
    ax_x.set_title(r"the first steps (dotted: $\pm\eta$)", fontsize=10)
    ax_x.legend(loc="upper right", fontsize=8)
    ax_j.set_ylim(1e-12, 10.0)
    ax_j.set_xlabel("step $t$ (log scale)")
    ax_j.set_ylabel(r"$J(\theta_t)$ (log scale)")
    ax_j.set_title("losses", fontsize=10)
    ax_j.legend(loc="lower left", fontsize=8)
    ax_j.minorticks_off()
    fig.suptitle(r"A constant η leaves normalized GD bouncing around the minimum; a decaying $\eta_t$ settles it",
                 fontsize=11, fontweight="bold")
    return fig
