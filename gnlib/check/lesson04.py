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
from ..optim import METHOD_LABELS, inverse_sqrt_schedule, normalized_gradient_descent, run_methods, step_lengths
from ._core import Case, CheckReport, close_to, run_cases

__all__ = [
    "check_normalized_step",
    "check_ngd",
    "check_ngd_predictions",
    "describe_ngd_questions",
    "NGD_QUESTIONS",
]


def _is_step(g: np.ndarray, eta: float) -> Callable[[Any], bool]:
    norm = l2_norm(g)
    return close_to(-eta * g / norm if norm > 0 else np.zeros_like(g), rtol=1e-9, atol=1e-300)


def check_normalized_step(normalized_step: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``normalized_step(g, eta)``: the update ``-eta g / ||g||`` (zeros when g = 0)."""
    cases = [
        Case("g = (3, 4), η = 0.5", (np.array([3.0, 4.0]), 0.5), _is_step(np.array([3.0, 4.0]), 0.5),
             "move against the gradient: minus eta times the unit vector g / ||g||."),
        Case("the step has length η whatever the size of g", (np.array([300.0, -400.0, 1200.0]), 0.1),
             _is_step(np.array([300.0, -400.0, 1200.0]), 0.1),
             "divide by the norm of the gradient (not by the loss, not by the number of entries)."),
        Case("a matrix-shaped gradient keeps its shape", (np.arange(6.0).reshape(2, 3) - 2.0, 0.2),
             _is_step(np.arange(6.0).reshape(2, 3) - 2.0, 0.2),
             "take the norm over all entries and return an array shaped like g."),
        Case("zero gradient: a zero step, no NaN", (np.zeros(3), 0.5), close_to(np.zeros(3)),
             "0 / 0 is NaN: when ||g|| == 0 return np.zeros_like(g) instead of dividing."),
        Case("a tiny gradient (entries 1e-170) still gives a full step of length η",
             (np.array([1e-170, -1e-170]), 0.1), _is_step(np.array([1e-170, -1e-170]), 0.1),
             "the squares 1e-340 underflow to 0 in a naive norm; use gnlib.l2_norm (lesson 01), "
             "which scales before squaring."),
    ]
    return run_cases("normalized_step", normalized_step, cases, quiet=quiet)


def _reference(objective: Objective | Callable, theta0: Any, learning_rate: Any, n: int) -> np.ndarray:
    grad = objective.gradient if isinstance(objective, Objective) else objective
    return normalized_gradient_descent(grad, theta0, learning_rate, n).thetas


def _steps_are(expected: np.ndarray, n_rows: int) -> Callable[[Any], bool]:
    def accept(result: Any) -> bool:
        arr = np.asarray(result, dtype=np.float64)
        return arr.shape[0] == n_rows and np.allclose(step_lengths(arr), expected, rtol=1e-9, atol=1e-12)
    return accept


def _unchanged(arr: np.ndarray) -> Callable[[Any], bool]:
    original = arr.copy()
    return lambda result: bool(np.array_equal(arr, original))


def check_ngd(ngd: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``ngd(grad_fn, theta0, learning_rate, n_steps)``.

    It must return the iterates ``theta_0 ... theta_n`` as an array of shape
    ``(n_steps + 1, *theta0.shape)``; ``learning_rate`` is a number or a
    schedule ``t -> eta_t``; a zero gradient gives a zero step.
    """
    bowl, flat, steep, banana = quadratic_bowl(10.0), plateau(), quartic(), rosenbrock()
    schedule = inverse_sqrt_schedule(0.5)
    slow = inverse_sqrt_schedule(0.05)
    start = np.array([1.5, -2.0])
    cases = [
        Case("constant η on a 2-D bowl: every step has length η", (bowl.gradient, start.copy(), 0.1, 30),
             _steps_are(np.full(30, 0.1), 31),
             "return all n_steps + 1 iterates (start included); each step is eta * g / ||g||."),
        Case("schedule η_t = 0.5/√(t+1) on θ⁴: step t has length η_t",
             (steep.gradient, np.array([10.03]), schedule, 40),
             _steps_are(np.array([schedule(t) for t in range(40)]), 41),
             "when learning_rate is callable, use learning_rate(t) at step t = 0, 1, ..."),
        Case("the plateau 1 - exp(-θ²) from θ₀ = 5", (flat.gradient, np.array([5.0]), 0.1, 80),
             close_to(_reference(flat, [5.0], 0.1, 80), rtol=1e-9, atol=1e-12),
             "the gradient is ~1e-10 here, but its direction is all NGD needs."),
        Case("Rosenbrock (2-D) with a schedule", (banana.gradient, np.array([-1.2, 1.0]), slow, 60),
             close_to(_reference(banana, [-1.2, 1.0], slow, 60), rtol=1e-9, atol=1e-12),
             "evaluate the gradient at the current iterate, step, then append a copy of the new iterate."),
        Case("zero gradient everywhere: the iterates stay put, no NaN",
             (lambda th: np.zeros_like(th), np.array([1.0, 2.0]), 0.5, 5), close_to(np.tile([1.0, 2.0], (6, 1))),
             "guard ||g|| == 0: take a zero step instead of dividing 0 by 0."),
        Case("landing exactly on the minimum of θ²/2, then staying there",
             (lambda th: th, np.array([1.0]), 0.25, 8),
             close_to(_reference(lambda th: th, [1.0], 0.25, 8)),
             "after the iterate reaches 0 the gradient is exactly 0: the guard must give a zero step."),
        Case("n_steps = 0 returns just the start point", (bowl.gradient, np.array([1.0, 1.0]), 0.1, 0),
             close_to(np.array([[1.0, 1.0]])), "the result always starts with theta0 itself."),
    ]
    mutable = np.array([3.0, 4.0])
    cases.append(Case("theta0 is not modified in place", (bowl.gradient, mutable, 0.1, 3), _unchanged(mutable),
                      "start from theta = np.array(theta0, dtype=float) (a copy) and never use -= on theta0."))
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


NGD_QUESTIONS: dict[str, _Question] = {
    "plateau": _Question(
        "J(θ) = 1 - exp(-θ²): which method ends with the lowest loss?", plateau, 4.03, 0.1, 1.0, 100, "B",
        "the gradient at θ = 4 is below 1e-6, so GD's steps (η times that) go nowhere, and clipping only ever "
        "shrinks steps, so clipped GD is GD here. Normalized GD ignores the size and walks in at η per step."),
    "quartic": _Question(
        "J(θ) = θ⁴: which method fails (its iterates overflow)?", quartic, 10.03, 0.01, 10.0, 100, "A",
        "the gradient 4θ³ ≈ 4000 at θ = 10 makes GD's first step 40 long: it overshoots to about -30, where the "
        "gradient is larger still, and blows up within a few steps. The other two never step more than η or ητ."),
    "mixed": _Question(
        "J(θ) = θ²/2 + θ⁴/4: which method ends with the lowest loss?", quadratic_plus_quartic, 10.03, 0.1, 1.0, 300,
        "C", "far away clipped GD takes normalized steps of length ητ and cannot blow up; near 0 the gradient "
        "drops below τ and it becomes plain GD, which converges fast on this bowl. GD overflows from θ = 10; "
        "normalized GD arrives but keeps bouncing about η around 0."),
    "bowl": _Question(
        "J(θ) = θ²/2: which method does NOT converge to θ* = 0, however many steps it takes?",
        lambda: quadratic_bowl(dim=1), 1.03, 0.1, 1.0, 1000, "B",
        "with a constant η every step of normalized GD has length η, even next to the minimum, so it ends in "
        "a cycle (here between 0.03 and -0.07). GD and clipped GD take steps proportional to the gradient, "
        "which vanish at the minimum. A decaying η_t would fix normalized GD."),
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
        ``"passed"`` when every prediction is right; the runs' numbers and an
        explanation are shown for every question that was answered.
    """
    if callable(predictions):
        try:
            predictions = predictions()
        except NotImplementedError:
            report = CheckReport("ngd_predictions", "not attempted", [])
            if not quiet:
                report.show()
            return report
    if not isinstance(predictions, dict):
        raise TypeError(f"predictions must be a dict like {{'plateau': 'B', ...}}, got {type(predictions).__name__}")
    lines, wrong = [], 0
    for key, q in NGD_QUESTIONS.items():
        letter = _normalize_letter(predictions.get(key))
        if letter is None:
            wrong += 1
            lines.append(f"  ✗ {key}: no valid prediction (give one of 'A', 'B', 'C'). Hint: predict first, "
                         "then the run and the explanation appear here.")
            continue
        mark = "✓" if letter == q.answer else "✗"
        wrong += letter != q.answer
        verdict = "right" if letter == q.answer else f"not quite: the answer is {q.answer}"
        lines.append(f"  {mark} {key}: you said {letter} ({METHOD_LABELS[_LETTERS[letter]]}), {verdict}.\n"
                     f"      Why: {q.explanation}\n      Runs: {_outcome(q)}.")
    report = CheckReport("ngd_predictions", "failed" if wrong else "passed", lines)
    if not quiet:
        report.show()
    return report
