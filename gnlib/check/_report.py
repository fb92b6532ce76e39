"""What a checker shows: the learner's returned value, status icons, the report.

A report is plain text (``str(report)``, what a terminal and nbval see) and
coloured HTML (what a notebook shows). Its icons are characters that common
text fonts have (DejaVu Sans and DejaVu Sans Mono, the fallbacks of most Linux
desktops), not emoji, so they never render as empty boxes; pass and fail also
differ in colour (the course's colour-blind-safe bluish green and vermillion).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["PASS", "FAIL", "WAIT", "HELD", "COLOURS", "describe_value", "describe_exception", "CheckReport", "attempt"]

PASS = "✓"  # U+2713 CHECK MARK
FAIL = "✗"  # U+2717 BALLOT X
WAIT = "○"  # U+25CB WHITE CIRCLE: not attempted yet
HELD = "·"  # U+00B7 MIDDLE DOT: a line without a verdict of its own
COLOURS = {PASS: "#009E73", FAIL: "#D55E00", WAIT: "#555555", HELD: "#555555"}

MAX_VALUE_CHARS = 90


def _shorten(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} ({value.dtype})"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} item{'s' * (len(value) != 1)}"
    if value is None:
        return "None"
    return f"a {type(value).__name__}"


def _compact(value: Any, depth: int = 0) -> str:
    """An item inside a returned list or tuple: numbers and arrays briefly, anything else by its repr."""
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    if isinstance(value, np.ndarray):
        body = np.array2string(value, precision=4, threshold=6, edgeitems=1, max_line_width=10_000)
        return f"array{value.shape} {body}"
    if isinstance(value, (list, tuple)):
        if depth:
            return f"a {type(value).__name__} of {len(value)}"
        items = ", ".join(_compact(v, 1) for v in value[:3]) + (", …" if len(value) > 3 else "")
        return f"[{items}]" if isinstance(value, list) else f"({items})"
    return _shorten(repr(value), 30)


def describe_value(value: Any, *, values: bool = True) -> str:
    """A short description of what the learner's function returned: value and shape.

    Parameters
    ----------
    value : object
        The returned object.
    values : bool, default True
        False shows only the type and shape (for inputs drawn afresh at every
        run, whose values would change the printed line from run to run).

    Returns
    -------
    str
        At most about 90 characters, e.g. ``"19 (float)"`` or
        ``"an array of shape (2,) (float64): [0.6 0.8]"``.

    Examples
    --------
    >>> describe_value(np.array([3.0, 4.0]))
    'an array of shape (2,) (float64): [3. 4.]'
    >>> describe_value("5.0")
    "'5.0' (str)"
    """
    try:
        kind = _kind(value)
        if not values or value is None:
            return kind
        if isinstance(value, np.ndarray):
            body = np.array2string(value, precision=4, threshold=8, edgeitems=2, max_line_width=10_000)
            return _shorten(f"{kind}: {body}")
        if isinstance(value, (float, np.floating)):
            return f"{float(value):.6g} ({kind[2:]})"
        if isinstance(value, (list, tuple)):
            parts = ", ".join(_compact(v) for v in value[:4]) + (", …" if len(value) > 4 else "")
            brackets = "()" if isinstance(value, tuple) else "[]"
            return _shorten(f"{kind}: {brackets[0]}{parts}{brackets[1]}")
        return _shorten(f"{value!r} ({kind[2:] if kind.startswith('a ') else kind})")
    except Exception:  # a learner's object whose repr fails: its type must do
        return f"an object of type {type(value).__name__}"


def describe_exception(exc: BaseException) -> str:
    """``"ValueError: message"``, even when the exception's ``__str__`` itself raises."""
    name = type(exc).__name__
    try:
        text = str(exc)
        text = text.splitlines()[0] if text else ""
    except Exception:
        return f"{name} (its message could not be shown: its __str__ raised an error)"
    return f"{name}: {_shorten(text)}" if text else name


_HEADS = {
    "passed": "{name}: all checks passed.",
    "not attempted": ("{name}: not attempted yet (replace the `raise NotImplementedError` line with your code, "
                      "here or in an earlier task this one uses)."),
    "failed": "{name}: some checks failed.",
    "basic failed": ("{name}: some checks failed. The basic value is wrong: start with the first {fail} below; "
                     "the edge cases' hints wait until the basic cases pass."),
    "edge failed": "{name}: some checks failed. The basic cases pass; some edge cases do not.",
}


@dataclass
class CheckReport:
    """The outcome of one checker: printed as a short report in the notebook.

    Attributes
    ----------
    exercise : str
        Name of the exercise.
    status : str
        ``"passed"``, ``"failed"`` or ``"not attempted"``.
    lines : list of str
        One or more lines per case, each case's first line starting with an
        icon (``PASS``, ``FAIL`` or ``HELD``) after two spaces of indent.
    basic_failed : bool or None
        For a failed report: True when a basic case failed, False when only
        edge cases did, None when the checker does not tell them apart.
    """

    exercise: str
    status: str
    lines: list[str]
    basic_failed: bool | None = None
    printed: bool = field(default=False, compare=False)

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def attempted(self) -> bool:
        return self.status != "not attempted"

    def _head(self) -> tuple[str, str]:
        key = self.status
        if key == "failed" and self.basic_failed is not None:
            key = "basic failed" if self.basic_failed else "edge failed"
        icon = {"passed": PASS, "not attempted": WAIT}.get(self.status, FAIL)
        return icon, _HEADS[key].format(name=self.exercise, fail=FAIL)

    def __str__(self) -> str:
        icon, text = self._head()
        return "\n".join([f"{icon} {text}", *self.lines])

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        """The report with coloured icons (the plain text stays the ``text/plain`` form)."""
        icon, text = self._head()
        rows = [f'<div style="font-weight:bold"><span style="color:{COLOURS[icon]}">{icon}</span> '
                f"{html.escape(text)}</div>"]
        for line in self.lines:
            stripped = line.lstrip(" ")
            indent = (len(line) - len(stripped)) / 2
            mark = stripped[:1]
            if mark in COLOURS:
                body = (f'<span style="color:{COLOURS[mark]};font-weight:bold">{mark}</span>'
                        f"{html.escape(stripped[1:])}")
            else:
                body = html.escape(stripped)
            rows.append(f'<div style="margin-left:{indent:g}em">{body}</div>')
        return ('<div class="gnlib-check" style="font-family:\'DejaVu Sans Mono\',monospace;'
                'font-size:13px;line-height:1.45;white-space:pre-wrap;max-width:880px">'
                + "".join(rows) + "</div>")

    def show(self) -> None:
        """Show the report once: coloured HTML in a notebook, plain text elsewhere."""
        self.printed = True
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:  # pragma: no cover - IPython comes with Jupyter
            shell = None
        if shell is None or not hasattr(shell, "kernel"):
            print(self)
            return
        from IPython.display import display

        display({"text/plain": str(self), "text/html": self._repr_html_()}, raw=True)

    def _ipython_display_(self) -> None:
        # A checker shows its report as it runs; when it is also the last line
        # of a cell, do not show the same report a second time.
        if not self.printed:
            self.show()


def attempt(action: Callable[[], Any], needs: str) -> Any:
    """Run a "put it together" step built on the learner's functions, without ever crashing Run All.

    Parameters
    ----------
    action : callable
        ``action()`` runs the step (and prints what it shows).
    needs : str
        Which tasks the step uses, e.g. ``"tasks 1 and 3"``.

    Returns
    -------
    object or None
        ``action()``'s result; None if a function it uses is unfinished or
        raised (a line saying so is printed instead of a traceback).

    Examples
    --------
    >>> def unfinished():
    ...     raise NotImplementedError
    >>> attempt(unfinished, "task 1")
    ○ Finish task 1 first: this step uses them.
    """
    try:
        return action()
    except NotImplementedError:
        print(f"{WAIT} Finish {needs} first: this step uses them.")
    except Exception as exc:  # a learner's bug: name it, never crash the notebook
        print(f"{FAIL} Your code raised {describe_exception(exc)}. Run the checkers of {needs}: "
              "they show which function fails and why.")
    return None
