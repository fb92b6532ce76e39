"""Gradient clipping: by norm, by global norm, and by value.

Semantics follow PyTorch ``torch.nn.utils.clip_grad_norm_`` and Optax
``optax.clip_by_global_norm``, with these deliberate differences:

* **No epsilon.** PyTorch scales by ``max_norm / (total_norm + 1e-6)``, so a
  clipped gradient ends slightly *below* ``max_norm``. Here the factor is
  ``max_norm / total_norm`` (as in Optax and TensorFlow), so the clipped norm
  equals ``max_norm`` up to rounding: it is at most ``max_norm * (1 + 2u)``,
  with ``u`` the unit roundoff of the gradient's dtype (2**-11, 2**-24, 2**-53
  for float16, float32, float64), wherever the clipped entries are normal
  numbers of that dtype, and no entry that is non-zero there becomes zero.
  The factor is never rounded to a dtype that cannot hold it: float16 is
  scaled in float32, and a factor below a dtype's normal range (float32
  ``[1e30, 1e30]`` clipped to 1e-20) is applied in float64 by an exact power
  of two.
* **Scale only when needed.** PyTorch always multiplies by
  ``min(1, coef)``; here a gradient at or below the threshold is returned
  unchanged (a copy), bit for bit.
* **No silent zeroing.** PyTorch, Optax and TensorFlow square without
  scaling, so a float32 gradient with an entry above ~1.8e19 gets total norm
  ``inf`` and is zeroed (PyTorch, Optax) or turned into NaN (TensorFlow).
  PyTorch 2.13 accumulates float16 squares in float32 but returns the norm in
  float16, so it zeroes a float16 gradient whose norm exceeds 65504 (float16
  ``[60000, 60000]``). gnlib measures the norm with :func:`gnlib.norms.l2_norm`,
  which does not overflow, so such gradients are clipped correctly; even
  finite float64 gradients whose norm exceeds the float range
  (``[1.7e308, 1.7e308]``) are clipped correctly, by scaling them first (the
  reported total norm is then ``inf``: it is not representable).
* **Non-finite gradients raise by default.** ``error_if_nonfinite=True``
  raises ``FloatingPointError`` naming the offending array. With ``False``
  the result is PyTorch's: an ``inf`` total norm gives factor 0 (finite
  entries become 0, infinite ones NaN) and a NaN total norm makes every entry
  NaN.
* **Functional by default.** Inputs are never modified in place; new arrays
  are returned with the input dtypes. PyTorch modifies ``.grad`` in place;
  here that is opt-in: ``clip_by_global_norm(grads, tau, out=grads)``. Outputs
  that share memory with other inputs (``out=[b, a]`` for ``[a, b]``) get the
  right result; two outputs that share memory but should receive different
  results are refused before anything is written.
* **Large float32 gradients are measured in float32 precision.** float32
  arrays of more than 65,536 entries are squared and summed in float32 rows of
  128 entries whose sums are added in float64 (one fast pass; PyTorch and
  Optax square in float32 too): the total norm is then within a relative
  7.6e-6 of the exact one, and the factor is taken for the largest norm that
  bound allows, so a clipped norm lies between ``max_norm * (1 - 1.6e-5)``
  and ``max_norm``, and a gradient whose norm is within 7.6e-6 below
  ``max_norm`` may be scaled by such a factor too. Everything else (float64,
  float16, small float32 arrays) is summed in float64. A sum that overflows or
  underflows is measured again with :func:`gnlib.norms.l2_norm`, so the norm
  of finite input is never ``inf`` or 0 by accident.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validation import FLOAT_CHARS, as_array_list, as_float_array, check_scalar
from ._outputs import check_out, must_buffer
from ._scaling import clip_factor, scale_exactly
from ._sums import sums_of_squares  # unchecked: the gradients are checked here first
from .norms import global_norm, l2_norm, scaled_global_norm

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


def _first_nonfinite(arrays: Sequence[np.ndarray], names: Sequence[str]) -> str | None:
    for arr, name in zip(arrays, names):
        if np.isnan(arr).any():
            return f"{name} contains NaN"
        if np.isinf(arr).any():
            return f"{name} contains inf"
    return None


def _as_gradients(grads: Any, names: Sequence[str] | None) -> list[np.ndarray]:
    grads = as_array_list(grads, "grads", hint="wrap it in a list or use clip_by_norm")
    return [g if type(g) is np.ndarray and g.dtype.char in FLOAT_CHARS  # the common case, checked cheaply
            else as_float_array(g, names[i] if names is not None else f"grads[{i}]") for i, g in enumerate(grads)]


def _total_l2(arrays: Sequence[np.ndarray]) -> tuple[float, float]:
    """The global 2-norm and a bound on the relative error of its square.

    One fast sum of squares per array; the exact path on overflow, underflow,
    NaN, inf or all zeros.
    """
    if len(arrays) == 1 and arrays[0].dtype != np.float32:
        return l2_norm(arrays[0]), 0.0  # the same sum, or math.hypot for tiny arrays
    sums, trusted_from, rel_error = sums_of_squares(arrays)
    try:
        total_sq = math.fsum(sums)
    except OverflowError:
        total_sq = math.inf
    if trusted_from <= total_sq < math.inf:
        return math.sqrt(total_sq), rel_error
    return global_norm(arrays), 0.0


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
        If ``g`` is not real numeric data, or is ``numpy.longdouble`` (see
        :func:`gnlib.norms.l2_norm`).

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
        does; an array that needs no clipping is then left untouched. An
        output may share memory with another gradient (``out=[b, a]`` for
        ``[a, b]``): every result is then computed before the first write.
        By default new arrays are returned and ``grads`` is not modified.

    Returns
    -------
    clipped : list of numpy.ndarray
        The clipped gradients: new arrays with the shapes and dtypes of
        ``grads``, or the arrays of ``out``.
    total_norm : float
        The global norm measured **before** clipping (what PyTorch's
        ``clip_grad_norm_`` and ``tf.clip_by_global_norm`` return); 0.0 for an
        empty list; ``inf`` when the norm of finite gradients exceeds the
        float range (they are still clipped correctly). Relative error at
        most 7.6e-6 when a float32 gradient has more than 65,536 entries
        (float32 accumulation), float64 precision otherwise.

    Raises
    ------
    ValueError
        If ``max_norm`` is negative, NaN or infinite, ``p < 1``, or an array
        of ``out`` has the wrong shape or dtype, is read-only, or shares
        memory with another output that would receive a different result
        (nothing is written then).
    FloatingPointError
        On a non-finite gradient when ``error_if_nonfinite`` is True (nothing
        is written to ``out`` then).
    TypeError
        If ``grads`` is not a list of arrays (None, a single array, a dict),
        ``out`` is a single array, or ``grads`` holds non-numeric or
        extended-precision (``numpy.longdouble``) data.

    Notes
    -----
    Differs from PyTorch by design: no ``+1e-6`` in the factor, arrays below
    the threshold are returned unchanged, the norm never overflows, non-finite
    gradients raise by default, nothing is modified in place unless ``out``
    says so, and an array listed twice is scaled once (PyTorch scales a
    parameter listed twice twice).

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
    names = list(_names) if _names is not None else [f"grads[{i}]" for i in range(len(arrays))]
    outs = check_out(out, arrays, names) if out is not None else None
    buffered = outs is not None and must_buffer(arrays, outs)  # may raise: before any write
    if p == 2:  # the common case, without global_norm's per-array overhead
        total, rel_error = _total_l2(arrays) if arrays else (0.0, 0.0)
    else:
        total, rel_error = global_norm(arrays, p), 0.0  # the norm of the per-array norms
    mantissa, exponent = total, 0
    if not math.isfinite(total):
        problem = _first_nonfinite(arrays, names)
        if problem is None:  # finite gradients whose norm exceeds the float range
            mantissa, exponent = scaled_global_norm(arrays, p)
        elif error_if_nonfinite:
            raise FloatingPointError(
                f"cannot clip: {problem}, so the total norm is {total}. Fix the source of "
                "the non-finite gradient, or pass error_if_nonfinite=False to scale it "
                "anyway (PyTorch's behaviour)."
            )
    factor = clip_factor(max_norm, mantissa, exponent, rel_error)
    with np.errstate(invalid="ignore", under="ignore"):  # inf * 0 -> NaN is the documented result
        if outs is None or buffered:
            clipped = [scale_exactly(a, factor, None) for a in arrays]
            if outs is None:
                return clipped, total
            for o, c in zip(outs, clipped):  # every result is computed before the first write
                np.copyto(o, c)
            return outs, total
        return [scale_exactly(a, factor, o) for a, o in zip(arrays, outs)], total


def clip_by_value(g: Any, clip_value: float) -> np.ndarray:
    """Clip every entry of ``g`` into ``[-clip_value, clip_value]``.

    Element-wise, so unlike :func:`clip_by_norm` it **changes the direction**
    of the gradient when some, but not all, non-zero entries are clipped (an
    entry that is 0 stays 0 and never turns the vector). When every non-zero
    entry is clipped the result is ``clip_value * sign(g)``, which points
    along ``g`` only if those entries all have the same magnitude. Same as
    PyTorch ``clip_grad_value_`` (but not in place), ``tf.clip_by_value`` and
    ``optax.clip``. NaN entries stay NaN; ``inf`` becomes ``clip_value``. A
    ``clip_value`` beyond the range of ``g``'s dtype (1e300 for float16)
    clips at the dtype's largest finite value, so ``inf`` becomes that value
    (PyTorch 2.13 raises ``RuntimeError`` there).

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
    bound = min(clip_value, float(np.finfo(arr.dtype).max))  # never rounded to inf in g's dtype
    return np.clip(arr, -bound, bound).astype(arr.dtype, copy=False)
