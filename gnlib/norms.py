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

:func:`sums_of_squares` is the fast per-array pass behind the global norm of
:func:`gnlib.clip.clip_by_global_norm`; :func:`angle_between` measures the
angle between two gradients with the same care.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ._validation import as_float_array, check_scalar

__all__ = ["lp_norm", "l2_norm", "global_norm", "scaled_global_norm", "sums_of_squares", "angle_between"]

# dot(x, x) is trusted when it lands in [_SAFE_LOW, inf): above _SAFE_LOW, squares
# that went subnormal can only have lost absolute amounts near 2**-1074 each,
# far below one ulp of the sum for any array that fits in memory.
_SAFE_LOW = 2.0**-900
# The accurate sum of squares takes one dot product per row of _ROW entries
# (numpy's vecdot over a reshaped view), adds the row results pairwise in
# groups of _GROUP (numpy's sum) and adds the group results and the sum of
# the last partial row exactly (math.fsum). Every floating-point sum then has
# at most a few dozen terms, so its rounding errors cannot pile up: a single
# dot product over 32,768 equal entries is 83 ulp off, this is within 1 ulp.
_ROW = 256
_GROUP = 32
# Up to _SHORT entries, one np.vdot call per row costs less than setting up vecdot.
_SHORT = 1024
# float16/float32 input is converted to float64 in chunks of _BLOCK entries
# (256 KiB of float64, cache-sized) instead of as one whole copy.
_BLOCK = 2**15
# Short vectors (optimizer states in 2-D, per-tensor norms of tiny arrays) go
# through math.hypot, which is exact and cheaper than any numpy call there.
_SMALL = 32


def _short_partial_sums(f64: np.ndarray) -> list[float]:
    """:func:`_partial_sums_of_squares` for at most ``_SHORT`` entries: BLAS dot products only.

    np.vdot (BLAS ddot) skips numpy's floating-point checks, so no
    ``errstate`` is needed; the squares of the last ``size % 16`` entries are
    added exactly, since BLAS adds a length that is not a multiple of its
    vector width one by one (12 ulp off for 255 equal entries).
    """
    whole = f64.size - f64.size % 16
    parts = []
    for start in range(0, whole, _ROW):
        row = f64[start : min(start + _ROW, whole)]
        parts.append(float(np.vdot(row, row)))
    if whole < f64.size:
        parts += [v * v for v in f64[whole:].tolist()]  # Python floats: inf on overflow, no warning
    return parts


def _partial_sums_of_squares(f64: np.ndarray) -> list[float]:
    """Floats whose exact sum is ``sum(f64**2)`` up to a few ulp (1-D float64, contiguous).

    One dot product per row of ``_ROW`` entries, row results added in groups
    of ``_GROUP``; the leftover entries as in :func:`_short_partial_sums`.
    Overflow gives ``inf``; above ``_SHORT`` entries call under ``errstate``.
    """
    if f64.size <= _SHORT:
        return _short_partial_sums(f64)
    n_rows = f64.size // _ROW
    head = f64[: n_rows * _ROW].reshape(n_rows, _ROW)
    rows = np.vecdot(head, head)  # numpy checks floating-point flags here: callers hold errstate
    n_groups = n_rows // _GROUP
    parts = rows[: n_groups * _GROUP].reshape(n_groups, _GROUP).sum(axis=1).tolist() if n_groups else []
    parts += rows[n_groups * _GROUP :].tolist()
    return parts + _short_partial_sums(f64[n_rows * _ROW :])


def _quiet_partial_sums(flat: np.ndarray) -> list[float]:
    """:func:`_partial_sums_of_squares` of any 1-D float array (call under ``errstate``).

    float16 and float32 are converted to float64 one chunk of ``_BLOCK``
    entries at a time.
    """
    if flat.dtype == np.float64:
        return _partial_sums_of_squares(np.ascontiguousarray(flat))
    parts = []
    for start in range(0, flat.size, _BLOCK):
        parts += _partial_sums_of_squares(flat[start : start + _BLOCK].astype(np.float64))
    return parts


def _sum_of_squares(flat: np.ndarray) -> float:
    """sum(flat**2) in float64 for a 1-D float array, accurately and without warnings.

    float64 is summed as it is; float16 and float32 are converted to float64
    one chunk of ``_BLOCK`` entries at a time. Overflow gives ``inf`` and NaN
    propagates (the caller handles both).
    """
    if flat.dtype == np.float64 and flat.size <= _SHORT:
        parts = _short_partial_sums(np.ascontiguousarray(flat))  # BLAS only: no errstate needed
    else:
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            parts = _quiet_partial_sums(flat)
    return _exact_total(parts)


# Clipping float32 gradients squares and sums them in float32, one dot product
# per row of _ROW32 entries, and adds the row results in float64: the speed of
# one float32 pass (float64 accumulation of float32 data costs three to four
# passes). A sum of at most _ROW32 rounded float32 squares, in any order, is
# within a relative _ERROR32 of the exact sum (Higham's gamma_n bound for sums
# of positive terms, n = 2 * _ROW32 roundings), so this sum is too.
# Arrays of at most _EXACT32 entries are cheap to convert, _CHUNK32 entries at a
# time: they are summed in float64 (error far below float32 rounding, bound 0).
_ROW32 = 128
_EXACT32 = 2**16
_CHUNK32 = 2**13
_ERROR32 = 2 * _ROW32 * 2.0**-24 / (1 - 2 * _ROW32 * 2.0**-24)
# A float32 sum of squares is trusted from here up: each square that went
# subnormal or flushed to zero loses at most 2**-149, so even 2**30 entries
# lose at most 2**-119, far below float32 precision of a sum this large.
_SAFE_LOW32 = 2.0**-90


def _fast_sum_of_squares(flat: np.ndarray) -> tuple[float, float, float]:
    """``sum(flat**2)`` for a 1-D float array, the smallest sum it can trust, and its error bound.

    float64 and float16 are summed in float64 as in :func:`l2_norm`, and so
    are float32 arrays of at most ``_EXACT32`` entries (bound 0: a few ulp of
    float64). float32 arrays of more than ``_EXACT32`` entries are
    squared and summed in float32 over rows of ``_ROW32`` entries whose sums
    are added in float64: relative error at most ``_ERROR32`` (1.5e-5, so
    7.6e-6 in the norm), in one pass and without a float64 copy. Overflow
    gives ``inf`` and NaN propagates, without warnings; the caller falls back to :func:`l2_norm`
    when the sum is not finite or lies below the returned threshold.
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return _quiet_fast_sum(flat)


def _exact_total(parts: list[float]) -> float:
    try:
        return math.fsum(parts)  # inf and nan propagate as in a plain sum
    except OverflowError:  # finite parts whose exact sum exceeds the float range
        return math.inf


def _quiet_fast_sum(flat: np.ndarray) -> tuple[float, float, float]:
    """:func:`_fast_sum_of_squares` without its ``errstate`` (the caller holds one)."""
    if flat.dtype != np.float32:
        return _exact_total(_quiet_partial_sums(flat)), _SAFE_LOW, 0.0
    if flat.size <= _EXACT32:  # float64 copies of cache-sized chunks: cheap at this size
        total = 0.0
        for start in range(0, flat.size, _CHUNK32):
            f64 = flat[start : start + _CHUNK32].astype(np.float64)
            total += float(np.vdot(f64, f64))
        return total, _SAFE_LOW, 0.0
    n_rows = flat.size // _ROW32
    head = np.ascontiguousarray(flat[: n_rows * _ROW32]).reshape(n_rows, _ROW32)
    total = float(np.vecdot(head, head).sum(dtype=np.float64))
    tail = flat[n_rows * _ROW32 :]
    return total + float(np.vdot(tail, tail)), _SAFE_LOW32, _ERROR32


_FLOAT32, _FLOAT64 = np.dtype(np.float32), np.dtype(np.float64)  # numpy's shared instances: `is` is enough


def sums_of_squares(arrays: Iterable[np.ndarray]) -> tuple[list[float], float, float]:
    """The sum of squares of every array (any shape), fast, the smallest total it can trust, and an error bound.

    The building block of the global 2-norm in :func:`gnlib.clip.clip_by_global_norm`:
    one fast pass per array (large float32 arrays summed in float32 rows, see
    :func:`_fast_sum_of_squares`), no overflow or underflow protection. The
    caller adds the sums and falls back to :func:`l2_norm` when the total is
    not finite or lies below the returned threshold. Short float64 arrays (at
    most ``_SMALL`` entries) are summed inline by ``math.fsum`` of their
    squares: a network has many small groups, and a call per array would then
    be half the time.

    Parameters
    ----------
    arrays : iterable of numpy.ndarray
        Float arrays, already validated by the caller.

    Returns
    -------
    sums : list of float
        ``sum(a**2)`` per array; ``inf`` on overflow, NaN propagates, no warning.
    trusted_from : float
        The largest of the per-array thresholds below which a total may have
        lost precision to underflow.
    rel_error : float
        A bound on the relative error of every sum: 0 where they are summed
        in float64 (a few ulp), 1.5e-5 when a large float32 array was summed
        in float32.

    Examples
    --------
    >>> sums, trusted_from, rel_error = sums_of_squares([np.array([3.0, 4.0]), np.ones((2, 2), dtype=np.float32)])
    >>> sums, rel_error
    ([25.0, 4.0], 0.0)
    """
    sums, trusted_from, error = [], 0.0, 0.0
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # once for all arrays
        for a in arrays:
            if a.size <= _SMALL and a.dtype is _FLOAT64:
                # Python floats: inf on overflow, the same sum for a view and its copy
                s, low, bound = _exact_total([v * v for v in a.ravel().tolist()]), _SAFE_LOW, 0.0
            else:
                s, low, bound = _quiet_fast_sum(a.reshape(-1))
            sums.append(s)
            if bound > error:
                error = bound
            if low > trusted_from:
                trusted_from = low
    return sums, trusted_from, error


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
        If ``x`` is not real-valued numeric data.

    Notes
    -----
    float16 and float32 entries are squared and summed in float64, so a
    float16 gradient of 10,000 entries equal to 10 has norm 1000 (the naive
    float16 computation gives ``inf``). The fast path is one pass of dot
    products over blocks of the array; only if the sum of squares is
    non-finite or tiny is the vector rescaled by ``2**-e`` (with ``2**e`` near
    its largest entry) and the pass repeated: power-of-two scaling changes no
    digit.

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
    if a.size <= _SMALL:  # math.hypot: correctly rounded, overflow-safe, no numpy overhead
        return math.hypot(*a.ravel().tolist())
    flat = a.reshape(-1)
    sq = _sum_of_squares(flat)
    if _SAFE_LOW <= sq < math.inf:
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
    scaled_sq = _sum_of_squares(scaled)
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
        If ``arrays`` is a single array, or an element is not real numeric data.
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
    if isinstance(arrays, np.ndarray):
        raise TypeError(
            "arrays must be a list of arrays, got a single numpy.ndarray; "
            "wrap it in a list: global_norm([g])"
        )
    if isinstance(arrays, (str, bytes)) or not isinstance(arrays, Iterable):
        raise TypeError(f"arrays must be a list of arrays, got {type(arrays).__name__}")
    norms = [lp_norm(as_float_array(a, f"arrays[{i}]"), p) for i, a in enumerate(arrays)]
    if not norms:
        return 0.0
    return lp_norm(np.array(norms), p)


def angle_between(u: Any, v: Any) -> float:
    """Angle in degrees between two arrays read as flat vectors (0 if either is zero).

    Lesson 03 uses it to show that clipping by norm keeps a gradient's
    direction and clipping by value turns it.

    Parameters
    ----------
    u, v : array_like
        Two arrays with the same number of entries.

    Returns
    -------
    float
        The angle in ``[0, 180]``, accurate for tiny and near-180 angles.

    Raises
    ------
    ValueError
        If ``u`` and ``v`` have different numbers of entries.

    Examples
    --------
    >>> round(angle_between([1.0, 0.0], [1.0, 1.0]), 6)
    45.0
    """
    u = as_float_array(u, "u").ravel().astype(np.float64)
    v = as_float_array(v, "v").ravel().astype(np.float64)
    if u.shape != v.shape:
        raise ValueError(f"u and v must have the same number of entries, got {u.size} and {v.size}")
    nu, nv = l2_norm(u), l2_norm(v)
    if nu == 0.0 or nv == 0.0:
        return 0.0
    u, v = u / nu, v / nv  # 2 atan2(|u - v|, |u + v|) stays accurate for tiny and near-180 angles
    return math.degrees(2.0 * math.atan2(l2_norm(u - v), l2_norm(u + v)))


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
    if isinstance(arrays, Iterable) and not isinstance(arrays, (np.ndarray, str, bytes)):
        arrays = list(arrays)  # a generator is read once
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
