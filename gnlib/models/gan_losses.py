"""The WGAN-GP losses and their gradients: interpolates, the critic's loss with the penalty, the generator's loss.

The critic loss of WGAN-GP (Gulrajani et al. 2017, Algorithm 1) is

    L_D = mean D(x_fake) - mean D(x_real) + lam * mean (||grad_x D(x_hat)|| - 1)^2,
    x_hat = eps x_real + (1 - eps) x_fake,   eps ~ U[0, 1] per sample,

and the generator minimises ``-mean D(G(z))``. :mod:`gnlib.models.gan` trains
with these (and re-exports them).

The penalty weight is bounded by :data:`MAX_LAM` ``= 1e6``: the paper uses
``lam = 10`` and its toy code 0.1. Adam's steps do not depend on the loss's
scale, so ``lam`` only sets the ratio of the penalty to the Wasserstein term;
at ``1e6`` that term (of order 1) is already a millionth of the loss, close to
float32's resolution (1.2e-7), so larger weights change nothing but the risk of
overflow (``lam = 1e308`` turns the critic's gradients into inf and its weights into NaN).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import as_float_array, check_scalar
from .mlp import MLP, penalty_from_input_gradient

__all__ = ["MAX_LAM", "check_lam", "interpolates", "critic_loss_and_grads", "generator_loss_and_grads"]

MAX_LAM = 1e6


def check_lam(lam: Any) -> float:
    """``lam`` as a float in ``[0, MAX_LAM]``, or ``ValueError`` naming ``lam`` (``TypeError`` for non-numbers).

    Examples
    --------
    >>> check_lam(10)
    10.0
    """
    return check_scalar(lam, "lam", low=0.0, high=MAX_LAM)


def interpolates(real: Any, fake: Any, eps: Any) -> np.ndarray:
    """``x_hat = eps x_real + (1 - eps) x_fake``, one ``eps`` per row.

    Examples
    --------
    >>> interpolates(np.ones((2, 2)), np.zeros((2, 2)), np.array([0.25, 1.0]))
    array([[0.25, 0.25],
           [1.  , 1.  ]])
    """
    real, fake = as_float_array(real, "real"), as_float_array(fake, "fake")
    if real.shape != fake.shape or real.ndim != 2:
        raise ValueError(f"real and fake must be (n, d) arrays of one shape, got {real.shape} and {fake.shape}")
    eps = as_float_array(eps, "eps").reshape(-1, 1)
    if eps.shape[0] != real.shape[0]:
        raise ValueError(f"eps must have one value per row ({real.shape[0]}), got {eps.shape[0]}")
    return eps * real + (1.0 - eps) * fake


def critic_loss_and_grads(critic: MLP, real: np.ndarray, fake: np.ndarray, eps: np.ndarray, lam: float
                          ) -> tuple[dict[str, float], list[np.ndarray], np.ndarray]:
    """The WGAN-GP critic loss, its parameter gradients and ``||grad_x D(x_hat)||`` per sample.

    Returns
    -------
    (parts, grads, slopes)
        ``parts`` has ``"loss"``, ``"wasserstein"`` (mean D(real) - mean D(fake)) and
        ``"penalty"``; ``grads`` is ordered like ``critic.params``. With ``lam = 0``
        the penalty is still measured but not added.

    Raises
    ------
    ValueError
        If ``lam`` is negative or above :data:`MAX_LAM` (1e6).
    """
    lam = check_lam(lam)
    n = real.shape[0]
    out, cache = critic.forward(np.concatenate([real, fake]))
    dout = np.concatenate([np.full((n, 1), -1.0 / n), np.full((n, 1), 1.0 / n)]).astype(out.dtype)
    grads, _ = critic.backward(cache, dout)
    x_hat = interpolates(real, fake, eps)
    if lam > 0:
        _, pgrads, g = critic.penalty_and_grad(x_hat)
        grads = [a + lam * b for a, b in zip(grads, pgrads)]
    else:
        g = critic.input_gradient(x_hat)
    penalty, slopes = penalty_from_input_gradient(g)
    w_est = float(out[:n].mean() - out[n:].mean())
    parts = {"loss": -w_est + lam * penalty, "wasserstein": w_est, "penalty": penalty}
    return parts, grads, slopes


def generator_loss_and_grads(generator: MLP, critic: MLP, z: np.ndarray) -> tuple[float, list[np.ndarray]]:
    """``-mean D(G(z))`` and its gradients for the generator's parameters (no penalty)."""
    fake, gcache = generator.forward(z)
    score, dcache = critic.forward(fake)
    _, dfake = critic.backward(dcache, np.full_like(score, -1.0 / len(z)))
    grads, _ = generator.backward(gcache, dfake)
    return float(-score.mean()), grads
