"""Lesson-06 checker: one WGAN-GP critic step, right and with typical mistakes."""

import numpy as np
import pytest

from gnlib import check
from gnlib.check.lesson05 import reference_penalty_gradient
from gnlib.check.lesson06 import reference_critic_step


def critic_step(params, real, fake, eps, lam, learning_rate, *, at_real=False, sign=1.0, in_place=False):
    W1, b1, w2 = params["W1"], params["b1"], params["w2"]
    n = real.shape[0]
    x = np.concatenate([fake, real])
    weights = sign * np.concatenate([np.full(n, 1.0 / n), np.full(n, -1.0 / n)])
    t = np.tanh(x @ W1 + b1)
    dz = weights[:, None] * (1 - t ** 2) * w2
    grads = {"W1": x.T @ dz, "b1": dz.sum(axis=0), "w2": t.T @ weights}
    x_hat = real if at_real else eps[:, None] * real + (1 - eps[:, None]) * fake
    penalty, pgrads = reference_penalty_gradient(x_hat, W1, b1, w2)
    new = {k: params[k] - learning_rate * (grads[k] + lam * pgrads[k]) for k in grads}
    if in_place:
        for k in new:
            params[k][...] = new[k]
        new = params
    return new, float(np.sum(weights * (t @ w2)) + lam * penalty)


def test_reference_step_lowers_the_loss_for_a_small_step():
    rng = np.random.default_rng(0)
    p = {"W1": rng.normal(size=(2, 4)), "b1": rng.normal(size=4), "w2": rng.normal(size=4)}
    real, fake, eps = rng.normal(size=(8, 2)), rng.normal(size=(8, 2)) + 1, rng.uniform(size=8)
    new, loss = reference_critic_step(p, real, fake, eps, 10.0, 1e-3)
    _, loss_after = reference_critic_step(new, real, fake, eps, 10.0, 1e-3)
    assert loss_after < loss


def test_critic_step_checker_passes_a_right_answer():
    report = check.check_critic_step(critic_step, quiet=True)
    assert report.passed, report.lines


@pytest.mark.parametrize("mistake, first_failure", [
    ({"sign": -1.0}, "lam = 0: the loss"),
    ({"at_real": True}, "lam = 10: the loss"),
    ({"in_place": True}, "in place"),
])
def test_critic_step_checker_fails_where_the_mistake_is(mistake, first_failure):
    report = check.check_critic_step(lambda *a: critic_step(*a, **mistake), quiet=True)
    failed = [line for line in report.lines if "✗" in line]
    assert report.status == "failed" and first_failure in failed[0], report.lines


@pytest.mark.parametrize("mistake, hint", [
    ({"sign": -1.0}, "the sign is flipped"),
    ({"at_real": True}, "not at the real points"),
])
def test_critic_step_hints_follow_the_mistake(mistake, hint):
    report = check.check_critic_step(lambda *a: critic_step(*a, **mistake), quiet=True)
    assert hint in "\n".join(report.lines)
