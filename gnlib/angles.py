"""The angle between two gradients, at any magnitude.

Lesson 03 measures how far clipping turns a gradient: clipping by norm keeps
its direction (angle 0), clipping by value does not. Each vector is first
scaled by a power of two, which is exact, so vectors whose norm overflows
(``[1.7e308, 1.7e308]``) or whose entries are subnormal (``[5e-324, 5e-324]``)
still give the right angle; the formula ``2 atan2(|u - v|, |u + v|)`` of the
unit vectors stays accurate near 0 and 180 degrees, where ``acos`` of a dot
product loses half its digits.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._validation import as_float_array
from .norms import l2_norm

__all__ = ["angle_between"]


def _direction(a: np.ndarray) -> np.ndarray | None:
    """``a / ||a||`` for finite float64 ``a``, None for a zero vector.

    ``a`` is first scaled by a power of two that brings its largest entry
    into [0.5, 1): exact, so the norm cannot overflow (``[1.7e308, 1.7e308]``)
    and subnormal entries (``[5e-324, 5e-324]``) keep every digit.
    """
    largest = float(np.max(np.abs(a))) if a.size else 0.0
    if largest == 0.0:
        return None
    with np.errstate(under="ignore"):  # entries 2**-1074 below the largest add nothing to the direction
        scaled = np.ldexp(a, -math.frexp(largest)[1])
    return scaled / l2_norm(scaled)


def angle_between(u: Any, v: Any) -> float:
    """Angle in degrees between two arrays read as flat vectors (0 if either is zero).

    Lesson 03 uses it to show that clipping by norm keeps a gradient's
    direction and clipping by value turns it.

    Parameters
    ----------
    u, v : array_like
        Two arrays with the same number of finite entries, of any magnitude
        (huge, whose norm overflows, or subnormal).

    Returns
    -------
    float
        The angle in ``[0, 180]``, accurate for tiny and near-180 angles.

    Raises
    ------
    ValueError
        If ``u`` and ``v`` have different numbers of entries, or one has an
        infinite or NaN entry (its direction is then undefined).
    TypeError
        If ``u`` or ``v`` is not real numeric data.

    Examples
    --------
    >>> round(angle_between([1.0, 0.0], [1.0, 1.0]), 6)
    45.0
    >>> angle_between([1.7e308, 1.7e308], [1.7e308, -1.7e308])  # norms beyond the float range
    90.0
    """
    u = as_float_array(u, "u").ravel().astype(np.float64)
    v = as_float_array(v, "v").ravel().astype(np.float64)
    if u.shape != v.shape:
        raise ValueError(f"u and v must have the same number of entries, got {u.size} and {v.size}")
    for name, a in (("u", u), ("v", v)):
        if not np.isfinite(a).all():
            raise ValueError(f"{name} has an infinite or NaN entry, so its direction and the angle are undefined")
    u, v = _direction(u), _direction(v)
    if u is None or v is None:
        return 0.0
    # 2 atan2(|u - v|, |u + v|) stays accurate for tiny and near-180 angles
    return math.degrees(2.0 * math.atan2(l2_norm(u - v), l2_norm(u + v)))
