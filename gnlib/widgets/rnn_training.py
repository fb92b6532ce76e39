"""Explorable for lesson 03b: which clipping threshold tau, and how often does it clip?

The networks are trained once, before the explorable is built (one vectorised
:func:`~gnlib.models.adding_problem.train_adding` call with one threshold per
network); the slider only picks which of them to show, so a redraw is cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from .._validation import check_int
from ..figures.rnn_training import draw_threshold, threshold_figure
from ..models.adding_problem import DEMO_SETTINGS, AddingRun, train_adding
from ._explorable import Explorable

__all__ = ["DEFAULT_TAUS", "clip_threshold_explorer"]

#: The thresholds trained when no run is given (seed 0, the lesson's settings).
DEFAULT_TAUS: tuple[float, ...] = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)


def clip_threshold_explorer(run: AddingRun | None = None, models: Sequence[int] | None = None,
                            plain: int = 0) -> Explorable:
    """Step through the thresholds of ``run``'s networks ``models``: ``||g||``, the clipped updates and the loss.

    Parameters
    ----------
    run : AddingRun, optional
        From :func:`~gnlib.models.adding_problem.train_adding`, one threshold per network.
        Without it, seed 0 is trained with the lesson's settings (``DEMO_SETTINGS``),
        once unclipped (network 0) and once for each of :data:`DEFAULT_TAUS` (about 1 s).
    models : sequence of int, optional
        The networks to offer, all trained from one seed with different thresholds tau
        (default: every network of ``run`` with a finite threshold).
    plain : int, default 0
        The network of the same seed trained without clipping (drawn for reference).

    Returns
    -------
    Explorable
        Control ``"model"`` (the slider reads tau); ``data`` holds ``"tau"``,
        ``"clipped_fraction"``, ``"final_loss"``, ``"norms"`` and ``"clipped"``.

    Examples
    --------
    >>> from gnlib.models.adding_problem import train_adding
    >>> run = train_adding([0, 0, 0], clip=[None, 0.5, 2.0], n_updates=30, seq_len=5, hidden=4)
    >>> ex = clip_threshold_explorer(run, [1, 2], plain=0)
    >>> ex.data["tau"], 0.0 <= ex.data["clipped_fraction"] <= 1.0
    (2.0, True)
    """
    if run is None:
        run = train_adding([0] * (len(DEFAULT_TAUS) + 1), clip=[None, *DEFAULT_TAUS], **DEMO_SETTINGS)
    if not isinstance(run, AddingRun):
        raise TypeError(f"run must be an AddingRun (from train_adding), got {type(run).__name__}")
    k = run.losses.shape[0]
    if models is None:
        models = [j for j in range(k) if run.settings["clip"][j] != float("inf")]
    models = [check_int(m, "models") for m in models]
    plain = check_int(plain, "plain")
    if not models or max(models + [plain]) >= k:
        raise ValueError(f"models and plain must be network indices below {k}, got {models} and {plain}")
    taus = [run.settings["clip"][m] for m in models]
    if any(t == float("inf") for t in taus):
        raise ValueError("every network in models must have a finite threshold tau")
    order = sorted(range(len(models)), key=lambda i: taus[i])
    options = [(f"{taus[i]:g}", models[i]) for i in order]
    fig, artists = threshold_figure(run, plain)

    def update(model: int) -> dict[str, Any]:
        return draw_threshold(run, model, artists)

    slider = widgets.SelectionSlider(options=options, value=options[len(options) // 2][1],
                                     description="clipping threshold τ", continuous_update=True,
                                     style={"description_width": "initial"}, layout=widgets.Layout(width="420px"))
    return Explorable(fig, {"model": slider}, update, caption=(
        "Lower τ step by step: how does the share of clipped updates change, and the final loss? "
        "Then raise τ until clipping stops protecting the run."))
