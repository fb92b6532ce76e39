"""Numerical helpers shared by the model modules: an accurate sigmoid, row norms and a dtype check.

The logistic function ``sigmoid(x) = 1 / (1 + exp(-x))`` is computed from
``e = exp(-|x|)``, which never overflows: ``1 / (1 + e)`` for ``x >= 0`` and
``e / (1 + e)`` for ``x < 0``. Both forms are accurate to a few ulp over the
whole float range, including the far negative tail, where the textbook
``(1 + tanh(x / 2)) / 2`` cancels (it gives 0 at ``x = -40`` instead of
4.25e-18, and is off by 1e-8 relative at ``x = -20``).

The upper bounds on counts (refused with a ``ValueError`` naming the
argument, so that ``10**400`` neither hangs a loop nor reaches numpy):

- :data:`MAX_STEPS` (10**6) -- steps, iterations and updates: the optimizers'
  bound (:data:`gnlib.optim.descent.MAX_STEPS`), one for the whole library; a
  million steps of the smallest model here take minutes, the lessons use at
  most thousands.
- :data:`MAX_SAMPLES` (10**7) -- points, batch sizes, sequence lengths and grid
  sizes: ten million 2-D float64 points are 160 MB.
- :data:`MAX_WIDTH` (4096) -- hidden sizes, layer widths, depths, input sizes and
  model counts: one 4096 x 4096 float64 weight matrix is 128 MB.
- :data:`MAX_NUMBERS` (10**8) -- counts that are fine alone but multiply into
  one array (a batch of sequences times the hidden size, all weights of a
  network): 10**8 float64 numbers are 800 MB. :func:`check_total` applies it.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .._validation import as_float_array
from ..optim.descent import MAX_STEPS

__all__ = ["MAX_STEPS", "MAX_SAMPLES", "MAX_WIDTH", "MAX_NUMBERS", "check_total", "sigmoid", "sigmoid_float", "sigmoid_pair", "sigmoid_pair_float", "float_dtype", "row_norms"]

MAX_SAMPLES = 10**7
MAX_WIDTH = 4096
MAX_NUMBERS = 10**8


def check_total(total: int, names: str, what: str) -> None:
    """``ValueError`` naming ``names`` if ``total`` (the size of ``what``) exceeds :data:`MAX_NUMBERS`.

    Examples
    --------
    >>> check_total(10**6, "n and d", "the points")
    """
    if total > MAX_NUMBERS:
        raise ValueError(f"{names} are too large together: {what} would hold {total:.3g} numbers, "
                         f"over {MAX_NUMBERS:.0e} ({MAX_NUMBERS * 8 // 10**6} MB in float64)")


def sigmoid(x: Any, name: str = "x") -> np.ndarray:
    """The logistic function, elementwise, accurate to a few ulp and without overflow.

    Integer input becomes float64; float16/32/64 input keeps its dtype.

    Raises
    ------
    TypeError
        If ``x`` (reported as ``name``) is not real-valued numbers (strings, None, complex).

    Examples
    --------
    >>> float(sigmoid(0.0)), float(sigmoid(-1000.0)), float(sigmoid(1000.0))
    (0.5, 0.0, 1.0)
    >>> print(f"{float(sigmoid(-40.0)):.6g}")
    4.24835e-18
    """
    x = as_float_array(x, name)
    with np.errstate(under="ignore", over="ignore"):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0, e) / (1.0 + e)


def sigmoid_float(x: float) -> float:
    """:func:`sigmoid` of one Python float, in plain Python arithmetic (no array overhead)."""
    e = math.exp(-abs(x))
    return (1.0 if x >= 0.0 else e) / (1.0 + e)


def sigmoid_pair(x: Any, name: str = "x") -> tuple[np.ndarray, np.ndarray]:
    """``(sigmoid(x), 1 - sigmoid(x))``, both accurate: ``1 - sigmoid(x)`` is ``sigmoid(-x)``, not a difference.

    The slope ``sigmoid'(x) = s (1 - s)`` needs both factors; ``1 - s`` formed
    by subtraction loses every digit once ``s`` rounds to 1 (``x > 37``).
    """
    x = as_float_array(x, name)
    with np.errstate(under="ignore", over="ignore"):
        e = np.exp(-np.abs(x))
        positive = x >= 0
        return np.where(positive, 1.0, e) / (1.0 + e), np.where(positive, e, 1.0) / (1.0 + e)


def sigmoid_pair_float(x: float) -> tuple[float, float]:
    """:func:`sigmoid_pair` of one Python float."""
    e = math.exp(-abs(x))
    return (1.0 / (1.0 + e), e / (1.0 + e)) if x >= 0.0 else (e / (1.0 + e), 1.0 / (1.0 + e))


def float_dtype(dtype: Any, name: str = "dtype") -> np.dtype:
    """``dtype`` as a numpy floating-point dtype, or ``TypeError`` naming ``name``.

    Integer, boolean and complex dtypes are refused: values in ``[0, 1)`` or
    random weights would be truncated to 0 (or lose their imaginary part) silently.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)  # numpy's deprecated aliases such as "a"
            resolved = np.dtype(dtype)
    except (TypeError, DeprecationWarning) as exc:
        raise TypeError(f"{name} must be a numpy floating-point dtype, got {dtype!r} ({exc})") from None
    if resolved.kind != "f":
        raise TypeError(f"{name} must be a floating-point dtype such as float32 or float64, got {resolved}")
    return resolved


def row_norms(a: np.ndarray) -> np.ndarray:
    """The Euclidean norm of each row of a 2-D float array, without overflow or underflow.

    Each row is scaled by a power of two near its largest entry before squaring,
    which is exact: for rows of ordinary size the result equals
    ``sqrt(sum(a * a, axis=1))`` bit for bit, and a finite row never gets ``inf``
    unless its norm itself exceeds the float range.
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        big = np.max(np.abs(a), axis=1, keepdims=True) if a.shape[1] else np.zeros((a.shape[0], 1), a.dtype)
        exponent = np.frexp(np.where((big > 0) & np.isfinite(big), big, 1.0))[1]
        norms = np.ldexp(np.sqrt(np.sum(np.ldexp(a, -exponent) ** 2, axis=1)), exponent[:, 0])
        return np.where(np.isinf(big[:, 0]), np.inf, norms).astype(a.dtype, copy=False)
