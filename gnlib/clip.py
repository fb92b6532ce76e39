"""Gradient clipping: by norm, by global norm, and by value.

Semantics follow PyTorch ``torch.nn.utils.clip_grad_norm_`` and Optax
``optax.clip_by_global_norm``, with these deliberate differences:

* **No epsilon.** PyTorch scales by ``max_norm / (total_norm + 1e-6)``, so a
  clipped gradient ends slightly *below* ``max_norm``. Here the factor is
  exactly ``max_norm / total_norm`` (as in Optax and TensorFlow), so the
  clipped norm equals ``max_norm`` up to rounding (for float32 gradients,
  up to the 1e-5 of their float32 sum; see below).
* **Scale only when needed.** PyTorch always multiplies by
  ``min(1, coef)``; here a gradient at or below the threshold is returned
  unchanged (a copy), bit for bit.
* **No silent zeroing.** PyTorch, Optax and TensorFlow square without
  scaling, so a float32 gradient with an entry above ~1.8e19 (float16: above
  ~256) gets total norm ``inf`` and is zeroed (PyTorch, Optax) or turned into
  NaN (TensorFlow). gnlib measures the norm with :func:`gnlib.norms.l2_norm`,
  which does not overflow, so such gradients are clipped correctly.
* **Non-finite gradients raise by default.** ``error_if_nonfinite=True``
  raises ``FloatingPointError`` naming the offending array. With ``False``
  the result is PyTorch's: an ``inf`` total norm gives factor 0 (finite
  entries become 0, infinite ones NaN) and a NaN total norm makes every entry
  NaN.
* **Functional by default.** Inputs are never modified in place; new arrays
  are returned with the input dtypes. PyTorch modifies ``.grad`` in place;
  here that is opt-in: ``clip_by_global_norm(grads, tau, out=grads)``.
* **float32 gradients are measured in float32 precision.** Their squares
  are summed in float32 blocks of 32,768 entries (one fast pass, relative
  error below 1e-5; PyTorch and Optax square in float32 too); float64 and
  float16 are summed in float64. A sum that overflows or underflows is
  measured again with :func:`gnlib.norms.l2_norm`, so the norm of finite
  input is never ``inf`` or 0 by accident.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validation import as_float_array, check_scalar
from .norms import global_norm, l2_norm, sums_of_squares

__all__ = ["clip_by_norm", "clip_by_global_norm", "clip_by_value", "clip_coefficient"]


def clip_coefficient(total_norm: float, max_norm: float) -> float:
    """The factor clipping multiplies by: ``min(1, max_norm / total_norm)``.

    Parameters
    ----------
    total_norm : float
        Norm of the gradient (>= 0, may be ``inf`` or NaN).
    max_norm : float
        The threshold tau (>= 0, finite).

    Returns
    -------
    float
        1.0 when ``total_norm <= max_norm`` (no clipping), ``max_norm /
        total_norm`` otherwise, 0.0 for an infinite norm, NaN for a NaN norm.

    Examples
    --------
    >>> clip_coefficient(5.0, 1.0)
    0.2
    >>> clip_coefficient(0.5, 1.0)
    1.0
    """
    if math.isnan(total_norm):
        return math.nan
    if total_norm <= max_norm:
        return 1.0
    return max_norm / total_norm  # 0.0 when total_norm is inf


def _first_nonfinite(arrays: Sequence[np.ndarray], names: Sequence[str]) -> str:
    for arr, name in zip(arrays, names):
        if np.isnan(arr).any():
            return f"{name} contains NaN"
        if np.isinf(arr).any():
            return f"{name} contains inf"
    return "the total norm overflowed"  # pragma: no cover - l2_norm does not overflow on finite input


def _scaled(g: np.ndarray, coef: Any, out: np.ndarray | None) -> np.ndarray:
    """``g * coef`` in ``g``'s dtype, written to ``out`` when given (call under errstate)."""
    if coef == 1.0:
        if out is None:
            return g.copy()
        if out is not g:
            np.copyto(out, g)
        return out
    if out is None:
        return (g * coef).astype(g.dtype, copy=False)
    return np.multiply(g, coef, out=out)


def _scale_all(arrays: Sequence[np.ndarray], coef: float, outs: Sequence[np.ndarray | None]) -> list[np.ndarray]:
    """Every array times ``coef`` (see :func:`_scaled`).

    ``coef`` is converted to each array's dtype once, as numpy would convert
    the Python float on every call (same values, less per-array overhead).
    """
    typed: dict[np.dtype, Any] = {}
    scaled = []
    with np.errstate(invalid="ignore"):  # inf * 0 -> NaN is the documented result
        for a, o in zip(arrays, outs):
            c = typed.get(a.dtype)
            if c is None:
                c = typed[a.dtype] = a.dtype.type(coef)
            scaled.append(_scaled(a, c, o))
    return scaled


def _as_gradients(grads: Any, names: Sequence[str] | None) -> list[np.ndarray]:
    if isinstance(grads, np.ndarray):
        raise TypeError(
            "grads must be a list of arrays, got a single numpy.ndarray; "
            "wrap it in a list or use clip_by_norm"
        )
    arrays = []
    for i, g in enumerate(grads):
        if type(g) is np.ndarray and g.dtype.kind == "f":  # the common case, checked cheaply
            arrays.append(g)
        else:
            arrays.append(as_float_array(g, names[i] if names is not None else f"grads[{i}]"))
    return arrays


def _check_out(out: Any, arrays: Sequence[np.ndarray], names: Sequence[str] | None) -> list[np.ndarray]:
    if isinstance(out, np.ndarray) or not isinstance(out, Sequence):
        raise TypeError(
            f"out must be a list of arrays, one per gradient, got {type(out).__name__}; "
            "use out=grads to clip in place"
        )
    if len(out) != len(arrays):
        raise ValueError(f"out must hold one array per gradient: {len(arrays)} expected, got {len(out)}")
    for i, (o, a) in enumerate(zip(out, arrays)):
        if o is a and o.flags.writeable:  # in place: nothing else to check
            continue
        name = names[i] if names is not None else f"grads[{i}]"
        if not isinstance(o, np.ndarray):
            raise TypeError(f"out[{i}] must be a numpy.ndarray, got {type(o).__name__}")
        if o.shape != a.shape or o.dtype != a.dtype:
            raise ValueError(
                f"out[{i}] must match {name}: shape {a.shape} and dtype {a.dtype} expected, "
                f"got shape {o.shape} and dtype {o.dtype}"
            )
        if not o.flags.writeable:
            raise ValueError(f"out[{i}] is read-only, so it cannot receive the clipped {name}")
    return list(out)


def _total_l2(arrays: Sequence[np.ndarray]) -> float:
    """The global 2-norm: one fast sum of squares per array, exact fallback."""
    if len(arrays) == 1 and arrays[0].dtype != np.float32:
        return l2_norm(arrays[0])  # the same sum, or math.hypot for tiny arrays
    sums, trusted_from = sums_of_squares(arrays)
    try:
        total_sq = math.fsum(sums)
    except OverflowError:
        total_sq = math.inf
    if trusted_from <= total_sq < math.inf:
        return math.sqrt(total_sq)
    return global_norm(arrays)  # overflow, underflow, NaN, inf or all zero: the safe path


def clip_by_norm(
    g: Any,
    max_norm: float,
    *,
    p: float = 2,
    error_if_nonfinite: bool = True,
) -> np.ndarray:
    """Rescale ``g`` so that its norm is at most ``max_norm``, keeping its direction.

    ``g * max_norm / ||g||`` when ``||g|| > max_norm``, ``g`` unchanged otherwise.

    Parameters
    ----------
    g : array_like
        A gradient of any shape.
    max_norm : float
        The threshold tau, finite and >= 0 (0 zeroes the gradient).
    p : float, default 2
        Order of the norm used to measure ``g`` (>= 1 or ``numpy.inf``).
    error_if_nonfinite : bool, default True
        Raise when ``g`` contains NaN or inf; with False, behave as PyTorch.

    Returns
    -------
    numpy.ndarray
        A new array with the dtype of ``g`` (integers become float64).

    Raises
    ------
    ValueError
        If ``max_norm`` is negative, NaN or infinite, or ``p < 1``.
    FloatingPointError
        If ``g`` has a NaN or infinite entry and ``error_if_nonfinite`` is True.
    TypeError
        If ``g`` is not real numeric data.

    Examples
    --------
    >>> clip_by_norm(np.array([3.0, 4.0]), 1.0)
    array([0.6, 0.8])
    >>> clip_by_norm(np.array([0.3, 0.4]), 1.0)
    array([0.3, 0.4])
    """
    clipped, _ = clip_by_global_norm(
        [g], max_norm, p=p, error_if_nonfinite=error_if_nonfinite, _names=["g"]
    )
    return clipped[0]


def clip_by_global_norm(
    grads: Sequence[Any],
    max_norm: float,
    *,
    p: float = 2,
    error_if_nonfinite: bool = True,
    out: Sequence[np.ndarray] | None = None,
    _names: Sequence[str] | None = None,
) -> tuple[list[np.ndarray], float]:
    """Clip several gradients together by their global (total) norm.

    All arrays are multiplied by the same factor ``min(1, max_norm /
    total_norm)``, where ``total_norm`` is the p-norm of all entries of all
    arrays, so the direction of the concatenated gradient is kept.

    Parameters
    ----------
    grads : sequence of array_like
        One gradient per parameter tensor. A single ``numpy.ndarray`` is
        refused: wrap it in a list (or use :func:`clip_by_norm`).
    max_norm : float
        The threshold tau, finite and >= 0.
    p : float, default 2
        Order of the norm (>= 1 or ``numpy.inf``).
    error_if_nonfinite : bool, default True
        Raise ``FloatingPointError`` naming the first array with a NaN or inf.
        With False, follow PyTorch (see the module notes).
    out : sequence of numpy.ndarray, optional
        Arrays to write the clipped gradients into, one per gradient, with
        its shape and (float) dtype. ``out=grads`` clips in place, as PyTorch
        does; an array that needs no clipping is then left untouched. By
        default new arrays are returned and ``grads`` is not modified.

    Returns
    -------
    clipped : list of numpy.ndarray
        The clipped gradients: new arrays with the shapes and dtypes of
        ``grads``, or the arrays of ``out``.
    total_norm : float
        The global norm measured **before** clipping (what PyTorch's
        ``clip_grad_norm_`` and ``tf.clip_by_global_norm`` return); 0.0 for an
        empty list. Relative error below 1e-5 when a gradient is float32
        (float32 accumulation), float64 precision otherwise.

    Raises
    ------
    ValueError
        If ``max_norm`` is negative, NaN or infinite, ``p < 1``, or an array
        of ``out`` has the wrong shape or dtype, or is read-only.
    FloatingPointError
        On a non-finite gradient when ``error_if_nonfinite`` is True (nothing
        is written to ``out`` then).
    TypeError
        If ``grads`` or ``out`` is a single array, or ``grads`` holds
        non-numeric data.

    Notes
    -----
    Differs from PyTorch by design: no ``+1e-6`` in the factor, arrays below
    the threshold are returned unchanged, the norm never overflows, non-finite
    gradients raise by default, and nothing is modified in place unless
    ``out`` says so.

    Examples
    --------
    >>> clipped, total = clip_by_global_norm([np.array([6.0]), np.array([8.0])], 5.0)
    >>> total
    10.0
    >>> [c.tolist() for c in clipped]
    [[3.0], [4.0]]

    In place, like ``torch.nn.utils.clip_grad_norm_``:

    >>> grads = [np.array([6.0]), np.array([8.0])]
    >>> _, total = clip_by_global_norm(grads, 5.0, out=grads)
    >>> [g.tolist() for g in grads]
    [[3.0], [4.0]]
    """
    max_norm = check_scalar(max_norm, "max_norm", low=0.0)
    if not isinstance(error_if_nonfinite, bool):
        raise TypeError(f"error_if_nonfinite must be True or False, got {error_if_nonfinite!r}")
    arrays = _as_gradients(grads, _names)
    outs = _check_out(out, arrays, _names) if out is not None else [None] * len(arrays)
    if p == 2:  # the common case, without global_norm's per-array overhead
        total = _total_l2(arrays) if arrays else 0.0
    else:
        total = global_norm(arrays, p)  # one safe norm per array, then the norm of the norms
    if not math.isfinite(total) and error_if_nonfinite:
        names = list(_names) if _names is not None else [f"grads[{i}]" for i in range(len(arrays))]
        raise FloatingPointError(
            f"cannot clip: {_first_nonfinite(arrays, names)}, so the total norm is "
            f"{total}. Fix the source of the non-finite gradient, or pass "
            "error_if_nonfinite=False to scale it anyway (PyTorch's behaviour)."
        )
    coef = clip_coefficient(total, max_norm)
    return _scale_all(arrays, coef, outs), total


def clip_by_value(g: Any, clip_value: float) -> np.ndarray:
    """Clip every entry of ``g`` into ``[-clip_value, clip_value]``.

    Element-wise, so unlike :func:`clip_by_norm` it **changes the direction**
    of the gradient when some, but not all, non-zero entries are clipped (an
    entry that is 0 stays 0 and never turns the vector). When every non-zero
    entry is clipped the result is ``clip_value * sign(g)``, which points
    along ``g`` only if those entries all have the same magnitude. Same as
    PyTorch ``clip_grad_value_`` (but not in place), ``tf.clip_by_value`` and
    ``optax.clip``. NaN entries stay NaN; ``inf`` becomes ``clip_value``.

    Parameters
    ----------
    g : array_like
        A gradient of any shape.
    clip_value : float
        Finite and >= 0.

    Returns
    -------
    numpy.ndarray
        A new array with the dtype of ``g``.

    Raises
    ------
    ValueError
        If ``clip_value`` is negative, NaN or infinite.
    TypeError
        If ``g`` is not real numeric data.

    Examples
    --------
    >>> clip_by_value(np.array([3.0, -0.5]), 1.0)
    array([ 1. , -0.5])
    """
    clip_value = check_scalar(clip_value, "clip_value", low=0.0)
    arr = as_float_array(g, "g")
    return np.clip(arr, -clip_value, clip_value).astype(arr.dtype, copy=False)
