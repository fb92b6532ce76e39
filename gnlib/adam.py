"""Adam and RMSProp for lists of numpy arrays, updated in place.

Used by :mod:`gnlib.models.gan` to train the critic and generator MLPs. Adam keeps
running averages of the gradient (``m``) and of its square (``v``)::

    m <- beta1 m + (1 - beta1) g,    v <- beta2 v + (1 - beta2) g^2
    theta <- theta - eta * m_hat / (sqrt(v_hat) + eps)

with the bias corrections ``m_hat = m / (1 - beta1^t)``, ``v_hat = v / (1 - beta2^t)``.
RMSProp (used by the original WGAN with weight clipping) keeps only ``v``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validation import check_scalar

__all__ = ["Adam", "RMSProp"]


def _check_grads(params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
    if len(grads) != len(params):
        raise ValueError(f"grads must have one array per parameter ({len(params)}), got {len(grads)}")
    for p, g in zip(params, grads):
        if np.shape(g) != p.shape:
            raise ValueError(f"grads must match the parameter shapes, got {np.shape(g)} for {p.shape}")


class Adam:
    """Adam (Kingma & Ba 2015) over a fixed list of arrays.

    Parameters
    ----------
    params : sequence of numpy.ndarray
        The arrays to update in place (e.g. ``MLP.params``).
    learning_rate : float, default 1e-4
        eta, > 0.
    betas : (float, float), default (0.5, 0.9)
        WGAN-GP's toy-code values (the paper's Algorithm 1 uses beta1 = 0).
    eps : float, default 1e-8

    Examples
    --------
    >>> theta = np.array([1.0])
    >>> opt = Adam([theta], learning_rate=0.1)
    >>> opt.step([np.array([5.0])]); theta          # first step has length eta
    array([0.9])
    """

    def __init__(self, params: Sequence[np.ndarray], learning_rate: float = 1e-4,
                 betas: tuple[float, float] = (0.5, 0.9), eps: float = 1e-8) -> None:
        self.params = list(params)
        self.learning_rate = check_scalar(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.beta1 = check_scalar(betas[0], "betas[0]", low=0.0, high=1.0, high_inclusive=False)
        self.beta2 = check_scalar(betas[1], "betas[1]", low=0.0, high=1.0, high_inclusive=False)
        self.eps = check_scalar(eps, "eps", low=0.0)
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """One Adam update of every parameter with its gradient."""
        _check_grads(self.params, grads)
        self.t += 1
        c1 = 1.0 - self.beta1 ** self.t
        c2 = 1.0 - self.beta2 ** self.t
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            p -= self.learning_rate * (m / c1) / (np.sqrt(v / c2) + self.eps)


class RMSProp:
    """RMSProp as in TensorFlow (decay 0.9, no momentum), over a list of arrays.

    Examples
    --------
    >>> theta = np.array([1.0])
    >>> RMSProp([theta], learning_rate=0.01).step([np.array([2.0])])
    >>> bool(theta[0] < 1.0)
    True
    """

    def __init__(self, params: Sequence[np.ndarray], learning_rate: float = 5e-5,
                 decay: float = 0.9, eps: float = 1e-10) -> None:
        self.params = list(params)
        self.learning_rate = check_scalar(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
        self.decay = check_scalar(decay, "decay", low=0.0, high=1.0, high_inclusive=False)
        self.eps = check_scalar(eps, "eps", low=0.0)
        self.v = [np.zeros_like(p) for p in self.params]

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """One RMSProp update of every parameter with its gradient."""
        _check_grads(self.params, grads)
        for p, g, v in zip(self.params, grads, self.v):
            v *= self.decay
            v += (1.0 - self.decay) * g * g
            p -= self.learning_rate * g / (np.sqrt(v) + self.eps)
