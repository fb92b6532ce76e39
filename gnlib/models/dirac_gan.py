"""Dirac-GAN (Mescheder, Geiger & Nowozin 2018): the smallest GAN that fails to converge.

The data distribution is a point mass at 0, the generator a point mass at
``theta`` and the discriminator linear, ``D_psi(x) = psi x``. The game is

    L(theta, psi) = f(psi theta) + f(0)

minimised by the generator (theta) and maximised by the discriminator (psi),
with ``f(t) = -log(1 + exp(-t))`` for the standard GAN (``f'(0) = 1/2``) and
``f(t) = t`` for WGAN. The only equilibrium is ``(0, 0)``. The discriminator
may also subtract a penalty on its input gradient ``grad_x D = psi``:

* ``"r1"`` (zero-centred):  ``(gamma / 2) psi^2``, gradient ``gamma psi``;
* ``"wgan_gp"`` (target 1): ``lam (|psi| - 1)^2``, gradient ``2 lam (|psi| - 1) sign(psi)``.

(The reference code writes the WGAN-GP term as ``reg (|psi| - 1) sign(psi)``,
so its ``reg = 0.7`` is ``lam = 0.35`` here, in the paper's convention
``lam (||grad|| - 1)^2``.) The step size is the learning rate ``eta`` (the
reference calls it ``h``; in this course ``h`` is the finite-difference step).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .._validation import as_float_array, check_int, check_scalar
from ._numerics import MAX_STEPS, sigmoid, sigmoid_float

__all__ = ["GAMES", "PENALTIES", "DiracPath", "dirac_vector_field", "simulate_dirac", "dirac_jacobian_eigenvalues",
           "dirac_update_modulus"]

GAMES = ("gan", "wgan")
PENALTIES = ("none", "r1", "wgan_gp")


def _check_kind(game: str, penalty: str) -> None:
    if not isinstance(game, str) or game not in GAMES:
        raise ValueError(f"game must be one of {GAMES}, got {game!r}")
    if not isinstance(penalty, str) or penalty not in PENALTIES:
        raise ValueError(f"penalty must be one of {PENALTIES}, got {penalty!r}")


def _f_prime(t: np.ndarray | float, game: str) -> np.ndarray | float:
    if game == "wgan":
        return np.ones_like(t) if isinstance(t, np.ndarray) else 1.0
    # f'(t) = sigmoid(-t), accurate also far out where (1 - tanh(t/2)) / 2 would cancel to 0
    return sigmoid(-t) if isinstance(t, np.ndarray) else sigmoid_float(-t)


class DiracPath(np.ndarray):
    """The iterates of :func:`simulate_dirac`: a ``(n_steps + 1, 2)`` array that also says whether the run diverged.

    Attributes
    ----------
    diverged : bool
        True if an iterate overflowed; the run stopped there (as the
        optimizers in :mod:`gnlib.optim` stop, with ``Trajectory.diverged``).
    n_steps : int
        The steps taken; rows ``n_steps + 1`` onwards are NaN (steps not taken).
    """

    diverged: bool
    n_steps: int

    def __array_finalize__(self, obj: Any) -> None:
        self.diverged = getattr(obj, "diverged", False)
        self.n_steps = getattr(obj, "n_steps", 0)


def _as_parameter(value: Any, name: str) -> float | np.ndarray:
    """A number as a float, an array of numbers as a float64 array; anything else raises ``TypeError``."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    arr = as_float_array(value, name)  # strings, None, complex: TypeError naming the argument
    return arr.astype(np.float64, copy=False) if arr.ndim else float(arr)


def _penalty_grad(psi, penalty: str, weight: float, target: float):
    if penalty == "r1":
        return weight * psi
    if penalty == "wgan_gp":
        return 2.0 * weight * (np.abs(psi) - target) * np.sign(psi)
    return 0.0 * psi


def dirac_vector_field(theta, psi, *, game: str = "gan", penalty: str = "none", weight: float = 0.0,
                       target: float = 1.0):
    """The update directions ``(v_theta, v_psi)`` of the Dirac-GAN.

    ``v_theta = -psi f'(psi theta)`` (the generator descends L) and
    ``v_psi = theta f'(psi theta) - dR/dpsi`` (the discriminator ascends L - R).
    Accepts numbers or arrays of equal shape (a grid for a quiver plot).

    Parameters
    ----------
    theta, psi : float or numpy.ndarray
        Generator and discriminator parameters.
    game : {"gan", "wgan"}
    penalty : {"none", "r1", "wgan_gp"}
    weight : float
        gamma for ``"r1"``, lam for ``"wgan_gp"`` (>= 0).
    target : float, default 1.0
        The gradient norm WGAN-GP pulls |psi| towards (>= 0).

    Raises
    ------
    TypeError
        If ``theta`` or ``psi`` is not a number or an array of numbers (a
        string such as ``"1"`` included).
    ValueError
        For an unknown ``game`` or ``penalty``, a negative ``weight`` or
        ``target``, or arrays of different shapes.

    Examples
    --------
    >>> dirac_vector_field(1.0, 0.0)
    (-0.0, 0.5)
    >>> dirac_vector_field(0.0, 1.0, penalty="r1", weight=0.3)
    (-0.5, -0.3)
    """
    _check_kind(game, penalty)
    theta, psi = _as_parameter(theta, "theta"), _as_parameter(psi, "psi")
    if isinstance(theta, np.ndarray) and isinstance(psi, np.ndarray) and theta.shape != psi.shape:
        raise ValueError(f"theta and psi must have the same shape, got {theta.shape} and {psi.shape}")
    weight = check_scalar(weight, "weight", low=0.0)
    target = check_scalar(target, "target", low=0.0)
    fp = _f_prime(psi * theta, game)
    return -psi * fp, theta * fp - _penalty_grad(psi, penalty, weight, target)


def simulate_dirac(theta0: float = 1.0, psi0: float = 1.0, *, learning_rate: float = 0.2, n_steps: int = 500,
                   method: str = "simultaneous", d_steps: int = 1, game: str = "gan", penalty: str = "none",
                   weight: float = 0.0, target: float = 1.0) -> DiracPath:
    """Iterate gradient descent-ascent on the Dirac-GAN.

    Simultaneous: ``(theta, psi) += eta v(theta, psi)``. Alternating: first
    ``theta += eta v_theta(theta, psi)``, then ``d_steps`` times
    ``psi += eta v_psi(theta_new, psi)``.

    Parameters
    ----------
    theta0, psi0 : float
        Start point (the paper uses (1, 1)).
    learning_rate : float, default 0.2
        eta > 0.
    n_steps : int, default 500
    method : {"simultaneous", "alternating"}
    d_steps : int, default 1
        Discriminator steps per generator step (alternating only).
    game, penalty, weight, target
        As in :func:`dirac_vector_field`.

    Returns
    -------
    DiracPath
        A numpy array of shape ``(n_steps + 1, 2)``: the iterates
        ``(theta_t, psi_t)``. If an iterate overflows, the run stops early:
        ``path.diverged`` is True, ``path.n_steps`` is the number of finite
        steps taken, and the rows after them are NaN.

    Raises
    ------
    ValueError
        For a bad ``method``, ``game``, ``penalty`` or a non-positive ``learning_rate``.

    Examples
    --------
    >>> path = simulate_dirac(penalty="r1", weight=0.3)
    >>> bool(np.hypot(*path[-1]) < 1e-4), path.diverged
    (True, False)
    >>> huge = simulate_dirac(learning_rate=1e300, n_steps=3)
    >>> huge.diverged, huge.n_steps, bool(np.isnan(huge[2:]).all())
    (True, 1, True)
    """
    _check_kind(game, penalty)
    eta = check_scalar(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
    n_steps = check_int(n_steps, "n_steps", low=0, high=MAX_STEPS)
    d_steps = check_int(d_steps, "d_steps", low=1, high=MAX_STEPS)
    weight = check_scalar(weight, "weight", low=0.0)
    target = check_scalar(target, "target", low=0.0)
    theta, psi = check_scalar(theta0, "theta0"), check_scalar(psi0, "psi0")
    if not isinstance(method, str) or method not in ("simultaneous", "alternating"):
        raise ValueError(f"method must be 'simultaneous' or 'alternating', got {method!r}")
    path = np.empty((n_steps + 1, 2)).view(DiracPath)
    path.diverged, path.n_steps = False, n_steps
    path[0] = theta, psi
    sign = math.copysign
    for t in range(1, n_steps + 1):
        if method == "simultaneous":
            fp = _f_prime(psi * theta, game)
            v1 = -psi * fp
            v2 = theta * fp
        else:
            theta = theta - eta * psi * _f_prime(psi * theta, game)
            v1 = 0.0
            for _ in range(d_steps - 1):
                psi = psi + eta * (theta * _f_prime(psi * theta, game) - _scalar_pen(psi, penalty, weight, target, sign))
            v2 = theta * _f_prime(psi * theta, game)
        v2 -= _scalar_pen(psi, penalty, weight, target, sign)
        theta, psi = theta + eta * v1, psi + eta * v2
        if not (math.isfinite(theta) and math.isfinite(psi)):
            path[t:] = np.nan
            path.diverged, path.n_steps = True, t - 1
            break
        path[t] = theta, psi
    return path


def _scalar_pen(psi: float, penalty: str, weight: float, target: float, sign) -> float:
    if penalty == "r1":
        return weight * psi
    if penalty == "wgan_gp" and psi != 0.0:
        return 2.0 * weight * (abs(psi) - target) * sign(1.0, psi)
    return 0.0


def dirac_jacobian_eigenvalues(gamma: float, f0: float = 0.5) -> np.ndarray:
    """Eigenvalues of the Jacobian ``[[0, -f0], [f0, -gamma]]`` at the equilibrium (R1 penalty).

    For ``gamma < 2 f0`` they are ``-gamma/2 +- i sqrt(f0^2 - gamma^2/4)``: the
    real part ``-gamma/2`` makes the equilibrium attract. ``gamma = 0`` gives
    ``+- i f0`` (pure rotation); ``gamma = 2 f0`` is the critical value.

    Examples
    --------
    >>> dirac_jacobian_eigenvalues(0.0).imag
    array([ 0.5, -0.5])
    """
    gamma = check_scalar(gamma, "gamma", low=0.0)
    f0 = check_scalar(f0, "f0", low=0.0, low_inclusive=False)
    return np.linalg.eigvals(np.array([[0.0, -f0], [f0, -gamma]])).astype(complex)


def dirac_update_modulus(gamma: float, learning_rate: float, f0: float = 0.5) -> float:
    """Spectral radius of simultaneous GD's linearised update ``I + eta J``.

    Above 1 the iterates spiral out, below 1 they converge (at that rate per step).
    Computed in closed form, without overflow: for ``gamma < 2 f0`` the
    eigenvalues are ``-gamma/2 +- i w`` with ``w = sqrt(f0^2 - gamma^2/4)`` and the
    modulus is ``hypot(1 - eta gamma/2, eta w)``; otherwise they are real, ``l1 =
    -(gamma/2 + sqrt(gamma^2/4 - f0^2))`` and ``l2 = f0^2 / l1``, and the modulus is
    ``max |1 + eta l|``. The result is ``inf`` only where the modulus itself
    exceeds the float range (e.g. ``dirac_update_modulus(1e300, 1e10)``, about 1e310).

    Examples
    --------
    >>> round(dirac_update_modulus(0.0, 0.2), 4)      # sqrt(1 + 0.2**2 / 4)
    1.005
    >>> round(dirac_update_modulus(0.3, 0.2), 3)
    0.975
    """
    eta = check_scalar(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
    gamma = check_scalar(gamma, "gamma", low=0.0)
    f0 = check_scalar(f0, "f0", low=0.0, low_inclusive=False)
    half = gamma / 2.0
    if half < f0:  # complex pair: |1 + eta l|^2 = (1 - eta gamma/2)^2 + (eta w)^2
        w = math.sqrt(f0 - half) * math.sqrt(f0 + half)
        return math.hypot(1.0 - eta * half, eta * w)
    l1 = -(half + math.sqrt(half - f0) * math.sqrt(half + f0))  # the larger in size; no cancellation
    l2 = (f0 / l1) * f0  # the product of the two eigenvalues is f0^2
    return max(abs(1.0 + eta * l1), abs(1.0 + eta * l2))
