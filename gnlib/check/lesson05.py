"""Checkers for exercises/05_gradient_penalty."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..models.dirac_gan import dirac_vector_field
from ..models.mlp import penalty_from_input_gradient
from ._core import Case, CheckReport, close_to, run_cases

__all__ = ["check_interpolates", "check_gradient_penalty", "check_critic_input_gradient", "check_dirac_step"]


def check_interpolates(interpolates: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``interpolates(real, fake, eps)``: ``eps_n real_n + (1 - eps_n) fake_n`` row by row."""
    rng = np.random.default_rng(5)
    real, fake, eps = rng.normal(size=(6, 2)), rng.normal(size=(6, 2)), rng.uniform(size=6)
    cases = [
        Case("random batch, one eps per row", (real, fake, eps), close_to(eps[:, None] * real + (1 - eps[:, None]) * fake),
             "eps has shape (n,); reshape it to (n, 1) so it scales each row."),
        Case("eps = 1 gives the real points", (real, fake, np.ones(6)), close_to(real),
             "x_hat = eps * real + (1 - eps) * fake: which one gets eps?"),
        Case("eps = 0 gives the generated points", (real, fake, np.zeros(6)), close_to(fake),
             "with eps = 0 only the fake term remains."),
        Case("3-D points", (np.ones((2, 3)), np.zeros((2, 3)), np.array([0.25, 0.75])),
             close_to([[0.25] * 3, [0.75] * 3]), "do not assume two columns; broadcasting handles any d."),
    ]
    return run_cases("interpolates", interpolates, cases, quiet=quiet)


def check_gradient_penalty(gradient_penalty: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``gradient_penalty(grads, lam)``: ``lam * mean_n (||grads_n|| - 1)^2`` for grads of shape (n, d)."""
    rng = np.random.default_rng(6)
    g = rng.normal(size=(8, 2))

    def ref(grads, lam):
        return lam * penalty_from_input_gradient(grads)[0]

    unit = np.array([[1.0, 0.0], [0.6, 0.8]])
    cases = [
        Case("random gradients, lam = 10", (g, 10.0), close_to(ref(g, 10.0)),
             "norm of each row (axis=1), subtract 1, square, average over rows, times lam."),
        Case("unit-norm gradients cost nothing", (unit, 10.0), close_to(0.0, atol=1e-12),
             "the penalty is two-sided around norm 1, not a penalty on the squared norm."),
        Case("zero gradients cost lam", (np.zeros((4, 3)), 2.0), close_to(2.0),
             "||0|| = 0, so each row contributes (0 - 1)^2 = 1."),
        Case("large gradients", (3.0 * unit, 1.0), close_to(4.0),
             "(||g|| - 1)^2, not ||g||^2 - 1 or (||g||^2 - 1)^2."),
    ]
    return run_cases("gradient_penalty", gradient_penalty, cases, quiet=quiet)


def _critic_grad(x, W1, b1, w2):
    z = x @ W1 + b1
    return ((1.0 - np.tanh(z) ** 2) * w2) @ W1.T


def check_critic_input_gradient(critic_input_gradient: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``critic_input_gradient(x, W1, b1, w2)`` for ``D(x) = tanh(x W1 + b1) w2``: shape (n, d)."""
    rng = np.random.default_rng(7)
    x, W1, b1, w2 = rng.normal(size=(5, 2)), rng.normal(size=(2, 4)), rng.normal(size=4), rng.normal(size=4)
    x3, W13 = rng.normal(size=(3, 3)), rng.normal(size=(3, 6))
    b13, w23 = rng.normal(size=6), rng.normal(size=6)
    cases = [
        Case("batch of 5 points in 2-D, 4 hidden units", (x, W1, b1, w2), close_to(_critic_grad(x, W1, b1, w2)),
             "chain rule: dD/dz = tanh'(z) * w2 with tanh' = 1 - tanh^2, then multiply by W1 transposed."),
        Case("3-D input, 6 hidden units", (x3, W13, b13, w23), close_to(_critic_grad(x3, W13, b13, w23)),
             "the result has the shape of x: (n, d)."),
        Case("at z = 0 the gradient is W1 w2", (np.zeros((1, 2)), W1, np.zeros(4), w2), close_to((W1 @ w2)[None]),
             "tanh'(0) = 1: there the critic is linear with gradient W1 @ w2."),
        Case("saturated units pass no gradient", (np.zeros((1, 2)), W1, np.full(4, 30.0), w2),
             close_to(np.zeros((1, 2)), atol=1e-12), "tanh'(30) is 0 in floating point: nothing flows back."),
    ]
    return run_cases("critic_input_gradient", critic_input_gradient, cases, quiet=quiet)


def check_dirac_step(dirac_step: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``dirac_step(theta, psi, eta, gamma)``: one simultaneous step of the Dirac-GAN with R1 penalty."""

    def ref(theta, psi, eta, gamma):
        v1, v2 = dirac_vector_field(theta, psi, penalty="r1", weight=gamma)
        return np.array([theta + eta * v1, psi + eta * v2])

    cases = [
        Case("from (1, 1), eta = 0.2, gamma = 0.3", (1.0, 1.0, 0.2, 0.3), close_to(ref(1.0, 1.0, 0.2, 0.3)),
             "theta moves along -psi f'(psi theta), psi along theta f'(psi theta) - gamma psi, with f'(t) = sigmoid(-t)."),
        Case("no penalty (gamma = 0)", (0.5, -1.5, 0.1, 0.0), close_to(ref(0.5, -1.5, 0.1, 0.0)),
             "with gamma = 0 this is plain simultaneous gradient descent-ascent."),
        Case("simultaneous: both use the old values", (2.0, 0.7, 0.5, 1.0), close_to(ref(2.0, 0.7, 0.5, 1.0)),
             "compute both updates from the old (theta, psi) before changing either."),
        Case("the equilibrium stays put", (0.0, 0.0, 0.3, 0.5), close_to([0.0, 0.0], atol=1e-15),
             "at (0, 0) both components of the vector field vanish."),
        Case("large |psi theta| does not overflow", (40.0, 30.0, 0.1, 0.2), close_to(ref(40.0, 30.0, 0.1, 0.2)),
             "compute sigmoid(-t) as 0.5 * (1 - np.tanh(t / 2)), which cannot overflow for t = 1200."),
    ]
    return run_cases("dirac_step", lambda *a: np.asarray(dirac_step(*a), dtype=float), cases, quiet=quiet)
