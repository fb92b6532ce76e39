"""The 2-D toy data sets of the WGAN-GP paper, generated here (nothing is downloaded).

Follows ``gan_toy.py`` of Gulrajani et al. (2017):

* **8 Gaussians**: centres ``2 (cos k pi/4, sin k pi/4)``, standard deviation
  0.02, the whole sample divided by 1.414 (so the centres lie on a circle of
  radius about 1.414 and the standard deviation becomes about 0.0141).
* **25 Gaussians**: a 5 x 5 grid at ``(2i, 2j)``, ``i, j in {-2..2}``,
  standard deviation 0.05, divided by 2.828.
* **Swiss roll**: scikit-learn's ``make_swiss_roll`` (noise 0.25), columns
  x and z, divided by 7.5; re-implemented in numpy.

Every generator takes ``rng = np.random.default_rng(seed)`` explicitly.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._validation import check_int, check_scalar
from ._numerics import MAX_SAMPLES

__all__ = ["eight_gaussian_centres", "eight_gaussians", "twentyfive_gaussians", "swiss_roll",
           "TOY_DATASETS", "sample_toy", "EIGHT_GAUSSIANS_STD"]

EIGHT_GAUSSIANS_STD = 0.02 / 1.414
"""Standard deviation of each of the 8 Gaussians after the division by 1.414."""


def _check(n: int, rng: np.random.Generator) -> int:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return check_int(n, "n", low=1, high=MAX_SAMPLES)


def eight_gaussian_centres() -> np.ndarray:
    """The 8 mode centres (after the division by 1.414), shape ``(8, 2)``.

    Examples
    --------
    >>> np.round(eight_gaussian_centres()[0], 4)
    array([1.4144, 0.    ])
    """
    angles = np.arange(8) * np.pi / 4
    return 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1) / 1.414


def eight_gaussians(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points from the 8-Gaussians mixture (equal weights), shape ``(n, 2)``.

    Examples
    --------
    >>> x = eight_gaussians(1000, np.random.default_rng(0))
    >>> x.shape, bool(np.abs(np.linalg.norm(x, axis=1) - 1.414).max() < 0.1)
    ((1000, 2), True)
    """
    n = _check(n, rng)
    idx = rng.integers(0, 8, size=n)
    return eight_gaussian_centres()[idx] + rng.normal(0.0, EIGHT_GAUSSIANS_STD, size=(n, 2))


def twentyfive_gaussians(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points from the 5 x 5 grid of Gaussians, shape ``(n, 2)``.

    Examples
    --------
    >>> twentyfive_gaussians(10, np.random.default_rng(0)).shape
    (10, 2)
    """
    n = _check(n, rng)
    grid = np.array([(2.0 * i, 2.0 * j) for i in range(-2, 3) for j in range(-2, 3)])
    idx = rng.integers(0, 25, size=n)
    return (grid[idx] + rng.normal(0.0, 0.05, size=(n, 2))) / 2.828


def swiss_roll(n: int, rng: np.random.Generator, noise: float = 0.25) -> np.ndarray:
    """``n`` points of the 2-D Swiss roll, shape ``(n, 2)``.

    ``noise`` is the standard deviation of the Gaussian noise added to each
    3-D coordinate before the projection: a finite number >= 0 (0 gives the bare roll).

    Raises
    ------
    ValueError
        If ``n < 1`` or ``noise`` is negative, NaN or infinite.
    TypeError
        If ``rng`` is not a ``numpy.random.Generator`` or ``noise`` is not a real number.

    Examples
    --------
    >>> swiss_roll(5, np.random.default_rng(0)).shape
    (5, 2)
    """
    n = _check(n, rng)
    noise = check_scalar(noise, "noise", low=0.0)
    t = 1.5 * np.pi * (1.0 + 2.0 * rng.uniform(size=n))
    y = 21.0 * rng.uniform(size=n)
    pts = np.stack([t * np.cos(t), y, t * np.sin(t)], axis=1) + noise * rng.normal(size=(n, 3))
    return pts[:, [0, 2]] / 7.5


TOY_DATASETS: dict[str, Callable[[int, np.random.Generator], np.ndarray]] = {
    "8gaussians": eight_gaussians,
    "25gaussians": twentyfive_gaussians,
    "swissroll": swiss_roll,
}


def sample_toy(name: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points of the toy data set ``name`` (a key of :data:`TOY_DATASETS`).

    Raises
    ------
    ValueError
        For an unknown ``name``.
    """
    if not isinstance(name, str) or name not in TOY_DATASETS:
        raise ValueError(f"name must be one of {sorted(TOY_DATASETS)}, got {name!r}")
    return TOY_DATASETS[name](n, rng)
