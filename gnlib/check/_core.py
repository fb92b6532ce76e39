"""The machinery behind every exercise checker.

A checker runs the learner's function on several cases (edge cases included),
compares each result with gnlib's reference, and prints one line per case:
what passed, what failed and a hint. It never prints the expected answer
(a learner could copy it), and an exercise that still raises the stub's
``NotImplementedError`` prints "not attempted yet" instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Case", "CheckReport", "run_cases", "close_to"]


@dataclass(frozen=True)
class Case:
    """One test case for a learner's function.

    Attributes
    ----------
    label : str
        What the case tries, shown to the learner ("negative entries").
    args : tuple
        Positional arguments for the learner's function.
    accept : callable
        ``accept(result) -> bool``: True when the result is right.
    hint : str
        Shown when the case fails: where to look, not the answer.
    kwargs : dict
        Keyword arguments for the learner's function.
    raises : type of Exception, optional
        When set, the case passes only if the function raises this.
    """

    label: str
    args: tuple
    accept: Callable[[Any], bool] = lambda result: True
    hint: str = ""
    kwargs: dict = field(default_factory=dict)
    raises: type[BaseException] | None = None


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
        One line per case.
    """

    exercise: str
    status: str
    lines: list[str]
    printed: bool = False

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def attempted(self) -> bool:
        return self.status != "not attempted"

    def __str__(self) -> str:
        head = {
            "passed": f"✅ {self.exercise}: all checks passed.",
            "failed": f"❌ {self.exercise}: some checks failed.",
            "not attempted": f"⏳ {self.exercise}: not attempted yet (replace the `raise NotImplementedError` line with your code).",
        }[self.status]
        return "\n".join([head, *self.lines])

    def __repr__(self) -> str:
        return str(self)

    def show(self) -> None:
        """Print the report (once)."""
        print(self)
        self.printed = True

    def _ipython_display_(self) -> None:
        # A checker prints its report as it runs; when it is also the last line
        # of a cell, do not print the same report a second time.
        if not self.printed:
            self.show()


def close_to(expected: Any, *, rtol: float = 1e-7, atol: float = 0.0) -> Callable[[Any], bool]:
    """An ``accept`` function: the result has the expected shape and values."""

    def accept(result: Any) -> bool:
        try:
            got = np.asarray(result, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        want = np.asarray(expected, dtype=np.float64)
        if got.shape != want.shape:
            return False
        return bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True))

    return accept


def _describe(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_cases(exercise: str, func: Callable[..., Any], cases: Sequence[Case], *, quiet: bool = False) -> CheckReport:
    """Run ``func`` on every case and build (and print) the report.

    Parameters
    ----------
    exercise : str
        Name shown in the report.
    func : callable
        The learner's function.
    cases : sequence of Case
        The cases, in the order they are shown.
    quiet : bool, default False
        If True, do not print (tests use this).

    Returns
    -------
    CheckReport
    """
    if not callable(func):
        raise TypeError(f"pass your function itself to the checker, got {type(func).__name__}")
    lines: list[str] = []
    failures = 0
    for case in cases:
        try:
            result = func(*case.args, **case.kwargs)
        except NotImplementedError:
            report = CheckReport(exercise, "not attempted", [])
            if not quiet:
                report.show()
            return report
        except Exception as exc:  # a learner's bug: report it, never crash the notebook
            if case.raises is not None and isinstance(exc, case.raises):
                lines.append(f"  ✓ {case.label}: raises {type(exc).__name__}")
                continue
            failures += 1
            lines.append(f"  ✗ {case.label}: raised {_describe(exc)}. Hint: {case.hint}")
            continue
        if case.raises is not None:
            failures += 1
            lines.append(f"  ✗ {case.label}: should raise {case.raises.__name__}. Hint: {case.hint}")
            continue
        try:
            ok = bool(case.accept(result))
        except Exception:
            ok = False
        if ok:
            lines.append(f"  ✓ {case.label}")
        else:
            failures += 1
            lines.append(f"  ✗ {case.label}: wrong result. Hint: {case.hint}")
    report = CheckReport(exercise, "failed" if failures else "passed", lines)
    if not quiet:
        report.show()
    return report
