"""Explorables for lessons 05 and 06 (parameter-gradient penalty; Dirac-GAN), and a progress bar.

Every redraw is cheap: the Dirac-GAN is two numbers per step and the
parameter-penalty example is a 1-D loss; no GAN is trained in a slider update.
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np
from IPython.display import display

from .._validation import check_int
from ..figures.style import COLORS, new_figure
from ..models import flat_minima as fm
from ..models.dirac_gan import dirac_vector_field, simulate_dirac
from ._explorable import Explorable, choice_slider, float_slider

__all__ = ["dirac_gan_explorer", "param_penalty_explorer", "TrainingProgress", "training_progress"]

_FLOOR = 1e-10  # where the log-scale norm plots stop


def _norms(path: np.ndarray) -> np.ndarray:
    return np.maximum(np.hypot(path[:, 0], path[:, 1]), _FLOOR)


def dirac_gan_explorer(n_steps: int = 500) -> Explorable:
    """Dirac-GAN trajectories from (1, 1) under simultaneous gradient descent-ascent.

    Three runs share the learning rate eta: the unregularised GAN (blue), the
    GAN with the zero-centred penalty ``(gamma/2) psi^2`` (purple), and WGAN
    with the WGAN-GP penalty ``lam (|psi| - 1)^2`` (orange). The arrows show
    the vector field of the penalised GAN for the current gamma.

    Returns
    -------
    Explorable
        Controls ``"gamma"``, ``"lam"``, ``"eta"``; ``data`` holds the three
        paths (``"plain"``, ``"r1"``, ``"wgan_gp"``, each ``(n_steps + 1, 2)``)
        and their final distances to the equilibrium (``"final_*"``).
    """
    n_steps = check_int(n_steps, "n_steps", low=1)
    fig, (ax, ax_norm) = new_figure(1, 2, figsize=(9.0, 3.9))
    grid = np.linspace(-3.0, 3.0, 11)
    TH, PS = np.meshgrid(grid, grid)
    quiver = ax.quiver(TH, PS, np.zeros_like(TH), np.zeros_like(TH), color=COLORS["neutral"], alpha=0.5,
                       angles="xy", pivot="mid", scale=14, width=0.004)
    styles = {"plain": (COLORS["gd"], "no penalty"), "r1": (COLORS["penalty"], r"zero-centred $\gamma\psi^2/2$"),
              "wgan_gp": (COLORS["value"], r"WGAN-GP $\lambda(|\psi|-1)^2$")}
    paths, curves = {}, {}
    for key, (color, label) in styles.items():
        (paths[key],) = ax.plot([], [], "-", color=color, lw=1.2, label=label)
        (curves[key],) = ax_norm.semilogy([], [], "-", color=color, lw=1.5, label=label)
    (equilibrium,) = ax.plot([0], [0], "k*", ms=10, label="equilibrium")
    ax.plot([1], [1], "o", color=COLORS["black"], ms=4)
    ax.set_xlim(-3.2, 3.2)
    ax.set_ylim(-3.2, 3.2)
    ax.set_aspect("equal")
    ax.set_xlabel(r"generator $\theta$")
    ax.set_ylabel(r"discriminator $\psi$")
    # one legend for both panels, outside them: a redraw never has to repaint it
    fig.legend(handles=[*paths.values(), equilibrium], loc="outside lower center", ncols=4, fontsize=8)
    ax_norm.set_xlim(0, n_steps)
    ax_norm.set_ylim(_FLOOR, 30.0)
    ax_norm.set_xlabel("step $t$")
    ax_norm.set_ylabel(r"$\|(\theta_t, \psi_t)\|$ (log scale)")
    ax_norm.set_title("distance to the equilibrium")

    def update(gamma: float, lam: float, eta: float) -> dict[str, Any]:
        runs = {
            "plain": simulate_dirac(learning_rate=eta, n_steps=n_steps),
            "r1": simulate_dirac(learning_rate=eta, n_steps=n_steps, penalty="r1", weight=gamma),
            "wgan_gp": simulate_dirac(learning_rate=eta, n_steps=n_steps, game="wgan", penalty="wgan_gp",
                                      weight=lam),
        }
        steps = np.arange(n_steps + 1)
        data: dict[str, Any] = {"gamma": gamma, "lam": lam, "eta": eta}
        for key, path in runs.items():
            shown = np.clip(np.nan_to_num(path, nan=1e3), -1e3, 1e3)
            paths[key].set_data(shown[:, 0], shown[:, 1])
            curves[key].set_data(steps, np.minimum(_norms(shown), 1e3))
            data[key] = shown
            data[f"final_{key}"] = float(np.hypot(*shown[-1]))
        u, v = dirac_vector_field(TH, PS, penalty="r1", weight=gamma)
        length = np.maximum(np.hypot(u, v), 1e-12)
        quiver.set_UVC(u / length, v / length)
        ax.set_title(f"γ = {gamma:.2f}: ends at distance {data['final_r1']:.2g}\n"
                     f"WGAN-GP (λ = {lam:.2f}): {data['final_wgan_gp']:.2g}", fontsize=9)
        return data

    controls = {
        "gamma": float_slider("zero-centred penalty weight γ", 0.3, 0.0, 2.0, 0.05),
        "lam": float_slider("WGAN-GP penalty weight λ", 0.35, 0.0, 1.0, 0.05),
        "eta": float_slider("learning rate η", 0.2, 0.02, 0.5, 0.02),
    }
    return Explorable(fig, controls, update, caption=(
        "Set γ = 0: the purple path spirals out like the blue one. Which γ converges fastest "
        "(compare γ = 1, the critical value 2f′(0))? Can any λ make the orange WGAN-GP path settle at (0, 0)?"))


def param_penalty_explorer(n_steps: int = 200) -> Explorable:
    """Gradient descent on ``J_lam = J + lam J'^2`` for a loss with a sharp and a flat minimum.

    Left: ``J`` (grey), ``J_lam`` (purple) and the last iterates of two runs,
    one started in the sharp well (theta_0 = -1.3), one in the flat well
    (theta_0 = 0.3). Right: ``theta_t`` against the step.

    Returns
    -------
    Explorable
        Controls ``"lam"`` and ``"eta"``; ``data`` holds ``"path"`` (shape
        ``(n_steps + 1, 2)``), ``"settled"`` (two booleans), ``"curvatures"``
        (of ``J_lam`` at the sharp and flat minimum) and ``"penalized"`` (the curve).
    """
    n_steps = check_int(n_steps, "n_steps", low=1)
    fig, (ax, ax_t) = new_figure(1, 2, figsize=(9.0, 3.6))
    theta = np.linspace(-3.0, 4.0, 400)
    loss = fm.two_minima_loss(theta)[0]
    ax.plot(theta, loss, color=COLORS["neutral"], lw=1.5, label=r"$J(\theta)$")
    (pen_line,) = ax.plot(theta, loss, color=COLORS["penalty"], lw=2, label=r"$J_\lambda = J + \lambda J'^2$")
    (dots_sharp,) = ax.plot([], [], "o", color=COLORS["ngd"], ms=5, label=r"GD from $\theta_0=-1.3$")
    (dots_flat,) = ax.plot([], [], "s", color=COLORS["gd"], ms=5, label=r"GD from $\theta_0=0.3$")
    ax.set_xlim(-3.0, 4.0)
    ax.set_ylim(-1.2, 1.6)
    ax.set_xlabel(r"$\theta$")
    ax.set_ylabel("loss")
    fig.legend(loc="outside lower center", ncols=4, fontsize=8)  # outside the axes: never repainted
    steps = np.arange(n_steps + 1)
    (run_sharp,) = ax_t.plot([], [], "-", color=COLORS["ngd"], lw=1.2)
    (run_flat,) = ax_t.plot([], [], "-", color=COLORS["gd"], lw=1.2)
    for m in fm.minima():
        ax_t.axhline(m, color=COLORS["neutral"], lw=0.8, ls="--")
    ax_t.set_xlim(0, n_steps)
    ax_t.set_ylim(-2.0, 2.5)
    ax_t.set_xlabel("step $t$")
    ax_t.set_ylabel(r"$\theta_t$")
    ax_t.set_title("iterates (dashed: the two minima)")

    def update(lam: float, eta: float) -> dict[str, Any]:
        penalized = fm.penalized_loss(theta, lam)
        pen_line.set_ydata(np.minimum(penalized, 5.0))
        path = fm.gd_on_penalized([-1.3, 0.3], lam, eta, n_steps)
        tail = path[-20:]
        dots_sharp.set_data(tail[:, 0], fm.penalized_loss(tail[:, 0], lam))
        dots_flat.set_data(tail[:, 1], fm.penalized_loss(tail[:, 1], lam))
        run_sharp.set_data(steps, path[:, 0])
        run_flat.set_data(steps, path[:, 1])
        curv = fm.penalized_curvatures(lam)
        done = fm.settled(path)
        verdict = "settles" if done[0] else "cannot settle"
        ax.set_title(f"sharp minimum: curvature {curv[0]:.3g}\nη·curvature = {eta * curv[0]:.2f} → {verdict}",
                     fontsize=9)
        return {"lam": lam, "eta": eta, "path": path, "settled": done, "curvatures": curv,
                "penalized": penalized}

    controls = {
        "lam": choice_slider("penalty weight λ", 0.0, [round(0.002 * k, 3) for k in range(31)], ".3f"),
        "eta": choice_slider("learning rate η", 0.05, [0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.12], ".2f"),
    }
    return Explorable(fig, controls, update, caption=(
        "Keep η = 0.05 and raise λ: when does GD stop settling in the sharp minimum (η·curvature > 2)? "
        "Does anything change for the run in the flat well? Then set λ = 0 and raise η instead."))


class TrainingProgress:
    """A progress bar whose stored output stays readable without a kernel.

    Live, it is an ipywidgets bar with a label. Its display also carries a
    text and an HTML form of the current state, and :meth:`report` refreshes
    the displayed output in place (an IPython display handle), so a saved
    notebook shows the final state ("WGAN-GP: 1000/1000 iterations, ...")
    on GitHub, nbviewer or a static site instead of a widget repr.
    """

    def __init__(self, total: int, description: str = "training") -> None:
        # numpy integers count (np.int64(5) from an array's length or a sum); bools and floats do not
        if isinstance(total, (bool, np.bool_)) or not isinstance(total, numbers.Integral) or total < 1:
            raise ValueError(f"total must be a positive integer, got {type(total).__name__} {total!r}")
        self.total, self.description = int(total), str(description)
        self.progress = widgets.IntProgress(value=0, min=0, max=total, description=self.description,
                                            style={"description_width": "initial"})
        self.label = widgets.HTML(value="")
        self.widget = widgets.HBox([self.progress, self.label])
        self.info: dict = {}
        self._handle: Any = None

    @property
    def children(self) -> tuple:
        """The bar and its label (as in the ipywidgets box)."""
        return self.widget.children

    def summary(self) -> str:
        """The current state as one line of text."""
        parts = [f"{self.description}: {self.progress.value}/{self.total} iterations"]
        parts += [f"{k} = {v:.3g}" for k, v in self.info.items()]
        return ", ".join(parts)

    def _html(self) -> str:
        head = f"<b>{html.escape(self.description)}</b>: {self.progress.value}/{self.total} iterations"
        rest = "".join(f", {html.escape(str(k))} = {v:.3g}" for k, v in self.info.items())
        return f"<div>{head}{rest}</div>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.summary()
        bundle["text/html"] = self._html()
        return bundle

    def show(self) -> None:
        """Display the bar in the notebook (with a handle, so reports update the stored output)."""
        self._handle = display(self, display_id=True)

    def report(self, iteration: int, info: dict | None = None) -> None:
        """Move the bar to ``iteration`` and show ``info`` (a trainer's callback)."""
        self.progress.value = min(int(iteration), self.total)
        if info:
            self.info = dict(info)
            self.label.value = " &nbsp; ".join(f"{html.escape(str(k))} = {v:.3g}" for k, v in self.info.items())
        if self._handle is not None:
            self._handle.update(self)


def training_progress(total: int, description: str = "training") -> tuple[TrainingProgress, Callable[..., None]]:
    """A progress bar for a training loop: ``(bar, callback)``.

    Show the bar with ``bar.show()``, then pass ``callback`` to the trainer; it
    is called as ``callback(iteration, info)`` and moves the bar (no timings are
    shown, so the stored final state is the same at every run).

    Examples
    --------
    >>> bar, report = training_progress(10, "demo")
    >>> report(5, {"<b>norm</b>": 1.02})
    >>> bar.children[0].value, bar.summary()
    (5, 'demo: 5/10 iterations, <b>norm</b> = 1.02')
    >>> "&lt;b&gt;" in bar._repr_mimebundle_()["text/html"]
    True
    """
    bar = TrainingProgress(total, description)
    return bar, bar.report
