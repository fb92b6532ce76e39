"""The global-norm sums batch many arrays into shared rows: each array's sum must not depend on its neighbours."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest

from gnlib._sums import BLOCK, COPIED, ROW, SHORT, SMALL, fast_sum_of_squares, sum_of_squares, sums_of_squares
from gnlib.clip import clip_by_global_norm
from gnlib.norms import global_norm


def correctly_rounded_sqrt(value: Fraction) -> float:
    with localcontext() as ctx:
        ctx.prec = 60
        return float((Decimal(value.numerator) / Decimal(value.denominator)).sqrt())


SIZES = [SMALL + 1, ROW - 1, ROW + 1, SHORT, SHORT + 7, COPIED - 1, COPIED + 1, BLOCK - 1, BLOCK + 9]


@pytest.mark.parametrize("dtype", [np.float16, np.float64])
def test_each_batched_sum_equals_the_sum_of_that_array_alone(dtype):
    rng = np.random.default_rng(7)
    arrays = [rng.normal(size=n).astype(dtype) for n in SIZES for _ in range(2)]
    sums, _, _ = sums_of_squares(arrays)
    assert sums == [fast_sum_of_squares(a)[0] for a in arrays]
    assert sums[::-1] == sums_of_squares(arrays[::-1])[0]  # order of the arrays changes nothing


@pytest.mark.parametrize("n", SIZES)
def test_batched_float64_sums_are_as_accurate_as_l2_norm(n):
    for c in (1 / 3, 0.1, math.pi):
        arrays = [np.full(n, c), np.full(3, c), np.full(n, c)]
        reference = correctly_rounded_sqrt(Fraction(c) ** 2 * (2 * n + 3))
        got = global_norm(arrays)
        assert abs(got - reference) <= 2 * math.ulp(reference), (n, c)
        assert sums_of_squares(arrays)[0][0] == sum_of_squares(arrays[0])


def test_in_place_clip_of_many_short_float64_arrays_hits_the_threshold():
    grads = [np.full(1000, 1 / 3) for _ in range(10)]
    _, total = clip_by_global_norm(grads, 1.0, out=grads)
    exact = correctly_rounded_sqrt(Fraction(1 / 3) ** 2 * 10_000)
    assert abs(total - exact) <= 2 * math.ulp(exact)
    assert global_norm(grads) <= 1.0 + 2 * 2.0**-53
    assert global_norm(grads) >= 1.0 - 4 * 2.0**-53
