"""Static figures for lesson 03b: a tanh RNN trained on the adding problem, with and without clipping.

Each ``plot_*`` function takes an :class:`~gnlib.models.adding_problem.AddingRun`
(or runs one small experiment) and returns a figure made with
:func:`gnlib.figures.style.new_figure`. :func:`threshold_figure` and
:func:`draw_threshold` build the picture of the clipping-threshold explorable
in :mod:`gnlib.widgets.rnn_training`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from .._validation import check_int
from ..models.adding_problem import BASELINE_MSE, AddingRun, spike_response
from .style import COLORS, new_figure

__all__ = ["smoothed", "plot_loss_curves", "plot_gradient_norms", "plot_state_gradients",
           "plot_spike_response", "threshold_figure", "draw_threshold"]

_CEILING = 1e30  # where the log-scale gradient-norm axes stop (overflow is marked, not drawn)


def smoothed(values: np.ndarray, window: int = 25) -> np.ndarray:
    """The trailing moving average of a per-step series; NaN from the first non-finite value on.

    Examples
    --------
    >>> smoothed(np.array([1.0, 3.0, np.inf, 1.0]), window=2).tolist()
    [1.0, 2.0, nan, nan]
    """
    window = check_int(window, "window", low=1)
    values = np.asarray(values, dtype=float)
    bad = ~np.isfinite(values)
    first_bad = int(np.argmax(bad)) if bad.any() else len(values)
    clean = np.where(bad, 0.0, values)
    csum = np.concatenate([[0.0], np.cumsum(clean)])
    idx = np.arange(1, len(values) + 1)
    lo = np.maximum(idx - window, 0)
    out = (csum[idx] - csum[lo]) / (idx - lo)
    out[first_bad:] = np.nan
    return out


def _overflow_step(losses: np.ndarray) -> int | None:
    bad = ~np.isfinite(losses)
    return int(np.argmax(bad)) if bad.any() else None


def plot_loss_curves(run: AddingRun, plain: Sequence[int], clipped: Sequence[int], *, window: int = 25) -> Figure:
    """Training loss (moving average) of the networks ``plain`` (blue) and ``clipped`` (green).

    A cross marks the update at which a network's loss overflowed to NaN; the
    dashed line is the loss of always answering 1 (:data:`BASELINE_MSE`).
    """
    fig, ax = new_figure(figsize=(7.0, 3.4))
    steps = np.arange(run.losses.shape[1])
    tau = run.settings["clip"][clipped[0]] if clipped else None
    for i, j in enumerate(plain):
        ax.semilogy(steps, smoothed(run.losses[j], window), color=COLORS["gd"], lw=1.2, alpha=0.9,
                    label="plain SGD" if i == 0 else None)
        stop = _overflow_step(run.losses[j])
        if stop is not None:
            last = np.nanmax(run.losses[j][:stop]) if stop else 1.0
            ax.plot([stop], [min(last, 1e3)], "x", color=COLORS["gd"], ms=8, mew=2,
                    label="loss overflows (NaN)" if i == 0 else None)
    for i, j in enumerate(clipped):
        ax.semilogy(steps, smoothed(run.losses[j], window), color=COLORS["clipped"], lw=1.2,
                    label=f"SGD, global norm clipped at τ = {tau:g}" if i == 0 else None)
    ax.axhline(BASELINE_MSE, color=COLORS["neutral"], ls="--", lw=1, label="always answer 1 (MSE 1/6)")
    ax.set_ylim(0.02, 1e3)
    ax.set_xlabel("update")
    ax.set_ylabel(f"training loss (mean of {window} updates)")
    ax.set_title(f"{len(plain)} seeds, η = {run.settings['learning_rate']:g}: "
                 "the unclipped runs overflow, the clipped ones learn", fontsize=10)
    ax.legend(loc="upper right", fontsize=8)
    return fig


def plot_gradient_norms(run: AddingRun, plain: int, clipped: int, *, n_show: int | None = None) -> Figure:
    """The global gradient norm ``||g||`` at every update, before clipping, for two networks of one seed."""
    fig, ax = new_figure(figsize=(7.0, 3.2))
    n_show = run.grad_norms.shape[1] if n_show is None else check_int(n_show, "n_show", low=1)
    steps = np.arange(n_show)
    tau = run.settings["clip"][clipped]
    norms_plain = run.grad_norms[plain, :n_show]
    shown = np.where(np.isfinite(norms_plain), np.minimum(norms_plain, _CEILING), np.nan)
    ax.semilogy(steps, shown, color=COLORS["gd"], lw=1.2, label="plain SGD")
    stop = _overflow_step(norms_plain)
    if stop is not None:
        ax.axvline(stop, color=COLORS["gd"], ls=":", lw=1)
        ax.annotate(f"overflow at update {stop}", (stop, 1e20), xytext=(8, 0), textcoords="offset points",
                    color=COLORS["gd"], fontsize=8, va="center")
    ax.semilogy(steps, run.grad_norms[clipped, :n_show], color=COLORS["clipped"], lw=1,
                label=f"clipped at τ = {tau:g} (norm before clipping)")
    ax.axhline(tau, color=COLORS["black"], ls="--", lw=1, label="τ")
    ax.set_ylim(1e-2, _CEILING)
    ax.set_xlabel("update")
    ax.set_ylabel("global gradient norm ‖g‖")
    ax.set_title("One seed: unclipped, ‖g‖ keeps growing until it overflows; clipped, it stays near τ",
                 fontsize=10)
    ax.legend(loc="upper right", fontsize=8)
    return fig


def _ratios(run: AddingRun, model: int) -> np.ndarray:
    dh = run.dh_norms[:, :, model]  # (updates, T)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return dh / dh[:, -1:]


def plot_state_gradients(run: AddingRun, plain: int, clipped: int, plain_updates: Sequence[int]) -> Figure:
    """``||dE/dh_k|| / ||dE/dh_T||`` for every time step ``k``: the plain run (left), the clipped run (right).

    Above 1 the gradient grows on its way back through time (exploding), below
    1 it shrinks (vanishing). Left: lines for a few updates of network
    ``plain``, each labelled with its global gradient norm. Right: every
    update of network ``clipped``, as colours.
    """
    fig, (ax, ax_map) = new_figure(1, 2, figsize=(9.6, 3.5))
    ratio = _ratios(run, plain)
    seq_len = ratio.shape[1]
    ks = np.arange(1, seq_len + 1)
    shades = [COLORS["accent"], COLORS["gd"], COLORS["clipped"], COLORS["penalty"], COLORS["ngd"], COLORS["black"]]
    for u, color in zip(plain_updates, shades * 3):
        ax.semilogy(ks, ratio[u], "o-", ms=3, lw=1.2, color=color,
                    label=f"update {u}: ‖g‖ = {run.grad_norms[plain, u]:.1e}")
    ax.axhline(1.0, color=COLORS["neutral"], ls="--", lw=1)
    ax.set_xlabel("time step k")
    ax.set_ylabel("‖∂E/∂h_k‖ / ‖∂E/∂h_T‖")
    ax.set_title("Plain SGD, first updates", fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    ratio = _ratios(run, clipped)
    n_updates = ratio.shape[0]
    shown = np.where(np.isfinite(ratio) & (ratio > 0), ratio, np.nan)
    spread = max(float(np.nanmax(np.abs(np.log10(shown)))), 0.5)
    image = ax_map.imshow(shown.T, aspect="auto", origin="lower", cmap="PuOr_r",
                          norm=LogNorm(10 ** -spread, 10 ** spread),
                          extent=(0, n_updates, 0.5, seq_len + 0.5), interpolation="nearest")
    fig.colorbar(image, ax=ax_map, label="‖∂E/∂h_k‖ / ‖∂E/∂h_T‖")
    ax_map.set_xlabel("update")
    ax_map.set_ylabel("time step k")
    ax_map.grid(False)
    ax_map.set_title("Clipped SGD, every update (orange: grows back in time)", fontsize=10)
    return fig


def plot_spike_response(*, tau: float = 1.0, learning_rate: float = 0.1, spike: float = 1e4) -> Figure:
    """Step lengths of SGD with momentum and of Adam after one gradient spike, with and without clipping first."""
    fig, axes = new_figure(1, 2, figsize=(9.0, 3.2))
    for ax, name, title in zip(axes, ("momentum", "adam"), ("SGD with momentum μ = 0.9", "Adam, β = (0.9, 0.999)")):
        raw = spike_response(name, None, learning_rate=learning_rate, spike=spike)
        clipped = spike_response(name, tau, learning_rate=learning_rate, spike=spike)
        steps = np.arange(len(raw))
        ax.semilogy(steps, raw, color=COLORS["gd"], lw=1.5, label="gradient as it comes")
        ax.semilogy(steps, clipped, color=COLORS["clipped"], lw=1.5, ls="--", label=f"clipped to τ = {tau:g} first")
        ax.axvline(20, color=COLORS["neutral"], ls=":", lw=1)
        ax.set_xlabel("step (spike ‖g‖ = 10⁴ at step 20)")
        ax.set_ylabel("step length |Δθ|")
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8, loc="upper right")
    return fig


def threshold_figure(run: AddingRun, plain: int) -> tuple[Figure, dict[str, Any]]:
    """The static parts of the clipping-threshold explorable; ``artists`` for :func:`draw_threshold`.

    Left: the global gradient norm of one network at every update (before
    clipping) and the threshold. Right: its training loss, and the unclipped
    network ``plain`` of the same seed for reference.
    """
    fig, (ax, ax_loss) = new_figure(1, 2, figsize=(9.0, 3.6))
    n = run.grad_norms.shape[1]
    steps = np.arange(n)
    (norm_line,) = ax.semilogy(steps, np.ones(n), color=COLORS["clipped"], lw=0.8, label="‖g‖ before clipping")
    clipped_dots = ax.scatter([], [], s=6, color=COLORS["ngd"], zorder=3, label="clipped updates")
    tau_line = ax.axhline(1.0, color=COLORS["black"], ls="--", lw=1, label="τ")
    ax.set_ylim(1e-2, 1e3)
    ax.set_xlabel("update")
    ax.set_ylabel("global gradient norm ‖g‖")
    (plain_line,) = ax_loss.semilogy(steps, smoothed(run.losses[plain]), color=COLORS["gd"], lw=1,
                                     label="loss, no clipping")
    (loss_line,) = ax_loss.semilogy(steps, np.ones(n), color=COLORS["clipped"], lw=1.2, ls="--",
                                    label="loss, clipped at τ")
    baseline = ax_loss.axhline(BASELINE_MSE, color=COLORS["neutral"], ls=":", lw=1, label="always answer 1")
    ax_loss.set_ylim(0.02, 1e3)
    ax_loss.set_xlabel("update")
    ax_loss.set_ylabel("training loss (mean of 25)")
    # one legend outside both panels: a slider move never has to repaint it
    fig.legend(handles=[norm_line, clipped_dots, tau_line, plain_line, loss_line, baseline],
               loc="outside lower center", ncols=6, fontsize=7)
    return fig, {"ax": ax, "norm": norm_line, "dots": clipped_dots, "tau": tau_line, "loss": loss_line}


def draw_threshold(run: AddingRun, model: int, artists: dict[str, Any]) -> dict[str, Any]:
    """Show network ``model`` of ``run`` in a :func:`threshold_figure`; return what was drawn."""
    tau = run.settings["clip"][model]
    norms = run.grad_norms[model]
    steps = np.arange(len(norms))
    clipped = run.clipped[model]
    artists["norm"].set_ydata(np.clip(np.nan_to_num(norms, nan=1e3, posinf=1e3), 1e-2, 1e3))
    artists["dots"].set_offsets(np.column_stack([steps[clipped], np.minimum(norms[clipped], 1e3)]))
    artists["tau"].set_ydata([tau, tau])
    loss = smoothed(run.losses[model])
    artists["loss"].set_ydata(np.clip(np.nan_to_num(loss, nan=1e3), 0.02, 1e3))
    fraction = float(clipped.mean())
    final = float(np.mean(run.losses[model, -100:]))
    artists["ax"].set_title(f"τ = {tau:g}: {fraction:.0%} of the updates clipped; "
                            f"final loss {final:.3g}", fontsize=10)
    return {"tau": tau, "clipped_fraction": fraction, "final_loss": final, "norms": norms, "clipped": clipped}
