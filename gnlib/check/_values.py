"""What goes into a learner's function and what comes out (private to :mod:`gnlib.check`).

* Inputs: every array inside a case's arguments (also inside lists, tuples
  and dicts) is copied before the learner's function runs and compared after
  it, whether the function returned or raised: the caller's data must come
  back unchanged.
* Results: a result must hold real numbers only; text, ``None`` and complex
  numbers, also as a field of a tuple, list or dict, are refused with a
  one-line hint (:func:`non_number_hint`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from ._report import describe_value

__all__ = ["MUTATION_HINT", "copy_inputs", "same_as", "changed_argument", "non_number_hint"]

MUTATION_HINT = ("work on a copy (np.array(x, dtype=float) makes one) and build the result as a new array "
                 "(x * factor, not x *= factor): the caller's data must not change.")


def copy_inputs(value: Any) -> Any:
    """A copy of every array inside ``value`` (lists, tuples and dicts followed); other objects shared.

    Examples
    --------
    >>> x = np.zeros(2)
    >>> copy_inputs([x])[0] is x
    False
    """
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [copy_inputs(v) for v in value]
    if isinstance(value, tuple):
        return tuple(copy_inputs(v) for v in value)
    if isinstance(value, dict):
        return {k: copy_inputs(v) for k, v in value.items()}
    return value


def same_as(now: Any, before: Any) -> bool:
    """True if ``now`` still holds what ``before`` (a :func:`copy_inputs` of it) holds.

    Examples
    --------
    >>> x = np.zeros(2)
    >>> before = copy_inputs(x)
    >>> x[0] = 1.0
    >>> same_as(x, before)
    False
    """
    if isinstance(before, np.ndarray):
        return (isinstance(now, np.ndarray) and now.shape == before.shape and now.dtype == before.dtype
                and bool(np.array_equal(now, before, equal_nan=before.dtype.kind in "fc")))
    if isinstance(before, (list, tuple)):
        return type(now) is type(before) and len(now) == len(before) and all(map(same_as, now, before))
    if isinstance(before, dict):
        return isinstance(now, dict) and now.keys() == before.keys() and all(same_as(now[k], before[k]) for k in before)
    return True


def changed_argument(func: Callable, args: tuple, kwargs: dict, before_args: tuple, before_kwargs: dict) -> str | None:
    """The name of the first argument the call changed in place (```x```, or ``number 2``), or None.

    Examples
    --------
    >>> def scale(x):
    ...     x *= 2
    >>> x = np.ones(2)
    >>> before = copy_inputs((x,))
    >>> scale(x)
    >>> changed_argument(scale, (x,), {}, before, {})
    '`x`'
    """
    try:
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        names = [name for name, p in inspect.signature(func).parameters.items() if p.kind in positional]
    except (TypeError, ValueError):
        names = []
    for i, (now, before) in enumerate(zip(args, before_args)):
        if not same_as(now, before):
            return f"`{names[i]}`" if i < len(names) else f"number {i + 1}"
    for key in kwargs:
        if not same_as(kwargs[key], before_kwargs[key]):
            return f"`{key}`"
    return None


def _first_non_number(value: Any, where: str, depth: int = 0) -> tuple[str, Any] | None:
    """The first part of a result that is not a real number (None, text, complex, ...): (where, what), or None.

    Lists, tuples, dicts (their values) and object arrays are followed; other
    objects are left to the case's ``accept``.
    """
    if value is None or isinstance(value, (str, bytes, complex, np.complexfloating, np.str_, np.bytes_)):
        return where, value
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biuf":
            return None
        if value.dtype.kind != "O":
            return where, value
        items = ((f"{where}[{', '.join(map(str, i)) if len(i) > 1 else i[0]}]", v)
                 for i, v in np.ndenumerate(value))
    elif isinstance(value, (list, tuple)):
        items = ((f"{where}[{i}]", v) for i, v in enumerate(value))
    elif isinstance(value, dict):
        items = ((f"{where}[{k!r}]", v) for k, v in value.items())
    else:
        return None
    if depth >= 20:  # a list that contains itself
        return None
    for inner, item in items:
        found = _first_non_number(item, inner, depth + 1)
        if found is not None:
            return found
    return None


def non_number_hint(result: Any, *, values: bool = True) -> str | None:
    """A one-line hint if ``result`` holds something other than real numbers, else None.

    Every field is looked at: items of tuples and lists, values of dicts,
    entries of object arrays. Text (``str``, ``bytes``, ``np.str_``), ``None``
    and complex numbers are refused; the hint says where, and what came back
    (type and value; only the type when ``values`` is False), never the
    expected answer.

    Examples
    --------
    >>> non_number_hint((np.zeros(2), 0.5)) is None
    True
    >>> non_number_hint((np.zeros(2), "0.5"))
    "result[1] is '0.5' (str), text: return numbers, not text (drop the str(...) or f-string around them)."
    """
    found = _first_non_number(result, "result")
    if found is None:
        return None
    where, part = found
    if part is None:
        if where == "result":
            return "your function returned None: is a `return` statement missing?"
        return f"{where} is None: compute it and put the number there."
    # the report's line already shows the whole result; a field is shown here (type and value)
    part_is = "your result is" if where == "result" else f"{where} is {describe_value(part, values=values)},"
    if isinstance(part, (str, bytes)) or (isinstance(part, np.ndarray) and part.dtype.kind in "SU"):
        return f"{part_is} text: return numbers, not text (drop the str(...) or f-string around them)."
    if isinstance(part, (complex, np.complexfloating)) or (isinstance(part, np.ndarray) and part.dtype.kind == "c"):
        return (f"{part_is} complex: return real numbers (a complex value often comes from a power or square "
                "root of a negative number).")
    return f"{part_is} not numbers: return real numbers (floats or arrays of floats)."
