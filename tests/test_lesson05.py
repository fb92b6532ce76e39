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
