"""What bounds l2_norm's time at 1e6 entries: the measurements behind its verdict.

``gnlib.l2_norm`` promises 2 ulp. It gets there with one BLAS dot product per
row of 256 entries, added exactly. ``numpy.linalg.norm`` takes one dot product
over all entries, which BLAS may split over every core. Three measurements
say what a faster l2_norm could and could not do on the machine at hand:

1. the one-thread floor: the fastest single pass over the entries (one
   ``np.dot`` with BLAS held to one thread). No single-threaded code reads
   the array faster.
2. the row-length trade: longer rows mean fewer BLAS calls, so a faster pass,
   but each lane of the dot kernel then adds more equal terms in a row, and
   constant vectors drift from the correctly rounded norm.
3. the thread hand-off: what it costs to wake a parked Python thread and hear
   back from it, against the time that splitting the rows over two threads
   could save; and the split itself, timed.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from decimal import Decimal, localcontext

import numpy as np
from timing import median_time

ROWS = (256, 512, 1024, 2048)
# Constant vectors drift furthest from the true norm (every rounding error has
# the same sign); these values and lengths cover powers of two, both sides of
# multiples of 256, and the benchmark's 1e6.
CONSTANTS = (1 / 3, 0.1, 0.7, 1 / 7, 2 / 3, 0.9, 1.1, 1.3, 1.7, 0.55)
LENGTHS = tuple(2**k for k in range(10, 21)) + (2**15 - 1, 2**15 + 1, 2**18 - 255, 2**18 + 257, 999_983, 10**6)


def correctly_rounded_constant_norm(value: float, n: int) -> float:
    """The float nearest to |value| * sqrt(n), from 60 decimal digits."""
    with localcontext() as ctx:
        ctx.prec = 60
        return float((Decimal(value) * Decimal(value) * n).sqrt())


def row_norm(x: np.ndarray, row: int) -> float:
    """The norm as l2_norm takes it, with rows of ``row`` entries: one dot per row, rows added exactly."""
    whole = x.size - x.size % row
    head = x[:whole].reshape(-1, row)
    parts = np.vecdot(head, head).tolist()
    if whole < x.size:
        padded = np.zeros(row)
        padded[: x.size - whole] = x[whole:]
        parts.append(float(padded @ padded))
    return math.sqrt(math.fsum(parts))


def worst_constant_ulp(norm: Callable[[np.ndarray], float]) -> float:
    worst = 0.0
    for value in CONSTANTS:
        for n in LENGTHS:
            reference = correctly_rounded_constant_norm(value, n)
            worst = max(worst, abs(norm(np.full(n, value)) - reference) / math.ulp(reference))
    return worst


class ParkedThread:
    """One worker thread parked on a lock between jobs, as a thread pool keeps it."""

    def __init__(self) -> None:
        self.go, self.done = threading.Lock(), threading.Lock()
        self.go.acquire()
        self.done.acquire()
        self.job: Callable[[], object] = lambda: None
        self.result: object = None
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            self.go.acquire()
            self.result = self.job()
            self.done.release()

    def start(self, job: Callable[[], object]) -> None:
        self.job = job
        self.go.release()

    def wait(self) -> object:
        self.done.acquire()
        return self.result


def split_rows(worker: ParkedThread, x: np.ndarray) -> float:
    """The whole 256-entry rows of ``x``, the second half summed on the worker thread (the same rows, so the same sum)."""
    head = x[: x.size // 256 * 256].reshape(-1, 256)
    mid = head.shape[0] // 2

    def rows(part: np.ndarray) -> list[float]:
        with np.errstate(over="ignore", under="ignore"):  # errstate is per thread
            return np.vecdot(part, part).tolist()

    worker.start(lambda: rows(head[mid:]))
    parts = rows(head[:mid])
    return math.sqrt(math.fsum(parts + worker.wait()))


def limits_section(repeats: int) -> str:
    from threadpoolctl import threadpool_limits

    from gnlib.norms import l2_norm

    x = np.random.default_rng(0).normal(size=10**6)
    n = repeats * 100
    t_numpy = median_time(lambda: np.linalg.norm(x), n)
    with threadpool_limits(limits=1, user_api="blas"):
        t_one = median_time(lambda: np.dot(x, x), n)
    t_ours = median_time(lambda: l2_norm(x), n)
    lines = [
        "| pass over 1e6 entries | ms | x numpy.linalg.norm | worst ulp, constant vectors |",
        "|---|---|---|---|",
        f"| numpy.linalg.norm (one dot, BLAS threads as installed) | {t_numpy * 1e3:.3f} | 1.00x | - |",
        f"| one-thread floor: one dot, BLAS held to one thread | {t_one * 1e3:.3f} | {t_one / t_numpy:.2f}x | - |",
        f"| gnlib.l2_norm (rows of 256) | {t_ours * 1e3:.3f} | {t_ours / t_numpy:.2f}x "
        f"| {worst_constant_ulp(l2_norm):.0f} |",
    ]
    for row in ROWS:
        head = x[: x.size // row * row].reshape(-1, row)
        t_row = median_time(lambda: np.vecdot(head, head), n)
        worst = worst_constant_ulp(lambda v, row=row: row_norm(v, row))
        lines.append(f"| rows of {row}: the dot products alone | {t_row * 1e3:.3f} | {t_row / t_numpy:.2f}x "
                     f"| {worst:.0f} |")
    worker = ParkedThread()

    def round_trip() -> None:
        worker.start(lambda: None)
        worker.wait()

    t_handoff = median_time(round_trip, n * 5)
    t_split = median_time(lambda: split_rows(worker, x), n)
    lines.append(f"| rows of 256 split over two threads (this thread and a parked one) | {t_split * 1e3:.3f} "
                 f"| {t_split / t_numpy:.2f}x | - |")
    lines.append(f"| waking a parked thread and hearing back, no work | {t_handoff * 1e3:.3f} "
                 f"| {t_handoff / t_numpy:.2f}x | - |")
    floor_verdict = ("no single-threaded pass can meet 1.5x here" if t_one / t_numpy > 1.5
                     else "a single-threaded pass could meet 1.5x here")
    lines += [
        "",
        f"Reading: the one-thread floor is {t_one / t_numpy:.2f}x numpy, so {floor_verdict}. "
        f"Rows longer than 256 entries are faster but leave the 2-ulp bound on constant vectors. "
        f"A second thread would save at most half the row pass ({t_ours / 2 * 1e3:.3f} ms) and costs "
        f"{t_handoff * 1e3:.3f} ms to wake and hear back from; the split pass took {t_split * 1e3:.3f} ms.",
    ]
    return "\n".join(lines)
