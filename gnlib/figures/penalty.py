"""Static figures for lessons 05 and 06: penalized losses (05); WGAN-GP on 8 Gaussians, weight clipping, Dirac-GAN.

Each function returns a matplotlib figure made with :func:`gnlib.figures.style.new_figure`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from ..models import flat_minima as fm
from ..models.dirac_gan import dirac_vector_field, simulate_dirac
from ..models.mlp import MLP
from ..models.toy_data import eight_gaussian_centres
from .style import COLORS, grid_2d, new_figure

__all__ = ["plot_penalized_loss", "plot_critic_surface", "plot_generator_snapshots", "plot_grad_norm_histograms",
           "plot_weight_histograms", "plot_dirac_trajectories"]

_LIM = (-2.0, 2.0)


def plot_penalized_loss(lams: Sequence[float] = (0.0, 0.03, 0.06)) -> Figure:
    """``J_lam = J + lam J'^2`` for a few penalty weights: the walls of the sharp well grow.

    Examples
    --------
    >>> len(plot_penalized_loss().axes)
    1
    """
    fig, ax = new_figure(figsize=(6.4, 3.4))
    theta = np.linspace(-3.0, 4.0, 500)
    colors = [COLORS["neutral"], COLORS["accent"], COLORS["penalty"]]
    for lam, color in zip(lams, colors * 3):
        ax.plot(theta, fm.penalized_loss(theta, lam), color=color, label=f"λ = {lam:g}")
    for m, name in zip(fm.minima(), ("sharp", "flat")):
        ax.annotate(f"{name} minimum", (m, fm.two_minima_loss(np.array([m]))[0][0]), xytext=(m + 0.3, -1.1),
                    fontsize=8, arrowprops={"arrowstyle": "->", "color": COLORS["black"]})
    ax.set_xlabel(r"$\theta$")
    ax.set_ylabel(r"$J_\lambda(\theta)$")
    ax.set_ylim(-1.2, 1.0)
    ax.legend(loc="upper right")
    ax.set_title("Both minima stay in place; the sharp well gets steeper", fontsize=10)
    return fig


def _surface(ax, critic: MLP, n: int = 80) -> None:
    X, Y, pts = grid_2d(_LIM, _LIM, n)
    Z = critic(pts.reshape(-1, 2).astype(critic.weights[0].dtype)).reshape(n, n)
    ax.contourf(X, Y, Z, levels=20, cmap="viridis", alpha=0.85)
    ax.contour(X, Y, Z, levels=10, colors="w", linewidths=0.4, alpha=0.6)
    ax.set_xlim(_LIM)
    ax.set_ylim(_LIM)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")


def plot_critic_surface(critics: Mapping[str, MLP], real: np.ndarray, fake: np.ndarray | None = None) -> Figure:
    """Value surfaces ``D(x)`` of one or more critics, with real (and generated) points on top.

    Examples
    --------
    >>> from gnlib.models.mlp import init_mlp
    >>> fig = plot_critic_surface({"random": init_mlp([2, 4, 1], np.random.default_rng(0))}, np.zeros((3, 2)))
    >>> len(fig.axes)
    1
    """
    fig, axes = new_figure(1, len(critics), figsize=(min(3.6 * len(critics) + 0.4, 10.0), 3.9))
    axes = np.atleast_1d(axes)
    for ax, (title, critic) in zip(axes, critics.items()):
        _surface(ax, critic)
        ax.scatter(real[:, 0], real[:, 1], s=4, color=COLORS["value"], label="real")
        if fake is not None:
            ax.scatter(fake[:, 0], fake[:, 1], s=4, color=COLORS["clipped"], marker="+", label="generated")
        ax.set_title(title, fontsize=10)
    axes[0].set_ylabel("$x_2$")
    axes[0].legend(loc="lower left", fontsize=7)
    fig.suptitle("Critic value surfaces D(x)\nbright = high score (looks real)", fontsize=10, fontweight="bold")
    return fig


def plot_generator_snapshots(snapshots: Mapping[int, np.ndarray], n_show: int = 600) -> Figure:
    """Generated samples at several training iterations, over the 8 mode centres.

    Examples
    --------
    >>> len(plot_generator_snapshots({0: np.zeros((5, 2)), 10: np.ones((5, 2))}).axes)
    2
    """
    keys = sorted(snapshots)
    fig, axes = new_figure(1, len(keys), figsize=(min(1.9 * len(keys) + 0.3, 9.8), 2.4))
    axes = np.atleast_1d(axes)
    centres = eight_gaussian_centres()
    for ax, it in zip(axes, keys):
        pts = snapshots[it][:n_show]
        ax.scatter(pts[:, 0], pts[:, 1], s=3, color=COLORS["clipped"], alpha=0.6)
        ax.scatter(centres[:, 0], centres[:, 1], s=30, color=COLORS["value"], marker="x")
        ax.set_xlim(_LIM)
        ax.set_ylim(_LIM)
        ax.set_aspect("equal")
        ax.set_title(f"iteration {it}", fontsize=9)
        ax.tick_params(labelsize=7)
    fig.suptitle("Generated samples (green) move onto the 8 modes (orange ×)", fontsize=10, fontweight="bold")
    return fig


def plot_grad_norm_histograms(slopes: Mapping[str, np.ndarray]) -> Figure:
    """Histograms of ``||grad_x D(x_hat)||`` at interpolates, one panel per method, on a log axis.

    The norms of a weight-clipped critic are about 1e-5, those of a penalised
    one about 1: log-spaced bins show both.

    Examples
    --------
    >>> len(plot_grad_norm_histograms({"a": np.ones(5), "b": np.zeros(5)}).axes)
    2
    """
    fig, axes = new_figure(1, len(slopes), figsize=(max(3.4 * len(slopes), 4.6), 3.1))
    axes = np.atleast_1d(axes)
    for ax, (title, values), color in zip(axes, slopes.items(), [COLORS["penalty"], COLORS["value"], COLORS["gd"]]):
        values = np.asarray(values, dtype=float)
        positive = values[values > 0]
        low = min(float(positive.min()) if positive.size else 1e-3, 0.5)
        high = max(float(positive.max()) if positive.size else 1.0, 2.0)
        ax.hist(positive, bins=np.geomspace(low, high, 31), color=color, alpha=0.8)
        ax.set_xscale("log")
        ax.axvline(1.0, color=COLORS["black"], ls="--", lw=1, label="norm 1")
        ax.set_xlabel(r"$\|\nabla_x D(\hat x)\|$")
        ax.set_title(f"{title}: mean {np.mean(values):.3g}", fontsize=9)
        ax.legend(fontsize=7)
    axes[0].set_ylabel("count")
    fig.suptitle("Gradient norms at interpolates (log axis)", fontsize=10, fontweight="bold")
    return fig


def plot_weight_histograms(critics: Mapping[str, MLP], clip: float = 0.01) -> Figure:
    """Histograms of all critic weights, one panel per critic; clipping piles them at +-c.

    Examples
    --------
    >>> from gnlib.models.mlp import init_mlp
    >>> len(plot_weight_histograms({"x": init_mlp([2, 4, 1], np.random.default_rng(0))}).axes)
    1
    """
    fig, axes = new_figure(1, len(critics), figsize=(3.4 * len(critics), 2.9))
    axes = np.atleast_1d(axes)
    for ax, (title, critic), color in zip(axes, critics.items(), [COLORS["penalty"], COLORS["value"]]):
        w = np.concatenate([m.ravel() for m in critic.weights])
        ax.hist(w, bins=40, color=color, alpha=0.8)
        ax.set_xlabel("weight value")
        ax.set_title(title, fontsize=9)
    axes[-1].axvline(-clip, color=COLORS["black"], ls=":", lw=1)
    axes[-1].axvline(clip, color=COLORS["black"], ls=":", lw=1)
    axes[0].set_ylabel("count")
    fig.suptitle("Critic weights: clipping pushes them to ±c", fontsize=10, fontweight="bold")
    return fig


def plot_dirac_trajectories(learning_rate: float = 0.2, n_steps: int = 500) -> Figure:
    """Four Dirac-GAN runs from (1, 1): simultaneous, alternating, R1 (gamma = 0.3), WGAN-GP.

    Examples
    --------
    >>> len(plot_dirac_trajectories(n_steps=10).axes)
    4
    """
    runs = [
        ("simultaneous GD: spirals out", {}, COLORS["gd"], {}),
        ("alternating GD: circles", {"method": "alternating"}, COLORS["clipped"], {}),
        ("zero-centred penalty γ = 0.3: converges", {"penalty": "r1", "weight": 0.3}, COLORS["penalty"],
         {"penalty": "r1", "weight": 0.3}),
        ("WGAN-GP λ = 0.35: never settles", {"game": "wgan", "penalty": "wgan_gp", "weight": 0.35},
         COLORS["value"], {"game": "wgan", "penalty": "wgan_gp", "weight": 0.35}),
    ]
    fig, axes = new_figure(2, 2, figsize=(7.0, 7.0))
    axes = axes.ravel()
    grid = np.linspace(-3.0, 3.0, 10)
    TH, PS = np.meshgrid(grid, grid)
    for ax, (title, kwargs, color, field_kw) in zip(axes, runs):
        u, v = dirac_vector_field(TH, PS, **field_kw)
        length = np.maximum(np.hypot(u, v), 1e-12)
        ax.quiver(TH, PS, u / length, v / length, color=COLORS["neutral"], alpha=0.5, pivot="mid", scale=14,
                  width=0.005)
        path = simulate_dirac(1.0, 1.0, learning_rate=learning_rate, n_steps=n_steps, **kwargs)
        ax.plot(path[:, 0], path[:, 1], color=color, lw=1.2)
        ax.plot([0], [0], "k*", ms=9)
        ax.plot([1], [1], "o", color=COLORS["black"], ms=3)
        ax.set_xlim(-3.2, 3.2)
        ax.set_ylim(-3.2, 3.2)
        ax.set_aspect("equal")
        ax.set_xlabel(r"$\theta$")
        ax.set_title(title, fontsize=9)
    axes[0].set_ylabel(r"$\psi$")
    axes[2].set_ylabel(r"$\psi$")
    return fig
