"""Output arrays for functions that write results in place (``out=``).

:func:`check_out` checks the arrays themselves; :func:`must_buffer` finds
where they share memory with the inputs or with each other, so that nothing is
written before every problem has been reported, and no result is computed
from an input that an earlier write has already changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.lib.array_utils import byte_bounds

__all__ = ["check_out", "must_buffer"]


def check_out(out: Any, arrays: Sequence[np.ndarray], names: Sequence[str]) -> list[np.ndarray]:
    """``out`` as a list of writable arrays matching ``arrays`` in shape and dtype, or raise.

    Raises ``TypeError`` when ``out`` is a single array or not a sequence of
    arrays, ``ValueError`` for a wrong length, shape or dtype, or a read-only
    array. Nothing is written.
    """
    if isinstance(out, np.ndarray) or not isinstance(out, Sequence):
        raise TypeError(
            f"out must be a list of arrays, one per gradient, got {type(out).__name__}; "
            "use out=grads to clip in place"
        )
    if len(out) != len(arrays):
        raise ValueError(f"out must hold one array per gradient: {len(arrays)} expected, got {len(out)}")
    for i, (o, a) in enumerate(zip(out, arrays)):
        if o is a and o.flags.writeable:  # in place: nothing else to check
            continue
        if not isinstance(o, np.ndarray):
            raise TypeError(f"out[{i}] must be a numpy.ndarray, got {type(o).__name__}")
        if o.shape != a.shape or o.dtype != a.dtype:
            raise ValueError(
                f"out[{i}] must match {names[i]}: shape {a.shape} and dtype {a.dtype} expected, "
                f"got shape {o.shape} and dtype {o.dtype}"
            )
        if not o.flags.writeable:
            raise ValueError(f"out[{i}] is read-only, so it cannot receive the clipped {names[i]}")
    return list(out)


def _owner(a: np.ndarray) -> Any:
    """The object whose memory ``a`` uses: its base array, or the foreign buffer (bytes, mmap)."""
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a if a.base is None else None  # None: a foreign buffer, compared with every other one


def _same_view(x: np.ndarray, y: np.ndarray) -> bool:
    return x is y or (
        x.shape == y.shape and x.strides == y.strides and x.dtype == y.dtype
        and x.__array_interface__["data"][0] == y.__array_interface__["data"][0]
    )


def _overlapping_pairs(items: list[tuple[int, np.ndarray]]) -> list[tuple[int, int]]:
    """Pairs of keys whose arrays share memory, among arrays of one owner (sorted sweep)."""
    spans = sorted((*byte_bounds(a), key, a) for key, a in items if a.size)
    pairs, active = [], []
    for low, high, key, a in spans:
        active = [(h, k, b) for h, k, b in active if h > low]
        for _, other_key, b in active:
            try:
                shared = np.shares_memory(a, b, max_work=10_000)
            except np.exceptions.TooHardError:
                shared = True  # cannot tell cheaply: assume the worst
            if shared:
                pairs.append((other_key, key))
        active.append((high, key, a))
    return pairs


def must_buffer(arrays: Sequence[np.ndarray], outs: Sequence[np.ndarray]) -> bool:
    """True when some ``outs[i]`` shares memory with an input ``arrays[j]``, ``j != i``.

    Then every result must be computed before the first is written. Raises
    ``ValueError`` (before anything is written) when two outputs share memory
    but would receive different results; the same array listed twice in both
    ``arrays`` and ``outs`` (e.g. ``out=[a, a]`` for ``[a, a]``) is allowed.
    """
    n, buffered = len(arrays), False
    if all(o is a and a.base is None for o, a in zip(outs, arrays)) and len({id(a) for a in arrays}) == n:
        return False  # in place on arrays that each own their memory: nothing can overlap
    # one item per distinct memory role; keys: i for arrays[i] (also outs[i] when in place), n + i for outs[i]
    writes = {i: outs[i] is a for i, a in enumerate(arrays)}
    items = list(enumerate(arrays)) + [(n + i, o) for i, o in enumerate(outs) if o is not arrays[i]]
    groups: dict[int, list[tuple[int, np.ndarray]]] = {}
    for key, a in items:
        groups.setdefault(id(_owner(a)), []).append((key, a))
    for group in groups.values():
        if len(group) < 2:
            continue
        for k1, k2 in _overlapping_pairs(group):
            i, j = k1 % n, k2 % n
            w1, w2 = k1 >= n or writes[i], k2 >= n or writes[j]
            if i == j or not (w1 or w2):
                continue  # an output and its own input, or two inputs: no hazard
            if w1 and w2 and not (_same_view(outs[i], outs[j]) and _same_view(arrays[i], arrays[j])):
                i, j = min(i, j), max(i, j)
                raise ValueError(
                    f"out[{i}] and out[{j}] share memory, so one clipped gradient would "
                    "overwrite the other; give each gradient its own output array"
                )
            buffered = True
    return buffered
