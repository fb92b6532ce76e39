"""Self-check questions with immediate feedback (the end of every lesson).

A :class:`Question` is multiple choice (``options`` given, ``answer`` is the
index of the right option) or numeric (``answer`` is a number, accepted within
a relative ``tolerance``). :func:`grade` judges a response. :func:`self_check`
wraps a list of questions in a widget that lets the learner try again: a wrong
first answer gets "try again", the explanation (which gives the answer away)
comes with a right answer, after a second wrong try, or on request ("Show
explanation"). Tests drive it with :meth:`SelfCheck.respond` and
:meth:`SelfCheck.explain` exactly as a click would.

Before anything runs (GitHub, nbviewer, a static website) the quiz shows its
questions as HTML, stored beside the widget view in the same output, the way
an explorable stores its first frame as a PNG. The static form carries no
answers or explanations.

Why not ``jupyterquiz``: it draws its quizzes with JavaScript, which GitHub does
not run and JupyterLab does not run in an untrusted (freshly downloaded)
notebook, so the stored output would be empty; its element ids are random, so
stored outputs differ run after run; and it has no Python interface that tests
could drive.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

__all__ = ["Question", "grade", "SelfCheck", "self_check", "static_html", "static_text"]

RIGHT, WRONG = "✓", "✗"  # characters of common text fonts (DejaVu), not emoji
RIGHT_COLOUR, WRONG_COLOUR = "#009E73", "#D55E00"  # Okabe-Ito bluish green and vermillion
TRY_AGAIN = "Not quite. Try again, or press “Show explanation”."


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
        Why the answer is right; shown with a right answer, after a second wrong
        one, or on request.
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


def static_html(questions: Sequence[Question], title: str = "Check your understanding") -> str:
    """The quiz as plain HTML (questions and options, no answers): its form before any code runs."""
    rows = [f"<p><b>{html.escape(title)}</b> <i>(run the notebook to answer and get feedback)</i></p>", "<ol>"]
    for q in questions:
        rows.append(f"<li><p>{q.prompt}</p>")
        if q.options is not None:
            rows.append('<ul style="list-style-type:circle">'
                        + "".join(f"<li>{option}</li>" for option in q.options) + "</ul>")
        else:
            rows.append("<p>Your answer: a number.</p>")
        rows.append("</li>")
    rows.append("</ol>")
    return '<div class="gnlib-quiz" style="max-width:880px">' + "".join(rows) + "</div>"


def static_text(questions: Sequence[Question], title: str = "Check your understanding") -> str:
    """The quiz as plain text (questions and options, no answers)."""
    lines = [f"{title} (run the notebook to answer and get feedback)"]
    for i, q in enumerate(questions, start=1):
        lines.append(f"{i}. {_plain(q.prompt)}")
        lines += [f"   ○ {_plain(option)}" for option in q.options or ()]
    return "\n".join(lines)


def _plain(text: str) -> str:
    """``text`` without its simple HTML tags (``<code>``, ``<b>``)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


class SelfCheck:
    """A widget with one answer control, a Check and a Show-explanation button per question.

    Attributes
    ----------
    questions : list of Question
    results : list of bool or None
        The outcome of the latest attempt at each question (None: not tried).
    attempts : list of int
        How many answers each question has been given.
    widget : ipywidgets.VBox
    """

    def __init__(self, questions: Sequence[Question], title: str = "Check your understanding") -> None:
        if not questions:
            raise ValueError("questions must not be empty")
        self.questions = list(questions)
        self.title = title
        self.results: list[bool | None] = [None] * len(self.questions)
        self.attempts: list[int] = [0] * len(self.questions)
        self._inputs: list[widgets.ValueWidget] = []
        self._feedback: list[widgets.HTML] = []
        rows: list[widgets.Widget] = [widgets.HTML(f"<b>{html.escape(title)}</b>")]
        for i, q in enumerate(self.questions):
            if q.options is not None:
                control = widgets.RadioButtons(options=list(q.options), value=None,
                                               layout=widgets.Layout(width="auto"))
            else:
                control = widgets.FloatText(value=0.0, description="answer",
                                            layout=widgets.Layout(width="220px"))
            button = widgets.Button(description="Check", button_style="info")
            reveal = widgets.Button(description="Show explanation")
            feedback = widgets.HTML("")
            button.on_click(lambda _b, i=i: self._check(i))
            reveal.on_click(lambda _b, i=i: self.explain(i))
            self._inputs.append(control)
            self._feedback.append(feedback)
            rows += [widgets.HTML(f"<p>{i + 1}. {q.prompt}</p>"), control,
                     widgets.HBox([button, reveal]), feedback]
        self.widget = widgets.VBox(rows, layout=widgets.Layout(max_width="880px"))

    def _say(self, index: int, icon: str, text: str) -> str:
        colour = RIGHT_COLOUR if icon == RIGHT else WRONG_COLOUR
        self._feedback[index].value = (f'<span style="color:{colour};font-weight:bold">{icon}</span> '
                                       f"<span>{text}</span>")
        return text

    def _check(self, index: int) -> str:
        value = self._inputs[index].value
        if value is None:
            text = "Choose an answer first."
            self._feedback[index].value = text
            return text
        q = self.questions[index]
        if q.options is not None:
            value = q.options.index(value)
        correct, full = grade(q, value)
        self.results[index] = correct
        self.attempts[index] += 1
        if correct or self.attempts[index] >= 2:
            return self._say(index, RIGHT if correct else WRONG, full)
        return self._say(index, WRONG, TRY_AGAIN)

    def explain(self, index: int) -> str:
        """Show the explanation of question ``index`` (the "Show explanation" button); return it."""
        text = "Explanation: " + self.questions[index].explanation
        self._feedback[index].value = f"<span>{text}</span>"
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

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget, with the questions as HTML and text for viewers without a kernel.

        Jupyter shows the live widget (its MIME type ranks first); GitHub,
        nbviewer and other static views fall back to ``text/html``.
        """
        bundle = dict(self.widget._repr_mimebundle_(**kwargs))
        bundle["text/html"] = static_html(self.questions, self.title)
        bundle["text/plain"] = static_text(self.questions, self.title)
        return bundle

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)


def self_check(questions: Sequence[Question], title: str = "Check your understanding") -> SelfCheck:
    """Build the self-check widget for a list of questions."""
    return SelfCheck(questions, title)
