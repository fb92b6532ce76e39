"""What the test functions of :mod:`gnlib.functions` do with their points (private helpers).

:func:`points` checks a point or a batch of points; :func:`quiet` evaluates
without numpy's overflow warnings, since a value beyond the float range is
``inf`` honestly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from ._validation import as_float_array

__all__ = ["points", "quiet"]


def quiet(function: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """``function`` with numpy's floating-point warnings off: overflow to inf is the honest result."""
    @functools.wraps(function)
    def quietly(x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # invalid: inf or NaN points only
            return function(x)
    return quietly


def points(x: np.ndarray, dim: int) -> np.ndarray:
    """``x`` as float64 of shape ``(..., dim)``, or a ``TypeError``/``ValueError`` naming ``x``."""
    arr = as_float_array(x, "x").astype(np.float64, copy=False)
    if arr.ndim == 0 or arr.shape[-1] != dim:
        raise ValueError(f"x must have shape (..., {dim}), got {arr.shape}")
    return arr
