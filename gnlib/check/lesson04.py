"""Checkers for exercises/04_normalized_gd.

* :func:`check_normalized_step` -- one normalized step ``-eta g / ||g||`` with the zero guard;
* :func:`check_ngd` -- normalized gradient descent with a step-size schedule;
* :func:`check_ngd_predictions` -- "which method wins?": runs each experiment
  after the learner has committed to a prediction, and explains the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..functions import Objective, plateau, quadratic_bowl, quadratic_plus_quartic, quartic, rosenbrock
from ..norms import l2_norm
from ..optim import METHOD_LABELS, inverse_sqrt_schedule, normalized_gradient_descent, run_methods
from ._core import Case, CheckReport, Mismatch, Mistake, close_to, fresh_rng, numeric_result, run_cases
from ._report import FAIL, PASS, describe_exception, describe_value

__all__ = [
    "check_normalized_step",
    "check_ngd",
    "check_ngd_predictions",
    "describe_ngd_questions",
    "NGD_QUESTIONS",
]


def _step_case(label: str, g: np.ndarray, eta: float, hint: str, **kw: Any) -> Case:
    """A normalized-step case with the typical slips diagnosed."""
    norm = l2_norm(g)
    want = -eta * g / norm if norm > 0 else np.zeros_like(g)
    mistakes: tuple[Mistake, ...] = ()
    if norm > 0:
        with np.errstate(all="ignore"):
            slips = [(-want, "move against the gradient: the step is −η g/‖g‖."),
                     (-eta * g, "divide g by its norm ‖g‖, so that the step has length η."),
                     (-eta * g / norm**2, "divide by the norm ‖g‖, not by its square."),
                     (-eta * g / float(np.sum(np.abs(g))), "divide by the Euclidean norm √(Σ g_i²), not by Σ|g_i|.")]
        mistakes = tuple(Mistake(close_to(value, rtol=1e-9), text) for value, text in slips
                         if np.all(np.isfinite(value)) and not np.allclose(value, want))
    return Case(label, (g, eta), close_to(want, rtol=1e-9, atol=1e-300), hint, mistakes=mistakes, **kw)


def check_normalized_step(normalized_step: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``normalized_step(g, eta)``: the update ``-eta g / ||g||`` (zeros when g = 0)."""
    rng = fresh_rng()
    drawn, eta_drawn = rng.normal(size=4) * 5.0, float(rng.uniform(0.05, 1.0))
    nan_hint = "0 / 0 is NaN: when ||g|| == 0 return np.zeros_like(g) instead of dividing."
    cases = [
        _step_case("g = (3, 4), η = 0.5", np.array([3.0, 4.0]), 0.5,
                   "move against the gradient: minus eta times the unit vector g / ||g||."),
        _step_case("the step has length η whatever the size of g", np.array([300.0, -400.0, 1200.0]), 0.1,
                   "divide by the norm of the gradient (not by the loss, not by the number of entries)."),
        _step_case("g and η drawn afresh at every run", drawn, eta_drawn,
                   "the step is −η g/‖g‖ for the g and η you are given.", fresh=True),
        _step_case("a matrix-shaped gradient keeps its shape", np.arange(6.0).reshape(2, 3) - 2.0, 0.2,
                   "take the norm over all entries and return an array shaped like g.", edge=True),
        _step_case("zero gradient: a zero step, no NaN", np.zeros(3), 0.5, nan_hint, edge=True),
        _step_case("a tiny gradient (entries 1e-170) still gives a full step of length η",
                   np.array([1e-170, -1e-170]), 0.1,
                   "the squares 1e-340 underflow to 0 in a naive norm; use gnlib.l2_norm (lesson 01), "
                   "which scales before squaring.", edge=True),
    ]
    return run_cases("normalized_step", normalized_step, cases, quiet=quiet)


def _reference(objective: Objective | Callable, theta0: Any, learning_rate: Any, n: int) -> np.ndarray:
    grad = objective.gradient if isinstance(objective, Objective) else objective
    return normalized_gradient_descent(grad, theta0, learning_rate, n).thetas


def _iterates(expected: np.ndarray) -> Callable[[Any], bool]:
    """accept: the learner's iterates, all n + 1 of them, close to ``expected``."""
    want = np.array(expected, dtype=np.float64)

    def accept(result: Any) -> bool:
        got = numeric_result(result)
        if got.ndim == 0 or got.shape[0] != want.shape[0]:
            raise Mismatch(f"return all n_steps + 1 iterates θ_0 … θ_n, starting with theta0 itself "
                           f"({want.shape[0]} rows here).")
        return close_to(want, rtol=1e-9, atol=1e-12)(got)

    return accept


def _ngd_case(label: str, grad: Callable, theta0: Any, learning_rate: Any, n: int, hint: str, **kw: Any) -> Case:
    want = _reference(grad, theta0, learning_rate, n)
    mistakes = ()
    if callable(learning_rate):
        shifted = _reference(grad, theta0, lambda t: learning_rate(t + 1), n)
        mistakes = (Mistake(close_to(shifted, rtol=1e-9, atol=1e-12),
                            "the first step uses learning_rate(0): call the schedule with t = 0, 1, …, n − 1."),)
    return Case(label, (grad, np.array(theta0, dtype=np.float64), learning_rate, n), _iterates(want), hint,
                mistakes=mistakes, **kw)


def check_ngd(ngd: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``ngd(grad_fn, theta0, learning_rate, n_steps)``.

    It must return the iterates ``theta_0 ... theta_n`` as an array of shape
    ``(n_steps + 1, *theta0.shape)``; ``learning_rate`` is a number or a
    schedule ``t -> eta_t``; a zero gradient gives a zero step.
    """
    bowl, flat, steep, banana = quadratic_bowl(10.0), plateau(), quartic(), rosenbrock()
    schedule = inverse_sqrt_schedule(0.5)
    slow = inverse_sqrt_schedule(0.05)
    rng = fresh_rng()
    start_drawn, eta_drawn = rng.uniform(-3.0, 3.0, size=2), float(rng.uniform(0.05, 0.3))
    cases = [
        _ngd_case("constant η on a 2-D bowl: every step has length η", bowl.gradient, [1.5, -2.0], 0.1, 30,
                  "return all n_steps + 1 iterates (start included); each step is −η g/‖g‖."),
        _ngd_case("a start and η drawn afresh at every run, on the bowl", bowl.gradient, start_drawn, eta_drawn, 20,
                  "each step is −η g/‖g‖, with the gradient evaluated at the current iterate.", fresh=True),
        _ngd_case("schedule η_t = 0.5/√(t+1) on θ⁴: step t has length η_t", steep.gradient, [10.03], schedule, 40,
                  "when learning_rate is callable, use learning_rate(t) at step t = 0, 1, ..."),
        _ngd_case("the plateau 1 - exp(-θ²) from θ₀ = 5", flat.gradient, [5.0], 0.1, 80,
                  "the gradient is ~1e-10 here, but its direction is all NGD needs."),
        _ngd_case("Rosenbrock (2-D) with a schedule", banana.gradient, [-1.2, 1.0], slow, 60,
                  "evaluate the gradient at the current iterate, step, then append a copy of the new iterate."),
        _ngd_case("zero gradient everywhere: the iterates stay put, no NaN", lambda th: np.zeros_like(th),
                  [1.0, 2.0], 0.5, 5, "guard ||g|| == 0: take a zero step instead of dividing 0 by 0.", edge=True),
        _ngd_case("landing exactly on the minimum of θ²/2, then staying there", lambda th: th, [1.0], 0.25, 8,
                  "after the iterate reaches 0 the gradient is exactly 0: the guard must give a zero step.", edge=True),
        _ngd_case("n_steps = 0 returns just the start point", bowl.gradient, [1.0, 1.0], 0.1, 0,
                  "the result always starts with theta0 itself.", edge=True),
        _ngd_case("theta0 is not modified in place", bowl.gradient, [3.0, 4.0], 0.1, 3,
                  "start from theta = np.array(theta0, dtype=float) (a copy) and never use -= on theta0.", edge=True),
    ]
    return run_cases("ngd", ngd, cases, quiet=quiet)


@dataclass(frozen=True)
class _Question:
    text: str
    objective: Callable[[], Objective]
    theta0: float
    eta: float
    tau: float
    n_steps: int
    answer: str
    explanation: str
    wrong_hints: dict[str, str]  # letter -> what to look at when that prediction is wrong (never the answer)


NGD_QUESTIONS: dict[str, _Question] = {
    "plateau": _Question(
        "J(θ) = 1 - exp(-θ²): which method ends with the lowest loss?", plateau, 4.03, 0.1, 1.0, 100, "B",
        "the gradient at θ = 4 is below 1e-6, so GD's steps (η times that) go nowhere, and clipping only ever "
        "shrinks steps, so clipped GD is GD here. Normalized GD ignores the size and walks in at η per step.",
        {"A": "GD's step is η‖∇J‖: how big is the gradient of 1 - exp(-θ²) at θ = 4? The plateau figure of "
              "lesson 04 (section 2.1) shows how far each method gets in 100 steps.",
         "C": "clipping only ever shortens a step; does the gradient at θ = 4 give clipped GD a long step or a "
              "tiny one? Compare the step-length rules of lesson 04, section 4."}),
    "quartic": _Question(
        "J(θ) = θ⁴: which method fails (its iterates overflow)?", quartic, 10.03, 0.01, 10.0, 100, "A",
        "the gradient 4θ³ ≈ 4000 at θ = 10 makes GD's first step 40 long: it overshoots to about -30, where the "
        "gradient is larger still, and blows up within a few steps. The other two never step more than η or ητ.",
        {"B": "normalized GD's step has length η whatever the gradient: can a step of 0.01 overflow? Look at the "
              "steep-wall figure of lesson 04 (section 2.2): which curve leaves the plot, and why?",
         "C": "clipped GD never steps more than ητ = 0.1 here: can it overflow? Look at the steep-wall figure of "
              "lesson 04 (section 2.2): which curve leaves the plot, and why?"}),
    "mixed": _Question(
        "J(θ) = θ²/2 + θ⁴/4: which method ends with the lowest loss?", quadratic_plus_quartic, 10.03, 0.1, 1.0, 300,
        "C", "far away clipped GD takes normalized steps of length ητ and cannot blow up; near 0 the gradient "
        "drops below τ and it becomes plain GD, which converges fast on this bowl. GD overflows from θ = 10; "
        "normalized GD arrives but keeps bouncing about η around 0.",
        {"A": "how long is GD's first step from θ = 10, where the gradient θ + θ³ is about 1000? The steep wall "
              "of lesson 04 (section 2.2) is the same situation.",
         "B": "with a constant η, does normalized GD's step shrink near the minimum? Section 3 of lesson 04 "
              "(a constant η never settles) shows where it ends."}),
    "bowl": _Question(
        "J(θ) = θ²/2: which method does NOT converge to θ* = 0, however many steps it takes?",
        lambda: quadratic_bowl(dim=1), 1.03, 0.1, 1.0, 1000, "B",
        "with a constant η every step of normalized GD has length η, even next to the minimum, so it ends in "
        "a cycle (here between 0.03 and -0.07). GD and clipped GD take steps proportional to the gradient, "
        "which vanish at the minimum. A decaying η_t would fix normalized GD.",
        {"A": "GD's step on θ²/2 is η θ: what happens to it as θ shrinks? Section 3 of lesson 04 compares the "
              "step lengths of the methods next to a minimum.",
         "C": "near the minimum the gradient is below τ = 1: which method does clipped GD behave like there? "
              "See the step-length rules of lesson 04, section 4, or the explorable's curves."}),
}

_LETTERS = {"A": "gd", "B": "ngd", "C": "clipped"}


def describe_ngd_questions() -> str:
    """The prediction questions of the exercise, one paragraph each (print it)."""
    lines = ["Options: A = GD, B = normalized GD, C = clipped GD (all with the same η and τ).", ""]
    for key, q in NGD_QUESTIONS.items():
        lines.append(f"{key!r}: {q.text}\n    start θ₀ = {q.theta0:g}, η = {q.eta:g}, τ = {q.tau:g}, "
                     f"{q.n_steps} steps.")
    return "\n".join(lines)


def _outcome(q: _Question) -> str:
    objective = q.objective()
    runs = run_methods(objective, [q.theta0], q.eta, q.tau, q.n_steps)
    parts = []
    for name, run in runs.items():
        if run.diverged:
            parts.append(f"{METHOD_LABELS[name]}: overflow after {run.n_steps} steps")
        else:
            loss = float(objective.value(run.final))
            parts.append(f"{METHOD_LABELS[name]}: final θ = {float(run.final[0]):.3g}, J = {loss:.3g}")
    return "; ".join(parts)


def _normalize_letter(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    aliases = {"GD": "A", "NGD": "B", "NORMALIZED GD": "B", "CLIPPED": "C", "CLIPPED GD": "C"}
    text = aliases.get(text, text)
    return text if text in _LETTERS else None


def _failed(lines: list[str], quiet: bool) -> CheckReport:
    report = CheckReport("ngd_predictions", "failed", lines)
    if not quiet:
        report.show()
    return report


def check_ngd_predictions(predictions: Callable[[], Any] | dict, *, quiet: bool = False) -> CheckReport:
    """Compare the learner's predictions with what the runs actually do, and explain each outcome.

    Parameters
    ----------
    predictions : dict or callable
        ``{"plateau": "B", ...}`` mapping each question of
        :data:`NGD_QUESTIONS` to a letter ``"A"`` (GD), ``"B"`` (normalized GD)
        or ``"C"`` (clipped GD); or a function returning that dict.

    Returns
    -------
    CheckReport
        ``"passed"`` when every prediction is right. A right prediction shows
        the runs' numbers and an explanation; a wrong one shows what the
        learner said and a hint for that choice (what to look at in the
        lesson), never the answer, so the learner can try again. A
        function that raises, or a result that is not a dict, gives a
        ``"failed"`` report with a hint (never an exception).
    """
    not_a_dict = "return a dictionary such as {'plateau': 'B', 'quartic': 'A', ...}, one letter per question"
    if callable(predictions):
        try:
            predictions = predictions()
        except NotImplementedError:
            report = CheckReport("ngd_predictions", "not attempted", [])
            if not quiet:
                report.show()
            return report
        except Exception as exc:  # a learner's bug: report it, never crash the notebook
            return _failed([f"  {FAIL} your function raised {describe_exception(exc)}.",
                            f"      Hint: {not_a_dict}."], quiet)
    if not isinstance(predictions, dict):
        return _failed([f"  {FAIL} the predictions are {describe_value(predictions)}.",
                        f"      Hint: {not_a_dict}, not {describe_value(predictions, values=False)}."], quiet)
    lines, wrong = [], 0
    for key, q in NGD_QUESTIONS.items():
        try:
            letter = _normalize_letter(predictions.get(key))
        except Exception:  # a dict subclass with a broken get
            letter = None
        if letter is None:
            wrong += 1
            lines.append(f"  {FAIL} {key}: no valid prediction (give one of 'A', 'B', 'C'). Hint: predict first, "
                         "then the run and the explanation appear here.")
            continue
        said = f"you said {letter} ({METHOD_LABELS[_LETTERS[letter]]})"
        if letter != q.answer:  # the runs and the explanation would give the answer away: a hint, another try
            wrong += 1
            lines.append(f"  {FAIL} {key}: {said}, not this one.\n      Hint: {q.wrong_hints[letter]}\n"
                         "      Change this prediction and run the checker again.")
            continue
        lines.append(f"  {PASS} {key}: {said}, right.\n      Why: {q.explanation}\n      Runs: {_outcome(q)}.")
    report = CheckReport("ngd_predictions", "failed" if wrong else "passed", lines)
    if not quiet:
        report.show()
    return report
