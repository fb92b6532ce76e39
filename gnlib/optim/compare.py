"""Run gradient descent, normalized GD and clipped GD side by side, and measure the runs.

Lesson 04 compares the three optimizers of :mod:`gnlib.optim` on the same
objective with the same learning rate eta. This module only *drives* those
optimizers (it does not re-implement them) and turns their trajectories into
the numbers the lesson shows: step lengths, losses, distances to a point and
the size of the cycle a constant-step method ends in.

Method keys are those of :data:`gnlib.figures.style.COLORS`: ``"gd"``, ``"ngd"``
and ``"clipped"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from .._validation import as_float_array, check_int, check_scalar
from ..functions import Objective
from .descent import (
    LearningRate,
    Trajectory,
    clipped_gradient_descent,
    gradient_descent,
    normalized_gradient_descent,
)

__all__ = [
    "METHODS",
    "METHOD_LABELS",
    "run_methods",
    "step_lengths",
    "trajectory_losses",
    "distances",
    "cycle_amplitude",
    "summarize_runs",
]

METHODS: tuple[str, ...] = ("gd", "ngd", "clipped")
"""The three methods, in the order the lesson always lists them."""

METHOD_LABELS: dict[str, str] = {"gd": "GD", "ngd": "normalized GD", "clipped": "clipped GD"}
"""Legend labels for the three methods."""


def run_methods(
    grad_fn: Objective | Callable[[np.ndarray], Any],
    theta0: Any,
    learning_rate: LearningRate,
    max_norm: float,
    n_steps: int,
    *,
    methods: Iterable[str] = METHODS,
) -> dict[str, Trajectory]:
    """Run several of GD, normalized GD and clipped GD from the same start.

    Parameters
    ----------
    grad_fn : Objective or callable
        An :class:`~gnlib.functions.Objective` (its gradient is used) or a
        function ``theta -> gradient``.
    theta0 : array_like
        The common start point.
    learning_rate : float or callable
        eta > 0 or a schedule ``t -> eta_t``, shared by all methods.
    max_norm : float
        The clipping threshold tau (> 0), used by ``"clipped"`` only.
    n_steps : int
        Number of steps (>= 0). A run that overflows stops early
        (``Trajectory.diverged``).
    methods : iterable of str, default ("gd", "ngd", "clipped")
        Which methods to run (any iterable, a generator included; read once).

    Returns
    -------
    dict of str to Trajectory
        One trajectory per method, in the order of ``methods``. Losses are not
        recorded (use :func:`trajectory_losses`, which is vectorized).

    Raises
    ------
    ValueError
        If ``methods`` is one string, names an unknown method or is empty, or if
        ``max_norm``, ``learning_rate``, ``n_steps`` or ``theta0`` is invalid.
    TypeError
        If ``grad_fn`` is neither an Objective nor callable, or ``methods``
        is not iterable.

    Examples
    --------
    >>> runs = run_methods(lambda th: 2 * th, [1.0], 0.25, 0.5, 2)
    >>> {name: run.thetas.ravel().round(3).tolist() for name, run in runs.items()}
    {'gd': [1.0, 0.5, 0.25], 'ngd': [1.0, 0.75, 0.5], 'clipped': [1.0, 0.875, 0.75]}
    """
    gradient = grad_fn.gradient if isinstance(grad_fn, Objective) else grad_fn
    if not callable(gradient):
        raise TypeError(f"grad_fn must be an Objective or a callable, got {type(grad_fn).__name__}")
    max_norm = check_scalar(max_norm, "max_norm", low=0.0, low_inclusive=False)
    if isinstance(methods, (str, bytes)):
        raise ValueError(f"methods must be a sequence of names from {METHODS}, not one string, got {methods!r}")
    if not isinstance(methods, Iterable):
        raise TypeError(f"methods must be a sequence of names from {METHODS}, got {type(methods).__name__} "
                        f"{methods!r}")
    methods = tuple(methods)  # a generator is read once, here
    if not methods:
        raise ValueError(f"methods must be a non-empty sequence of names from {METHODS}, got none")
    unknown = [m for m in methods if not isinstance(m, str) or m not in METHODS]
    if unknown:
        raise ValueError(f"methods must be names from {METHODS}, got unknown {unknown}")
    runs: dict[str, Trajectory] = {}
    for name in methods:
        if name == "gd":
            runs[name] = gradient_descent(gradient, theta0, learning_rate, n_steps)
        elif name == "ngd":
            runs[name] = normalized_gradient_descent(gradient, theta0, learning_rate, n_steps)
        else:
            runs[name] = clipped_gradient_descent(gradient, theta0, learning_rate, max_norm, n_steps)
    return runs


def _thetas(trajectory: Trajectory | Any, name: str = "trajectory") -> np.ndarray:
    """The iterates as a 2-D float array ``(k + 1, n)``, or a TypeError/ValueError naming ``name``."""
    thetas = trajectory.thetas if isinstance(trajectory, Trajectory) else trajectory
    arr = as_float_array(thetas, name, allow_empty=False)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be a Trajectory or its iterates, an array of shape (k + 1, ...), "
                         f"got a single number {arr.item()!r}")
    if arr.ndim == 1:
        arr = arr[:, None]
    return arr.reshape(len(arr), -1)


def step_lengths(trajectory: Trajectory | Any) -> np.ndarray:
    """The length ``||theta_{t+1} - theta_t||`` of every step taken.

    Parameters
    ----------
    trajectory : Trajectory or array_like
        A run, or its iterates of shape ``(k + 1, ...)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(k,)``. For normalized GD every entry equals eta_t (or 0 at a
        zero gradient).

    Raises
    ------
    TypeError
        If ``trajectory`` is not real numbers (None, strings, complex, ragged lists).
    ValueError
        If ``trajectory`` is a single number or empty (:func:`trajectory_losses`,
        :func:`distances` and :func:`cycle_amplitude` check it the same way).

    Examples
    --------
    >>> step_lengths(np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 5.0]]))
    array([5., 1.])
    """
    thetas = _thetas(trajectory)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.hypot.reduce(np.diff(thetas, axis=0), axis=1) if len(thetas) > 1 else np.zeros(0)


def trajectory_losses(objective: Objective, trajectory: Trajectory | Any) -> np.ndarray:
    """``J(theta_t)`` at every iterate, in one vectorized call.

    Iterates of a diverging run can be huge; their losses come out as ``inf``
    without a warning.

    Raises
    ------
    TypeError
        If ``objective`` is not an :class:`~gnlib.functions.Objective`.
    ValueError
        If ``trajectory`` is a single number, empty, or its iterates do not
        have ``objective.dim`` entries.

    Examples
    --------
    >>> from gnlib.functions import quartic
    >>> trajectory_losses(quartic(), np.array([[1.0], [0.5]]))
    array([1.    , 0.0625])
    """
    if not isinstance(objective, Objective):
        raise TypeError(f"objective must be a gnlib.functions.Objective, got {type(objective).__name__}")
    thetas = _thetas(trajectory)
    if thetas.shape[1] != objective.dim:
        raise ValueError(f"trajectory must hold iterates of {objective.dim} entries (the objective's dim), "
                         f"got {thetas.shape[1]}")
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(objective.value(thetas), dtype=np.float64)


def distances(trajectory: Trajectory | Any, point: Any) -> np.ndarray:
    """``||theta_t - point||`` for every iterate (e.g. the distance to the minimizer).

    Examples
    --------
    >>> distances(np.array([[3.0, 4.0], [0.0, 1.0]]), [0.0, 0.0])
    array([5., 1.])
    """
    thetas = _thetas(trajectory)
    target = as_float_array(point, "point").reshape(-1)
    if not np.isfinite(target).all():
        raise ValueError("point must be finite, got a NaN or inf entry")
    if target.size != thetas.shape[1]:
        raise ValueError(f"point must have {thetas.shape[1]} entries like an iterate, got {target.size}")
    with np.errstate(over="ignore", invalid="ignore"):
        return np.hypot.reduce(thetas - target, axis=1)


def cycle_amplitude(trajectory: Trajectory | Any, point: Any, *, last: int = 10) -> float:
    """The largest distance to ``point`` over the last ``last`` iterates.

    After normalized GD with a constant eta reaches a minimizer it keeps
    stepping by eta, so it circles the minimizer at a distance of about eta;
    this measures that distance.

    Parameters
    ----------
    last : int, default 10
        How many final iterates to look at (>= 1).

    Examples
    --------
    >>> cycle_amplitude(np.array([[1.0], [0.07], [-0.03], [0.07], [-0.03]]), [0.0], last=2)
    0.07
    """
    last = check_int(last, "last", low=1)
    return float(np.max(distances(trajectory, point)[-last:]))


def summarize_runs(objective: Objective, runs: dict[str, Trajectory]) -> str:
    """A fixed-format table: steps taken, final loss and final gradient norm per method.

    Examples
    --------
    >>> from gnlib.functions import quartic
    >>> print(summarize_runs(quartic(), run_methods(quartic(), [10.0], 0.01, 10.0, 10)))
    method          steps  final J(θ)  final ‖∇J‖  note
    GD                  6         inf         inf  diverged: overflow, stopped after 6 steps
    normalized GD      10        9606        3881
    clipped GD         10        6561        2916
    """
    if not isinstance(objective, Objective):
        raise TypeError(f"objective must be a gnlib.functions.Objective, got {type(objective).__name__}")
    if not isinstance(runs, Mapping):
        raise TypeError(f"runs must be a dict of method name to Trajectory (from run_methods), got "
                        f"{type(runs).__name__}")
    for name, run in runs.items():
        if not isinstance(run, Trajectory):
            raise TypeError(f"runs[{name!r}] must be a Trajectory, got {type(run).__name__}")
    lines = [f"{'method':<14}  {'steps':>5}  {'final J(θ)':>10}  {'final ‖∇J‖':>10}  note"]
    for name, run in runs.items():
        losses = trajectory_losses(objective, run)
        note = f"diverged: overflow, stopped after {run.n_steps} steps" if run.diverged else ""
        lines.append(f"{METHOD_LABELS.get(name, name):<14}  {run.n_steps:>5}  {losses[-1]:>10.4g}  "
                     f"{run.grad_norms[-1]:>10.4g}  {note}".rstrip())
    return "\n".join(lines)
