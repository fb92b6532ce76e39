"""Vector norms that do not overflow or underflow.

The textbook Euclidean norm ``sqrt(sum(x**2))`` fails for half of the
floating-point range: squaring overflows once an entry passes about 1.3e154
(float64), 1.8e19 (float32) or 256 (float16), and the squares of entries below
about 1.5e-154 lose precision or vanish. ``numpy.linalg.norm`` computes exactly
that formula, so ``numpy.linalg.norm([3e200, 4e200])`` is ``inf`` and
``numpy.linalg.norm([3e-200, 4e-200])`` is ``0.0``.

``l2_norm`` takes the fast BLAS dot product when it is safe and otherwise
rescales the vector by a power of two (exact in binary floating point) before
squaring: the idea behind Blue's algorithm in the reference BLAS ``dnrm2``.

Conventions (shared with :func:`math.hypot`): an infinite entry makes the norm
``inf`` even when a NaN is present; otherwise a NaN makes it NaN. Every norm is
returned as a Python ``float`` (double precision), whatever the input dtype.
Arrays may be float16, float32, float64 or integer; ``numpy.longdouble`` is
refused with a ``TypeError`` naming the argument, here as everywhere in gnlib.

:func:`sums_of_squares` is the fast per-array pass behind the global norm of
:func:`gnlib.clip.clip_by_global_norm`. The angle between two gradients,
taken with the same care, is in :mod:`gnlib.angles`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ._sums import SAFE_LOW, SMALL, sum_of_squares
from ._sums import sums_of_squares as unchecked_sums_of_squares
from ._validation import as_array_list, as_float_array, check_scalar

__all__ = ["lp_norm", "l2_norm", "global_norm", "scaled_global_norm", "sums_of_squares"]

def _nonfinite_norm(a: np.ndarray) -> float | None:
    """``inf``/``nan`` by the hypot rule when ``a`` has a non-finite entry, else None."""
    if np.isinf(a).any():
        return math.inf
    if np.isnan(a).any():
        return math.nan
    return None


def l2_norm(x: Any) -> float:
    """Euclidean norm of all entries of ``x``, safe from overflow and underflow.

    Parameters
    ----------
    x : array_like
        Real numbers of any shape and float dtype (integers are converted).
        The norm is taken over all entries, as if ``x`` were flattened.

    Returns
    -------
    float
        ``sqrt(sum(x**2))`` computed in double precision without intermediate
        overflow or underflow; ``0.0`` for an empty array. Within 2 ulp of the
        correctly rounded value whenever that value is a normal double.

    Raises
    ------
    TypeError
        If ``x`` is not real-valued numeric data, or is ``numpy.longdouble``
        (extended precision): every gnlib function that takes arrays refuses
        it, since results are at most float64 and a longdouble beyond
        1.8e308 would silently become ``inf``.

    Notes
    -----
    float16 and float32 entries are squared and summed in float64, so a
    float16 gradient of 10,000 entries equal to 10 has norm 1000 (the naive
    float16 computation gives ``inf``). The fast path is one pass of BLAS dot
    products over rows of 256 entries, whose results are added exactly;
    only if the sum of squares is non-finite or tiny is the vector rescaled
    by ``2**-e`` (with ``2**e`` near its largest entry) and the pass
    repeated: power-of-two scaling changes no digit.

    The rows keep the bound (one dot over all entries, as in numpy, is 83 ulp
    off for 32,768 entries of 1/3; rows of 512 are 3 ulp off) at a price in
    time against ``numpy.linalg.norm``: about 1.4x at 1e6 entries when BLAS
    runs on one thread, 2-3x where BLAS splits numpy's one dot over two cores
    while the rows run on one. No single-threaded pass can do much better
    there: one dot over the array on one thread already takes about twice
    numpy's time, and waking a second Python thread costs about as much as it
    would save (``benchmarks/README.md`` measures all three). About 4.5x at
    1e3 entries, where numpy's per-call overhead dominates.

    Examples
    --------
    >>> l2_norm([3.0, 4.0])
    5.0
    >>> l2_norm([3e200, 4e200])   # numpy.linalg.norm gives inf; math.hypot agrees
    4.9999999999999995e+200
    >>> l2_norm([3e-200, 4e-200])  # numpy.linalg.norm gives 0.0
    5e-200
    """
    a = as_float_array(x, "x")
    if a.size == 0:
        return 0.0
    if a.size <= SMALL:  # math.hypot: correctly rounded, overflow-safe, no numpy overhead
        return math.hypot(*a.ravel().tolist())
    flat = a.reshape(-1)
    sq = sum_of_squares(flat)
    if SAFE_LOW <= sq < math.inf:
        return math.sqrt(sq)
    if sq == 0.0 and not flat.any():
        return 0.0
    special = _nonfinite_norm(flat) if not sq == sq or sq == math.inf else None
    if special is not None:
        return special
    # Overflow or underflow in the squares: rescale by an exact power of two.
    flat = flat.astype(np.float64, copy=False)
    largest = float(np.max(np.abs(flat)))
    _, exponent = math.frexp(largest)  # largest = m * 2**exponent, 0.5 <= m < 1
    scaled = np.ldexp(flat, -exponent)  # entries now in (-1, 1), no rounding for normal results
    scaled_sq = sum_of_squares(scaled)
    with np.errstate(over="ignore"):
        return float(np.ldexp(math.sqrt(scaled_sq), exponent))  # inf if the norm overflows


def lp_norm(x: Any, p: float = 2) -> float:
    """The p-norm ``(sum |x_i|**p)**(1/p)`` of all entries of ``x``.

    Parameters
    ----------
    x : array_like
        Real numbers of any shape (taken as one flattened vector).
    p : float, default 2
        Order of the norm, ``p >= 1`` or ``numpy.inf`` (the largest absolute
        entry). For ``0 < p < 1`` the formula breaks the triangle inequality, so
        it is not a norm and is refused.

    Returns
    -------
    float
        The norm; ``0.0`` for an empty array; ``inf`` when an entry is
        infinite or the norm of finite entries exceeds the float range
        (``lp_norm([1e308, 1e308], 1)``).

    Raises
    ------
    ValueError
        If ``p < 1`` or ``p`` is NaN ("not a norm").
    TypeError
        If ``x`` is not real numeric data or ``p`` is not a number.

    Notes
    -----
    For general ``p`` the entries are divided by the largest absolute entry
    ``m`` before raising to the power ``p`` and the result multiplied by ``m``,
    so the computation overflows only when the norm itself does.

    Examples
    --------
    >>> lp_norm([3.0, -4.0], p=1)
    7.0
    >>> lp_norm([3.0, -4.0], p=np.inf)
    4.0
    >>> lp_norm([3.0, -4.0])
    5.0
    """
    p = check_scalar(p, "p", allow_inf=True)
    if p < 1:
        raise ValueError(
            f"p must be >= 1 (or numpy.inf): for p={p:g} the formula breaks the "
            "triangle inequality, so it is not a norm"
        )
    if p == 2:
        return l2_norm(x)
    a = as_float_array(x, "x")
    if a.size == 0:
        return 0.0
    absx = np.abs(a.reshape(-1).astype(np.float64, copy=False))
    special = _nonfinite_norm(absx)
    if special is not None:
        return special
    if p == math.inf:
        return float(absx.max())
    if p == 1:
        if absx.size <= 1000:
            try:
                return math.fsum(absx.tolist())
            except OverflowError:  # finite entries whose sum exceeds the float range
                return math.inf
        with np.errstate(over="ignore"):
            return float(absx.sum())
    largest = float(absx.max())
    if largest == 0.0:
        return 0.0
    with np.errstate(under="ignore"):
        total = float(np.sum((absx / largest) ** p))
    return largest * total ** (1.0 / p)  # a Python float product: inf, not an error, on overflow


def global_norm(arrays: Iterable[Any], p: float = 2) -> float:
    """The p-norm of several arrays taken together, as if concatenated.

    This is the "total norm" that gradient clipping over many parameter
    tensors uses (PyTorch ``get_total_norm``, Optax ``global_norm``).

    Parameters
    ----------
    arrays : iterable of array_like
        The arrays, e.g. one gradient per parameter tensor. Shapes may differ.
        A single ``numpy.ndarray`` is refused: wrap it in a list.
    p : float, default 2
        Order of the norm, ``p >= 1`` or ``numpy.inf``.

    Returns
    -------
    float
        ``lp_norm(concatenate([a.ravel() for a in arrays]), p)``, computed as the
        norm of the per-array norms (no copy, no overflow); ``0.0`` for an empty
        list.

    Raises
    ------
    TypeError
        If ``arrays`` is not a list of arrays (None, a single array, a dict),
        or an element is not real numeric data.
    ValueError
        If ``p < 1``.

    Examples
    --------
    >>> global_norm([np.array([3.0]), np.array([[4.0]])])
    5.0
    >>> global_norm([])
    0.0
    """
    p = check_scalar(p, "p", allow_inf=True)
    if p < 1:
        raise ValueError(f"p must be >= 1 (or numpy.inf), got {p:g}: not a norm")
    arrays = as_array_list(arrays, "arrays", hint="wrap it in a list: global_norm([g])")
    norms = [lp_norm(as_float_array(a, f"arrays[{i}]"), p) for i, a in enumerate(arrays)]
    if not norms:
        return 0.0
    return lp_norm(np.array(norms), p)


def sums_of_squares(arrays: Iterable[Any]) -> tuple[list[float], float, float]:
    """The fast sum of squares of every array, with a threshold and an error bound; arguments checked.

    :func:`gnlib._sums.sums_of_squares` (see it for the results), after the
    checks of :func:`global_norm`: ``arrays`` must be a list of real arrays
    (lists are converted, ``numpy.longdouble`` is refused).

    Examples
    --------
    >>> sums_of_squares([[3.0, 4.0], np.ones(2, dtype=np.float32)])[0]
    [25.0, 2.0]
    """
    arrays = as_array_list(arrays, "arrays", hint="wrap it in a list: sums_of_squares([g])")
    return unchecked_sums_of_squares([as_float_array(a, f"arrays[{i}]") for i, a in enumerate(arrays)])


def scaled_global_norm(arrays: Iterable[Any], p: float = 2) -> tuple[float, int]:
    """The global p-norm as ``(mantissa, exponent)``, finite even where the norm overflows.

    ``global_norm(arrays, p) == mantissa * 2.0**exponent`` up to rounding,
    but ``mantissa`` stays finite for finite input whose norm exceeds the
    float range, so that clipping can still divide by it.

    Parameters
    ----------
    arrays : iterable of array_like
        As for :func:`global_norm`.
    p : float, default 2
        Order of the norm, ``p >= 1`` or ``numpy.inf``.

    Returns
    -------
    mantissa : float
        The norm of the arrays divided by ``2**exponent`` (then at most
        ``n**(1/p)`` for ``n`` entries); ``inf``/NaN when an entry is.
    exponent : int
        0 when the norm is representable (or an entry is not finite);
        otherwise the binary exponent of the largest absolute entry.

    Raises
    ------
    TypeError, ValueError
        As :func:`global_norm`.

    Examples
    --------
    >>> scaled_global_norm([np.array([1.5e308, 1.5e308])])  # the norm, 2.1e308, overflows
    (1.1800236104935191, 1024)
    >>> scaled_global_norm([[3.0, 4.0]])  # a representable norm comes back as it is
    (5.0, 0)
    """
    arrays = as_array_list(arrays, "arrays", hint="wrap it in a list: scaled_global_norm([g])")  # read once
    total = global_norm(arrays, p)  # checks p and every array; inf and NaN by the hypot rule
    checked = [as_float_array(a, f"arrays[{i}]") for i, a in enumerate(arrays)]
    if math.isfinite(total) or any(not np.isfinite(a).all() for a in checked):
        return total, 0
    largest = max((float(np.max(np.abs(a))) for a in checked if a.size), default=0.0)
    if largest == 0.0:
        return 0.0, 0
    _, exponent = math.frexp(largest)
    with np.errstate(under="ignore"):  # entries far below the largest may flush to zero: they add < 1 ulp
        scaled = [np.ldexp(a.astype(np.float64), -exponent) for a in checked]
    return global_norm(scaled, p), exponent
