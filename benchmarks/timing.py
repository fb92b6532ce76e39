"""Timing helpers shared by the benchmark sections: medians of repeated calls.

Every time in the benchmarks is a median, so that a stray slow call (another
job on the machine, a garbage collection) does not move it; two libraries
compared are timed alternately, so load affects both alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

Call = Callable[[], object]


def _nothing() -> None:
    return None


def median_time(fn: Call, repeats: int, setup: Call | None = None, warmup: int = 1) -> float:
    """Median seconds of ``fn()`` over ``repeats`` calls, after ``warmup`` untimed ones.

    ``setup`` runs untimed before every call (e.g. to restore gradients that
    the previous call clipped in place).
    """
    setup = setup or _nothing
    for _ in range(warmup):
        setup()
        fn()
    times = []
    for _ in range(repeats):
        setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(fn_a: Call, fn_b: Call, repeats: int,
                setup_a: Call | None = None, setup_b: Call | None = None) -> tuple[float, float]:
    """Median seconds of ``fn_a()`` and ``fn_b()``, called alternately ``repeats`` times each.

    ``setup_a``/``setup_b`` run untimed before each call of their function.
    """
    setup_a, setup_b = setup_a or _nothing, setup_b or _nothing
    setup_a(), fn_a(), setup_b(), fn_b()  # warm up
    times_a, times_b = [], []
    for _ in range(repeats):
        setup_a()
        start = time.perf_counter()
        fn_a()
        times_a.append(time.perf_counter() - start)
        setup_b()
        start = time.perf_counter()
        fn_b()
        times_b.append(time.perf_counter() - start)
    return statistics.median(times_a), statistics.median(times_b)
