"""Lesson-05 checkers: reference solutions pass, wrong ones fail, stubs are 'not attempted'."""

import numpy as np
import pytest

from gnlib import check
from gnlib.models.dirac_gan import dirac_vector_field


def interpolates(real, fake, eps):
    eps = np.asarray(eps)[:, None]
    return eps * real + (1 - eps) * fake


def gradient_penalty(grads, lam):
    return lam * np.mean((np.linalg.norm(grads, axis=1) - 1.0) ** 2)


def critic_input_gradient(x, W1, b1, w2):
    return ((1 - np.tanh(x @ W1 + b1) ** 2) * w2) @ W1.T


def dirac_step(theta, psi, eta, gamma):
    fp = 0.5 * (1 - np.tanh(psi * theta / 2))
    return theta - eta * psi * fp, psi + eta * (theta * fp - gamma * psi)


def stub(*args):
    raise NotImplementedError("Exercise: replace this line with your code")


GOOD = {
    check.check_interpolates: interpolates,
    check.check_gradient_penalty: gradient_penalty,
    check.check_critic_input_gradient: critic_input_gradient,
    check.check_dirac_step: dirac_step,
}

WRONG = {
    check.check_interpolates: lambda r, f, e: np.asarray(e)[:, None] * f + (1 - np.asarray(e)[:, None]) * r,
    check.check_gradient_penalty: lambda g, lam: lam * np.mean(np.sum(g**2, axis=1)),  # ||grad||^2, the misquote
    check.check_critic_input_gradient: lambda x, W1, b1, w2: (np.tanh(x @ W1 + b1) * w2) @ W1.T,
    check.check_dirac_step: lambda t, p, eta, g: (t - eta * p * 0.5, p + eta * (t * 0.5 - g * p)),
}


@pytest.mark.parametrize("checker", list(GOOD))
def test_reference_passes(checker):
    assert checker(GOOD[checker], quiet=True).status == "passed"


@pytest.mark.parametrize("checker", list(WRONG))
def test_wrong_fails(checker):
    report = checker(WRONG[checker], quiet=True)
    assert report.status == "failed"
    assert "Hint" in str(report)


@pytest.mark.parametrize("checker", list(GOOD))
def test_stub_not_attempted(checker):
    assert checker(stub, quiet=True).status == "not attempted"


def test_alternating_dirac_step_fails():
    def alternating(theta, psi, eta, gamma):
        v1, _ = dirac_vector_field(theta, psi, penalty="r1", weight=gamma)
        theta = theta + eta * v1
        _, v2 = dirac_vector_field(theta, psi, penalty="r1", weight=gamma)
        return theta, psi + eta * v2

    assert check.check_dirac_step(alternating, quiet=True).status == "failed"


def test_overflowing_sigmoid_warning_is_not_an_error():
    def naive(theta, psi, eta, gamma):
        with np.errstate(over="ignore"):
            fp = 1 / (1 + np.exp(psi * theta))
        return theta - eta * psi * fp, psi + eta * (theta * fp - gamma * psi)

    assert check.check_dirac_step(naive, quiet=True).status == "passed"


def test_report_never_prints_the_answer(capsys):
    check.check_gradient_penalty(WRONG[check.check_gradient_penalty])
    out = capsys.readouterr().out
    assert "✗" in out and "some checks failed" in out


# --- exercise 05, task 3: the penalty's weight gradient by hand (double backprop) --------------

def penalty_gradient(x, W1, b1, w2, *, skip_second_derivative=False, skip_direct=False, no_mean=False):
    n = 1 if no_mean else x.shape[0]
    t = np.tanh(x @ W1 + b1)
    s = 1 - t ** 2
    a = s * w2
    g = a @ W1.T
    norms = np.linalg.norm(g, axis=1, keepdims=True)
    u = 2 * (norms - 1) * g / norms / n
    a_bar = u @ W1
    z_bar = 0 * a_bar if skip_second_derivative else a_bar * w2 * (-2 * t * s)
    dW1 = x.T @ z_bar + (0 if skip_direct else u.T @ a)
    return {"W1": dW1, "b1": z_bar.sum(axis=0), "w2": np.sum(a_bar * s, axis=0)}


def test_reference_penalty_gradient_matches_finite_differences():
    from gnlib.check.lesson05 import reference_penalty_gradient
    from gnlib.gradcheck import numerical_gradient
    rng = np.random.default_rng(8)
    x, W1, b1, w2 = rng.normal(size=(7, 3)), rng.normal(size=(3, 5)), rng.normal(size=5), rng.normal(size=5)
    _, grads = reference_penalty_gradient(x, W1, b1, w2)
    args = {"W1": W1, "b1": b1, "w2": w2}
    for k in args:
        def value(v, k=k):
            return reference_penalty_gradient(x, **{**args, k: v})[0]
        numeric = numerical_gradient(value, args[k], h=1e-6)
        # one relative error for the whole array (entries near 1e-5 carry finite-difference noise)
        assert np.linalg.norm(grads[k] - numeric) < 1e-7 * np.linalg.norm(numeric), k
    np.testing.assert_allclose(penalty_gradient(x, W1, b1, w2)["W1"], grads["W1"], rtol=1e-10)


def test_penalty_gradient_checker_passes_a_right_answer_and_not_a_stub():
    assert check.check_penalty_gradient(penalty_gradient, quiet=True).passed
    assert check.check_penalty_gradient(stub, quiet=True).status == "not attempted"


@pytest.mark.parametrize("mistake, first_failure", [
    ({"no_mean": True}, "dP/dw2"),
    ({"skip_direct": True}, "dP/dW1"),
    ({"skip_second_derivative": True}, "dP/dW1"),
])
def test_penalty_gradient_checker_fails_where_the_mistake_is(mistake, first_failure):
    report = check.check_penalty_gradient(lambda *a: penalty_gradient(*a, **mistake), quiet=True)
    failed = [line for line in report.lines if "✗" in line]
    assert report.status == "failed" and first_failure in failed[0]


@pytest.mark.parametrize("mistake, hint", [
    ({"no_mean": True}, "P is a mean over the n rows"),
    ({"skip_direct": True}, "add the direct path"),
    ({"skip_second_derivative": True}, "add the path through z"),
])
def test_penalty_gradient_hints_follow_the_mistake(mistake, hint):
    report = check.check_penalty_gradient(lambda *a: penalty_gradient(*a, **mistake), quiet=True)
    assert hint in "\n".join(report.lines)
