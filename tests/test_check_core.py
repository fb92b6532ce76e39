"""gnlib.check: reports for right, wrong, crashing and unattempted answers."""

import numpy as np
import pytest

from gnlib import check
from gnlib.check import Case, Mismatch, close_to, run_cases
from gnlib.norms import global_norm, l2_norm, lp_norm


def stub(*args, **kwargs):
    raise NotImplementedError("Exercise: replace this line with your code")


def test_reference_solutions_pass():
    assert check.check_p_norm(lp_norm, quiet=True).passed
    assert check.check_safe_l2_norm(l2_norm, quiet=True).passed
    assert check.check_global_norm(global_norm, quiet=True).passed


def test_wrong_answers_fail_with_hints_but_not_answers():
    naive = lambda x: float(np.sqrt(np.sum(np.asarray(x, dtype=float) ** 2)))  # noqa: E731
    with np.errstate(over="ignore", under="ignore"):
        report = check.check_safe_l2_norm(naive, quiet=True)
    assert report.status == "failed"
    text = str(report)
    assert "✓ ordinary numbers" in text
    assert "✗ huge entries" in text and "Hint:" in text
    assert "5e+200" not in text  # never the expected answer
    no_abs = lambda x, p: float(np.sum(np.ravel(x) ** p) ** (1 / p)) if p != np.inf else float(np.max(x))  # noqa: E731
    with np.errstate(invalid="ignore", over="ignore"):  # the slip overflows on the huge case
        assert not check.check_p_norm(no_abs, quiet=True).passed


def test_unattempted_exercise_is_reported_not_raised(capsys):
    report = check.check_p_norm(stub)
    assert report.status == "not attempted" and not report.attempted
    assert "not attempted yet" in capsys.readouterr().out


def test_crashing_answer_is_reported():
    def crashes(x, p):
        return 1 / 0

    report = check.check_p_norm(crashes, quiet=True)
    assert report.status == "failed"
    assert "raised ZeroDivisionError" in str(report)


def test_expected_exception_cases():
    cases = [Case("raises on negative", (-1,), raises=ValueError, hint="check the sign")]

    def strict(v):
        if v < 0:
            raise ValueError("negative")
        return v

    assert run_cases("demo", strict, cases, quiet=True).passed
    report = run_cases("demo", lambda v: v, cases, quiet=True)
    assert not report.passed and "should raise ValueError" in str(report)


def test_close_to_checks_shape_and_values():
    accept = close_to([1.0, 2.0])
    assert accept(np.array([1.0, 2.0]))
    assert not accept(np.array([1.0, 2.1]))
    with pytest.raises(Mismatch, match="shape"):
        accept(np.array([[1.0, 2.0]]))
    with pytest.raises(Mismatch, match="not text"):
        accept("text")


def test_report_is_printed_once(capsys):
    report = check.check_p_norm(lp_norm)
    report._ipython_display_()  # what IPython does when the checker ends a cell
    out = capsys.readouterr().out
    assert out.count("p_norm: all checks passed") == 1
