"""A small multilayer perceptron with hand-derived gradients, including double backprop.

The network maps a batch ``x`` of shape ``(n, d)`` to ``(n, k)``::

    h_0 = x,   z_l = h_{l-1} W_l + b_l,   h_l = sigma(z_l)   (l = 1 .. L, hidden layers)
    out = h_L W_{L+1} + b_{L+1}                                (linear output)

Weights are stored ``(fan_in, fan_out)`` so a batch is multiplied from the left.
Besides the usual backward pass (gradients with respect to the parameters) it
computes, for a critic with one output, the **input gradient** ``grad_x D(x)``
and the parameter gradient of the WGAN-GP-style penalty
``mean_n (||grad_x D(x_n)|| - target)^2``. That last one differentiates a
gradient ("double backpropagation"): we run reverse mode through the forward
pass *and* through the backward pass that produced ``grad_x D``. Smooth
activations bring in the second derivative ``sigma''``; for ReLU it is 0.
:mod:`gnlib.models.penalty_check` checks that double backprop against finite
differences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import as_float_array, check_int, check_scalar
from ._numerics import MAX_WIDTH, check_total, float_dtype, row_norms, sigmoid_pair

__all__ = ["ACTIVATIONS", "MLP", "init_mlp", "penalty_from_input_gradient"]

ACTIVATIONS = ("relu", "tanh", "softplus")


def _act(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """sigma(z), sigma'(z) and sigma''(z)."""
    if name == "relu":
        s = (z > 0).astype(z.dtype)
        return z * s, s, np.zeros_like(z)
    if name == "tanh":
        h = np.tanh(z)
        s = 1.0 - h * h
        return h, s, -2.0 * h * s
    sig, comp = sigmoid_pair(z)  # softplus log(1 + e^z): slope sigmoid(z), curvature sigmoid(z) sigmoid(-z)
    return np.logaddexp(0.0, z), sig, sig * comp


@dataclass
class MLP:
    """Weights and biases of a fully connected network, with its gradients.

    Attributes
    ----------
    weights : list of numpy.ndarray
        ``W_l`` of shape ``(fan_in, fan_out)``; the last layer is linear.
    biases : list of numpy.ndarray
        ``b_l`` of shape ``(fan_out,)``.
    activation : str
        ``"relu"``, ``"tanh"`` or ``"softplus"`` (hidden layers only).
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activation: str = "relu"

    def __post_init__(self) -> None:
        """Check the layers once, so that no method fails later with an IndexError."""
        if not isinstance(self.activation, str) or self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {self.activation!r}")
        if len(self.weights) != len(self.biases):
            raise ValueError(f"weights and biases must have one array per layer, got {len(self.weights)} "
                             f"and {len(self.biases)}")
        if len(self.weights) < 2:
            raise ValueError(f"weights must hold at least two layers (one hidden layer and the output), "
                             f"got {len(self.weights)}")
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            if not isinstance(w, np.ndarray) or w.ndim != 2 or w.dtype.kind != "f":
                raise TypeError(f"weights[{i}] must be a 2-D float array (fan_in, fan_out), got "
                                f"{getattr(w, 'shape', type(w).__name__)} {getattr(w, 'dtype', '')}".rstrip())
            if not isinstance(b, np.ndarray) or b.shape != (w.shape[1],) or b.dtype.kind != "f":
                raise ValueError(f"biases[{i}] must be a float array of shape ({w.shape[1]},), got "
                                 f"{getattr(b, 'shape', type(b).__name__)}")
            if i and w.shape[0] != self.weights[i - 1].shape[1]:
                raise ValueError(f"weights[{i}] must have {self.weights[i - 1].shape[1]} rows "
                                 f"(the width of layer {i}), got {w.shape[0]}")

    # ----------------------------------------------------------------- params
    @property
    def params(self) -> list[np.ndarray]:
        """``[W_1, b_1, W_2, b_2, ...]``: the arrays an optimizer updates in place."""
        return [a for layer in zip(self.weights, self.biases) for a in layer]

    @property
    def sizes(self) -> list[int]:
        """Layer widths ``[d, H_1, ..., H_L, k]``."""
        return [self.weights[0].shape[0]] + [w.shape[1] for w in self.weights]

    def get_flat(self) -> np.ndarray:
        """All parameters as one float64 vector (for finite-difference tests)."""
        return np.concatenate([p.ravel() for p in self.params]).astype(np.float64)

    def set_flat(self, flat: np.ndarray) -> None:
        """Overwrite the parameters from a vector made by :meth:`get_flat`."""
        flat = as_float_array(flat, "flat")
        sizes = [p.size for p in self.params]
        if flat.shape != (sum(sizes),):
            raise ValueError(f"flat must have shape ({sum(sizes)},), got {flat.shape}")
        start = 0
        for p in self.params:
            p[...] = flat[start:start + p.size].reshape(p.shape)
            start += p.size

    def copy(self) -> "MLP":
        """A deep copy (snapshots during training)."""
        return MLP([w.copy() for w in self.weights], [b.copy() for b in self.biases], self.activation)

    # ---------------------------------------------------------------- forward
    def _check_x(self, x: Any) -> np.ndarray:
        x = as_float_array(x, "x")
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(f"x must have shape (n, {self.sizes[0]}), got {x.shape}")
        return x

    def forward(self, x: Any) -> tuple[np.ndarray, dict]:
        """Output ``(n, k)`` and a cache of ``z_l, h_l, sigma'(z_l), sigma''(z_l)``."""
        x = self._check_x(x)
        hs, ss, ts = [x], [], []
        h = x
        for w, b in zip(self.weights[:-1], self.biases[:-1]):
            h, s, t = _act(self.activation, h @ w + b)
            hs.append(h)
            ss.append(s)
            ts.append(t)
        out = h @ self.weights[-1] + self.biases[-1]
        return out, {"h": hs, "s": ss, "t": ts}

    def __call__(self, x: Any) -> np.ndarray:
        return self.forward(x)[0]

    # --------------------------------------------------------------- backward
    def backward(self, cache: dict, dout: Any) -> tuple[list[np.ndarray], np.ndarray]:
        """Gradients of ``sum(dout * out)`` for the parameters and for ``x``.

        Parameters
        ----------
        cache : dict
            From :meth:`forward`.
        dout : array_like
            Upstream gradient, shape ``(n, k)``.

        Returns
        -------
        (grads, dx)
            ``grads`` is ordered like :attr:`params`; ``dx`` has the shape of ``x``.
        """
        hs, ss = cache["h"], cache["s"]
        delta = as_float_array(dout, "dout")
        if delta.shape != (hs[0].shape[0], self.sizes[-1]):
            raise ValueError(f"dout must have shape {(hs[0].shape[0], self.sizes[-1])}, got {delta.shape}")
        grads: list[np.ndarray] = [None] * (2 * len(self.weights))  # type: ignore[list-item]
        for layer in range(len(self.weights) - 1, -1, -1):
            grads[2 * layer] = hs[layer].T @ delta
            grads[2 * layer + 1] = delta.sum(axis=0)
            delta = delta @ self.weights[layer].T
            if layer > 0:
                delta = delta * ss[layer - 1]
        return grads, delta

    def input_gradient(self, x: Any, cache: dict | None = None) -> np.ndarray:
        """``grad_x D(x_n)`` for every row of ``x`` (a critic with one output).

        Returns
        -------
        numpy.ndarray
            Shape ``(n, d)``: row ``n`` is the gradient of the output at ``x_n``.
        """
        if self.sizes[-1] != 1:
            raise ValueError(f"input_gradient needs a network with one output, this one has {self.sizes[-1]}")
        if cache is None:
            _, cache = self.forward(x)
        a = cache["s"][-1] * self.weights[-1][:, 0]
        for layer in range(len(self.weights) - 2, 0, -1):
            a = (a @ self.weights[layer].T) * cache["s"][layer - 1]
        return a @ self.weights[0].T

    def penalty(self, x: Any, target: float = 1.0) -> float:
        """``mean_n (||grad_x D(x_n)|| - target)^2``; ``target = 1`` is WGAN-GP's."""
        return penalty_from_input_gradient(self.input_gradient(x), target)[0]

    def penalty_and_grad(self, x: Any, target: float = 1.0, *, eps: float = 1e-12
                         ) -> tuple[float, list[np.ndarray], np.ndarray]:
        """The penalty, its gradient for every parameter (double backprop), and ``grad_x D``.

        Parameters
        ----------
        x : array_like
            Points ``(n, d)``, e.g. the interpolates ``x_hat``.
        target : float, default 1.0
            The norm the penalty pulls towards (1 for WGAN-GP; 0 gives ``||grad_x D||^2``),
            at most 1e150 so that the penalty, about ``target^2``, and its gradient stay finite.
        eps : float
            Guards the division by ``||grad_x D||`` when it is 0.

        Returns
        -------
        (value, grads, g)
            ``grads`` is ordered like :attr:`params` (the output bias gets 0).

        Examples
        --------
        >>> net = init_mlp([2, 5, 1], np.random.default_rng(0), activation="tanh")
        >>> value, grads, g = net.penalty_and_grad(np.zeros((3, 2)))
        >>> g.shape, len(grads)
        ((3, 2), 4)
        """
        target = check_scalar(target, "target", low=0.0, high=1e150)
        eps = check_scalar(eps, "eps", low=0.0)
        if self.sizes[-1] != 1:
            raise ValueError(f"penalty_and_grad needs a network with one output, this one has {self.sizes[-1]}")
        _, cache = self.forward(x)
        hs, ss, ts = cache["h"], cache["s"], cache["t"]
        ws, n_hidden = self.weights, len(self.weights) - 1
        # backward pass for grad_x D, keeping a_l and q_l (q_0 = g)
        a = [None] * (n_hidden + 1)  # a[l] for l = 1..L
        q = [None] * (n_hidden + 1)  # q[l] = a[l+1] W_{l+1}^T for l = 0..L-1
        a[n_hidden] = ss[n_hidden - 1] * ws[-1][:, 0]
        for layer in range(n_hidden, 0, -1):
            q[layer - 1] = a[layer] @ ws[layer - 1].T
            if layer > 1:
                a[layer - 1] = ss[layer - 2] * q[layer - 1]
        g = q[0]
        n = g.shape[0]
        norm = row_norms(g)[:, None]
        with np.errstate(over="ignore"):  # only from a huge input gradient: the penalty is then beyond the range
            value = float(np.mean((norm - target) ** 2))
        u = 2.0 * (norm - target) * g / np.maximum(norm, eps) / n  # dP/dg
        # reverse through the backward pass
        grads_w = [np.zeros_like(w) for w in ws]
        grads_b = [np.zeros_like(b) for b in self.biases]
        zbar = [np.zeros_like(s) for s in ss]  # adjoints of z_1..z_L
        qbar = u
        for layer in range(1, n_hidden + 1):
            grads_w[layer - 1] += qbar.T @ a[layer]
            abar = qbar @ ws[layer - 1]
            if layer < n_hidden:
                qbar = abar * ss[layer - 1]
                zbar[layer - 1] += abar * q[layer] * ts[layer - 1]
        grads_w[-1][:, 0] += np.sum(abar * ss[-1], axis=0)
        zbar[-1] += abar * ws[-1][:, 0] * ts[-1]
        # reverse through the forward pass (the output itself does not enter P)
        for layer in range(n_hidden, 0, -1):
            grads_w[layer - 1] += hs[layer - 1].T @ zbar[layer - 1]
            grads_b[layer - 1] += zbar[layer - 1].sum(axis=0)
            if layer > 1:
                zbar[layer - 2] += (zbar[layer - 1] @ ws[layer - 1].T) * ss[layer - 2]
        return value, [a for layer in zip(grads_w, grads_b) for a in layer], g


def penalty_from_input_gradient(g: np.ndarray, target: float = 1.0) -> tuple[float, np.ndarray]:
    """The penalty ``mean_n (||g_n|| - target)^2`` and the per-row norms ``||g_n||``.

    ``g`` holds one input gradient per row, shape ``(n, d)`` with ``n >= 1``
    (a 1-D array raises ``ValueError``: wrap one gradient as ``g[None, :]``).

    Examples
    --------
    >>> value, norms = penalty_from_input_gradient(np.array([[3.0, 4.0], [0.6, 0.8]]))
    >>> value, norms.tolist()
    (8.0, [5.0, 1.0])
    """
    g = as_float_array(g, "g")
    if g.ndim != 2 or g.shape[0] == 0:
        raise ValueError(f"g must have shape (n, d) with n >= 1, one input gradient per row, got {g.shape}")
    target = check_scalar(target, "target", low=0.0)
    norms = row_norms(g)  # no overflow for finite g
    with np.errstate(over="ignore"):  # the penalty itself may exceed the float range: inf
        return float(np.mean((norms - target) ** 2)), norms


def init_mlp(sizes: Sequence[int], rng: np.random.Generator, *, activation: str = "relu",
             dtype: Any = np.float64) -> MLP:
    """He-uniform initialisation, as in the WGAN-GP toy code (zero biases).

    ``W ~ U(-sqrt(3) s, sqrt(3) s)`` with ``s = sqrt(2 / fan_in)``.

    Parameters
    ----------
    sizes : sequence of int
        ``[d, H_1, ..., H_L, k]``, at least one hidden layer, every width >= 1.
    rng : numpy.random.Generator
        The source of randomness (``np.random.default_rng(seed)``).
    activation : {"relu", "tanh", "softplus"}
        Hidden-layer activation.
    dtype : numpy dtype, default float64

    Raises
    ------
    ValueError
        For fewer than three sizes, a width below 1 or an unknown activation.
    TypeError
        If ``rng`` is not a ``numpy.random.Generator`` or ``dtype`` is not a
        floating-point dtype.

    Examples
    --------
    >>> net = init_mlp([2, 8, 8, 1], np.random.default_rng(0))
    >>> net.sizes, net(np.zeros((4, 2))).shape
    ([2, 8, 8, 1], (4, 1))
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (Sequence, np.ndarray)):
        raise TypeError(f"sizes must be a sequence of layer widths, got {type(sizes).__name__} {sizes!r}")
    sizes = [check_int(s, "sizes", low=1, high=MAX_WIDTH) for s in sizes]
    check_total(sum(a * b for a, b in zip(sizes, sizes[1:])), "sizes", "the weights")
    if len(sizes) < 3:
        raise ValueError(f"sizes must list input, at least one hidden layer and output, got {sizes}")
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    dtype = float_dtype(dtype)  # integer weights would truncate the initialisation to -1, 0, 1
    weights, biases = [], []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = np.sqrt(3.0) * np.sqrt(2.0 / fan_in)
        weights.append(rng.uniform(-bound, bound, size=(fan_in, fan_out)).astype(dtype))
        biases.append(np.zeros(fan_out, dtype=dtype))
    return MLP(weights, biases, activation)
