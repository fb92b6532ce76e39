"""Predict, then reveal: the learner commits to an answer before any output shows it.

A lesson asks "predict first" right above a figure or explorable whose picture
gives the answer away. A :class:`Prediction` sits between the two: one row of
choices per question, and a button that reveals the answer only once every row
has a choice. The answers live here in gnlib, not in the notebook, so the
cell's source does not give them away either.

Like an explorable, it has a readable static form: without a kernel (GitHub,
nbviewer, a static site) the stored output is the questions and their
choices as HTML, never the answer.

    p = prediction("00-learning-rate")
    p.choose(0, "converges smoothly")   # same as clicking a choice
    p.reveal()                          # -> [True, False, False], feedback shown
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from .prediction_questions import QUESTIONS

__all__ = ["Prediction", "PredictionItem", "prediction"]

PASS_COLOR, FAIL_COLOR = "#007a5a", "#b3261e"  # green and red that read on white


@dataclass(frozen=True)
class PredictionItem:
    """One row of a prediction: a prompt, its choices and the index of the right one."""

    prompt: str
    options: tuple[str, ...]
    answer: int

    def __post_init__(self) -> None:
        if len(self.options) < 2 or len(set(self.options)) != len(self.options):
            raise ValueError(f"options must be at least two different choices, got {self.options!r}")
        if not 0 <= self.answer < len(self.options):
            raise ValueError(f"answer must index options (0..{len(self.options) - 1}), got {self.answer}")


class Prediction:
    """Questions with choices, and a button that reveals the answers once all are chosen.

    Parameters
    ----------
    question : str
        The situation to predict (HTML allowed).
    items : sequence of PredictionItem
        One row per thing to predict.
    explanation : str
        Why the answers are what they are, shown with them (HTML allowed).

    Attributes
    ----------
    choosers : list of ipywidgets.ToggleButtons
        One per item, with no choice selected at first.
    feedback : ipywidgets.HTML
        Empty until :meth:`reveal` is called.
    revealed : bool
        True once the answers have been shown.
    widget : ipywidgets.VBox
        What the notebook displays.
    """

    def __init__(self, question: str, items: Sequence[PredictionItem], explanation: str) -> None:
        if not items:
            raise ValueError("items must hold at least one PredictionItem")
        self.question, self.items, self.explanation = question, tuple(items), explanation
        self.choosers = [widgets.ToggleButtons(options=item.options, value=None, description="",
                                               style={"button_width": "auto"}) for item in self.items]
        self.button = widgets.Button(description="Reveal the answer", button_style="info")
        self.button.on_click(lambda _button: self.reveal())
        self.feedback = widgets.HTML("")
        self.revealed = False
        rows: list[widgets.Widget] = [widgets.HTML(f"<b>Predict first.</b> {question}")]
        for item, chooser in zip(self.items, self.choosers):
            rows += [widgets.HTML(item.prompt), chooser]
        self.widget = widgets.VBox(rows + [self.button, self.feedback])

    def choose(self, index: int, option: str) -> None:
        """Pick ``option`` for item ``index`` (what a click does).

        Raises
        ------
        IndexError
            If there is no item ``index``.
        ValueError
            If ``option`` is not one of that item's choices.
        """
        if not 0 <= index < len(self.items):
            raise IndexError(f"index must be 0..{len(self.items) - 1}, got {index}")
        if option not in self.items[index].options:
            raise ValueError(f"option must be one of {list(self.items[index].options)}, got {option!r}")
        self.choosers[index].value = option

    @property
    def choices(self) -> list[str | None]:
        """The chosen option of each item (None where nothing is chosen yet)."""
        return [chooser.value for chooser in self.choosers]

    def reveal(self) -> list[bool] | None:
        """Show the answers next to the choices, if every item has one.

        Returns
        -------
        list of bool or None
            Per item, whether the prediction was right; None (and a reminder,
            no answer) while some item has no choice yet.
        """
        if any(choice is None for choice in self.choices):
            self.feedback.value = "<i>Pick a choice in every row first: the answer comes after your prediction.</i>"
            return None
        verdicts, lines = [], []
        for item, choice in zip(self.items, self.choices):
            right = item.options[item.answer]
            ok = choice == right
            verdicts.append(ok)
            mark = (f'<b style="color:{PASS_COLOR}">✓ as predicted</b>' if ok
                    else f'<b style="color:{FAIL_COLOR}">✗ not quite</b>: the answer is <b>{html.escape(right)}</b>')
            lines.append(f"<li>{item.prompt} you said <i>{html.escape(choice)}</i>. {mark}</li>")
        self.feedback.value = f"<ul>{''.join(lines)}</ul><p>{self.explanation}</p>"
        self.revealed = True
        for chooser in self.choosers:
            chooser.disabled = True
        return verdicts

    def static_html(self) -> str:
        """The questions and their choices, without the answer: the output a page without a kernel shows."""
        rows = "".join(f"<li>{item.prompt} " + " · ".join(f"<code>{html.escape(o)}</code>" for o in item.options)
                       + "</li>" for item in self.items)
        return (f"<div><p><b>Predict first.</b> {self.question}</p><ol>{rows}</ol>"
                "<p><i>Settle on your answers before reading on; run the notebook to pick them here "
                "and reveal the answer.</i></p></div>")

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs))
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = "Predict first: " + "; ".join(item.prompt for item in self.items)
        return bundle


def prediction(key: str) -> Prediction:
    """The prediction a lesson asks for, by key (``"00-learning-rate"``, ``"02-direction"``, ...).

    Parameters
    ----------
    key : str
        One of the keys of :data:`gnlib.widgets.prediction_questions.QUESTIONS`.

    Returns
    -------
    Prediction

    Raises
    ------
    TypeError
        If ``key`` is not a string.
    ValueError
        If ``key`` names no prediction (the message lists the known keys).

    Examples
    --------
    >>> p = prediction("00-learning-rate")
    >>> p.reveal() is None   # nothing chosen yet: no answer
    True
    """
    if not isinstance(key, str):
        raise TypeError(f"key must be a string such as '00-learning-rate', got {type(key).__name__} {key!r}")
    if key not in QUESTIONS:
        raise ValueError(f"key must name a prediction of the course, one of {sorted(QUESTIONS)}; got {key!r}")
    question, items, explanation = QUESTIONS[str(key)]
    return Prediction(question, [PredictionItem(p, tuple(o), a) for p, o, a in items], explanation)
