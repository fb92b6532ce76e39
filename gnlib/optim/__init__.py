"""Optimizers and the side-by-side runner of lesson 04.

- :mod:`gnlib.optim.descent` -- gradient descent, normalized GD, clipped GD, ``Trajectory``, schedules
- :mod:`gnlib.optim.compare` -- run the three methods on one objective and measure the runs

Every public name of both modules is re-exported here, so
``from gnlib.optim import gradient_descent, run_methods`` works.
"""

from . import compare, descent
from .compare import *  # noqa: F401,F403
from .descent import *  # noqa: F401,F403
from .descent import LearningRate

__all__ = [*descent.__all__, *compare.__all__]
