"""Self-check questions with immediate feedback (the end of every lesson).

A :class:`Question` is multiple choice (``options`` given, ``answer`` is the
index of the right option) or numeric (``answer`` is a number, accepted within
a relative ``tolerance``). :func:`grade` turns a response into feedback: right
or wrong, and always the explanation, so a learner learns from either.
:func:`self_check` wraps a list of questions in a widget; tests drive it with
:meth:`SelfCheck.respond` exactly as a click would.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

__all__ = ["Question", "grade", "SelfCheck", "self_check"]


@dataclass(frozen=True)
class Question:
    """One self-check question.

    Attributes
    ----------
    prompt : str
        The question (may contain simple HTML / unicode maths).
    answer : int or float
        Index into ``options`` for multiple choice, or the numeric answer.
    explanation : str
        Why the answer is right; shown after every attempt.
    options : tuple of str, optional
        The choices; ``None`` makes a numeric question.
    tolerance : float, default 0.01
        Relative tolerance for numeric answers.
    """

    prompt: str
    answer: int | float
    explanation: str
    options: tuple[str, ...] | None = None
    tolerance: float = 0.01

    def __post_init__(self) -> None:
        if self.options is not None:
            if len(self.options) < 2:
                raise ValueError("options must offer at least two choices")
            if not isinstance(self.answer, int) or not 0 <= self.answer < len(self.options):
                raise ValueError(f"answer must be an index into options (0..{len(self.options) - 1}), got {self.answer!r}")
        elif not isinstance(self.answer, (int, float)) or not math.isfinite(self.answer):
            raise ValueError(f"answer of a numeric question must be a finite number, got {self.answer!r}")

    @property
    def is_numeric(self) -> bool:
        return self.options is None


def grade(question: Question, response: Any) -> tuple[bool, str]:
    """Grade one response: ``(correct, feedback)``.

    Parameters
    ----------
    question : Question
    response : int, float or str
        The chosen option's index or text (multiple choice), or a number.

    Returns
    -------
    correct : bool
    feedback : str
        "Correct." or "Not quite.", followed by the explanation.

    Raises
    ------
    ValueError
        If ``response`` is not one of the options / not a number.

    Examples
    --------
    >>> q = Question("2 + 2?", 4, "Count them.")
    >>> grade(q, 4.0)
    (True, 'Correct. Count them.')
    """
    if question.options is not None:
        if isinstance(response, str):
            if response not in question.options:
                raise ValueError(f"response must be one of the options, got {response!r}")
            response = question.options.index(response)
        if isinstance(response, bool) or not isinstance(response, int) or not 0 <= response < len(question.options):
            raise ValueError(f"response must be an option index 0..{len(question.options) - 1}, got {response!r}")
        correct = response == question.answer
    else:
        try:
            value = float(response)
        except (TypeError, ValueError):
            raise ValueError(f"response must be a number, got {response!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"response must be a finite number, got {response!r}")
        answer = float(question.answer)
        correct = abs(value - answer) <= question.tolerance * max(abs(answer), 1e-12)
    return correct, ("Correct. " if correct else "Not quite. ") + question.explanation


class SelfCheck:
    """A widget with one answer control and a Check button per question.

    Attributes
    ----------
    questions : list of Question
    results : list of bool or None
        The outcome of the latest attempt at each question (None: not tried).
    widget : ipywidgets.VBox
    """

    def __init__(self, questions: Sequence[Question], title: str = "Check your understanding") -> None:
        if not questions:
            raise ValueError("questions must not be empty")
        self.questions = list(questions)
        self.results: list[bool | None] = [None] * len(self.questions)
        self._inputs: list[widgets.ValueWidget] = []
        self._feedback: list[widgets.HTML] = []
        rows: list[widgets.Widget] = [widgets.HTML(f"<b>{title}</b>")]
        for i, q in enumerate(self.questions):
            if q.options is not None:
                control = widgets.RadioButtons(options=list(q.options), value=None,
                                               layout=widgets.Layout(width="auto"))
            else:
                control = widgets.FloatText(value=0.0, description="answer",
                                            layout=widgets.Layout(width="220px"))
            button = widgets.Button(description="Check", button_style="info")
            feedback = widgets.HTML("")
            button.on_click(lambda _b, i=i: self._check(i))
            self._inputs.append(control)
            self._feedback.append(feedback)
            rows += [widgets.HTML(f"<p>{i + 1}. {q.prompt}</p>"), control, button, feedback]
        self.widget = widgets.VBox(rows)

    def _check(self, index: int) -> str:
        value = self._inputs[index].value
        if value is None:
            text = "Choose an answer first."
            self._feedback[index].value = text
            return text
        if self.questions[index].options is not None:
            value = self.questions[index].options.index(value)
        correct, text = grade(self.questions[index], value)
        self.results[index] = correct
        colour = "#009E73" if correct else "#D55E00"
        self._feedback[index].value = f'<span style="color:{colour}">{text}</span>'
        return text

    def respond(self, index: int, response: Any) -> str:
        """Enter ``response`` for question ``index`` and press Check; return the feedback."""
        q = self.questions[index]
        if q.options is not None:
            self._inputs[index].value = q.options[response] if isinstance(response, int) else response
        else:
            self._inputs[index].value = float(response)
        return self._check(index)

    @property
    def score(self) -> int:
        """How many questions are answered correctly."""
        return sum(r is True for r in self.results)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def self_check(questions: Sequence[Question], title: str = "Check your understanding") -> SelfCheck:
    """Build the self-check widget for a list of questions."""
    return SelfCheck(questions, title)
