"""Explorables for lesson 03: clipping on the cliff, and clip-by-norm against clip-by-value.

Both draw their static parts once (the error surface is computed a single
time, when the explorable is built) and, on every slider move, recompute only
what the sliders change and move existing artists with ``set_data`` /
``set_UVC``. The drawing code is shared with the static figures in
:mod:`gnlib.figures.clipping` and :mod:`gnlib.figures.norm_value`.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._validation import check_int
from ..figures.clipping import cliff_figure, draw_cliff_runs
from ..figures.norm_value import draw_norm_value, gradient_in_view, norm_value_figure
from ._explorable import Explorable, choice_slider, float_slider

__all__ = ["CLIFF_TAU_VALUES", "cliff_clipping_explorer", "norm_vs_value_explorer"]

#: The positions of the cliff explorable's threshold slider (1-2-5 steps, then 800 and 1000 around 828).
CLIFF_TAU_VALUES: tuple[float, ...] = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0,
                                       500.0, 800.0, 1000.0)


def cliff_clipping_explorer(n_steps: int = 100) -> Explorable:
    """Plain and norm-clipped gradient descent on the cliff of the single-unit recurrent net.

    Both start at ``(w, b) = (5.0, -2.6124)``, just below the wall. Left: the
    error surface (computed once) with both trajectories; right: their losses.

    Parameters
    ----------
    n_steps : int, default 100
        Optimizer steps per run (each step is one 50-step BPTT).

    Returns
    -------
    Explorable
        Controls ``"learning_rate"`` (η) and ``"max_norm"`` (τ); ``data`` holds
        ``gd_thetas``, ``clipped_thetas``, ``gd_losses``, ``clipped_losses``,
        ``gd_grad_norms`` and ``clipped_grad_norms``.

    Raises
    ------
    ValueError
        If ``n_steps`` is not a positive integer.

    Examples
    --------
    >>> ex = cliff_clipping_explorer(n_steps=20)
    >>> bool(ex.data["gd_losses"][-1] > ex.data["clipped_losses"][-1])
    True
    """
    n_steps = check_int(n_steps, "n_steps", low=1)
    fig, artists = cliff_figure()

    def update(learning_rate: float, max_norm: float) -> dict:
        return draw_cliff_runs(artists, learning_rate, max_norm, n_steps)

    controls = {
        "learning_rate": float_slider("learning rate η", 0.5, 0.05, 1.5, 0.05),
        "max_norm": choice_slider("threshold τ", 1.0, CLIFF_TAU_VALUES),
    }
    return Explorable(
        fig, controls, update,
        caption="Move τ below and above 828, the gradient norm at the start. Which τ still converge? "
                "Does a smaller η save plain GD?",
    )


def norm_vs_value_explorer(g: Sequence[float] = (3.0, 1.0)) -> Explorable:
    """A 2-D gradient ``g`` with its clip-by-norm and clip-by-value versions for a threshold τ.

    The dashed circle is the norm ball of radius τ, the dotted square the box
    ``[-τ, τ]^2``; the title gives the angle each clipped vector makes with ``g``.

    Parameters
    ----------
    g : sequence of two floats, default (3.0, 1.0)
        The gradient (finite, non-zero, entries in [0, 3.5] to stay in view).

    Returns
    -------
    Explorable
        Control ``"max_norm"`` (τ); ``data`` holds ``g``, ``by_norm``, ``by_value``,
        ``angle_norm``, ``angle_value``, ``norm_by_norm`` and ``norm_by_value``.

    Raises
    ------
    ValueError
        If ``g`` does not have two entries in [0, 3.5], or is zero (see
        :func:`gnlib.figures.norm_value.gradient_in_view`).

    Examples
    --------
    >>> ex = norm_vs_value_explorer()
    >>> round(ex.data["angle_value"], 1), round(ex.data["angle_norm"], 1)
    (26.6, 0.0)
    """
    g = gradient_in_view(g)
    fig, artists = norm_value_figure()

    def update(max_norm: float) -> dict:
        return draw_norm_value(artists, g, max_norm)

    controls = {"max_norm": float_slider("threshold τ", 1.0, 0.1, 3.5, 0.05)}
    return Explorable(
        fig, controls, update,
        caption="Shrink τ: the norm-clipped arrow keeps pointing along g, the value-clipped one turns towards "
                "the diagonal. At which τ do the two agree again, and why?",
    )
