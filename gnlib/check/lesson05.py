"""Checkers for exercises/05_gradient_penalty and the shared parts of exercises/06_wgan_gp_dirac_gan.

Exercise 05: the penalty, the critic's input gradient and (task 3) the
penalty's weight gradient by double backpropagation. Exercise 06 reuses
:func:`check_interpolates` and :func:`check_dirac_step`; its critic step is
checked in :mod:`gnlib.check.lesson06`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..models.dirac_gan import dirac_vector_field
from ..models.mlp import MLP, penalty_from_input_gradient
from ._core import Case, CheckReport, Mistake, close_to, fresh_rng, run_cases

__all__ = ["check_interpolates", "check_gradient_penalty", "check_critic_input_gradient", "check_dirac_step",
           "reference_penalty_gradient", "check_penalty_gradient"]


def check_interpolates(interpolates: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``interpolates(real, fake, eps)``: ``eps_n real_n + (1 - eps_n) fake_n`` row by row."""
    rng = np.random.default_rng(5)
    real, fake, eps = rng.normal(size=(6, 2)), rng.normal(size=(6, 2)), rng.uniform(size=6)
    fresh = fresh_rng()
    n, d = int(fresh.integers(2, 9)), int(fresh.integers(1, 5))
    fr, ff, fe = fresh.normal(size=(n, d)), fresh.normal(size=(n, d)), fresh.uniform(size=n)
    cases = [
        Case("random batch, one eps per row", (real, fake, eps), close_to(eps[:, None] * real + (1 - eps[:, None]) * fake),
             "eps has shape (n,); reshape it to (n, 1) so it scales each row."),
        Case("eps = 1 gives the real points", (real, fake, np.ones(6)), close_to(real),
             "x_hat = eps * real + (1 - eps) * fake: which one gets eps?"),
        Case("eps = 0 gives the generated points", (real, fake, np.zeros(6)), close_to(fake),
             "with eps = 0 only the fake term remains."),
        Case("3-D points", (np.ones((2, 3)), np.zeros((2, 3)), np.array([0.25, 0.75])),
             close_to([[0.25] * 3, [0.75] * 3]), "do not assume two columns; broadcasting handles any d."),
        Case("a new random batch (different at every run)", (fr, ff, fe),
             close_to(fe[:, None] * fr + (1 - fe[:, None]) * ff),
             "the fixed cases pass but this one does not: take n and d from the arrays.", fresh=True),
    ]
    return run_cases("interpolates", interpolates, cases, quiet=quiet)


def check_gradient_penalty(gradient_penalty: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``gradient_penalty(grads, lam)``: ``lam * mean_n (||grads_n|| - 1)^2`` for grads of shape (n, d)."""
    rng = np.random.default_rng(6)
    g = rng.normal(size=(8, 2))

    def ref(grads, lam):
        return lam * penalty_from_input_gradient(grads)[0]

    unit = np.array([[1.0, 0.0], [0.6, 0.8]])
    fresh = fresh_rng()
    fg, flam = fresh.normal(size=(int(fresh.integers(2, 9)), int(fresh.integers(1, 5)))), float(fresh.uniform(0.5, 20))
    cases = [
        Case("random gradients, lam = 10", (g, 10.0), close_to(ref(g, 10.0)),
             "norm of each row (axis=1), subtract 1, square, average over rows, times lam."),
        Case("unit-norm gradients cost nothing", (unit, 10.0), close_to(0.0, atol=1e-12),
             "the penalty is two-sided around norm 1, not a penalty on the squared norm."),
        Case("zero gradients cost lam", (np.zeros((4, 3)), 2.0), close_to(2.0),
             "||0|| = 0, so each row contributes (0 - 1)^2 = 1."),
        Case("large gradients", (3.0 * unit, 1.0), close_to(4.0),
             "(||g|| - 1)^2, not ||g||^2 - 1 or (||g||^2 - 1)^2."),
        Case("new random gradients (different at every run)", (fg, flam), close_to(ref(fg, flam)),
             "the fixed cases pass but this one does not: take n and d from the array.", fresh=True),
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
    fresh = fresh_rng()
    fn, fd, fh = int(fresh.integers(2, 8)), int(fresh.integers(1, 4)), int(fresh.integers(2, 7))
    fargs = (fresh.normal(size=(fn, fd)), fresh.normal(size=(fd, fh)), fresh.normal(size=fh), fresh.normal(size=fh))
    cases = [
        Case("batch of 5 points in 2-D, 4 hidden units", (x, W1, b1, w2), close_to(_critic_grad(x, W1, b1, w2)),
             "chain rule: dD/dz = tanh'(z) * w2 with tanh' = 1 - tanh^2, then multiply by W1 transposed."),
        Case("3-D input, 6 hidden units", (x3, W13, b13, w23), close_to(_critic_grad(x3, W13, b13, w23)),
             "the result has the shape of x: (n, d)."),
        Case("at z = 0 the gradient is W1 w2", (np.zeros((1, 2)), W1, np.zeros(4), w2), close_to((W1 @ w2)[None]),
             "tanh'(0) = 1: there the critic is linear with gradient W1 @ w2."),
        Case("a new random critic and batch (different at every run)", fargs, close_to(_critic_grad(*fargs)),
             "the fixed cases pass but this one does not: take n, d and H from the arrays.", fresh=True),
        Case("saturated units pass no gradient", (np.zeros((1, 2)), W1, np.full(4, 30.0), w2),
             close_to(np.zeros((1, 2)), atol=1e-12), "tanh'(30) is 0 in floating point: nothing flows back.",
             edge=True),
    ]
    return run_cases("critic_input_gradient", critic_input_gradient, cases, quiet=quiet)


def check_dirac_step(dirac_step: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``dirac_step(theta, psi, eta, gamma)``: one simultaneous step of the Dirac-GAN with R1 penalty."""

    def ref(theta, psi, eta, gamma):
        v1, v2 = dirac_vector_field(theta, psi, penalty="r1", weight=gamma)
        return np.array([theta + eta * v1, psi + eta * v2])

    fresh = fresh_rng()
    fpoint = (float(fresh.uniform(-2, 2)), float(fresh.uniform(-2, 2)), float(fresh.uniform(0.05, 0.5)),
              float(fresh.uniform(0, 2)))

    cases = [
        Case("from (1, 1), eta = 0.2, gamma = 0.3", (1.0, 1.0, 0.2, 0.3), close_to(ref(1.0, 1.0, 0.2, 0.3)),
             "theta moves along -psi f'(psi theta), psi along theta f'(psi theta) - gamma psi, with f'(t) = sigmoid(-t)."),
        Case("no penalty (gamma = 0)", (0.5, -1.5, 0.1, 0.0), close_to(ref(0.5, -1.5, 0.1, 0.0)),
             "with gamma = 0 this is plain simultaneous gradient descent-ascent."),
        Case("simultaneous: both use the old values", (2.0, 0.7, 0.5, 1.0), close_to(ref(2.0, 0.7, 0.5, 1.0)),
             "compute both updates from the old (theta, psi) before changing either."),
        Case("the equilibrium stays put", (0.0, 0.0, 0.3, 0.5), close_to([0.0, 0.0], atol=1e-15),
             "at (0, 0) both components of the vector field vanish."),
        Case("a new random point (different at every run)", fpoint, close_to(ref(*fpoint)),
             "the fixed cases pass but this one does not: check the signs of both updates.", fresh=True),
        Case("large |psi theta| does not overflow", (40.0, 30.0, 0.1, 0.2), close_to(ref(40.0, 30.0, 0.1, 0.2)),
             "compute sigmoid(-t) as 0.5 * (1 - np.tanh(t / 2)), which cannot overflow for t = 1200.", edge=True),
    ]
    return run_cases("dirac_step", dirac_step, cases, quiet=quiet)


# --- exercise (a): the penalty's weight gradient by double backpropagation ----------------------

_KEYS = ("W1", "b1", "w2")


def _as_mlp(W1: np.ndarray, b1: np.ndarray, w2: np.ndarray) -> MLP:
    """The critic ``D(x) = tanh(x W1 + b1) w2`` as a gnlib MLP (output bias 0)."""
    return MLP([np.array(W1, dtype=float), np.array(w2, dtype=float).reshape(-1, 1)],
               [np.array(b1, dtype=float), np.zeros(1)], "tanh")


def reference_penalty_gradient(x: Any, W1: Any, b1: Any, w2: Any) -> tuple[float, dict[str, np.ndarray]]:
    """gnlib's value and weight gradient of ``P = mean_n (||grad_x D(x_n)|| - 1)^2`` for ``D = tanh(x W1 + b1) w2``.

    Computed by :meth:`gnlib.models.mlp.MLP.penalty_and_grad` (double backpropagation).

    Returns
    -------
    (value, grads)
        ``grads`` has keys ``"W1"``, ``"b1"``, ``"w2"`` with the parameters' shapes.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> value, grads = reference_penalty_gradient(rng.normal(size=(4, 2)), rng.normal(size=(2, 3)),
    ...                                           rng.normal(size=3), rng.normal(size=3))
    >>> sorted(grads), grads["W1"].shape
    (['W1', 'b1', 'w2'], (2, 3))
    """
    value, grads, _ = _as_mlp(W1, b1, w2).penalty_and_grad(np.asarray(x, dtype=float))
    return value, {"W1": grads[0], "b1": grads[1], "w2": grads[2][:, 0]}


def _grad_part(key: str, want: np.ndarray) -> Callable[[Any], bool]:
    def accept(result: Any) -> bool:
        if not isinstance(result, dict) or key not in result:
            return False
        return close_to(want, rtol=1e-6, atol=1e-10)(result[key])
    return accept


def _has_keys(shapes: dict[str, tuple]) -> Callable[[Any], bool]:
    def accept(result: Any) -> bool:
        return isinstance(result, dict) and all(k in result and np.shape(result[k]) == s for k, s in shapes.items())
    return accept


def _direct_part(x: np.ndarray, W1: np.ndarray, b1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """The part u^T a of dP/dW1 that comes through g = a W1^T (a typical answer misses the other part)."""
    a = (1.0 - np.tanh(x @ W1 + b1) ** 2) * w2
    g = a @ W1.T
    norms = np.sqrt(np.sum(g * g, axis=1, keepdims=True))
    u = 2.0 * (norms - 1.0) * g / norms / len(x)
    return u.T @ a


def check_penalty_gradient(penalty_gradient: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``penalty_gradient(x, W1, b1, w2) -> {"W1", "b1", "w2"}`` against gnlib's double backprop."""
    rng = np.random.default_rng(11)
    x, W1, b1, w2 = rng.normal(size=(6, 2)), rng.normal(size=(2, 5)), rng.normal(size=5) * 0.5, rng.normal(size=5)
    _, want = reference_penalty_gradient(x, W1, b1, w2)
    xs, W1s, b1s, w2s = rng.normal(size=(3, 2)), rng.normal(size=(2, 4)), np.full(4, 30.0), rng.normal(size=4)
    xs[0] = [0.0, 0.0]
    b1s[0] = 0.0  # one unit stays active, the others are saturated
    _, want_s = reference_penalty_gradient(xs, W1s, b1s, w2s)
    fresh = np.random.default_rng()
    n, d, h = int(fresh.integers(3, 9)), int(fresh.integers(1, 4)), int(fresh.integers(2, 7))
    xf, W1f, b1f, w2f = fresh.normal(size=(n, d)), fresh.normal(size=(d, h)), fresh.normal(size=h), fresh.normal(size=h)
    _, want_f = reference_penalty_gradient(xf, W1f, b1f, w2f)

    direct = _direct_part(x, W1, b1, w2)

    def all_close(want_: dict) -> Callable[[Any], bool]:
        return lambda r: all(_grad_part(k, want_[k])(r) for k in _KEYS)

    cases = [
        Case("returns a dict with 'W1', 'b1', 'w2' of the parameters' shapes", (x, W1, b1, w2),
             _has_keys({"W1": W1.shape, "b1": b1.shape, "w2": w2.shape}),
             "return {'W1': dW1, 'b1': db1, 'w2': dw2}, each array shaped like its parameter."),
        Case("dP/dw2 (6 points, 5 hidden units)", (x, W1, b1, w2), _grad_part("w2", want["w2"]),
             "start from u = dP/dg = 2 (||g|| - 1) g / ||g|| / n, then dP/dw2 = sum over rows of (u W1) * tanh'(z).",
             mistakes=(Mistake(_grad_part("w2", len(x) * want["w2"]),
                               "n times too large: P is a mean over the n rows, so u = dP/dg carries a factor 1/n."),)),
        Case("dP/dW1: W1 enters twice", (x, W1, b1, w2), _grad_part("W1", want["W1"]),
             "W1 appears in g = a W1^T (giving u^T a) and inside z = x W1 + b1 (giving x^T dz): add both.",
             mistakes=(Mistake(_grad_part("W1", direct), "only the path through g = a W1^T is there: add the path "
                               "through z = x W1 + b1, x^T dz with dz = ((u W1) * w2) * tanh''(z)."),
                       Mistake(_grad_part("W1", want["W1"] - direct), "only the path through z is there: add the "
                               "direct path through g = a W1^T, which gives u^T a."))),
        Case("dP/db1: through tanh''", (x, W1, b1, w2), _grad_part("b1", want["b1"]),
             "b1 acts only through z: dP/dz = ((u W1) * w2) * tanh''(z), with tanh'' = -2 tanh (1 - tanh^2); "
             "dP/db1 sums it over the rows.",
             mistakes=(Mistake(_grad_part("b1", np.zeros_like(b1)), "b1 does get a gradient: tanh''(z) = "
                               "-2 tanh(z) (1 - tanh(z)^2) is not zero (it is zero for ReLU)."),)),
        Case("a new random critic and batch (different at every run)", (xf, W1f, b1f, w2f), all_close(want_f),
             "do not rely on the sizes of the cases above: n, d and H come from the arrays' shapes.", fresh=True),
        Case("saturated units contribute nothing", (xs, W1s, b1s, w2s), all_close(want_s),
             "where tanh'(z) is 0 in floating point, the gradient through that unit is 0 too.", edge=True),
    ]
    return run_cases("penalty_gradient", penalty_gradient, cases, quiet=quiet)
