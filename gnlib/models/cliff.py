"""The cliff of the single-unit recurrent net: where its wall lies, where it starts, how high it peaks.

For ``x_t = w sigmoid(x_{t-1}) + b`` (see :mod:`gnlib.models.rnn`) the start
state ``x0`` is a fixed point on the line ``b* = x0 - w sigmoid(x0)``. Above
the weight ``1 / sigmoid'(x0)`` that fixed point is unstable: it separates
two basins, the loss jumps across the line, and the gradient norm peaks
there, higher the larger ``w``. Lesson 03 draws the line, prints the peaks,
and starts its clipping demo just below the wall.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._validation import as_float_array, check_int, check_scalar
from ._numerics import sigmoid
from .rnn import rnn_loss_and_grad

__all__ = ["cliff_wall_bias", "cliff_min_weight", "wall_peak_gradient_norm", "MAX_WALL_WEIGHT"]

#: The largest weight whose wall peak is searched: the peak grows like
#: ``(0.235 w)**50`` and leaves the float range near ``w = 6e6``; far beyond,
#: every state saturates in float64 and the search would find 0.
MAX_WALL_WEIGHT = 1e6


def cliff_wall_bias(w: Any, x0: float = 0.5) -> np.ndarray:
    """Where the wall is: ``b* = x0 - w sigmoid(x0)`` (0.5 - 0.62246 w for x0 = 0.5).

    On this line ``x0`` is a fixed point of ``x -> w sigmoid(x) + b``; for
    ``w > cliff_min_weight(x0)`` it is the *unstable* one, the boundary between
    the two basins, so an infinitesimal change of ``b`` decides where ``x_T``
    ends up. Meaningful only for ``w > cliff_min_weight(x0)``.

    Examples
    --------
    >>> round(float(cliff_wall_bias(5.0)), 5)
    -2.6123
    """
    x0 = check_scalar(x0, "x0")
    return x0 - as_float_array(w, "w") * float(sigmoid(x0))


def cliff_min_weight(x0: float = 0.5) -> float:
    """The weight ``1/sigmoid'(x0) = 2 + 2 cosh(x0)`` above which the wall exists (4.255 for x0 = 0.5).

    Raises
    ------
    ValueError
        If ``x0`` is not finite, or ``|x0| > 710``, where this weight exceeds the float range.

    Examples
    --------
    >>> round(cliff_min_weight(), 3)
    4.255
    """
    x0 = check_scalar(x0, "x0")
    try:
        return 2.0 + 2.0 * math.cosh(x0)  # = 1 / (s (1 - s)), s = sigmoid(x0), without cancellation
    except OverflowError:
        raise ValueError(f"x0 = {x0:g} puts the wall at w = 2 + 2 cosh(x0), beyond the float range "
                         "(|x0| must be below 710)") from None


def wall_peak_gradient_norm(w: Any, x0: float = 0.5, n: int = 600, n_ulp: int = 512) -> np.ndarray:
    """The largest ``||grad E||`` found when crossing the wall at weight(s) ``w``.

    Two sets of biases are searched: ``b = b*(w) +- d`` for ``n`` log-spaced
    offsets ``d`` from 1e-13 to 0.3, and every float64 within ``n_ulp``
    representable steps (ulp) of ``b*``. The peak sits just below ``b*`` and
    gets narrower as ``w`` grows; from about ``w = 8`` on it is only a few ulp
    wide, so the ulp scan is what finds it (at ``w = 8``: 1.4e13, about 25
    ulp below ``b*``, where ``b*`` itself gives 2.5e12). The result is the
    largest value at the biases searched, a lower bound on the true peak.

    Parameters
    ----------
    w : float or array_like
        Recurrent weight(s), each above :func:`cliff_min_weight`.
    x0 : float, default 0.5
        Initial state.
    n : int, default 600
        Number of log-spaced offsets on each side of ``b*``.
    n_ulp : int, default 512
        Number of float64 steps scanned on each side of ``b*``.

    Returns
    -------
    numpy.ndarray
        The largest gradient norm per weight (shape of ``w``).

    Raises
    ------
    ValueError
        If ``n`` or ``n_ulp`` is not an integer in ``[1, 10**5]``, or a weight is not above the
        wall's start or above ``MAX_WALL_WEIGHT`` (1e6), or is NaN.

    Examples
    --------
    >>> f"{float(wall_peak_gradient_norm(5.0)):.1g}"
    '7e+03'
    """
    n = check_int(n, "n", low=1, high=10**5)  # each point is a 50-step BPTT: 10**5 a side is 330 MB
    n_ulp = check_int(n_ulp, "n_ulp", low=1, high=10**5)
    w = as_float_array(w, "w").astype(np.float64)
    if (w <= cliff_min_weight(x0)).any():
        raise ValueError(f"w must be > {cliff_min_weight(x0):.4g}, where the wall starts for x0 = {x0:g}")
    if not (w <= MAX_WALL_WEIGHT).all():
        raise ValueError(f"w must be finite and at most {MAX_WALL_WEIGHT:g}: the peak, about (0.235 w)**50, "
                         "leaves the float range beyond that")
    small = np.logspace(-13, -0.5, n)
    offsets = np.concatenate([-small[::-1], [0.0], small])
    b_star = cliff_wall_bias(w, x0)[..., None]
    ulps = np.arange(-n_ulp, n_ulp + 1) * np.spacing(np.abs(b_star))
    biases = np.concatenate([b_star + offsets, b_star + ulps], axis=-1)
    _, gw, gb = rnn_loss_and_grad(w[..., None], biases, x0=x0)
    return np.hypot(gw, gb).max(axis=-1)
