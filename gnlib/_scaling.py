"""Applying a clip factor exactly (private helpers of gnlib.clip).

A clip factor ``max_norm / total_norm`` can be far below the range of the
gradient's dtype (float32 ``[1e30, 1e30]`` clipped to 1e-20 needs 1e-50), so
it is carried as ``(m, e)``, ``m * 2**e`` with ``m`` in [0.25, 1), and
applied without ever being rounded into a dtype that cannot hold it: float16
is multiplied in float32, and a factor below a dtype's normal range is
applied in float64 by an exact power of two. :func:`clip_factor` builds the
pair, :func:`scale_exactly` applies it.
"""

from __future__ import annotations

import functools
import math

import numpy as np

__all__ = ["clip_factor", "float32_at_most", "scale_exactly"]


def clip_factor(max_norm: float, mantissa: float, exponent: int, rel_error: float) -> tuple[float, int]:
    """The clip factor ``min(1, max_norm / (mantissa * 2**exponent))`` as ``(m, e)``: factor = m * 2**e.

    ``m`` lies in [0.25, 1) when clipping, so the factor is exact to float64
    rounding even where ``m * 2**e`` underflows float64. ``rel_error`` bounds
    the relative error of the squared norm ``mantissa**2``: the factor is
    taken for the largest norm consistent with it, so the clipped norm never
    exceeds ``max_norm`` through an underestimated total.
    """
    if math.isnan(mantissa):
        return math.nan, 0
    if math.isinf(mantissa) or max_norm == 0.0:
        return 0.0, 0  # an infinite total norm (non-finite input) gives PyTorch's factor 0
    largest = mantissa / math.sqrt(1.0 - rel_error) if rel_error else mantissa
    if exponent == 0 and largest <= max_norm:
        return 1.0, 0
    a, ea = math.frexp(max_norm)
    b, eb = math.frexp(mantissa)
    m, e = a / b, ea - eb - exponent  # a / b in (0.5, 2)
    if m >= 1.0:
        m, e = m * 0.5, e + 1
    if rel_error:
        m *= math.sqrt(1.0 - rel_error) * (1.0 - 2.0**-50)  # and below float64 rounding of the factor
    return m, e


_F16, _F32, _F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)


@functools.lru_cache(maxsize=16)  # the same factor for every array of one call
def float32_at_most(c: float) -> np.float32:
    """The largest float32 at most ``c``: one rounding (the product's) remains."""
    c32 = np.float32(c)
    return np.nextafter(c32, np.float32(0)) if float(c32) > c else c32


def scale_exactly(g: np.ndarray, factor: tuple[float, int], out: np.ndarray | None) -> np.ndarray:
    """``g * m * 2**e`` rounded once to ``g``'s dtype, written to ``out`` when given.

    The factor is never converted to a dtype where it would underflow or lose
    precision: float16 is multiplied in float32, and a factor below a dtype's
    normal range is applied as ``ldexp(g * m, e)`` in float64, so a result
    that the dtype can represent is never flushed to zero.
    """
    m, e = factor
    if m == 1.0 and e == 0:
        if out is None:
            return g.copy()
        if out is not g:  # np.copyto does not guard against overlap: copy first if they may share memory
            np.copyto(out, g.copy() if np.may_share_memory(out, g) else g)
        return out
    if m == 0.0 or m != m:  # max_norm 0, or PyTorch's factor for a non-finite norm
        res = np.multiply(g, g.dtype.type(m), out=out)
    elif e >= -1021 and g.dtype.itemsize >= 8:  # float64 (or longer): the factor is a normal float64
        res = np.multiply(g, g.dtype.type(math.ldexp(m, e)), out=out)
    elif (g.dtype is _F32 or g.dtype is _F16) and e >= -125:  # a normal float32 factor
        c32 = float32_at_most(math.ldexp(m, e))
        if g.dtype is _F32:
            res = np.multiply(g, c32, out=out)
        else:
            res = (g.astype(np.float32) * c32).astype(_F16)
    else:  # a factor the dtype cannot hold: scale in float64 by an exact power of two
        wide = g if g.dtype.itemsize >= 8 else g.astype(np.float64)
        res = np.ldexp(wide * wide.dtype.type(m), e).astype(g.dtype, copy=False)
    if out is not None and res is not out:
        np.copyto(out, res)
        return out
    return res
