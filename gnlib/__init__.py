"""gnlib: the helper library of the Gradient Norms course.

Small modules, one job each:

- :mod:`gnlib.norms`     -- p-norms and an overflow-safe Euclidean norm
- :mod:`gnlib.gradcheck` -- numerical gradients, ``rel_error``, gradient checks
- :mod:`gnlib.clip`      -- clipping by norm, by global norm, by value
- :mod:`gnlib.optim`     -- gradient descent, normalized and clipped GD
- :mod:`gnlib.functions` -- test functions with analytic gradients
- :mod:`gnlib.plotting`  -- the course's colour-blind-safe plot style
- :mod:`gnlib.widgets`   -- slider explorables that tests can drive
- :mod:`gnlib.check`     -- feedback for the exercises
"""

from . import clip, functions, gradcheck, norms, optim
from .clip import clip_by_global_norm, clip_by_norm, clip_by_value
from .gradcheck import check_gradient, numerical_gradient, rel_error
from .norms import global_norm, l2_norm, lp_norm
from .optim import clipped_gradient_descent, gradient_descent, normalized_gradient_descent

__version__ = "0.1.0"

__all__ = [
    "clip", "functions", "gradcheck", "norms", "optim",
    "lp_norm", "l2_norm", "global_norm",
    "numerical_gradient", "rel_error", "check_gradient",
    "clip_by_norm", "clip_by_global_norm", "clip_by_value",
    "gradient_descent", "normalized_gradient_descent", "clipped_gradient_descent",
]
