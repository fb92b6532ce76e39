"""gnlib: the helper library of the Gradient Norms course. Read it: it is part of the course.

Layers, each importing only from the ones above it in this list:

Core math, at the top level: what a learner reads and calls.

- :mod:`gnlib.norms`       -- p-norms, an overflow-safe Euclidean norm, global norms
- :mod:`gnlib.angles`      -- the angle between two gradients, at any magnitude
- :mod:`gnlib.gradcheck`   -- numerical gradients, ``rel_error``, gradient checks, directional derivatives,
  forward against central differences
- :mod:`gnlib.clip`        -- clipping by norm, by global norm, by value
- :mod:`gnlib.optim`       -- gradient descent, normalized and clipped GD, schedules, the side-by-side runner
- :mod:`gnlib.functions`   -- test landscapes with analytic gradients (bowl, Rosenbrock, plateau, hill and pit, ...)
- :mod:`gnlib.adam`        -- Adam and RMSProp for the GAN models
- :mod:`gnlib._validation` -- argument checks with clear errors, the float dtypes gnlib computes in (private,
  used by every layer)
- :mod:`gnlib._outputs`    -- ``out=`` arrays: checks, and where they share memory with inputs (private, used by clip)
- :mod:`gnlib._sums`       -- fast and accurate sums of squares behind the norms (private, used by norms and clip)
- :mod:`gnlib._scaling`    -- a clip factor carried as ``m * 2**e`` and applied without rounding it into a dtype
  that cannot hold it (private, used by clip)
- :mod:`gnlib._objective_inputs` -- points checked, overflow kept quiet, for the test functions (private,
  used by functions)
- :mod:`gnlib._differences` -- the finite-difference loop with its checks of steps and callbacks (private,
  used by gradcheck)

Subpackages, one role each:

- :mod:`gnlib.models`  -- tiny models with hand-derived gradients (RNN, MLP, GANs, toy data); import the core only
- :mod:`gnlib.figures` -- the course plot style and the static figures of each lesson; import core and models
- :mod:`gnlib.widgets` -- slider explorables that tests can drive; import figures, models and core
- :mod:`gnlib.check`   -- exercise checkers, the quiz engine and the lesson quizzes; import core and models
- :mod:`gnlib.course`  -- course tools (notebook execution, learner versions, the preflight doctor, the declared
  home and its links); import anything

Entry point: :mod:`gnlib.doctor` only runs :mod:`gnlib.course.doctor`, so that
``python -m gnlib.doctor`` works. ``tests/test_layers.py`` enforces the layers.

Nothing is imported until it is used: ``import gnlib`` loads no numpy, so
``python -m gnlib.doctor`` can report a missing numpy instead of crashing.
``gnlib.l2_norm`` and the other names below load their module on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> the core module that defines it
_NAMES = {
    "lp_norm": "norms", "l2_norm": "norms", "global_norm": "norms", "angle_between": "angles",
    "numerical_gradient": "gradcheck", "rel_error": "gradcheck", "check_gradient": "gradcheck",
    "clip_by_norm": "clip", "clip_by_global_norm": "clip", "clip_by_value": "clip",
    "gradient_descent": "optim", "normalized_gradient_descent": "optim", "clipped_gradient_descent": "optim",
}
_MODULES = ("angles", "clip", "functions", "gradcheck", "norms", "optim")

__all__ = [*_MODULES, *_NAMES]


def __getattr__(name: str) -> Any:
    """Import a core module, or the module of a re-exported name, on first use."""
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
