"""Sums of squares for the norms: fast, and accurate to a few ulp (private helpers of gnlib).

:func:`sum_of_squares` is the accurate float64 sum behind
:func:`gnlib.norms.l2_norm`; :func:`sums_of_squares` is the fast per-array pass
behind the global norm of :func:`gnlib.clip.clip_by_global_norm`, with a bound
on its relative error (non-zero only where large float32 arrays are summed in
float32). Neither protects against overflow or underflow: the callers check
the result against ``SAFE_LOW`` and ``inf`` and rescale when needed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

__all__ = ["SAFE_LOW", "SMALL", "sum_of_squares", "fast_sum_of_squares", "sums_of_squares"]

# dot(x, x) is trusted when it lands in [SAFE_LOW, inf): above SAFE_LOW, squares
# that went subnormal can only have lost absolute amounts near 2**-1074 each,
# far below one ulp of the sum for any array that fits in memory.
SAFE_LOW = 2.0**-900
# The accurate sum of squares takes one dot product per row of ROW entries
# (one numpy vecdot call over a reshaped view for long arrays, one np.vdot per
# row for short ones); the last, partial row is copied into a zero-padded row
# of ROW entries, so BLAS treats it like every other row (a plain dot over 255
# equal entries adds the last ones one by one and is 12 ulp off). The row
# results are added exactly (math.fsum), in groups of GROUP first (numpy's
# pairwise sum) when there are more than 4 * GROUP rows. Every floating-point
# sum then has at most a few dozen terms, so its rounding errors cannot pile
# up: a single dot product over 32,768 equal entries is 83 ulp off, this is
# within 1 ulp. The cost is one pass over the array on one thread, where
# numpy.linalg.norm's single dot product may use every BLAS thread.
ROW = 256
GROUP = 32
# Up to SHORT entries, one np.vdot call per row (BLAS, no floating-point flag
# checks) costs less than entering an errstate and setting up vecdot.
SHORT = 1024
# float16/float32 input is converted to float64 in chunks of BLOCK entries
# (256 KiB of float64, cache-sized) instead of as one whole copy.
BLOCK = 2**15
# Short vectors (optimizer states in 2-D, per-tensor norms of tiny arrays) go
# through math.hypot, which is exact and cheaper than any numpy call there.
SMALL = 32
# float64 arrays of at most COPIED entries are summed in a shared buffer of
# zero-padded rows (one numpy call for many arrays); longer ones in place.
COPIED = 4096


PADDING = np.zeros(ROW)
PADDING.flags.writeable = False


def padded_row_sum(tail: np.ndarray) -> float:
    """Sum of squares of fewer than ``ROW`` float64 entries, as a zero-padded row of ``ROW`` (BLAS, no flags)."""
    row = np.concatenate((tail, PADDING[tail.size :]))
    return float(np.vdot(row, row))


def short_partial_sums(f64: np.ndarray) -> list[float]:
    """:func:`partial_sums_of_squares` for at most ``SHORT`` entries: BLAS dot products only.

    np.vdot (BLAS ddot) skips numpy's floating-point checks, so no
    ``errstate`` is needed; overflow gives ``inf`` without a warning.
    """
    whole = f64.size - f64.size % ROW
    parts = []
    for start in range(0, whole, ROW):
        row = f64[start : start + ROW]
        parts.append(float(np.vdot(row, row)))
    if whole < f64.size:
        parts.append(padded_row_sum(f64[whole:]))
    return parts


def partial_sums_of_squares(f64: np.ndarray) -> list[float]:
    """Floats whose exact sum is ``sum(f64**2)`` up to a few ulp (1-D float64, contiguous).

    One dot product per row of ``ROW`` entries in one vecdot call, row
    results added in groups of ``GROUP`` when there are many; the last
    partial row zero-padded. Overflow gives ``inf``; above ``SHORT`` entries
    call under ``errstate``.
    """
    if f64.size <= SHORT:
        return short_partial_sums(f64)
    n_rows = f64.size // ROW
    head = f64[: n_rows * ROW].reshape(n_rows, ROW)
    rows = np.vecdot(head, head)  # numpy checks floating-point flags here: callers hold errstate
    if n_rows > 4 * GROUP:
        n_groups = n_rows // GROUP
        parts = rows[: n_groups * GROUP].reshape(n_groups, GROUP).sum(axis=1).tolist()
        parts += rows[n_groups * GROUP :].tolist()
    else:
        parts = rows.tolist()
    if n_rows * ROW < f64.size:
        parts.append(padded_row_sum(f64[n_rows * ROW :]))
    return parts


def quiet_partial_sums(flat: np.ndarray) -> list[float]:
    """:func:`partial_sums_of_squares` of any 1-D float array (call under ``errstate``).

    float16 and float32 are converted to float64 one chunk of ``BLOCK``
    entries at a time.
    """
    if flat.dtype == np.float64:
        return partial_sums_of_squares(np.ascontiguousarray(flat))
    parts = []
    for start in range(0, flat.size, BLOCK):
        parts += partial_sums_of_squares(flat[start : start + BLOCK].astype(np.float64))
    return parts


def sum_of_squares(flat: np.ndarray) -> float:
    """sum(flat**2) in float64 for a 1-D float array, accurately and without warnings.

    float64 is summed as it is; float16 and float32 are converted to float64
    one chunk of ``BLOCK`` entries at a time. Overflow gives ``inf`` and NaN
    propagates (the caller handles both).
    """
    if flat.dtype == np.float64 and flat.size <= SHORT:
        parts = short_partial_sums(np.ascontiguousarray(flat))  # BLAS only: no errstate needed
    else:
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            parts = quiet_partial_sums(flat)
    return exact_total(parts)


# Clipping float32 gradients squares and sums them in float32, one dot product
# per row of ROW32 entries, and adds the row results in float64: the speed of
# one float32 pass (float64 accumulation of float32 data costs three to four
# passes). A sum of at most ROW32 rounded float32 squares, in any order, is
# within a relative ERROR32 of the exact sum (Higham's gamma_n bound for sums
# of positive terms, n = 2 * ROW32 roundings), so this sum is too.
# Arrays of at most EXACT32 entries are converted to float64 CHUNK32 entries
# at a time and summed by one dot product per chunk: relative error below
# CHUNK32 * 2**-53 (1e-12), far below float32 rounding, so bound 0.
ROW32 = 128
EXACT32 = 2**16
CHUNK32 = 2**13
ERROR32 = 2 * ROW32 * 2.0**-24 / (1 - 2 * ROW32 * 2.0**-24)
# A float32 sum of squares is trusted from here up: each square that went
# subnormal or flushed to zero loses at most 2**-149, so even 2**30 entries
# lose at most 2**-119, far below float32 precision of a sum this large.
SAFE_LOW32 = 2.0**-90


def fast_sum_of_squares(flat: np.ndarray) -> tuple[float, float, float]:
    """``sum(flat**2)`` for a 1-D float array, the smallest sum it can trust, and its error bound.

    float64 and float16 are summed in float64 rows as in :func:`l2_norm`
    (bound 0: a few ulp of float64); float32 arrays of at most ``EXACT32``
    entries by one float64 dot product per ``CHUNK32`` entries (bound 0:
    relative error below 1e-12, far below float32 rounding). float32 arrays of more than ``EXACT32`` entries are
    squared and summed in float32 over rows of ``ROW32`` entries whose sums
    are added in float64: relative error at most ``ERROR32`` (1.5e-5, so
    7.6e-6 in the norm), in one pass and without a float64 copy. Overflow
    gives ``inf`` and NaN propagates, without warnings; the caller falls back to :func:`l2_norm`
    when the sum is not finite or lies below the returned threshold.
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return quiet_fast_sum(flat)


def exact_total(parts: list[float]) -> float:
    try:
        return math.fsum(parts)  # inf and nan propagate as in a plain sum
    except OverflowError:  # finite parts whose exact sum exceeds the float range
        return math.inf


def quiet_fast_sum(flat: np.ndarray) -> tuple[float, float, float]:
    """:func:`fast_sum_of_squares` without its ``errstate`` (the caller holds one)."""
    if flat.dtype is FLOAT32:
        return float32_sum(flat)
    return exact_total(batched_partial_sums([flat])[0]), SAFE_LOW, 0.0


def float32_sum(flat: np.ndarray) -> tuple[float, float, float]:
    """Sum of squares of a float32 array, its trusted threshold and its bound (call under ``errstate``).

    Up to ``EXACT32`` entries in float64 chunks, beyond in float32 rows of ``ROW32``.
    """
    if flat.size <= EXACT32:
        total = 0.0
        for start in range(0, flat.size, CHUNK32):
            f64 = flat[start : start + CHUNK32].astype(np.float64)
            total += float(np.vdot(f64, f64))
        return total, SAFE_LOW, 0.0
    n_rows = flat.size // ROW32
    head = np.ascontiguousarray(flat[: n_rows * ROW32]).reshape(n_rows, ROW32)
    total = float(np.vecdot(head, head).sum(dtype=np.float64))
    tail = flat[n_rows * ROW32 :]
    return total + float(np.vdot(tail, tail)), SAFE_LOW32, ERROR32


def batched_partial_sums(flats: list[np.ndarray]) -> list[list[float]]:
    """:func:`partial_sums_of_squares` of many 1-D float arrays with few numpy calls (under ``errstate``).

    Long float64 arrays have their whole rows summed in place by one vecdot
    each; everything else (short arrays, the last partial row of long ones,
    float16/float32 arrays in chunks of ``BLOCK``) is copied as float64 into
    zero-padded rows of one shared buffer, summed by one vecdot call per
    ``BLOCK`` entries or so. Every array's partial sums are the same dot
    products of the same ``ROW``-entry rows as in
    :func:`partial_sums_of_squares`, so its total does not depend on the
    other arrays.
    """
    parts: list[list[float]] = [[] for _ in flats]
    pieces: list[np.ndarray] = []
    owners: list[tuple[list[float], int, int]] = []  # (parts of the array, first row, end row) in the batch
    n_rows = 0
    for i, flat in enumerate(flats):
        size = flat.size
        if size <= BLOCK and (size <= COPIED or flat.dtype is not FLOAT64):
            chunks = (flat,)
        elif flat.dtype is FLOAT64:  # whole rows in place, the last partial row batched
            whole = size - size % ROW
            parts[i] = partial_sums_of_squares(np.ascontiguousarray(flat[:whole]))
            chunks = (flat[whole:],) if whole < size else ()
        else:
            chunks = tuple(flat[start : start + BLOCK] for start in range(0, size, BLOCK))
        for chunk in chunks:
            pad = -chunk.size % ROW
            pieces.append(chunk)
            if pad:
                pieces.append(PADDING[:pad])
            rows = (chunk.size + pad) // ROW
            owners.append((parts[i], n_rows, n_rows + rows))
            n_rows += rows
            if n_rows * ROW >= BLOCK:
                flush_batch(pieces, owners)
                n_rows = 0
    if pieces:
        flush_batch(pieces, owners)
    return parts


def flush_batch(pieces: list[np.ndarray], owners: list[tuple[list[float], int, int]]) -> None:
    """Sum the batched rows into their owners' partial sums, then empty the batch."""
    rows = batch_rows(pieces)
    for owner, first, end in owners:
        owner += rows[first:end]
    pieces.clear()
    owners.clear()


def batch_rows(pieces: list[np.ndarray]) -> list[float]:
    """Sums of squares of the ``ROW``-entry rows of the pieces laid end to end, in float64."""
    batch = np.concatenate(pieces, dtype=np.float64).reshape(-1, ROW)
    return np.vecdot(batch, batch).tolist()


FLOAT32, FLOAT64 = np.dtype(np.float32), np.dtype(np.float64)  # numpy's shared instances: `is` is enough


def sums_of_squares(arrays: Iterable[np.ndarray]) -> tuple[list[float], float, float]:
    """The sum of squares of every array (any shape), fast, the smallest total it can trust, and an error bound.

    The building block of the global 2-norm in :func:`gnlib.clip.clip_by_global_norm`:
    one fast pass per array (large float32 arrays summed in float32 rows, see
    :func:`fast_sum_of_squares`), no overflow or underflow protection. The
    caller adds the sums and falls back to :func:`l2_norm` when the total is
    not finite or lies below the returned threshold. Short float64 arrays (at
    most ``SMALL`` entries) are summed inline by ``math.fsum`` of their
    squares, and other float64/float16 arrays of up to ``COPIED`` entries
    share zero-padded rows of one buffer (one vecdot call for many arrays,
    see :func:`batched_partial_sums`): a network has many small groups, and
    a few numpy calls per array would then be most of the time. Each sum is
    the one :func:`fast_sum_of_squares` gives for that array alone.

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
    batched: list[np.ndarray] = []
    slots: list[int] = []
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # once for all arrays
        for a in arrays:
            if a.size <= SMALL and a.dtype is FLOAT64:
                # Python floats: inf on overflow, the same sum for a view and its copy
                sums.append(exact_total([v * v for v in a.ravel().tolist()]))
                low, bound = SAFE_LOW, 0.0
            elif a.dtype is FLOAT32:
                s, low, bound = float32_sum(a.reshape(-1))
                sums.append(s)
            else:  # summed in float64, many arrays per numpy call
                slots.append(len(sums))
                batched.append(a.reshape(-1))
                sums.append(0.0)
                low, bound = SAFE_LOW, 0.0
            if bound > error:
                error = bound
            if low > trusted_from:
                trusted_from = low
        if batched:
            for slot, parts in zip(slots, batched_partial_sums(batched)):
                sums[slot] = exact_total(parts)
    return sums, trusted_from, error
