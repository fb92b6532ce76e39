"""A parameter-gradient penalty on a 1-D loss with a sharp and a flat minimum.

The loss is a sum of two Gaussian wells and a weak quadratic::

    J(theta) = -a_s exp(-(theta - c_s)^2 / (2 s_s^2)) - a_f exp(-(theta - c_f)^2 / (2 s_f^2)) + q theta^2

with a deep, narrow (sharp) well at ``c_s = -1`` and a shallower, wide (flat)
well near ``c_f = 1.5``. The gradient-norm penalty on the *parameters* is

    J_lam(theta) = J(theta) + lam |J'(theta)|^2,   J_lam'(theta) = J'(theta) (1 + 2 lam J''(theta)),

so differentiating it needs the second derivative J'': the gradient of a
gradient. The penalty vanishes at every minimum (J' = 0), so the minima stay where
they are, but it multiplies the curvature there: ``J_lam'' = J'' (1 + 2 lam J'')``.
A sharp minimum becomes much sharper while a flat one barely changes, and
gradient descent with learning rate eta can settle only in minima with
``eta * curvature < 2``. Above ``lam* = 1 / (2 |min J''|)`` the penalty also
creates new stationary points on the steep walls (where ``J'' = -1/(2 lam)``).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_int, check_scalar
from ._numerics import MAX_STEPS

__all__ = ["SHARP", "FLAT", "LAM_SPURIOUS", "two_minima_loss", "penalized_loss", "penalized_gradient",
           "minima", "penalized_curvatures", "gd_on_penalized", "settled"]

SHARP = (1.0, -1.0, 0.25)
"""(depth a, centre c, width s) of the sharp well."""
FLAT = (0.75, 1.5, 1.0)
"""(depth a, centre c, width s) of the flat well."""
_Q = 0.02


def two_minima_loss(theta) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``J``, ``J'`` and ``J''`` at ``theta`` (any shape, finite).

    Far out (``|theta|`` beyond about 1e155) ``J`` exceeds the float range
    and is ``inf``, without a warning; ``J'`` and ``J''`` stay exact.

    Raises
    ------
    ValueError
        If ``theta`` has a NaN or infinite entry.
    TypeError
        If ``theta`` is not numeric.

    Examples
    --------
    >>> J, dJ, d2J = two_minima_loss(np.array([-1.0]))
    >>> bool(abs(dJ[0]) < 0.2 and d2J[0] > 10)        # the sharp well: curvature about 16
    True
    """
    theta = as_float_array(theta, "theta").astype(np.float64, copy=False)
    if not np.isfinite(theta).all():
        raise ValueError("theta must be finite, got a NaN or inf entry")
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # the NaN of 0 * inf is discarded below
        value = _Q * theta**2
        slope = 2.0 * _Q * theta
        curv = np.full_like(theta, 2.0 * _Q)
        for depth, centre, width in (SHARP, FLAT):
            r = theta - centre
            bump = depth * np.exp(-0.5 * (r / width) ** 2)
            value = value - bump
            slope = slope + bump * r / width**2
            # where the bump is 0, r**2 may overflow: 0 * inf must not turn into NaN
            curv = curv + np.where(bump > 0, bump * (1.0 / width**2 - r**2 / width**4), 0.0)
    return value, slope, curv


def penalized_loss(theta, lam: float) -> np.ndarray:
    """``J(theta) + lam J'(theta)^2``.

    Examples
    --------
    >>> bool(np.allclose(penalized_loss(np.array([0.3]), 0.0), two_minima_loss(np.array([0.3]))[0]))
    True
    """
    lam = check_scalar(lam, "lam", low=0.0)
    value, slope, _ = two_minima_loss(theta)
    with np.errstate(over="ignore"):  # beyond the float range: inf
        return value + lam * slope**2


def penalized_gradient(theta, lam: float) -> np.ndarray:
    """``J'(theta) (1 + 2 lam J''(theta))``, the derivative of :func:`penalized_loss`.

    Examples
    --------
    >>> from gnlib.gradcheck import check_gradient
    >>> bool(check_gradient(lambda t: penalized_loss(t, 0.5).sum(), lambda t: penalized_gradient(t, 0.5),
    ...                     np.array([-1.2, 0.4, 2.0])) < 1e-7)
    True
    """
    lam = check_scalar(lam, "lam", low=0.0)
    _, slope, curv = two_minima_loss(theta)
    with np.errstate(over="ignore"):  # beyond the float range: inf
        return slope * (1.0 + 2.0 * lam * curv)


def minima() -> np.ndarray:
    """Locations of the sharp and the flat minimum of ``J`` (to 1e-10), shape ``(2,)``.

    Examples
    --------
    >>> np.round(minima(), 3)
    array([-0.992,  1.424])
    """
    points = np.array([SHARP[1], FLAT[1]])
    for _ in range(50):  # Newton's method from the well centres
        _, slope, curv = two_minima_loss(points)
        points = points - slope / curv
    return points


def penalized_curvatures(lam: float) -> np.ndarray:
    """Curvature ``J''(1 + 2 lam J'')`` of ``J_lam`` at the sharp and the flat minimum.

    Examples
    --------
    >>> np.round(penalized_curvatures(0.0), 2)
    array([15.84,  0.78])
    """
    lam = check_scalar(lam, "lam", low=0.0)
    _, _, curv = two_minima_loss(minima())
    return curv * (1.0 + 2.0 * lam * curv)


def _lam_spurious() -> float:
    grid = np.linspace(-4.0, 5.0, 9001)
    return float(1.0 / (2.0 * -two_minima_loss(grid)[2].min()))


LAM_SPURIOUS = _lam_spurious()
"""Above this lam the penalty creates new stationary points of ``J_lam`` (about 0.068)."""


def gd_on_penalized(starts, lam: float, learning_rate: float, n_steps: int = 150) -> np.ndarray:
    """Gradient descent on ``J_lam`` from every start at once.

    Parameters
    ----------
    starts : array_like
        Starting points ``theta_0``, 1-D, each within +-1e3 (the range the iterates are kept in).
    lam : float
        Penalty weight lam >= 0.
    learning_rate : float
        eta > 0.
    n_steps : int, default 150

    Returns
    -------
    numpy.ndarray
        Shape ``(n_steps + 1, len(starts))``: the iterates (kept within +-1e3).

    Examples
    --------
    >>> path = gd_on_penalized([-1.3, 0.3], 0.0, 0.05, n_steps=400)
    >>> np.round(path[-1], 3)
    array([-0.992,  1.424])
    """
    theta = as_float_array(starts, "starts").astype(np.float64, copy=True).reshape(-1)
    if not (np.abs(theta) <= 1e3).all():
        raise ValueError("starts must be finite and within +-1e3, the range the iterates are kept in")
    lam = check_scalar(lam, "lam", low=0.0)
    eta = check_scalar(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
    n_steps = check_int(n_steps, "n_steps", low=0, high=MAX_STEPS)
    (a1, c1, s1), (a2, c2, s2) = SHARP, FLAT
    k1, k2 = 0.5 / s1**2, 0.5 / s2**2
    path = np.empty((n_steps + 1, theta.size))
    path[0] = theta
    with np.errstate(under="ignore", over="ignore"):  # a huge eta overflows to +-inf, clipped to +-1e3
        for t in range(1, n_steps + 1):  # penalized_gradient, inlined for speed
            r1, r2 = theta - c1, theta - c2
            e1, e2 = a1 * np.exp(-k1 * r1 * r1), a2 * np.exp(-k2 * r2 * r2)
            slope = 2.0 * _Q * theta + e1 * r1 / s1**2 + e2 * r2 / s2**2
            curv = 2.0 * _Q + e1 * (1.0 / s1**2 - r1 * r1 / s1**4) + e2 * (1.0 / s2**2 - r2 * r2 / s2**4)
            theta = np.clip(theta - eta * slope * (1.0 + 2.0 * lam * curv), -1e3, 1e3)
            path[t] = theta
    return path


def settled(path, tol: float = 1e-6, window: int = 10) -> np.ndarray:
    """True for each run whose last ``window`` iterates move less than ``tol``.

    Parameters
    ----------
    path : array_like
        Shape ``(n_steps + 1, n_runs)`` (as :func:`gd_on_penalized` returns) with at least one iterate.
    tol : float, default 1e-6
        The largest spread (max - min) of the last iterates that counts as settled; finite, > 0.
    window : int, default 10
        How many of the last iterates to look at (>= 1; all of them if the path is shorter).

    Returns
    -------
    numpy.ndarray
        One boolean per run; False for a run whose last iterates are not all finite.

    Raises
    ------
    ValueError
        If ``path`` is not 2-D or has no iterate, ``tol`` is not a finite
        positive number, or ``window < 1``.
    TypeError
        If ``path`` is not numeric or ``window`` is not an integer.

    Examples
    --------
    >>> settled(gd_on_penalized([-1.3], 0.0, 0.05)).tolist()
    [True]
    >>> settled(gd_on_penalized([-1.3], 0.06, 0.05)).tolist()   # bounces in the sharp well
    [False]
    """
    path = as_float_array(path, "path")
    tol = check_scalar(tol, "tol", low=0.0, low_inclusive=False)
    window = check_int(window, "window", low=1, high=MAX_STEPS)
    if path.ndim != 2 or path.shape[0] < 1:
        raise ValueError(f"path must have shape (n_steps + 1, n_runs) with at least one iterate, got {path.shape}")
    tail = path[-window:]
    with np.errstate(invalid="ignore"):  # inf - inf in a diverged run: not settled
        return np.isfinite(tail).all(axis=0) & (np.ptp(tail, axis=0) < tol)
