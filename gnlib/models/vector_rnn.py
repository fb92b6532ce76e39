"""A small tanh recurrent network with hand-derived backpropagation through time.

The network reads a sequence ``x_1 .. x_T`` (each ``x_t`` has ``D`` entries)
and predicts one number from its last hidden state::

    h_0 = 0,   h_t = tanh(x_t W_xh + h_{t-1} W_hh + b)   (hidden size H)
    y   = h_T . w_out + c
    E   = mean over the batch of (y - target)^2

Backpropagation through time (BPTT) carries ``delta_t = dE/dh_t`` backwards::

    delta_T = 2 (y - target) / n  w_out
    dz_t    = delta_t * (1 - h_t^2)                 (through tanh)
    dE/dW_hh += h_{t-1}^T dz_t,  dE/dW_xh += x_t^T dz_t,  dE/db += sum_n dz_t
    delta_{t-1} = dz_t W_hh^T

The norm ``||dE/dh_k||`` for every ``k`` shows vanishing and exploding
gradients directly: each step back multiplies by ``diag(1 - h_t^2) W_hh^T``.

**Many models at once.** Every parameter may carry leading axes: ``W_hh`` of
shape ``(K, H, H)`` is ``K`` independent networks (different seeds, or
different clipping thresholds) that train in one vectorised loop. Inputs then
have shape ``(K, n, T, D)`` (or ``(n, T, D)``, shared by all models). One
model is the case with no leading axis. The tests check the gradients of both
against finite differences.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .._validation import as_float_array, check_int, check_scalar
from ._numerics import MAX_WIDTH, check_total, float_dtype, row_norms
from .param_stack import PARAM_NAMES, list_to_params, model_norms, params_to_list

__all__ = ["PARAM_NAMES", "init_rnn", "rnn_forward", "rnn_loss", "rnn_loss_and_grads", "model_norms",
           "params_to_list", "list_to_params"]

def init_rnn(hidden: int = 16, n_inputs: int = 2, *, rng: np.random.Generator,
             recurrent_scale: float = 1.0, n_models: int | None = None, dtype: Any = np.float64
             ) -> dict[str, np.ndarray]:
    """Random parameters of a tanh RNN.

    ``W_hh`` is a random orthogonal matrix times ``recurrent_scale``, so every
    singular value equals ``recurrent_scale``: below 1 the backward products
    shrink, above 1 they can grow (Pascanu et al. 2013, section 2.1).
    ``W_xh`` and ``w_out`` are ``N(0, 1/fan_in)``; biases start at 0.

    Parameters
    ----------
    hidden : int
        Hidden size H (>= 1).
    n_inputs : int
        Entries per time step D (>= 1).
    rng : numpy.random.Generator
    recurrent_scale : float
        The singular value of ``W_hh`` (> 0).
    n_models : int, optional
        When given, every array gets a leading axis of this length (independent draws).
    dtype : numpy dtype, default float64
        float32 trains about four times faster (numpy's float32 ``tanh`` is vectorised);
        finite-difference checks need float64. Integer, boolean and complex
        dtypes raise ``TypeError`` (they would truncate the weights).

    Returns
    -------
    dict of str to numpy.ndarray
        Keys :data:`PARAM_NAMES`.

    Examples
    --------
    >>> p = init_rnn(4, rng=np.random.default_rng(0), recurrent_scale=1.5)
    >>> np.linalg.svd(p["W_hh"], compute_uv=False).round(6).tolist()
    [1.5, 1.5, 1.5, 1.5]
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    hidden = check_int(hidden, "hidden", low=1, high=MAX_WIDTH)
    n_inputs = check_int(n_inputs, "n_inputs", low=1, high=MAX_WIDTH)
    scale = check_scalar(recurrent_scale, "recurrent_scale", low=0.0, low_inclusive=False)
    dtype = float_dtype(dtype)
    if n_models is not None:
        k = check_int(n_models, "n_models", low=1, high=MAX_WIDTH)
        check_total(k * hidden * (hidden + n_inputs + 2), "hidden, n_inputs and n_models", "the parameters")
        models = [init_rnn(hidden, n_inputs, rng=rng, recurrent_scale=scale, dtype=dtype) for _ in range(k)]
        return {name: np.stack([m[name] for m in models]) for name in PARAM_NAMES}
    q, r = np.linalg.qr(rng.normal(size=(hidden, hidden)))
    q = q * np.sign(np.diag(r))  # a uniformly random orthogonal matrix
    params = {
        "W_xh": rng.normal(size=(n_inputs, hidden)) / np.sqrt(n_inputs),
        "W_hh": scale * q,
        "b": np.zeros(hidden),
        "w_out": rng.normal(size=hidden) / np.sqrt(hidden),
        "c": np.zeros(()),
    }
    with np.errstate(over="ignore"):
        params = {k: np.asarray(v, dtype=dtype) for k, v in params.items()}
    if not np.isfinite(params["W_hh"]).all():
        raise ValueError(f"recurrent_scale = {scale:g} overflows {dtype}: W_hh would hold inf")
    return params


def _check(params: dict[str, Any], x: Any, target: Any = None, *, with_target: bool = False
           ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray | None]:
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict of arrays (from init_rnn), got {type(params).__name__}")
    missing = [k for k in PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; it needs the keys {list(PARAM_NAMES)}")
    p = {k: as_float_array(params[k], f"params[{k!r}]") for k in PARAM_NAMES}
    for k in ("W_xh", "W_hh"):
        if p[k].ndim < 2:
            raise ValueError(f"params[{k!r}] must be a matrix (or a stack of them), got shape {p[k].shape}")
    d, h = p["W_xh"].shape[-2:]
    lead = p["W_hh"].shape[:-2]
    expected = {"W_xh": lead + (d, h), "W_hh": lead + (h, h), "b": lead + (h,), "w_out": lead + (h,), "c": lead}
    for k, shape in expected.items():
        if p[k].shape != shape:
            raise ValueError(f"params[{k!r}] must have shape {shape}, got {p[k].shape}")
    x = as_float_array(x, "x")
    if x.ndim < 3 or x.shape[-1] != d:
        raise ValueError(f"x must have shape (..., n, T, {d}) with T >= 1, got {x.shape}")
    if x.shape[-2] < 1 or x.shape[-3] < 1:
        raise ValueError(f"x must hold at least one sequence and one time step, got shape {x.shape}")
    if with_target:
        target = as_float_array(target, "target")
        y_shape = np.broadcast_shapes(lead, x.shape[:-3]) + x.shape[-3:-2]
        if target.shape[-1:] != x.shape[-3:-2] or np.broadcast_shapes(target.shape, y_shape) != y_shape:
            raise ValueError(f"target must have one value per sequence, shape {y_shape} or (n,), "
                             f"got shape {target.shape}")
        if not np.isfinite(target).all():
            raise ValueError("target must be finite, got a NaN or inf entry")
    return p, x, target


def _squared_error(y: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(y - target, mean squared error)``; the error is ``inf``, without a warning, once its sum overflows."""
    err = y - target
    with np.errstate(over="ignore"):
        return err, np.mean(err ** 2, axis=-1)


def rnn_forward(params: dict[str, Any], x: Any) -> tuple[np.ndarray, np.ndarray]:
    """The predictions ``y`` and every hidden state.

    Parameters
    ----------
    params : dict
        From :func:`init_rnn`.
    x : array_like
        Shape ``(n, T, D)``, or ``(K, n, T, D)`` for ``K`` models.

    Returns
    -------
    (y, hs)
        ``y`` has shape ``(..., n)``; ``hs`` has shape ``(T + 1, ..., n, H)`` with ``hs[0] = 0``.

    Examples
    --------
    >>> p = init_rnn(3, rng=np.random.default_rng(0))
    >>> y, hs = rnn_forward(p, np.zeros((5, 7, 2)))
    >>> y.shape, hs.shape
    ((5,), (8, 5, 3))
    """
    p, x, _ = _check(params, x)
    return _forward(p, x)


def _forward(p: dict[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lead = np.broadcast_shapes(p["W_hh"].shape[:-2], x.shape[:-3])
    xs = np.moveaxis(np.broadcast_to(x, lead + x.shape[-3:]), -2, 0)  # (T, ..., n, D)
    hidden = p["W_hh"].shape[-1]
    dtype = np.result_type(p["W_hh"], x)
    hs = np.empty((xs.shape[0] + 1,) + lead + (x.shape[-3], hidden), dtype=dtype)
    hs[0] = 0.0
    inputs = xs @ p["W_xh"][None] + p["b"][..., None, :]  # all input terms in one product
    for t in range(xs.shape[0]):
        hs[t + 1] = np.tanh(inputs[t] + hs[t] @ p["W_hh"])
    y = np.einsum("...nh,...h->...n", hs[-1], p["w_out"]) + p["c"][..., None]
    return y, hs


def rnn_loss(params: dict[str, Any], x: Any, target: Any) -> np.ndarray | float:
    """The mean squared error ``mean_n (y_n - target_n)^2`` (one value per model).

    The loss is ``inf``, without a warning, once the sum of the squared errors
    exceeds the range of the dtype (``|y - target|`` beyond about 1.3e154 in
    float64, 1.8e19 in float32, less for many sequences);
    :func:`~gnlib.models.adding_problem.train_adding` reads that as divergence.

    Raises
    ------
    ValueError
        For a non-finite ``target`` or bad shapes.

    Examples
    --------
    >>> p = init_rnn(3, rng=np.random.default_rng(0))
    >>> rnn_loss(p, np.zeros((2, 4, 2)), [1.0, 1.0])
    1.0
    """
    p, x, target = _check(params, x, target, with_target=True)
    y, _ = _forward(p, x)
    _, loss = _squared_error(y, target)
    return float(loss) if loss.ndim == 0 else loss


def rnn_loss_and_grads(params: dict[str, Any], x: Any, target: Any, *, on_overflow: str = "raise"
                       ) -> tuple[np.ndarray | float, dict[str, np.ndarray], np.ndarray]:
    """The loss, its gradient for every parameter (BPTT), and ``||dE/dh_k||`` for every step.

    Parameters
    ----------
    params : dict
        From :func:`init_rnn` (with or without a leading model axis).
    x : array_like
        Shape ``(n, T, D)`` or ``(K, n, T, D)``.
    target : array_like
        Shape ``(n,)`` or ``(K, n)``.
    on_overflow : {"raise", "keep"}
        What to do when ``2 (y - target) / n`` exceeds the float range:
        ``"raise"`` a ``ValueError``, or ``"keep"`` the inf, so that the gradients may
        hold inf or NaN: for a trainer that stops diverging networks itself under
        ``numpy.errstate``, as :func:`~gnlib.models.adding_problem.train_adding` does.

    Returns
    -------
    (loss, grads, dh_norms)
        ``loss`` as in :func:`rnn_loss`; ``grads`` has the keys and shapes of
        ``params``; ``dh_norms[k - 1]`` is the Frobenius norm of ``dE/dh_k``
        over the batch, for ``k = 1 .. T`` (shape ``(T,)`` or ``(T, K)``).

    Raises
    ------
    ValueError
        As :func:`rnn_loss`; and for a ``target`` so far from the predictions that the
        gradient ``2 (y - target) / n`` itself exceeds the float range (it is refused,
        not turned into inf or NaN gradients). A loss beyond the range is ``inf``
        while the gradients stay finite and exact (``target = 1e300`` for instance).

    Examples
    --------
    >>> p = init_rnn(3, rng=np.random.default_rng(0))
    >>> loss, grads, dh = rnn_loss_and_grads(p, np.ones((2, 4, 2)), [0.0, 1.0])
    >>> sorted(grads) == sorted(PARAM_NAMES), dh.shape
    (True, (4,))
    """
    if on_overflow not in ("raise", "keep"):
        raise ValueError(f"on_overflow must be 'raise' or 'keep', got {on_overflow!r}")
    p, x, target = _check(params, x, target, with_target=True)
    y, hs = _forward(p, x)
    n, n_steps = x.shape[-3], x.shape[-2]
    err, loss = _squared_error(y, target)
    with np.errstate(over="ignore"):
        dy = 2.0 * err / n  # (..., n)
        overflowed = ~np.isfinite(dy) & np.isfinite(err)
        if overflowed.any():  # 2 err overflowed: divide first (only there, so other values keep their bits)
            dy = np.where(overflowed, err / n * 2.0, dy)
    if on_overflow == "raise" and not np.isfinite(dy).all() and np.isfinite(err).all():
        raise ValueError(
            f"target is too far from the predictions (largest |y - target| = {np.max(np.abs(err)):.3g}): "
            f"the gradient 2 (y - target) / n exceeds the range of {dy.dtype}"
        )
    lead = hs.shape[1:-2]
    xs = np.moveaxis(np.broadcast_to(x, lead + x.shape[-3:]), -2, 0)
    g_whh = np.zeros(lead + p["W_hh"].shape[-2:], dtype=hs.dtype)
    dz_all = np.empty_like(hs[1:])
    dh_norms = np.empty((n_steps,) + lead, dtype=hs.dtype)
    delta = dy[..., :, None] * p["w_out"][..., None, :]  # dE/dh_T, (..., n, H)
    w_hh_t = np.swapaxes(p["W_hh"], -1, -2)
    for t in range(n_steps, 0, -1):
        with np.errstate(over="ignore"):
            dh_norms[t - 1] = np.sqrt(np.sum(delta * delta, axis=(-2, -1)))
        if not np.isfinite(dh_norms[t - 1]).all() and np.isfinite(delta).all():  # the squares overflowed
            dh_norms[t - 1] = row_norms(delta.reshape(-1, delta.shape[-2] * delta.shape[-1])).reshape(lead)
        dz = delta * (1.0 - hs[t] ** 2)
        dz_all[t - 1] = dz
        g_whh += np.swapaxes(hs[t - 1], -1, -2) @ dz
        delta = dz @ w_hh_t
    # the input weights and the bias see every step's dz at once
    grads = {
        "W_xh": np.einsum("t...nd,t...nh->...dh", xs, dz_all),
        "W_hh": g_whh,
        "b": dz_all.sum(axis=(0, -2)),
        "w_out": np.einsum("...n,...nh->...h", dy, hs[-1]),
        "c": np.asarray(dy.sum(axis=-1)),
    }
    return (float(loss) if loss.ndim == 0 else loss), grads, dh_norms
