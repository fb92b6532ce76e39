"""Checkers for exercises/01_vector_norms."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..norms import global_norm, l2_norm, lp_norm
from ._core import Case, CheckReport, close_to, run_cases

__all__ = ["check_p_norm", "check_safe_l2_norm", "check_global_norm", "check_normalize"]


def check_p_norm(p_norm: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``p_norm(x, p)`` (p >= 1 or inf; p < 1 raises ValueError)."""
    x = np.array([3.0, -4.0, 12.0])
    matrix = np.arange(6.0).reshape(2, 3) - 2.5
    cases = [
        Case("Euclidean norm (p = 2) of a small vector", (x, 2), close_to(lp_norm(x, 2)),
             "square, sum, square root: mind the absolute values for odd p."),
        Case("p = 1 with negative entries", (x, 1), close_to(lp_norm(x, 1)),
             "the 1-norm sums absolute values."),
        Case("p = 3", (x, 3), close_to(lp_norm(x, 3)), "raise |x_i| to the power p, then the sum to 1/p."),
        Case("p = inf", (x, np.inf), close_to(lp_norm(x, np.inf)),
             "the limit p -> inf is the largest absolute entry; handle it as a special case."),
        Case("a 2-D array is treated as one long vector", (matrix, 2), close_to(lp_norm(matrix, 2)),
             "flatten first (x.ravel()), so every entry counts once."),
        Case("the zero vector", (np.zeros(4), 3), close_to(0.0), "every norm of the zero vector is 0."),
        Case("p = 0.5 is refused", (x, 0.5), raises=ValueError,
             hint="for p < 1 the triangle inequality fails: raise ValueError('... not a norm')."),
    ]
    return run_cases("p_norm", p_norm, cases, quiet=quiet)


def check_safe_l2_norm(safe_l2_norm: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's overflow- and underflow-safe Euclidean norm."""
    big = np.array([3e200, 4e200])
    small = np.array([3e-200, 4e-200])
    mixed = np.array([1e300, 1e-300, -2e299])
    half = np.full(10_000, 10.0, dtype=np.float16)
    cases = [
        Case("ordinary numbers", (np.array([3.0, 4.0]),), close_to(5.0, rtol=1e-12),
             "for ordinary numbers this is just sqrt(sum(x**2))."),
        Case("huge entries (1e200) do not overflow", (big,), close_to(l2_norm(big), rtol=1e-12),
             "divide by the largest |x_i| before squaring and multiply back after the square root."),
        Case("tiny entries (1e-200) do not vanish", (small,), close_to(l2_norm(small), rtol=1e-12),
             "the same scaling saves tiny numbers: their squares would underflow to 0."),
        Case("mixed magnitudes", (mixed,), close_to(l2_norm(mixed), rtol=1e-12),
             "scale by the largest absolute entry, whatever its sign."),
        Case("the zero vector (no division by zero)", (np.zeros(3),), close_to(0.0),
             "if the largest entry is 0, return 0 before dividing."),
        Case("float16 input: 10,000 entries equal to 10", (half,), close_to(1000.0, rtol=1e-6),
             "convert to float64 first: in float16, 10**2 * 10,000 = 1e6 overflows (max 65504)."),
    ]
    return run_cases("safe_l2_norm", safe_l2_norm, cases, quiet=quiet)


def check_global_norm(my_global_norm: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``global_norm(arrays)``: the 2-norm of all arrays together."""
    grads = [np.array([3.0]), np.array([[4.0, 0.0], [0.0, 12.0]])]
    rng = np.random.default_rng(0)
    many = [rng.normal(size=s) for s in [(5,), (3, 4), (2, 2, 2)]]
    huge = [np.array([3e200]), np.array([[4e200, 0.0]])]
    cases = [
        Case("two small arrays of different shapes", (grads,), close_to(global_norm(grads)),
             "the global norm is the norm of all entries of all arrays together."),
        Case("three random arrays", (many,), close_to(global_norm(many)),
             "sqrt(sum over arrays of ||g_i||**2): square the per-array norms before adding."),
        Case("a single array in a list", ([np.array([6.0, 8.0])],), close_to(10.0),
             "with one array the global norm is that array's norm."),
        Case("an empty list gives 0", ([],), close_to(0.0),
             "no gradients, no length: start the sum at 0."),
        Case("huge gradients (1e200) do not overflow", (huge,), close_to(global_norm(huge), rtol=1e-12),
             "take a safe norm of each array, then a safe norm of those norms (your safe_l2_norm)."),
    ]
    return run_cases("global_norm", my_global_norm, cases, quiet=quiet)


def _unit_and_parallel(x: np.ndarray, p: float) -> Callable[[object], bool]:
    """accept: same shape as x, p-norm 1, and a positive multiple of x."""
    want = x / lp_norm(x, p)

    def accept(result: object) -> bool:
        try:
            got = np.asarray(result, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        return got.shape == x.shape and abs(lp_norm(got, p) - 1.0) < 1e-12 and bool(np.allclose(got, want, rtol=1e-12))

    return accept


def check_normalize(normalize: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``normalize(x, p=2)``: ``x / ||x||_p``, a ValueError for the zero vector."""
    x = np.array([3.0, -4.0])
    matrix = np.array([[1.0, -2.0], [2.0, 4.0]])
    big = np.array([3e200, -4e200])
    cases = [
        Case("Euclidean unit vector (default p = 2)", (x,), _unit_and_parallel(x, 2),
             "divide x by its 2-norm; the result has length 1 and points the same way."),
        Case("p = 1", (x, 1), _unit_and_parallel(x, 1), "divide by the 1-norm when p = 1."),
        Case("p = inf", (x, np.inf), _unit_and_parallel(x, np.inf),
             "with p = inf the largest |entry| of the result is 1."),
        Case("a 2-D array keeps its shape", (matrix, 2), _unit_and_parallel(matrix, 2),
             "measure all entries together, but return an array shaped like x."),
        Case("huge entries (1e200)", (big,), _unit_and_parallel(big, 2),
             "use a norm that does not overflow (gnlib.lp_norm or your safe_l2_norm)."),
        Case("the zero vector (no direction) is refused", (np.zeros(3),), raises=ValueError,
             hint="check for a zero norm and raise ValueError instead of dividing by 0."),
    ]
    return run_cases("normalize", normalize, cases, quiet=quiet)
