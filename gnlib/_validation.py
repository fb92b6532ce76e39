"""Argument checks shared by every gnlib module.

Each helper raises ``TypeError`` or ``ValueError`` with a message that names the
argument and says what was expected, so a learner sees *which* input is wrong
instead of a silent wrong number further down.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

__all__ = [
    "as_float_array",
    "check_scalar",
    "check_same_shape",
    "check_int",
    "ARRAY_SIZE_LIMIT",
    "FLOAT_CHARS",
    "as_real_scalar",
    "check_callable",
    "as_array_list",
]

FLOAT_CHARS = "efd"  # float16, float32, float64: the dtypes gnlib computes in


def _too_large(value: Any) -> str:
    """A short description of a huge number (``str`` of an int over 4300 digits is refused)."""
    if isinstance(value, numbers.Integral):
        digits = int(abs(int(value)).bit_length() * math.log10(2))
        return f"an integer of about {'-' if value < 0 else ''}10**{digits}"
    if isinstance(value, np.floating):
        return f"{np.format_float_scientific(value, precision=3, trim='-')} ({type(value).__name__})"
    return f"a {type(value).__name__}"


def _from_python_numbers(arr: np.ndarray, name: str) -> np.ndarray | None:
    """An object array of Python real numbers (ints beyond int64, Fractions) as float64, else None."""
    if not all(isinstance(v, numbers.Real) and not isinstance(v, np.longdouble) for v in arr.flat):
        return None
    try:
        return arr.astype(np.float64)
    except OverflowError:
        raise ValueError(
            f"{name} has an entry beyond the float range (1.8e308): {_too_large(max(arr.flat, key=abs))}"
        ) from None


def as_float_array(x: Any, name: str, *, allow_empty: bool = True) -> np.ndarray:
    """Convert ``x`` to a real floating-point array, or raise a clear error.

    Integer and boolean input becomes float64 (Python integers beyond int64
    too); float16/32/64 keep their dtype. Complex, string, object and None
    input raise ``TypeError``, and so does ``numpy.longdouble`` (extended
    precision, ``float128`` on Linux): gnlib computes in float64 at most, so
    such arrays are refused rather than silently rounded (a longdouble
    ``1e400`` is ``inf`` in float64); convert with ``x.astype(numpy.float64)``
    if that rounding is acceptable. A Python integer too large for a float
    raises ``ValueError``.
    """
    if x is None:
        raise TypeError(f"{name} must be an array of real numbers, got None")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array of real numbers, got a string {x!r}")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise TypeError(f"{name} must be an array of real numbers ({exc})") from None
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind == "c":
        raise TypeError(f"{name} must be real-valued, got complex dtype {arr.dtype}")
    elif arr.dtype.kind == "f" and arr.dtype.char not in FLOAT_CHARS:
        raise TypeError(
            f"{name} has dtype {arr.dtype} (extended precision), which gnlib does not compute in; "
            "convert it with .astype(numpy.float64) if rounding to float64 (beyond 1.8e308: inf) "
            "is acceptable"
        )
    elif arr.dtype.kind == "O" and arr.size and (converted := _from_python_numbers(arr, name)) is not None:
        arr = converted
    elif arr.dtype.kind != "f":
        raise TypeError(
            f"{name} must be an array of real numbers, got dtype {arr.dtype} "
            f"(from {type(x).__name__})"
        )
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    return arr


def check_scalar(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    allow_inf: bool = False,
) -> float:
    """Return ``value`` as a float after checking it is a finite real in range.

    Raises ``TypeError`` for non-numbers (bool included) and ``ValueError`` for
    NaN, infinities (unless ``allow_inf``) and values outside ``[low, high]``.
    A number beyond the float range (the Python integer ``10**400``, a
    longdouble ``1e400``) counts as infinite: it becomes ``±inf`` when
    ``allow_inf``, and raises ``ValueError`` otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
            value = value.item()
        else:
            raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    original = value
    try:
        with np.errstate(over="ignore"):
            value = float(value)
        beyond = math.isinf(value) and isinstance(original, np.floating) and bool(np.isfinite(original))
    except OverflowError:  # a Python int or Fraction beyond the float range
        beyond = True
    if beyond:  # a longdouble 1e400 too: finite, but not as a float
        if not allow_inf:
            raise ValueError(f"{name} must be finite, got {_too_large(original)}, beyond the float range (1.8e308)")
        value = math.inf if original > 0 else -math.inf
    if math.isnan(value):
        raise ValueError(f"{name} must be a number, got NaN")
    if math.isinf(value) and not allow_inf:
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and (value < low or (value == low and not low_inclusive)):
        bound = ">=" if low_inclusive else ">"
        raise ValueError(f"{name} must be {bound} {low:g}, got {value:g}")
    if high is not None and (value > high or (value == high and not high_inclusive)):
        bound = "<=" if high_inclusive else "<"
        raise ValueError(f"{name} must be {bound} {high:g}, got {value:g}")
    return value


ARRAY_SIZE_LIMIT = int(np.iinfo(np.intp).max)  # no array length can exceed it


def check_int(value: Any, name: str, *, low: int = 0, high: int | None = None) -> int:
    """Return ``value`` as an int after checking it is an integer in ``[low, high]``.

    Pass ``high=ARRAY_SIZE_LIMIT`` for a count that becomes an array length,
    so that ``10**400`` is refused naming the argument, not by numpy.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r:.60}")
    shown = _too_large(value) if abs(value) > 10**30 else value  # str() refuses ints over 4300 digits
    if value < low:
        raise ValueError(f"{name} must be >= {low}, got {shown}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {shown}")
    return int(value)


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}"
        )


def as_real_scalar(value: Any, name: str) -> float:
    """A callback's return value as a float: one real number, possibly inf or NaN.

    Accepts Python and numpy real numbers and arrays with exactly one entry.
    Raises ``TypeError`` for None, strings, booleans, complex and other
    non-numeric values, and ``ValueError`` for arrays with more than one entry;
    ``name`` says whose value it is (e.g. ``"f(x)"``).
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a real number, got a string {value!r}")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{name} must be a real number ({exc})") from None
    if arr.dtype.kind not in "iuf":
        what = "complex" if arr.dtype.kind == "c" else type(value).__name__
        raise TypeError(f"{name} must be a real number, got {what} {value!r}")
    if arr.size != 1:
        raise ValueError(f"{name} must be a scalar, got an array of shape {arr.shape}")
    return float(arr.reshape(()))


def check_callable(value: Any, name: str) -> None:
    """Raise ``TypeError`` naming ``name`` unless ``value`` is callable (a function)."""
    if not callable(value):
        raise TypeError(f"{name} must be callable (a function), got {type(value).__name__} {value!r:.60}")


def as_array_list(arrays: Any, name: str, *, hint: str) -> list[Any]:
    """``arrays`` as a list, read once (generators included), or a ``TypeError`` naming ``name``.

    Refuses a single ``numpy.ndarray`` (``hint`` says what to do instead),
    None, strings, mappings (pass ``list(d.values())``) and non-iterables.
    The elements themselves are not checked.
    """
    if isinstance(arrays, np.ndarray):
        raise TypeError(f"{name} must be a list of arrays, got a single numpy.ndarray; {hint}")
    if isinstance(arrays, Mapping):
        raise TypeError(f"{name} must be a list of arrays, got a {type(arrays).__name__}; pass list({name}.values())")
    if arrays is None or isinstance(arrays, (str, bytes)) or not isinstance(arrays, Iterable):
        raise TypeError(f"{name} must be a list of arrays, got {type(arrays).__name__} {arrays!r:.60}")
    return arrays if isinstance(arrays, list) else list(arrays)
