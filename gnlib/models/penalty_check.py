"""Checking double backprop: the critic's penalty gradient against finite differences.

:meth:`gnlib.models.mlp.MLP.penalty_and_grad` differentiates the penalty
``mean_n (||grad_x D(x_n)|| - target)^2`` with respect to the critic's
parameters by hand, through the backward pass that produced ``grad_x D``.
Lesson 05 trusts it only after :func:`penalty_gradient_error` agrees with
central differences of the penalty itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_scalar
from ..gradcheck import numerical_gradient, rel_error
from .mlp import MLP

__all__ = ["penalty_gradient_error"]


def penalty_gradient_error(critic: MLP, x: Any, *, target: float = 1.0, h: float = 1e-6) -> float:
    """How far the double-backprop penalty gradient is from finite differences.

    Compares ``critic.penalty_and_grad(x)`` with central differences of
    ``critic.penalty(x)`` over every parameter; the critic is left unchanged.
    The step ``h`` must lie in ``(0, 0.1]``: beyond that, next to weights of
    order 1, a central difference no longer approximates a derivative (and
    ``h = 1e308`` would overflow the parameters).

    Returns
    -------
    float
        ``gnlib.gradcheck.rel_error`` between the two (about 1e-8 or less when right).

    Examples
    --------
    >>> from gnlib.models.mlp import init_mlp
    >>> net = init_mlp([2, 4, 1], np.random.default_rng(0), activation="tanh")
    >>> bool(penalty_gradient_error(net, np.random.default_rng(1).normal(size=(5, 2))) < 1e-6)
    True
    """
    if not isinstance(critic, MLP):
        raise TypeError(f"critic must be an MLP (from init_mlp), got {type(critic).__name__}")
    h = check_scalar(h, "h", low=0.0, low_inclusive=False, high=0.1)
    _, grads, _ = critic.penalty_and_grad(x, target)
    flat = critic.get_flat()

    def penalty_at(theta: np.ndarray) -> float:
        critic.set_flat(theta)
        try:
            return critic.penalty(x, target)
        finally:
            critic.set_flat(flat)

    numeric = numerical_gradient(penalty_at, flat, h=h)
    return rel_error(np.concatenate([g.ravel() for g in grads]), numeric)
