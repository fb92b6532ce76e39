"""Checkers under hostile results (issue 15): text, None and complex refused everywhere in a result,
inputs compared also when the learner raises, one unfinished branch reported case by case.

Each class of defect is tried on several checkers and several shapes of result
(a number, an array, a tuple with a list, a tuple with a dict, a dict).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from gnlib import check
from gnlib.check import Case, non_number_hint, run_cases
from gnlib.check.lesson03b import reference_train_clipped
from gnlib.check.lesson05 import reference_penalty_gradient
from gnlib.check.lesson06 import reference_critic_step
from gnlib.clip import clip_by_global_norm, clip_by_norm
from gnlib.models.dirac_gan import dirac_vector_field
from gnlib.norms import l2_norm, lp_norm
from gnlib.optim import normalized_gradient_descent


def p_norm(x, p):
    if p < 1:
        raise ValueError("not a norm")
    return lp_norm(x, p)


def normalize(x, p=2):
    norm = lp_norm(x, p)
    if norm == 0:
        raise ValueError("zero vector")
    return np.asarray(x, dtype=float) / norm


def my_clip_by_norm(g, max_norm):
    if max_norm < 0:
        raise ValueError("negative max_norm")
    return clip_by_norm(g, max_norm)


def normalized_step(g, eta):
    n = l2_norm(g)
    return np.zeros_like(g, dtype=float) if n == 0 else -eta * np.asarray(g, dtype=float) / n


def dirac_step(theta, psi, eta, gamma):
    v1, v2 = dirac_vector_field(theta, psi, penalty="r1", weight=gamma)
    return np.array([theta + eta * v1, psi + eta * v2])


REFERENCES = {
    "check_p_norm": p_norm,
    "check_safe_l2_norm": l2_norm,
    "check_normalize": normalize,
    "check_clip_by_norm": my_clip_by_norm,
    "check_clip_by_global_norm": lambda grads, max_norm: clip_by_global_norm(grads, max_norm),
    "check_normalized_step": normalized_step,
    "check_ngd": lambda grad_fn, theta0, lr, n: normalized_gradient_descent(grad_fn, theta0, lr, n).thetas,
    "check_dirac_step": dirac_step,
    "check_penalty_gradient": lambda *a: reference_penalty_gradient(*a)[1],
    "check_train_clipped": reference_train_clipped,
    "check_critic_step": reference_critic_step,
}


def _map_leaves(value, leaf, *, last_only=False):
    """``value`` with its numbers replaced by ``leaf(number)`` (all of them, or only the last field)."""
    if isinstance(value, dict):
        keys = list(value)
        return {k: (_map_leaves(v, leaf, last_only=last_only) if not last_only or k == keys[-1] else v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [(_map_leaves(v, leaf, last_only=last_only) if not last_only or i == len(value) - 1 else v)
                 for i, v in enumerate(value)]
        return type(value)(items) if isinstance(value, tuple) else items
    if isinstance(value, np.ndarray) and value.ndim:
        return [leaf(float(v)) for v in value.ravel()] if last_only else np.array([leaf(float(v)) for v in value.ravel()]
                                                                                  ).reshape(value.shape)
    return leaf(float(value))


CORRUPTIONS = {
    "every number as str": (lambda r: _map_leaves(r, str), "text"),
    "the last field as np.str_": (lambda r: _map_leaves(r, np.str_, last_only=True), "text"),
    "the last field as bytes": (lambda r: _map_leaves(r, lambda v: str(v).encode(), last_only=True), "text"),
    "every number complex": (lambda r: _map_leaves(r, lambda v: complex(v, 0.0)), "complex"),
    "the last field None": (lambda r: _map_leaves(r, lambda v: None, last_only=True), "None"),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_the_references_pass(name):
    assert getattr(check, name)(REFERENCES[name], quiet=True).passed


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_non_numeric_results_fail_with_a_hint_that_says_what_came_back(name, corruption):
    corrupt, word = CORRUPTIONS[corruption]
    reference = REFERENCES[name]

    def learner(*args, **kwargs):
        return corrupt(reference(*args, **kwargs))

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning: the imaginary part is never dropped
        report = getattr(check, name)(learner, quiet=True)
    assert not report.passed and report.attempted
    failed = [line for line in report.lines if "✗" in line]
    assert failed, report.lines
    first = report.lines.index(failed[0])
    hint = report.lines[first + 1]
    assert "Hint:" in hint and word in hint, report.lines[: first + 2]
    assert "your function returned" in failed[0]


@pytest.mark.parametrize("result, where, word", [
    ("0.5", None, "text"),
    (b"0.5", None, "text"),
    (np.str_("0.5"), None, "text"),
    (1 + 2j, None, "complex"),
    (np.array([1.0, 2.0]) + 0j, None, "complex"),
    (None, None, "None"),
    ((np.zeros(2), "0.5"), "result[1]", "text"),
    ([np.zeros(2), [1.0, None]], "result[1][1]", "None"),
    (({"W1": np.zeros(2), "b1": np.array(["1.0"])}, 0.5), "result[0]['b1']", "text"),
    (np.array([1.0, "a"], dtype=object), "result[1]", "text"),
    (np.array(["2020-01-01"], dtype="datetime64[D]"), None, "not numbers"),
])
def test_non_number_hint_names_the_field_and_its_kind(result, where, word):
    hint = non_number_hint(result)
    assert hint is not None and word in hint
    if where is not None:
        assert hint.startswith(where + " is ")


@pytest.mark.parametrize("result", [0.5, 3, np.float32(1.0), np.int64(2), True, np.zeros((2, 3)),
                                    (np.zeros(2), 0.5), {"a": [1.0, 2]}, np.array([1.0, 2.0], dtype=object)])
def test_numbers_pass_the_screen(result):
    assert non_number_hint(result) is None


def test_a_fresh_case_shows_the_type_of_a_text_field_but_not_its_value():
    case = Case("drawn afresh", (1.0,), lambda r: True, fresh=True)
    first = run_cases("f", lambda x: (x, str(np.random.default_rng().normal())), [case], quiet=True)
    second = run_cases("f", lambda x: (x, str(np.random.default_rng().normal())), [case], quiet=True)
    assert not first.passed and first.lines == second.lines
    assert "result[1] is a str" in "\n".join(first.lines)


def test_a_case_may_accept_results_that_are_not_numbers():
    case = Case("a label", (1,), lambda r: r == "one", numbers_only=False)
    assert run_cases("f", lambda x: "one", [case], quiet=True).passed


# --- raises= cases: the inputs must come back unchanged even when the function raises ------------

def _mutate_then(reference, trigger, mutate):
    def learner(*args, **kwargs):
        if trigger(*args, **kwargs):
            mutate(args)
            raise ValueError("refused, after changing the input")
        return reference(*args, **kwargs)
    return learner


def _fill_nan(args):
    args[0][...] = np.nan


def _fill_zero(args):
    args[0][...] = 0.0


@pytest.mark.parametrize("name, trigger, mutate", [
    ("check_normalize", lambda x, p=2: not np.any(x), _fill_nan),
    ("check_normalize", lambda x, p=2: not np.any(x), lambda a: a[0].__setitem__(0, 1.0)),
    ("check_p_norm", lambda x, p: p < 1, _fill_zero),
    ("check_clip_by_norm", lambda g, max_norm: max_norm < 0, _fill_zero),
    ("check_clip_by_norm", lambda g, max_norm: max_norm < 0, lambda a: a[0].__imul__(-1.0)),
])
def test_changing_the_input_before_raising_fails_the_raises_case(name, trigger, mutate):
    report = getattr(check, name)(_mutate_then(REFERENCES[name], trigger, mutate), quiet=True)
    text = str(report)
    assert not report.passed
    assert "as it should, but first changed its argument" in text
    assert "work on a copy" in text


def test_directional_derivative_zero_u_mutated_before_raising():
    def directional_derivative(grad_f, theta, u):
        u = np.asarray(u)
        if not np.any(u):
            u[...] = 1.0
            raise ValueError("u is zero")
        return float(np.dot(grad_f(theta), u / l2_norm(u)))

    report = check.check_directional_derivative(directional_derivative, quiet=True)
    assert not report.passed and "changed its argument `u`" in str(report)


def test_raising_without_changing_the_input_still_passes():
    case = Case("refused", (np.zeros(2),), raises=ValueError)

    def refuse(x):
        _ = x + 1.0
        raise ValueError("no")

    assert run_cases("f", refuse, [case], quiet=True).passed


# --- NotImplementedError from one branch only -------------------------------------------------------

def _unfinished(reference, when):
    def learner(*args, **kwargs):
        if when(*args, **kwargs):
            raise NotImplementedError("not yet")
        return reference(*args, **kwargs)
    return learner


@pytest.mark.parametrize("name, when", [
    ("check_p_norm", lambda x, p: p == np.inf),
    ("check_p_norm", lambda x, p: p == 3),
    ("check_normalize", lambda x, p=2: p == 1),
    ("check_clip_by_norm", lambda g, max_norm: max_norm == 0),
    ("check_dirac_step", lambda theta, psi, eta, gamma: gamma == 0),
])
def test_one_unfinished_branch_keeps_the_passed_cases(name, when):
    report = getattr(check, name)(_unfinished(REFERENCES[name], when), quiet=True)
    text = str(report)
    assert report.attempted and not report.passed
    assert "not attempted" not in text
    assert any("✓" in line for line in report.lines)
    raised = [line for line in report.lines if "NotImplementedError" in line and "✗" in line]
    assert raised and all("not implemented yet" in line for line in raised)
    assert sum("✓" in line for line in report.lines) + len(raised) == sum(
        line.lstrip().startswith(("✓", "✗")) for line in report.lines)


@pytest.mark.parametrize("name", ["check_p_norm", "check_dirac_step", "check_train_clipped", "check_critic_step"])
def test_a_stub_that_raises_everywhere_is_not_attempted(name):
    def stub(*args, **kwargs):
        raise NotImplementedError

    report = getattr(check, name)(stub, quiet=True)
    assert report.status == "not attempted" and report.lines == []


# --- check_ngd_predictions: a wrong prediction gets a hint for that choice, never the answer --------

def _wrong_choices():
    from gnlib.check.lesson04 import NGD_QUESTIONS
    return [(key, letter) for key, q in NGD_QUESTIONS.items() for letter in "ABC" if letter != q.answer]


@pytest.mark.parametrize("key, letter", _wrong_choices())
def test_a_wrong_prediction_names_the_choice_and_hints_without_the_answer(key, letter):
    from gnlib.check.lesson04 import NGD_QUESTIONS

    q = NGD_QUESTIONS[key]
    right = {k: other.answer for k, other in NGD_QUESTIONS.items()}
    report = check.check_ngd_predictions(dict(right, **{key: letter}), quiet=True)
    assert report.status == "failed"
    text = str(report)
    block = text[text.index(f"✗ {key}:"):]
    block = block[: block.find("\n  ✓") if "\n  ✓" in block else None]
    assert f"you said {letter}" in block and "Hint:" in block and "run the checker again" in block
    assert q.wrong_hints[letter] in block
    assert "answer is" not in text and q.explanation not in text and "Runs:" not in block
    assert f" {q.answer} (" not in block  # the right letter is never shown with its method


def test_every_wrong_choice_has_its_own_hint():
    from gnlib.check.lesson04 import NGD_QUESTIONS

    for key, q in NGD_QUESTIONS.items():
        assert set(q.wrong_hints) == set("ABC") - {q.answer}, key
        assert len(set(q.wrong_hints.values())) == 2, key
        assert all("lesson 04" in hint for hint in q.wrong_hints.values()), key


@pytest.mark.parametrize("letter_type", [str, np.str_])
def test_ngd_predictions_take_numpy_strings_and_a_numpy_quiet_flag(letter_type):
    from gnlib.check.lesson04 import NGD_QUESTIONS

    right = {key: letter_type(q.answer) for key, q in NGD_QUESTIONS.items()}
    assert check.check_ngd_predictions(right, quiet=np.bool_(True)).passed


@pytest.mark.parametrize("name", ["check_p_norm", "check_dirac_step", "check_critic_step"])
def test_a_learner_calling_exit_is_reported_not_raised(name):
    def exits(*args, **kwargs):
        raise SystemExit(1)

    report = getattr(check, name)(exits, quiet=True)
    assert not report.passed and report.attempted and "SystemExit" in str(report)
