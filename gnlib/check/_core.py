"""The machinery behind every exercise checker.

A checker runs the learner's function on several cases and prints one line per
case. The conventions every checker follows:

* **Basic cases first, edge cases after** (``Case(..., edge=True)``; an edge
  case before a basic one is an authoring error). While a basic case fails, the
  report says so first and holds back the edge cases' hints: they cannot be
  judged before the basic value is right.
* **Show what the learner's function returned** (value and shape, shortened),
  never the expected value.
* **Hints follow the bug.** A case lists typical mistakes (:class:`Mistake`: a
  test on the result and the hint that fixes it); the first one the result
  matches gives the hint, else the case's general ``hint``. ``accept``
  functions may raise :class:`Mismatch` with a hint of their own
  (:func:`close_to` does for text, ``None`` or a wrong shape).
* **Fresh inputs.** At least one case per checker draws its inputs from
  :func:`fresh_rng` at every run (``Case(..., fresh=True)``), so replaying
  recorded answers cannot pass; such a case shows only the type and shape of
  a wrong result, so its printed line is the same at every run.
* **Numbers only.** A result holding text (``"0.5"``, ``b"0.5"``,
  ``np.str_``), ``None`` or complex numbers anywhere (also a field of a
  returned tuple, list or dict) fails before ``accept`` runs, with a one-line
  hint saying where and what came back (:func:`~gnlib.check._values.non_number_hint`).
* **Inputs are the learner's own copies** and must come back unchanged: every
  array (also inside lists, tuples and dicts) is copied before the call and
  compared after it, also when the function raises (a ``raises=`` case fails
  if the inputs were changed before the error). Expected values are computed
  (and copied, by :func:`close_to`) before the learner's function runs.
* A learner's exception is reported, never raised, even if its ``__str__``
  fails. The stub's ``NotImplementedError`` gives "not attempted yet" when
  every case raised it; when only some did (one branch unfinished), each case
  is reported and those say that their branch is not implemented yet.
* A "put it together" cell that runs the learner's functions wraps its work in
  :func:`~gnlib.check._report.attempt`, so a bug prints one line instead of stopping Run All.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._values import MUTATION_HINT, changed_argument, copy_inputs, non_number_hint
from ._report import FAIL, HELD, PASS, CheckReport, describe_exception, describe_value

__all__ = ["Case", "Mistake", "Mismatch", "CheckReport", "run_cases", "close_to", "numeric_result", "fresh_rng"]


class Mismatch(Exception):
    """Raised by an ``accept`` function: the result is wrong, and here is why (the hint)."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


@dataclass(frozen=True)
class Mistake:
    """A typical mistake: ``matches(result)`` is True when the result looks like it.

    Attributes
    ----------
    matches : callable
        ``matches(result) -> bool``, often ``close_to(what_the_mistake_returns)``.
    hint : str
        The hint that fixes exactly this mistake.
    """

    matches: Callable[[Any], bool]
    hint: str


@dataclass(frozen=True)
class Case:
    """One test case for a learner's function.

    Attributes
    ----------
    label : str
        What the case tries, shown to the learner ("negative entries").
    args : tuple
        Positional arguments for the learner's function (copied for each call).
    accept : callable
        ``accept(result) -> bool``: True when the result is right. It may raise
        :class:`Mismatch` to give a more specific hint.
    hint : str
        Shown when the case fails and no mistake matched: where to look, not the answer.
    kwargs : dict
        Keyword arguments for the learner's function.
    raises : type of Exception, optional
        When set, the case passes only if the function raises this.
    edge : bool, default False
        An edge case: listed after the basic cases, its hint held back while a basic case fails.
    mistakes : tuple of Mistake
        Typical mistakes, tried in order on a wrong result.
    fresh : bool, default False
        The inputs are drawn afresh at every run: a wrong result is shown by type and shape only.
    numbers_only : bool, default True
        Refuse a result holding anything but real numbers (text, None, complex,
        also inside tuples, lists and dicts) before ``accept`` sees it.
    """

    label: str
    args: tuple
    accept: Callable[[Any], bool] = lambda result: True
    hint: str = ""
    kwargs: dict = field(default_factory=dict)
    raises: type[BaseException] | None = None
    edge: bool = False
    mistakes: tuple[Mistake, ...] = ()
    fresh: bool = False
    numbers_only: bool = True


def fresh_rng() -> np.random.Generator:
    """A generator seeded from the operating system: new inputs at every run (for ``fresh`` cases)."""
    return np.random.default_rng()


def numeric_result(result: Any, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """The result as a float64 array, or :class:`Mismatch` with a hint if it is not numbers of ``shape``.

    Text (``"5.0"``), ``None``, complex and other non-numeric results are
    refused, and so is a shape other than ``shape`` (when given).
    """
    hint = non_number_hint(result)  # None, text, complex: the same hints as every checker's first look
    if hint is not None:
        raise Mismatch(hint)
    try:
        got = np.asarray(result)
    except Exception:
        raise Mismatch("return a number or a numpy array of numbers.") from None
    if got.dtype.kind not in "biuf":
        raise Mismatch(f"return real numbers (a float or an array of floats), not {describe_value(result, values=False)}.")
    if shape is not None and got.shape != tuple(shape):
        need = "be a single number" if tuple(shape) == () else f"have shape {tuple(shape)}"
        raise Mismatch(f"the result should {need}; yours has shape {got.shape}.")
    return got.astype(np.float64)


def close_to(expected: Any, *, rtol: float = 1e-7, atol: float = 0.0) -> Callable[[Any], bool]:
    """An ``accept`` function: the result is numeric, has the expected shape and values.

    ``expected`` is copied now, so a learner who writes into the inputs cannot
    change it. Non-numeric results and a wrong shape raise :class:`Mismatch`
    with a hint (see :func:`numeric_result`).
    """
    want = np.array(expected, dtype=np.float64, copy=True)

    def accept(result: Any) -> bool:
        got = numeric_result(result, want.shape)
        return bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True))

    return accept


def _judge(case: Case, func: Callable) -> tuple[bool, str, str | None]:
    """Run one case: (passed, what happened, hint or None); NotImplementedError passes through."""
    args, kwargs = copy_inputs(case.args), copy_inputs(case.kwargs)
    before_args, before_kwargs = copy_inputs(args), copy_inputs(kwargs)
    try:
        result = func(*args, **kwargs)
    except NotImplementedError:
        raise
    except SystemExit:  # exit() or sys.exit() in the learner's code would end the checker, not the case
        return False, "your function called exit() (SystemExit)", "return the result instead of exiting."
    except Exception as exc:  # a learner's bug: report it, never crash the notebook
        changed = changed_argument(func, args, kwargs, before_args, before_kwargs)
        if case.raises is not None and isinstance(exc, case.raises):
            if changed is not None:
                return False, (f"your function raised {type(exc).__name__} as it should, but first changed its "
                               f"argument {changed} in place"), MUTATION_HINT
            return True, f"raises {type(exc).__name__}", None
        if case.fresh:  # its message may quote the inputs, which change at every run
            return False, f"your function raised {type(exc).__name__} (this case draws new inputs at every run)", case.hint
        return False, f"your function raised {describe_exception(exc)}", case.hint
    changed = changed_argument(func, args, kwargs, before_args, before_kwargs)
    if changed is not None:
        return False, f"your function changed its argument {changed} in place", MUTATION_HINT
    if case.raises is not None:
        return False, (f"should raise {case.raises.__name__}, but returned "
                       f"{describe_value(result, values=not case.fresh)}"), case.hint
    returned = describe_value(result, values=not case.fresh)
    if case.fresh:
        returned += " (this case draws new inputs at every run)"
    if case.numbers_only:
        refused = non_number_hint(result, values=not case.fresh)
        if refused is not None:
            return False, f"your function returned {returned}", refused
    try:
        if case.accept(result):
            return True, "", None
        hint = case.hint
    except Mismatch as why:
        hint = why.hint
    except Exception:
        hint = case.hint
    for mistake in case.mistakes:
        try:
            if mistake.matches(result):
                hint = mistake.hint
                break
        except Exception:
            continue
    return False, f"your function returned {returned}", hint


NOT_IMPLEMENTED = "your function raised NotImplementedError: the branch for this case is not implemented yet"
NOT_IMPLEMENTED_HINT = ("finish the part of your function (or of a function it calls) that handles this case: "
                        "it still raises NotImplementedError.")


def run_cases(exercise: str, func: Callable[..., Any], cases: Sequence[Case], *, quiet: bool = False) -> CheckReport:
    """Run ``func`` on every case and build (and show) the report.

    Parameters
    ----------
    exercise : str
        Name shown in the report.
    func : callable
        The learner's function.
    cases : sequence of Case
        The cases, basic ones first, in the order they are shown.
    quiet : bool, default False
        If True, do not show the report (tests use this).

    Returns
    -------
    CheckReport

    Raises
    ------
    TypeError
        If ``func`` is not callable.
    ValueError
        If a basic case follows an edge case.
    """
    if not callable(func):
        raise TypeError(f"pass your function itself to the checker, got {type(func).__name__}")
    if any(a.edge and not b.edge for a, b in zip(cases, cases[1:])):
        raise ValueError("cases must list every basic case before the edge cases (edge=True)")
    outcomes = []
    for case in cases:
        try:
            outcomes.append((case, *_judge(case, func)))
        except NotImplementedError:
            outcomes.append((case, False, NOT_IMPLEMENTED, NOT_IMPLEMENTED_HINT))
    if outcomes and all(what == NOT_IMPLEMENTED for _, _, what, _ in outcomes):
        report = CheckReport(exercise, "not attempted", [])
        if not quiet:
            report.show()
        return report
    basic_failed = any(not ok for case, ok, _, _ in outcomes if not case.edge)
    lines: list[str] = []
    last_hint = None
    for case, ok, what, hint in outcomes:
        if ok:
            lines.append(f"  {PASS} {case.label}" + (f": {what}" if what else ""))
            continue
        lines.append(f"  {FAIL} {case.label}: {what}.")
        if case.edge and basic_failed:
            lines.append(f"      {HELD} hint held back until the basic cases pass")
        elif hint:
            lines.append("      Hint: " + ("the same as above." if hint == last_hint else hint))
            last_hint = hint
    failed = any(not ok for _, ok, _, _ in outcomes)
    report = CheckReport(exercise, "failed" if failed else "passed", lines,
                         basic_failed=basic_failed if failed else None)
    if not quiet:
        report.show()
    return report

