"""gnlib: the helper library of the Gradient Norms course. Read it: it is part of the course.

Layers, each importing only from the ones above it in this list:

Core math, at the top level: what a learner reads and calls.

- :mod:`gnlib.norms`       -- p-norms, an overflow-safe Euclidean norm, global norms, the angle between gradients
- :mod:`gnlib.gradcheck`   -- numerical gradients, ``rel_error``, gradient checks, directional derivatives,
  forward against central differences
- :mod:`gnlib.clip`        -- clipping by norm, by global norm, by value
- :mod:`gnlib.optim`       -- gradient descent, normalized and clipped GD, schedules, the side-by-side runner
- :mod:`gnlib.functions`   -- test landscapes with analytic gradients (bowl, Rosenbrock, plateau, hill and pit, ...)
- :mod:`gnlib.adam`        -- Adam and RMSProp for the GAN models
- :mod:`gnlib._validation` -- argument checks with clear errors (private, used by every layer)

Subpackages, one role each:

- :mod:`gnlib.models`  -- tiny models with hand-derived gradients (RNN, MLP, GANs, toy data); import the core only
- :mod:`gnlib.figures` -- the course plot style and the static figures of each lesson; import core and models
- :mod:`gnlib.widgets` -- slider explorables that tests can drive; import figures, models and core
- :mod:`gnlib.check`   -- exercise checkers, the quiz engine and the lesson quizzes; import core and models
- :mod:`gnlib.course`  -- course tools (notebook execution, learner versions, the preflight doctor, the declared
  home and its links); import anything

Entry point: :mod:`gnlib.doctor` only runs :mod:`gnlib.course.doctor`, so that
``python -m gnlib.doctor`` works. ``tests/test_layers.py`` enforces the layers.
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
