"""PyTorch's autograd as an independent reference for gnlib's hand-derived gradients (test helper).

Used only by tests that skip when torch is absent.
"""

from __future__ import annotations

import numpy as np


def softplus_penalty_reference(torch, net, x: np.ndarray, target: float = 1.0):
    """The WGAN-GP-style penalty of a softplus MLP critic, by torch's double backprop.

    Returns the penalty ``mean_n (||grad_x D(x_n)|| - target)^2``, the input
    gradients ``grad_x D`` (one row per point) and the penalty's gradient with
    respect to every parameter of ``net`` (zeros where torch reports none), in
    the order of ``net.params``.
    """
    params = [torch.tensor(p, requires_grad=True) for p in net.params]
    tx = torch.tensor(x, requires_grad=True)
    h = tx
    for i in range(0, len(params) - 2, 2):
        h = torch.nn.functional.softplus(h @ params[i] + params[i + 1])
    (input_grads,) = torch.autograd.grad((h @ params[-2] + params[-1]).sum(), tx, create_graph=True)
    penalty = ((input_grads.norm(dim=1) - target) ** 2).mean()
    param_grads = torch.autograd.grad(penalty, params, allow_unused=True)
    return (penalty.item(), input_grads.detach().numpy(),
            [np.zeros(p.shape) if grad is None else grad.numpy() for p, grad in zip(net.params, param_grads)])
