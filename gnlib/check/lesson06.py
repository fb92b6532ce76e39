"""Checkers for exercises/06_wgan_gp_dirac_gan: one full WGAN-GP critic step.

The critic is ``D(x) = tanh(x W1 + b1) w2`` with parameters in a dict
``{"W1", "b1", "w2"}``. One step computes the critic loss
``mean D(fake) - mean D(real) + lam * mean_n (||grad_x D(x_hat_n)|| - 1)^2`` at
the interpolates ``x_hat = eps real + (1 - eps) fake``, its gradient and one
SGD update; it is compared with :func:`gnlib.models.gan.critic_loss_and_grads`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..models.gan import critic_loss_and_grads
from ..models.mlp import MLP
from ._core import Case, CheckReport, Mistake, close_to, run_cases

__all__ = ["reference_critic_step", "check_critic_step"]

_KEYS = ("W1", "b1", "w2")


def reference_critic_step(params: dict[str, Any], real: Any, fake: Any, eps: Any, lam: float,
                          learning_rate: float) -> tuple[dict[str, np.ndarray], float]:
    """gnlib's WGAN-GP critic step with SGD: ``(new_params, loss before the step)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p = {"W1": rng.normal(size=(2, 3)), "b1": np.zeros(3), "w2": rng.normal(size=3)}
    >>> real, fake = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    >>> new, loss = reference_critic_step(p, real, fake, np.full(4, 0.5), 0.0, 0.1)
    >>> sorted(new), isinstance(loss, float)
    (['W1', 'b1', 'w2'], True)
    """
    critic = MLP([np.array(params["W1"], dtype=float), np.array(params["w2"], dtype=float).reshape(-1, 1)],
                 [np.array(params["b1"], dtype=float), np.zeros(1)], "tanh")
    parts, grads, _ = critic_loss_and_grads(critic, np.asarray(real, dtype=float), np.asarray(fake, dtype=float),
                                            np.asarray(eps, dtype=float), lam)
    new = {"W1": critic.weights[0] - learning_rate * grads[0], "b1": critic.biases[0] - learning_rate * grads[1],
           "w2": critic.weights[1][:, 0] - learning_rate * grads[2][:, 0]}
    return new, float(parts["loss"])


def _parts(result: Any) -> tuple[dict, float] | None:
    if not isinstance(result, tuple) or len(result) != 2 or not isinstance(result[0], dict):
        return None
    try:
        return result[0], float(result[1])
    except (TypeError, ValueError):
        return None


def _loss_is(want: float) -> Callable[[Any], bool]:
    def accept(result: Any) -> bool:
        parts = _parts(result)
        return parts is not None and bool(np.isclose(parts[1], want, rtol=1e-7, atol=1e-12))
    return accept


def _params_are(want: dict[str, np.ndarray]) -> Callable[[Any], bool]:
    def accept(result: Any) -> bool:
        parts = _parts(result)
        return parts is not None and all(k in parts[0] and close_to(want[k], rtol=1e-6, atol=1e-12)(parts[0][k])
                                         for k in _KEYS)
    return accept


def _problem(rng: np.random.Generator, n: int = 6, d: int = 2, h: int = 5) -> tuple:
    params = {"W1": rng.normal(size=(d, h)), "b1": rng.normal(size=h) * 0.5, "w2": rng.normal(size=h)}
    return params, rng.normal(size=(n, d)), rng.normal(size=(n, d)) + 1.0, rng.uniform(size=n)


def check_critic_step(critic_step: Callable, *, quiet: bool = False) -> CheckReport:
    """Check ``critic_step(params, real, fake, eps, lam, learning_rate) -> (new_params, loss)``."""
    params, real, fake, eps = _problem(np.random.default_rng(21))
    plain = reference_critic_step(params, real, fake, eps, 0.0, 0.1)
    gp = reference_critic_step(params, real, fake, eps, 10.0, 0.1)
    fresh = np.random.default_rng()
    fresh_args = _problem(fresh, int(fresh.integers(3, 9)), int(fresh.integers(1, 4)), int(fresh.integers(2, 7)))
    fresh_want = reference_critic_step(*fresh_args, 1.0, 0.05)

    at_real = reference_critic_step(params, real, fake, np.ones_like(eps), 10.0, 0.1)
    at_fake = reference_critic_step(params, real, fake, np.zeros_like(eps), 10.0, 0.1)
    args = (params, real, fake, eps)
    where_hint = ("the penalty is measured at the interpolates x_hat = eps real + (1 - eps) fake (one eps per row), "
                  "not at the {} points.")

    cases = [
        Case("returns (new_params, loss)", (*args, 0.0, 0.1), lambda r: _parts(r) is not None,
             "return a tuple: the dict of updated parameters and the loss (a number)."),
        Case("lam = 0: the loss is mean D(fake) - mean D(real)", (*args, 0.0, 0.1), _loss_is(plain[1]),
             "the critic loss is the mean score of the fakes minus the mean score of the real points.",
             mistakes=(Mistake(_loss_is(-plain[1]), "the sign is flipped: the critic minimises "
                               "mean D(fake) - mean D(real) (fake first, real subtracted)."),)),
        Case("lam = 0: the updated parameters", (*args, 0.0, 0.1), _params_are(plain[0]),
             "differentiate mean D(fake) - mean D(real) (dD/dw2 = tanh(z), dD/dz = tanh'(z) w2) and take "
             "params[k] - learning_rate * grad[k], each gradient at the old parameters."),
        Case("lam = 10: the loss adds lam times the penalty at the interpolates", (*args, 10.0, 0.1),
             _loss_is(gp[1]),
             "add lam * mean_n (||grad_x D(x_hat_n)|| - 1)^2, measured at x_hat = eps real + (1 - eps) fake.",
             mistakes=(Mistake(_loss_is(at_real[1]), where_hint.format("real")),
                       Mistake(_loss_is(at_fake[1]), where_hint.format("generated")))),
        Case("lam = 10: the updated parameters", (*args, 10.0, 0.1), _params_are(gp[0]),
             "add lam times the penalty's weight gradient (penalty_gradient at x_hat) to the Wasserstein gradient "
             "before the step."),
        Case("a new random critic and batch (different at every run)", (*fresh_args, 1.0, 0.05),
             lambda r: _loss_is(fresh_want[1])(r) and _params_are(fresh_want[0])(r),
             "do not rely on the sizes of the cases above: take n, d and H from the arrays.", fresh=True),
    ]
    return run_cases("critic_step", critic_step, cases, quiet=quiet)
