"""Checker feedback follows the bug: typical learner mistakes get the hint that fixes them.

Each test simulates a mistake a learner makes (an omitted 1/p root, a central
difference over h, a BPTT gradient without σ′(x_T), replayed answers, text
results, an exception whose ``__str__`` fails, inputs changed in place) and
asserts the printed report: the right hint appears, hints for bugs the learner
does not have do not, the learner's returned value appears, the expected value
never does.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.ft2font import FT2Font

from gnlib import check
from gnlib.check import Case, Mistake, close_to, describe_value, run_cases
from gnlib.check import lesson01, lesson02, lesson03
from gnlib.clip import clip_by_global_norm, clip_by_norm
from gnlib.norms import global_norm, l2_norm, lp_norm
from gnlib.optim import normalized_gradient_descent
from gnlib.models.rnn import rnn_grad_scalar


def _hint_lines(report) -> list[str]:
    return [line for line in report.lines if "Hint:" in line]


def _mentions(text: str, number: float) -> bool:
    """True if ``number`` appears in ``text`` the way a report would print it."""
    return re.search(rf"(?<![\d.]){re.escape(f'{number:.6g}')}(?![\d])", text) is not None


# --- reference implementations, as a learner would write them ---------------------------------

def p_norm(x, p):
    if p < 1:
        raise ValueError("not a norm")
    a = np.abs(np.asarray(x, dtype=float)).ravel()
    largest = a.max() if a.size else 0.0
    if p == np.inf or largest == 0:
        return float(largest)
    return float(largest * np.sum((a / largest) ** p) ** (1 / p))


def normalize(x, p=2):
    n = p_norm(x, p)
    if n == 0:
        raise ValueError("zero vector")
    return np.asarray(x, dtype=float) / n


def central_difference(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f(x)
        x[i] = old - h
        minus = f(x)
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def grad_J(theta):
    c = np.cos(theta[0] * theta[1])
    return np.array([2 * theta[0] * theta[1] + theta[1] * c, theta[0] ** 2 + theta[0] * c])


def logistic_gradient(theta, X, y):
    return -(X.T @ (y / (1.0 + np.exp(y * (X @ theta))))) / len(y)


def directional_derivative(grad_f, theta, u):
    u = np.asarray(u, dtype=float)
    if not np.any(u):
        raise ValueError("u is zero")
    return float(np.dot(grad_f(theta), u / l2_norm(u)))


def normalized_step(g, eta):
    g = np.asarray(g, dtype=float)
    n = l2_norm(g)
    return np.zeros_like(g) if n == 0 else -eta * g / n


def ngd(grad_fn, theta0, learning_rate, n_steps):
    return normalized_gradient_descent(grad_fn, theta0, learning_rate, n_steps).thetas


REFERENCES = {
    "check_p_norm": p_norm,
    "check_safe_l2_norm": l2_norm,
    "check_global_norm": global_norm,
    "check_normalize": normalize,
    "check_central_difference": central_difference,
    "check_analytic_gradient": grad_J,
    "check_logistic_gradient": logistic_gradient,
    "check_directional_derivative": directional_derivative,
    "check_clip_by_norm": lambda g, max_norm: clip_by_norm(g, max_norm),
    "check_clip_by_global_norm": lambda grads, max_norm: clip_by_global_norm(grads, max_norm),
    "check_rnn_gradient": lambda w, b, n_steps=50, x0=0.5, target=0.7: rnn_grad_scalar(w, b, n_steps, x0, target)[1:],
    "check_normalized_step": normalized_step,
    "check_ngd": ngd,
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_every_reference_passes(name):
    report = getattr(check, name)(REFERENCES[name], quiet=True)
    assert report.passed, str(report)


# --- the examples ------------------------------------------------------------------------

def test_omitted_root_gets_the_root_hint_not_the_flatten_hint():
    def no_root(x, p):
        a = np.abs(np.asarray(x, dtype=float)).ravel()
        if p < 1:
            raise ValueError("not a norm")
        return float(a.max()) if p == np.inf else float(np.sum(a**p))

    with np.errstate(over="ignore"):
        report = check.check_p_norm(no_root, quiet=True)
    text = str(report)
    assert report.basic_failed and "The basic value is wrong" in text.splitlines()[0]
    assert lesson01.ROOT_HINT in text
    assert "flatten" not in text and "x.ravel()" not in text
    assert "169 (float)" in text  # what the learner returned for ‖(3, −4, 12)‖ without the root
    for expected in (13.0, lp_norm([3.0, -4.0, 12.0], 3), lp_norm(np.arange(6.0) - 2.5, 2)):
        assert not _mentions(text, expected)
    # the edge cases the learner fails are listed, their hints held back
    assert "hint held back" in text
    assert lesson01.SCALE_HINT not in text


def test_max_instead_of_max_abs_fails_the_infinity_case():
    def signed_max(x, p):
        return float(np.max(x)) if p == np.inf else p_norm(x, p)

    report = check.check_p_norm(signed_max, quiet=True)
    text = str(report)
    assert not report.passed and report.basic_failed is False
    assert "max(abs(x))" in text and "12 (float)" in text and not _mentions(text, 13.0)


def test_plain_p_norm_fails_task_one_on_huge_entries_and_task_four_points_back_to_it():
    def plain(x, p):
        a = np.abs(np.asarray(x, dtype=float)).ravel()
        if p < 1:
            raise ValueError("not a norm")
        return float(a.max()) if p == np.inf else float(np.sum(a**p) ** (1 / p))

    with np.errstate(over="ignore", invalid="ignore"):  # the plain formula overflows on huge entries
        task1 = check.check_p_norm(plain, quiet=True)
        task4 = check.check_normalize(lambda x, p=2: np.asarray(x, dtype=float) / plain(x, p), quiet=True)
    assert lesson01.SCALE_HINT in str(task1)
    assert "Task 1" in str(task4) and "gnlib.lp_norm" not in str(task4)


def test_central_difference_over_h_gets_one_hint_and_no_unrelated_ones():
    def over_h(f, x, h=1e-5):
        return central_difference(f, x, h) * 2.0

    report = check.check_central_difference(over_h, quiet=True)
    text = str(report)
    assert lesson02.HALF_STEP_HINT in text
    for unrelated in ("put each entry back", "convert x to float64", "use the h you are given", "shaped like x"):
        assert unrelated not in text
    assert "[ 6. 24. 1.5]" in text  # the learner's own result at x = (1, -2, 0.5): twice 3x²
    assert "[ 3. 12. 0.75]" not in text


def test_bptt_without_the_slope_at_the_last_step_gets_that_hint():
    def missing_slope(w, b, n_steps=50, x0=0.5, target=0.7):
        return tuple(lesson03._bptt(w, b, n_steps, x0, target, slope_at_T=False))

    report = check.check_rnn_gradient(missing_slope, quiet=True)
    text, hints = str(report), "\n".join(_hint_lines(report))
    assert "σ′(x_T)" in hints
    for unrelated in ("overflow", "tanh", "x0 and target"):
        assert unrelated not in hints
    _, gw, gb = rnn_grad_scalar(1.5, -0.3, n_steps=1)
    assert not _mentions(text, gw) and not _mentions(text, gb)


def test_hints_name_the_bptt_slip_that_was_made():
    for slip, words in [({"factor_two": False}, "factor 2"), ({"w_in_recursion": False}, "factor w")]:
        def slipped(w, b, n_steps=50, x0=0.5, target=0.7, slip=slip):
            return tuple(lesson03._bptt(w, b, n_steps, x0, target, **slip))

        assert words in str(check.check_rnn_gradient(slipped, quiet=True))


def test_global_clipping_with_a_naive_norm_fails_on_huge_entries():
    def naive(grads, max_norm):
        arrays = [np.asarray(g, dtype=float) for g in grads]
        total = float(np.sqrt(sum(np.sum(a**2) for a in arrays)))
        factor = 1.0 if total <= max_norm else max_norm / total
        return [a * factor for a in arrays], total

    with np.errstate(over="ignore"):
        report = check.check_clip_by_global_norm(naive, quiet=True)
    assert not report.passed and report.basic_failed is False
    assert "overflows to inf" in str(report)


# --- recorded answers, text results, broken exceptions -------------------------------------------

@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_replaying_recorded_answers_fails(name):
    recorded = []

    def recorder(*args, **kwargs):
        result = REFERENCES[name](*args, **kwargs)
        recorded.append(result)
        return result

    assert getattr(check, name)(recorder, quiet=True).passed
    answers = iter(recorded)

    def replay(*args, **kwargs):
        return next(answers)

    report = getattr(check, name)(replay, quiet=True)
    assert not report.passed
    assert any("✗" in line and "drawn afresh" in line for line in report.lines)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_printed_lines_are_the_same_at_every_run(name):
    def always_text(*args, **kwargs):
        return "5.0"

    first = str(getattr(check, name)(always_text, quiet=True))
    assert first == str(getattr(check, name)(always_text, quiet=True))
    assert getattr(check, name)(REFERENCES[name], quiet=True).lines == getattr(check, name)(
        REFERENCES[name], quiet=True).lines


def test_text_results_are_refused_with_a_hint():
    report = check.check_safe_l2_norm(lambda x: str(l2_norm(x)), quiet=True)
    assert not report.passed
    assert "not text" in str(report) and "'5.0' (str)" in str(report)
    with pytest.raises(check.Mismatch, match="not text"):
        close_to(5.0)("5.0")
    with pytest.raises(check.Mismatch, match="return"):
        close_to(5.0)(None)


class _Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no message for you")


def test_an_exception_whose_str_raises_is_reported():
    def broken(*args, **kwargs):
        raise _Unprintable()

    for name in sorted(REFERENCES):
        report = getattr(check, name)(broken, quiet=True)
        assert not report.passed and "_Unprintable" in str(report)
    report = check.check_ngd_predictions(broken, quiet=True)
    assert not report.passed and "_Unprintable" in str(report)


def test_ngd_predictions_never_raise_a_learners_exception():
    def crashes():
        return {"plateau": "B"}["quartic"]

    report = check.check_ngd_predictions(crashes, quiet=True)
    assert report.status == "failed" and "KeyError" in str(report)


# --- inputs: copied, and checked unchanged ---------------------------------------------------------

def _scribble(value):
    if isinstance(value, np.ndarray) and value.size:
        value += 1
    elif isinstance(value, list):
        for v in value:
            _scribble(v)


@pytest.mark.parametrize("name", sorted(set(REFERENCES) - {"check_rnn_gradient"}))  # it takes only numbers
def test_changing_an_input_array_in_place_fails(name):
    def mutating(*args, **kwargs):
        result = REFERENCES[name](*[np.copy(a) if isinstance(a, np.ndarray) else
                                    [np.copy(v) for v in a] if isinstance(a, list) else a for a in args], **kwargs)
        for a in args:
            _scribble(a)
        return result

    report = getattr(check, name)(mutating, quiet=True)
    assert not report.passed and "in place" in str(report)


def test_interpolates_that_overwrite_the_inputs_fail():
    def overwrite(real, fake, eps):
        real *= eps[:, None]
        real += (1 - eps[:, None]) * fake
        return real

    report = check.check_interpolates(overwrite, quiet=True)
    assert not report.passed and "in place" in str(report)


def test_expected_values_are_copied():
    want = np.array([1.0, 2.0])
    accept = close_to(want)
    want[:] = 0.0
    assert accept(np.array([1.0, 2.0])) and not accept(np.zeros(2))


# --- the report: order, held-back hints, icons, colours ----------------------------------------

def test_basic_cases_must_come_before_edge_cases():
    with pytest.raises(ValueError, match="basic case"):
        run_cases("demo", abs, [Case("edge", (1,), edge=True), Case("basic", (1,))], quiet=True)


def test_mistakes_choose_the_hint_and_edge_hints_wait_for_the_basic_value():
    cases = [Case("double 3", (3,), close_to(6.0), "general hint",
                  mistakes=(Mistake(close_to(9.0), "you squared it"),)),
             Case("double 0", (0,), close_to(0.0), "edge hint", edge=True)]
    squares = run_cases("double", lambda v: v * v, cases, quiet=True)
    assert "you squared it" in str(squares) and "general hint" not in str(squares)
    assert "9 (int)" in str(squares)
    adds = run_cases("double", lambda v: v + 1, cases, quiet=True)
    assert "general hint" in str(adds) and "edge hint" not in str(adds) and "held back" in str(adds)
    edge_only = run_cases("double", lambda v: 2 * v if v else 1, cases, quiet=True)
    assert "edge hint" in str(edge_only) and edge_only.basic_failed is False


def test_status_icons_exist_in_a_common_text_font_and_pass_fail_are_coloured():
    report = check.check_p_norm(lambda x, p: "x", quiet=True)
    passed = check.check_p_norm(p_norm, quiet=True)
    waiting = check.check_p_norm(lambda x, p: (_ for _ in ()).throw(NotImplementedError()), quiet=True)
    text = "".join(str(r) for r in (report, passed, waiting))
    for emoji in "✅❌⏳⚠":
        assert emoji not in text
    font_dir = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for font in ("DejaVuSans.ttf", "DejaVuSansMono.ttf"):
        face = FT2Font(str(font_dir / font))
        for icon in (check.PASS, check.FAIL, check.WAIT, check.HELD):
            assert face.get_char_index(ord(icon)) != 0, (font, icon)
    assert check.COLOURS[check.PASS] in passed._repr_html_()
    assert check.COLOURS[check.FAIL] in report._repr_html_()


def test_html_report_escapes_the_learners_values():
    report = run_cases("demo", lambda v: "<script>alert(1)</script>", [Case("c", (1,), close_to(1.0))], quiet=True)
    assert "<script>" not in report._repr_html_() and "&lt;script&gt;" in report._repr_html_()


def test_describe_value_is_short_and_survives_a_broken_repr():
    class Weird:
        def __repr__(self):
            raise RuntimeError("no")

    assert describe_value(Weird()) == "an object of type Weird"
    assert len(describe_value(np.arange(1e5))) <= 100
    assert describe_value(np.array([3.0, 4.0]), values=False) == "an array of shape (2,) (float64)"
    assert describe_value(math.inf) == "inf (float)"


def test_the_stub_is_not_attempted_and_the_header_says_so():
    def stub(*args, **kwargs):
        raise NotImplementedError("Exercise: replace this line with your code")

    report = check.check_central_difference(stub, quiet=True)
    assert report.status == "not attempted" and str(report).startswith(check.WAIT)


def test_attempt_turns_a_learners_bug_into_one_line(capsys):
    def unfinished():
        raise NotImplementedError

    def buggy():
        raise _Unprintable()

    assert check.attempt(lambda: 42, "task 1") == 42
    assert check.attempt(unfinished, "tasks 1 and 3") is None
    assert check.attempt(buggy, "tasks 1 and 3") is None
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "○ Finish tasks 1 and 3 first: this step uses them."
    assert out[1].startswith("✗ Your code raised _Unprintable") and "checkers of tasks 1 and 3" in out[1]
    assert len(out) == 2


def test_the_changed_argument_is_named_when_the_learner_names_it():
    def star(*values):
        values[0][0] = 99.0
        return 1.0

    def named(g, eta):
        g[0] = 99.0
        return 1.0

    cases = [Case("c", (np.zeros(2), 0.5), close_to(1.0))]
    assert "argument number 1 in place" in str(run_cases("demo", star, cases, quiet=True))
    assert "argument `g` in place" in str(run_cases("demo", named, cases, quiet=True))


def test_a_buggy_learner_notebook_runs_to_the_end():
    """Exercise 03 with a BPTT gradient that crashes: every cell still runs, the put-it-together cell says why."""
    import nbformat

    from gnlib.course.authoring import notebook_client

    root = Path(__file__).resolve().parents[1]
    folder = root / "exercises" / "03_gradient_clipping"
    nb = nbformat.read(folder / "exercises.ipynb", as_version=4)
    stub = 'raise NotImplementedError("Exercise: replace this line with your code")'
    bodies = {"def clip_by_norm": "return g * min(1.0, max_norm / float(np.sqrt(np.sum(g**2))))",
              "def rnn_gradient": "return (w + undefined_name, b)"}
    for cell in nb.cells:
        for head, body in bodies.items():
            if cell.cell_type == "code" and cell.source.startswith(head):
                cell.source = cell.source.replace(stub, body)
    notebook_client(nb, folder, timeout=120).execute()  # raises if any cell fails
    shown = ["".join(out.get("text", "") + out.get("data", {}).get("text/plain", "") for out in cell.outputs)
             for cell in nb.cells if cell.cell_type == "code"]
    text = "\n".join(shown)
    assert "✗ clip_by_norm: some checks failed." in text and "your function returned" in text
    assert "raised NameError: name 'undefined_name' is not defined" in text
    assert "✗ Your code raised NameError" in text and "Traceback" not in text
