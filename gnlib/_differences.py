"""The finite-difference loop behind :mod:`gnlib.gradcheck`, with its checks.

Private helpers: the callbacks' values are checked and named (``f``,
``grad_f(x)``), the point and the step are checked before ``f`` is called
(``x ± h`` must not overflow), and a difference of ``f`` values or a step
``2h`` beyond the float range is halved rather than turned into inf or NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._validation import as_float_array, as_real_scalar, check_callable, check_scalar

__all__ = ["call_scalar", "call_gradient", "difference_quotient", "checked_point", "difference_gradient"]


def call_scalar(f: Callable[[np.ndarray], Any], x: np.ndarray) -> float:
    """``f`` at a fresh copy of ``x``, so that an ``f`` that changes its argument changes nothing here."""
    value = f(x.copy())
    try:
        return as_real_scalar(value, "the value of f")
    except ValueError:
        raise ValueError(
            f"f must return a scalar, got an array of shape {np.shape(value)}; "
            "for a vector-valued function check one output at a time"
        ) from None


def call_gradient(grad_f: Callable[[np.ndarray], Any], x: np.ndarray) -> np.ndarray:
    """``grad_f`` at a fresh copy of ``x``, checked: a real float64 array shaped like ``x``."""
    grad = as_float_array(grad_f(x.copy()), "grad_f(x)")
    if grad.shape != x.shape:
        raise ValueError(f"grad_f(x) must have the shape of x, {x.shape}, got {grad.shape}")
    return grad.astype(np.float64, copy=False)


def difference_quotient(f_high: float, f_low: float, h: float, central: bool) -> float:
    """``(f_high - f_low) / (2h or h)``; halved first where the difference or ``2h`` overflows."""
    step = 2.0 * h if central else h
    diff = f_high - f_low
    if (math.isfinite(diff) and math.isfinite(step)) or not (math.isfinite(f_high) and math.isfinite(f_low)):
        return diff / step  # the usual formula, bit for bit; f's own inf or NaN propagates
    half_diff = f_high / 2.0 - f_low / 2.0  # finite: |f| / 2 cannot overflow
    return half_diff / h if central else 2.0 * (half_diff / h)


def checked_point(x: Any, h: float, central: bool) -> np.ndarray:
    """``x`` as a float64 copy, refusing non-finite entries and an ``h`` that overflows ``x ± h``."""
    x = as_float_array(x, "x").astype(np.float64, copy=True)
    if not np.isfinite(x).all():
        raise ValueError("x must be finite: a gradient at an inf or NaN point is undefined")
    with np.errstate(over="ignore"):
        beyond = ~np.isfinite(x + h) | (~np.isfinite(x - h) if central else False)
    if beyond.any():
        where = [int(i) for i in np.unravel_index(np.argmax(beyond), x.shape)] if x.ndim else ""
        raise ValueError(
            f"h = {h:g} is too large: x{where} ± h overflows the float range; "
            "take a step much smaller than x"
        )
    return x


def difference_gradient(
    f: Callable[[np.ndarray], Any], x: Any, h: float, central: bool
) -> np.ndarray:
    """Central (``central=True``) or forward differences of ``f`` at ``x``, one coordinate at a time.

    ``f``, ``h`` and ``x`` are checked before ``f`` is first called; see
    :func:`gnlib.gradcheck.numerical_gradient` for the errors.
    """
    check_callable(f, "f")
    h = check_scalar(h, "h", low=0.0, low_inclusive=False)
    x = checked_point(x, h, central)
    grad = np.zeros_like(x)
    base = None if central else call_scalar(f, x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + h
        f_plus = call_scalar(f, x)
        f_low = base
        if central:
            flat_x[i] = old - h
            f_low = call_scalar(f, x)
        flat_g[i] = difference_quotient(f_plus, f_low, h, central)
        flat_x[i] = old
    return grad
