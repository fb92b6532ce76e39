"""Lesson 04's explorable: GD, normalized GD and clipped GD on two landscapes.

The figure is :class:`gnlib.figures.landscapes.LandscapeComparison` (left: the
ill-conditioned quadratic bowl, right: Rosenbrock's banana). Sliders: the
learning rate eta (shared by all methods), the clipping threshold tau, the
condition number kappa and the number of iterations. Runs are cached, so
moving the iterations slider only slices stored trajectories.
"""

from __future__ import annotations

from .._validation import check_int, check_scalar
from ..figures.landscapes import LandscapeComparison
from ._explorable import Explorable, choice_slider, int_slider

__all__ = ["ETA_VALUES", "KAPPA_VALUES", "LandscapeComparison", "TAU_VALUES", "ngd_comparison_explorer"]

#: Slider positions: the values the lesson names (eta = 0.05, tau = 1, kappa = 30 and 2/eta = 40) are on them.
ETA_VALUES: tuple[float, ...] = (0.003, 0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3)
TAU_VALUES: tuple[float, ...] = (0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0)
KAPPA_VALUES: tuple[float, ...] = (1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 40.0, 50.0, 70.0, 100.0)


def ngd_comparison_explorer(*, eta: float = 0.05, max_norm: float = 1.0, condition_number: float = 30.0,
                            n_steps: int = 100, rosenbrock_b: float = 10.0) -> Explorable:
    """GD, normalized GD and clipped GD on a quadratic bowl and on Rosenbrock, with sliders.

    Parameters
    ----------
    eta, max_norm, condition_number, n_steps : float, float, float, int
        Initial slider values (learning rate eta, threshold tau, kappa,
        iterations).
    rosenbrock_b : float, default 10
        Steepness of the Rosenbrock valley, in ``(0, 1e300]`` (the landscape's
        values over the drawn box stay finite).

    Returns
    -------
    Explorable
        Controls ``"eta"``, ``"max_norm"``, ``"condition_number"``,
        ``"n_steps"``; ``data`` as returned by :meth:`LandscapeComparison.draw`.

    Raises
    ------
    ValueError
        If a start value lies outside its slider's range (eta in [10**-2.5,
        10**-0.5], max_norm in [0.1, 10**1.5], condition_number in [1, 100],
        n_steps in [5, 200]): the slider would silently move it; or if
        ``rosenbrock_b`` is not in ``(0, 1e300]``.
    TypeError
        If a start value is not a number (n_steps: not an integer).

    Examples
    --------
    >>> ex = ngd_comparison_explorer()
    >>> data = ex.set(eta=0.1)
    >>> bool(np.allclose(data["bowl_ngd_steps"], 0.1))
    True
    """
    ranges = {"eta": (-2.5, -0.5), "max_norm": (-1.0, 1.5), "condition_number": (0.0, 2.0)}
    values = {"eta": eta, "max_norm": max_norm, "condition_number": condition_number}
    for name, (low, high) in ranges.items():
        values[name] = check_scalar(values[name], name, low=10.0**low, high=10.0**high)
    n_steps = check_int(n_steps, "n_steps", low=5)
    if n_steps > 200:
        raise ValueError(f"n_steps must be <= 200 (the slider's range is 5..200), got {n_steps}")
    eta, max_norm, condition_number = values["eta"], values["max_norm"], values["condition_number"]
    panels = LandscapeComparison(rosenbrock_b=rosenbrock_b)
    controls = {
        "eta": choice_slider("learning rate η", eta, ETA_VALUES, name="eta"),
        "max_norm": choice_slider("threshold τ", max_norm, TAU_VALUES, name="max_norm"),
        "condition_number": choice_slider("condition number κ", condition_number, KAPPA_VALUES,
                                           name="condition_number"),
        "n_steps": int_slider("iterations", n_steps, 5, 200, 5),
    }
    caption = ("Start with the defaults, then raise κ until GD's zig-zag blows up while the other two survive. "
               "Move τ: small τ makes clipped GD behave as normalized GD (step ητ), large τ as plain GD. "
               "On Rosenbrock, GD overflows for all but the smallest η.")
    return Explorable(panels.figure, controls, panels.draw, caption=caption)
