"""Static figures for lesson 03, exploding gradients and gradient clipping.

Each ``plot_*`` function returns a matplotlib figure made with
:func:`gnlib.figures.style.new_figure`. The two figures that also have an
explorable (trajectories over the cliff, clip-by-norm against clip-by-value)
are built from a public ``*_figure`` function that draws the static parts and
a ``draw_*`` function that fills the moving artists in place; the explorables
of :mod:`gnlib.widgets.clipping` use the same two builders.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .._validation import check_int, check_scalar
from ..clip import clip_by_global_norm, clip_by_norm
from ..angles import angle_between
from ..norms import l2_norm
from ..optim import Trajectory, clipped_gradient_descent, gradient_descent
from ..models.cliff import cliff_min_weight, cliff_wall_bias, wall_peak_gradient_norm
from ..models.rnn import CLIFF_START, cliff_objective, linear_recurrence_gradient, rnn_loss_and_grad
from .norm_value import draw_norm_value, norm_value_figure, plot_norm_vs_value  # re-exported
from .style import COLORS, new_figure

__all__ = [
    "cliff_surface", "cliff_runs", "plot_linear_recurrence_gradients",
    "plot_cliff_surfaces", "plot_cliff_slice", "plot_cliff_trajectories", "plot_norm_vs_value",
    "plot_global_vs_per_tensor", "plot_grad_norm_monitor",
    "cliff_figure", "draw_cliff_runs", "norm_value_figure", "draw_norm_value",
]

_WLIM, _BLIM = (-2.0, 12.0), (-8.0, 4.0)


def cliff_surface(wlim: tuple[float, float] = _WLIM, blim: tuple[float, float] = _BLIM,
                  n: int = 200) -> dict[str, np.ndarray]:
    """Loss and gradient norm of the single-unit recurrent net on an ``n x n`` grid of ``(w, b)``.

    Returns a dict with ``"w"`` and ``"b"`` (1-D axes), ``"E"`` and
    ``"grad_norm"`` (shape ``(n, n)``, rows along ``b``) and ``"extent"``.
    The grid is computed once per window and reused (the arrays are read-only).
    """
    n = check_int(n, "n", low=2)
    return dict(_cached_surface(tuple(map(float, wlim)), tuple(map(float, blim)), n))


@functools.lru_cache(maxsize=8)
def _cached_surface(wlim: tuple[float, float], blim: tuple[float, float], n: int) -> dict[str, Any]:
    w = np.linspace(*wlim, n)
    b = np.linspace(*blim, n)
    E, gw, gb = rnn_loss_and_grad(w[None, :], b[:, None])
    surface = {"w": w, "b": b, "E": E, "grad_norm": np.hypot(gw, gb)}
    for arr in surface.values():
        arr.flags.writeable = False
    return {**surface, "extent": (*wlim, *blim)}


def cliff_runs(learning_rate: float = 0.5, max_norm: float = 1.0, n_steps: int = 100,
               theta0: Sequence[float] = CLIFF_START) -> tuple[Trajectory, Trajectory]:
    """Plain GD and norm-clipped GD on the cliff from the same start, losses filled in.

    Returns ``(gd, clipped)``, two :class:`~gnlib.optim.Trajectory` objects.
    The losses are computed afterwards in one vectorized call.
    """
    J = cliff_objective()
    runs = (gradient_descent(J.gradient, theta0, learning_rate, n_steps),
            clipped_gradient_descent(J.gradient, theta0, learning_rate, max_norm, n_steps))
    return tuple(replace(run, losses=J.value(run.thetas)) for run in runs)  # type: ignore[return-value]


def plot_linear_recurrence_gradients(weights: Sequence[float] = (0.8, 0.95, 1.0, 1.05, 1.2),
                                     max_steps: int = 100, x0: float = 0.5) -> Figure:
    """``|dx_T/dw| = T |x0| |w|^(T-1)`` against the sequence length ``T``, one line per ``w``."""
    max_steps = check_int(max_steps, "max_steps", low=2)
    steps = np.arange(1, max_steps + 1)
    fig, ax = new_figure(figsize=(6.4, 3.8))
    styles = ["-", "--", ":", "-.", "-"]
    for i, w in enumerate(weights):
        g = np.abs(linear_recurrence_gradient(w, steps, x0))
        ax.semilogy(steps, g, styles[i % len(styles)], label=f"$w = {w:g}$")
    ax.set_xlabel("sequence length $T$")
    ax.set_ylabel(r"$|\partial x_T / \partial w|$ (log scale)")
    ax.set_title("one factor $w$ per step: exponential in $T$")
    ax.legend(ncols=2)
    return fig


def _wall(ax: Any, wlim: tuple[float, float]) -> None:
    w = np.linspace(max(cliff_min_weight(), wlim[0]), wlim[1], 2)
    ax.plot(w, cliff_wall_bias(w), "--", color=COLORS["ngd"], lw=1.2,
            label=r"wall $b = 0.5 - 0.6225\,w$")


def plot_cliff_surfaces(surface: Mapping[str, Any] | None = None) -> Figure:
    """The error surface ``E(w, b)`` and ``log10 ||grad E||`` side by side, with the wall line."""
    s = cliff_surface() if surface is None else surface
    fig, (ax_e, ax_g) = new_figure(1, 2, figsize=(9.6, 3.9))
    im = ax_e.imshow(s["E"], origin="lower", extent=s["extent"], aspect="auto", cmap="Greys_r")
    fig.colorbar(im, ax=ax_e, label="$E$")
    logg = np.log10(np.maximum(s["grad_norm"], 1e-12))
    im = ax_g.imshow(logg, origin="lower", extent=s["extent"], aspect="auto", vmin=-6, vmax=4)
    fig.colorbar(im, ax=ax_g, label=r"$\log_{10}\|\nabla E\|$", extend="both")
    w_wall = np.linspace(max(cliff_min_weight() + 0.05, s["extent"][0]), s["extent"][1], 25)
    ax_g.scatter(w_wall, cliff_wall_bias(w_wall), c=np.log10(wall_peak_gradient_norm(w_wall)),
                 vmin=-6, vmax=4, s=22, edgecolors="white", linewidths=0.6, zorder=4,
                 label=r"peak $\|\nabla E\|$ across the wall")
    for ax, title in [(ax_e, "loss $E$: a sharp step along a line"),
                      (ax_g, r"$\|\nabla E\|$: tiny on the grid, huge on the wall (dots)")]:
        _wall(ax, s["extent"][:2])
        ax.set_xlim(s["extent"][:2])
        ax.set_ylim(s["extent"][2:])
        ax.set_xlabel("recurrent weight $w$")
        ax.set_ylabel("bias $b$")
        ax.set_title(title)
        ax.grid(False)
    ax_g.legend(loc="upper right", fontsize=8)
    ax_e.legend(loc="upper right")
    return fig


def plot_cliff_slice(w: float = 5.0, half_width: float = 0.05, n: int = 4001) -> Figure:
    """``E`` and ``||grad E||`` along ``b`` at fixed ``w``, across the wall at ``b*(w)``."""
    w = check_scalar(w, "w")
    half_width = check_scalar(half_width, "half_width", low=0.0, low_inclusive=False)
    center = float(cliff_wall_bias(w))
    b = np.union1d(np.linspace(center - half_width, center + half_width, n),
                   center + np.linspace(-2e-3, 2e-3, n))
    E, gw, gb = rnn_loss_and_grad(w, b)
    fig, (ax_e, ax_g) = new_figure(1, 2, figsize=(9.6, 3.4))
    ax_e.plot(b, E, color=COLORS["black"])
    ax_e.set_ylabel("$E$")
    ax_g.semilogy(b, np.maximum(np.hypot(gw, gb), 1e-12), color=COLORS["ngd"])
    ax_g.set_ylabel(r"$\|\nabla E\|$ (log scale)")
    for ax in (ax_e, ax_g):
        ax.axvline(center, color=COLORS["neutral"], ls=":", lw=1)
        ax.set_xlabel(f"bias $b$ at $w = {w:g}$ (dotted: $b^* = {center:.5f}$)")
    ax_e.set_title("the loss jumps across the wall")
    ax_g.set_title(f"the gradient norm peaks at {np.hypot(gw, gb).max():.2g}")
    return fig


def cliff_figure(window: tuple[float, float, float, float] = (1.0, 9.0, -6.0, 2.0),
                  n: int = 200) -> tuple[Figure, dict[str, Any]]:
    """Static part of the trajectory figure over the cliff: error surface, wall, empty runs.

    Parameters
    ----------
    window : (float, float, float, float)
        ``(w_low, w_high, b_low, b_high)`` shown on the left panel.
    n : int, default 200
        Grid points per axis of the error surface.

    Returns
    -------
    (Figure, dict)
        The figure and its moving artists, for :func:`draw_cliff_runs`.
    """
    s = cliff_surface(window[:2], window[2:], n)
    fig, (ax, ax_loss) = new_figure(1, 2, figsize=(9.6, 3.9))
    ax.imshow(s["E"], origin="lower", extent=window, aspect="auto", cmap="Greys_r", alpha=0.8)
    _wall(ax, window[:2])
    (gd,) = ax.plot([], [], "o-", color=COLORS["gd"], ms=3, lw=1.5, label="plain GD")
    (cl,) = ax.plot([], [], "o-", color=COLORS["clipped"], ms=3, lw=1.5, label="clipped GD")
    ax.plot(*CLIFF_START, "*", color=COLORS["yellow"], mec="k", ms=12, zorder=5)
    note = ax.text(0.03, 0.04, "", transform=ax.transAxes, fontsize=9, color=COLORS["gd"],
                   bbox={"fc": "white", "alpha": 0.85, "lw": 0})
    ax.set_xlim(window[:2])
    ax.set_ylim(window[2:])
    ax.set_xlabel("recurrent weight $w$")
    ax.set_ylabel("bias $b$")
    ax.grid(False)
    (gd_loss,) = ax_loss.semilogy([], [], color=COLORS["gd"], label="plain GD")
    (cl_loss,) = ax_loss.semilogy([], [], color=COLORS["clipped"], ls="--", label="clipped GD")
    ax_loss.set_ylim(1e-5, 1.0)
    ax_loss.set_xlabel("step $t$")
    ax_loss.set_ylabel(r"loss $E(\theta_t)$ (log scale)")
    # One legend for both panels, outside them: no trajectory ever passes under
    # it, so a slider redraw never has to draw it again.
    fig.legend(handles=[gd, cl], loc="outside lower center", ncols=2)
    return fig, {"ax": ax, "ax_loss": ax_loss, "gd": gd, "clipped": cl, "gd_loss": gd_loss,
                 "clipped_loss": cl_loss, "note": note}


def draw_cliff_runs(artists: Mapping[str, Any], learning_rate: float, max_norm: float,
                     n_steps: int) -> dict[str, Any]:
    """Run plain and clipped GD from the cliff start and move the artists of :func:`cliff_figure`.

    Parameters
    ----------
    artists : dict
        As returned by :func:`cliff_figure`.
    learning_rate, max_norm : float
        eta and the clipping threshold tau.
    n_steps : int
        Iterations of each run.

    Returns
    -------
    dict
        Iterates, losses and gradient norms of both runs.
    """
    gd, cl = cliff_runs(learning_rate, max_norm, n_steps)
    artists["gd"].set_data(gd.thetas[:, 0], gd.thetas[:, 1])
    artists["clipped"].set_data(cl.thetas[:, 0], cl.thetas[:, 1])
    floor = 1e-12  # a loss of exactly 0 cannot sit on a log axis
    artists["gd_loss"].set_data(np.arange(len(gd.losses)), np.maximum(gd.losses, floor))
    artists["clipped_loss"].set_data(np.arange(len(cl.losses)), np.maximum(cl.losses, floor))
    if tuple(artists["ax_loss"].get_xlim()) != (0, n_steps):  # only when it changes: keeps redraws cheap
        artists["ax_loss"].set_xlim(0, n_steps)
    w, b = gd.final
    artists["note"].set_text(f"plain GD ends at (w, b) = ({w:.4g}, {b:.4g})")
    artists["ax"].set_title(f"η = {learning_rate:.3g}, τ = {max_norm:.3g}: largest plain-GD step "
                            f"{learning_rate * gd.grad_norms.max():.3g}", fontsize=10)
    artists["ax_loss"].set_title(f"final E: plain {gd.losses[-1]:.2g}, clipped {cl.losses[-1]:.2g}",
                                 fontsize=10)
    return {"gd_thetas": gd.thetas, "clipped_thetas": cl.thetas, "gd_losses": gd.losses,
            "clipped_losses": cl.losses, "gd_grad_norms": gd.grad_norms,
            "clipped_grad_norms": cl.grad_norms}


def plot_cliff_trajectories(learning_rate: float = 0.5, max_norm: float = 1.0,
                            n_steps: int = 100) -> Figure:
    """Plain and clipped GD from (5.0, -2.6124) over the error surface, and their losses."""
    fig, artists = cliff_figure()
    draw_cliff_runs(artists, learning_rate, max_norm, n_steps)
    return fig


def plot_global_vs_per_tensor(grads: Sequence[Any], max_norm: float,
                              names: Sequence[str] | None = None) -> Figure:
    """Per-group norms before clipping, after global-norm clipping and after per-tensor clipping."""
    globally, total = clip_by_global_norm(grads, max_norm)
    per_tensor = [clip_by_norm(g, max_norm) for g in grads]
    names = list(names) if names is not None else [f"group {i}" for i in range(len(grads))]
    flat = [np.concatenate([np.ravel(a) for a in group]) for group in (grads, globally, per_tensor)]
    x = np.arange(len(grads))
    fig, ax = new_figure(figsize=(6.4, 3.6))
    for k, (group, label, color) in enumerate([(grads, "before", COLORS["gd"]),
                                               (globally, "global-norm clipping", COLORS["clipped"]),
                                               (per_tensor, "per-tensor clipping", COLORS["value"])]):
        ax.bar(x + (k - 1) * 0.27, [l2_norm(g) for g in group], 0.27, color=color, label=label)
    ax.axhline(max_norm, color=COLORS["neutral"], ls=":", lw=1, label=f"τ = {max_norm:g}")
    ax.set_yscale("log")
    ax.set_xticks(x, names)
    ax.set_ylabel(r"$\|g_i\|$ of each group (log scale)")
    ax.set_title(f"total norm {total:.3g}; direction change: global "
                 f"{angle_between(flat[0], flat[1]):.1f}°, per-tensor {angle_between(flat[0], flat[2]):.1f}°",
                 fontsize=10)
    ax.legend(fontsize=8)
    return fig


def plot_grad_norm_monitor(runs: Mapping[str, Trajectory], max_norm: float | None = None) -> Figure:
    """Training curves to watch: ``||g_t||`` and the loss per step, log scale, one line per run.

    ``runs`` maps a label to a trajectory with losses; zeros are drawn at 1e-12.
    """
    fig, (ax_g, ax_l) = new_figure(1, 2, figsize=(9.6, 3.6))
    for (label, run), color, ls in zip(runs.items(), [COLORS["gd"], COLORS["clipped"], COLORS["ngd"]],
                                       ["-", "--", ":"]):
        steps = np.arange(len(run.grad_norms))
        ax_g.semilogy(steps, np.maximum(run.grad_norms, 1e-12), ls, color=color, label=label)
        if run.losses is not None:
            ax_l.semilogy(steps, np.maximum(run.losses, 1e-12), ls, color=color, label=label)
    if max_norm is not None:
        ax_g.axhline(max_norm, color=COLORS["neutral"], ls=":", lw=1, label=f"τ = {max_norm:g}")
    ax_g.set_ylabel(r"$\|\nabla J(\theta_t)\|$ (log; 0 drawn at 1e-12)")
    ax_g.set_title("gradient norm: a spike, then silence")
    ax_l.set_ylabel(r"loss $J(\theta_t)$ (log scale)")
    ax_l.set_title("loss: stuck after the spike without clipping")
    for ax in (ax_g, ax_l):
        ax.set_xlabel("step $t$")
        ax.legend(fontsize=8)
    return fig
