"""Checkers for exercises/01_vector_norms.

Every checker lists its basic cases first (one with inputs drawn afresh at
every run), then the edge cases; typical mistakes (a missing 1/p root, missing
absolute values, ``max(x)`` for the largest absolute entry, a naive norm that
overflows) get the hint that fixes them.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..norms import global_norm, l2_norm, lp_norm
from ._core import Case, CheckReport, Mistake, close_to, fresh_rng, run_cases

__all__ = ["check_p_norm", "check_safe_l2_norm", "check_global_norm", "check_normalize"]

ROOT_HINT = "take the 1/p-th root of the sum at the end: (Σ|x_i|^p)^(1/p)."
ABS_HINT = "take absolute values first: |x_i|^p, not x_i^p (negative entries must count positively)."
SQRT_HINT = "the root is the p-th root, a power 1/p, not always the square root."
SCALE_HINT = ("divide by the largest |x_i| before raising to a power, and multiply back after the root: "
              "(1e200)**p overflows to inf.")


def _p_norm_mistakes(x: np.ndarray, p: float) -> tuple[Mistake, ...]:
    """What the typical wrong p-norms return for ``x``."""
    a = np.asarray(x, dtype=np.float64).ravel()
    with np.errstate(all="ignore"):
        no_abs = np.sum(a**p) ** (1.0 / p)
        mistakes = [Mistake(close_to(np.sum(np.abs(a) ** p)), ROOT_HINT),
                    Mistake(close_to(np.sum(np.abs(a) ** p) ** 0.5), SQRT_HINT)]
        if np.isfinite(no_abs) and not np.isclose(no_abs, lp_norm(a, p)):
            mistakes.append(Mistake(close_to(no_abs), ABS_HINT))
        else:  # odd root of a negative sum: NaN
            mistakes.append(Mistake(lambda r: bool(np.isnan(np.asarray(r, dtype=float)).any()), ABS_HINT))
    return tuple(mistakes)


def check_p_norm(p_norm: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``p_norm(x, p)`` (p >= 1 or inf; p < 1 raises ValueError; safe for 1e200)."""
    x = np.array([3.0, -4.0, 12.0])
    rng = fresh_rng()
    drawn, p_drawn = rng.normal(size=7) * rng.uniform(0.5, 5.0), float(rng.uniform(1.2, 4.0))
    negative_max = np.array([3.0, -13.0, 12.0])
    matrix = np.arange(6.0).reshape(2, 3) - 2.5
    huge = np.array([3e200, -4e200, 12e200])

    def basic(label: str, v: np.ndarray, p: float, **kw) -> Case:
        return Case(label, (v, p), close_to(lp_norm(v, p)), "compute (Σ|x_i|^p)^(1/p) over all entries.",
                    mistakes=_p_norm_mistakes(v, p), **kw)

    cases = [
        basic("Euclidean norm (p = 2) of a small vector", x, 2),
        basic("p = 1 with negative entries", x, 1),
        basic("p = 3", x, 3),
        basic("a random vector and a random p ≥ 1 (drawn afresh at every run)", drawn, p_drawn, fresh=True),
        Case("p = inf: the largest absolute entry (here a negative one)", (negative_max, np.inf),
             close_to(13.0), "handle p = np.inf as a special case: the largest |x_i|.", edge=True,
             mistakes=(Mistake(close_to(12.0), "take the largest *absolute* entry, max(abs(x)): "
                                              "here the entry of largest size is negative."),)),
        Case("a 2-D array is treated as one long vector", (matrix, 2), close_to(lp_norm(matrix, 2)),
             "every entry counts once, whatever the shape of x.", edge=True,
             mistakes=(Mistake(lambda r: np.ndim(r) > 0, "flatten first (x.ravel()): the norm of a "
                                                         "matrix of entries is one number."),)),
        Case("the zero vector", (np.zeros(4), 3), close_to(0.0), edge=True,
             hint="every norm of the zero vector is 0: if the largest |x_i| is 0, return 0.0 before dividing by it."),
        Case("huge entries (1e200) do not overflow, p = 3", (huge, 3), close_to(lp_norm(huge, 3)), SCALE_HINT,
             edge=True),
        Case("p = 0.5 is refused", (x, 0.5), raises=ValueError, edge=True,
             hint="for p < 1 the triangle inequality fails: raise ValueError('... not a norm')."),
    ]
    return run_cases("p_norm", p_norm, cases, quiet=quiet)


def check_safe_l2_norm(safe_l2_norm: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's overflow- and underflow-safe Euclidean norm."""
    big = np.array([3e200, 4e200])
    small = np.array([3e-200, 4e-200])
    mixed = np.array([1e300, 1e-300, -2e299])
    half = np.full(10_000, 10.0, dtype=np.float16)
    rng = fresh_rng()
    drawn = rng.normal(size=9) * 10.0 ** rng.uniform(-3, 3)

    def plain(v: np.ndarray) -> tuple[Mistake, ...]:
        return (Mistake(close_to(np.sum(v.astype(float) ** 2)), "take the square root of the sum of squares."),)

    cases = [
        Case("ordinary numbers", (np.array([3.0, 4.0]),), close_to(5.0, rtol=1e-12),
             "for ordinary numbers this is just sqrt(sum(x**2)).", mistakes=plain(np.array([3.0, 4.0]))),
        Case("a random vector (drawn afresh at every run)", (drawn,), close_to(l2_norm(drawn), rtol=1e-12),
             "square every entry, add them up, take the square root.", mistakes=plain(drawn), fresh=True),
        Case("huge entries (1e200) do not overflow", (big,), close_to(l2_norm(big), rtol=1e-12),
             "divide by the largest |x_i| before squaring and multiply back after the square root.", edge=True),
        Case("tiny entries (1e-200) do not vanish", (small,), close_to(l2_norm(small), rtol=1e-12),
             "the same scaling saves tiny numbers: their squares would underflow to 0.", edge=True),
        Case("mixed magnitudes", (mixed,), close_to(l2_norm(mixed), rtol=1e-12), edge=True,
             hint="scale by the largest absolute entry, whatever its sign.",
             mistakes=(Mistake(lambda r: float(r) < 0, "scale by the largest *absolute* entry: "
                                                       "max(abs(x)), not max(x) (a norm is never negative)."),
                       Mistake(lambda r: math.isinf(float(r)), "(1e300)**2 overflows to inf: divide by the largest "
                                                               "|x_i| before squaring, multiply back at the end."))),
        Case("the zero vector (no division by zero)", (np.zeros(3),), close_to(0.0), edge=True,
             hint="if the largest entry is 0, return 0.0 before dividing."),
        Case("float16 input: 10,000 entries equal to 10", (half,), close_to(1000.0, rtol=1e-6), edge=True,
             hint="convert to float64 first: in float16, 10**2 * 10,000 = 1e6 overflows (max 65504)."),
    ]
    return run_cases("safe_l2_norm", safe_l2_norm, cases, quiet=quiet)


def _global_mistakes(arrays: list[np.ndarray]) -> tuple[Mistake, ...]:
    norms = [l2_norm(a) for a in arrays]
    return (Mistake(close_to(sum(norms)), "square the per-array norms before adding, then take one square root: "
                                          "sqrt(Σ ||g_i||²), not Σ ||g_i||."),
            Mistake(close_to(sum(n**2 for n in norms)), "take the square root of the sum of squares at the end."))


def check_global_norm(my_global_norm: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``global_norm(arrays)``: the 2-norm of all arrays together."""
    grads = [np.array([3.0]), np.array([[4.0, 0.0], [0.0, 12.0]])]
    rng = np.random.default_rng(0)
    many = [rng.normal(size=s) for s in [(5,), (3, 4), (2, 2, 2)]]
    fresh = fresh_rng()
    drawn = [fresh.normal(size=s) for s in [(4,), (2, 3)]]
    huge = [np.array([3e200]), np.array([[4e200, 0.0]])]
    hint = "the global norm is the norm of all entries of all arrays together."
    cases = [
        Case("two small arrays of different shapes", (grads,), close_to(global_norm(grads)), hint,
             mistakes=_global_mistakes(grads)),
        Case("three random arrays", (many,), close_to(global_norm(many)), hint, mistakes=_global_mistakes(many)),
        Case("two arrays drawn afresh at every run", (drawn,), close_to(global_norm(drawn)), hint,
             mistakes=_global_mistakes(drawn), fresh=True),
        Case("a single array in a list", ([np.array([6.0, 8.0])],), close_to(10.0),
             "with one array the global norm is that array's norm."),
        Case("an empty list gives 0", ([],), close_to(0.0), "no gradients, no length: start the sum at 0.",
             edge=True),
        Case("huge gradients (1e200) do not overflow", (huge,), close_to(global_norm(huge), rtol=1e-12),
             "take a safe norm of each array, then a safe norm of those norms (your safe_l2_norm).", edge=True),
    ]
    return run_cases("global_norm", my_global_norm, cases, quiet=quiet)


def check_normalize(normalize: Callable, *, quiet: bool = False) -> CheckReport:
    """Check a learner's ``normalize(x, p=2)``: ``x / ||x||_p``, a ValueError for the zero vector."""
    x = np.array([3.0, -4.0])
    matrix = np.array([[1.0, -2.0], [2.0, 4.0]])
    big = np.array([3e200, -4e200])
    rng = fresh_rng()
    drawn = rng.normal(size=5) * 3.0

    def unit(v: np.ndarray, p: float = 2, **kw) -> Case:
        want = v / lp_norm(v, p)
        mistakes = tuple(Mistake(close_to(v / lp_norm(v, q), rtol=1e-12), "divide by the norm of order p, "
                                 "the p you are given (it defaults to 2).") for q in (1, 2, np.inf) if q != p)
        mistakes += (Mistake(close_to(lp_norm(v, p)), "return the vector x / ||x||_p, not its norm."),)
        args = (v,) if kw.pop("default_p", False) else (v, p)
        return Case(kw.pop("label"), args, close_to(want, rtol=1e-12),
                    "divide x by its p-norm; the result has p-norm 1 and points the same way.",
                    mistakes=mistakes, **kw)

    cases = [
        unit(x, label="Euclidean unit vector (default p = 2)", default_p=True),
        unit(x, 1, label="p = 1"),
        unit(drawn, 3, label="a random vector, p = 3 (drawn afresh at every run)", fresh=True),
        unit(x, np.inf, label="p = inf", edge=True),
        unit(matrix, 2, label="a 2-D array keeps its shape", edge=True),
        Case("huge entries (1e200)", (big, 2), close_to(big / lp_norm(big, 2), rtol=1e-12), edge=True,
             hint="x / p_norm(x, p) is 0 when the norm overflows to inf: your p_norm must pass its own "
                  "huge-entry case (Task 1), then reuse it here."),
        Case("the zero vector (no direction) is refused", (np.zeros(3),), raises=ValueError, edge=True,
             hint="check for a zero norm and raise ValueError instead of dividing by 0."),
    ]
    return run_cases("normalize", normalize, cases, quiet=quiet)
