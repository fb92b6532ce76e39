"""Widget builders: each returns an :class:`Explorable` a test can drive.

One module per lesson topic keeps the builders next to the ideas they show;
everything is re-exported here (``from gnlib.widgets import ...``).
"""

from ._explorable import Explorable, float_slider, int_slider, log_slider
from .intro import describe_learning_rate, learning_rate_explorer
from .norms import *  # noqa: F401,F403  (lesson 01)
from .gradients import *  # noqa: F401,F403  (lesson 02)
from .clipping import *  # noqa: F401,F403  (lesson 03)
from .ngd import *  # noqa: F401,F403  (lesson 04)
from .penalty import *  # noqa: F401,F403  (lesson 05)
from . import clipping, gradients, ngd, norms, penalty

__all__ = [
    "Explorable", "float_slider", "int_slider", "log_slider",
    "learning_rate_explorer", "describe_learning_rate",
    *norms.__all__, *gradients.__all__, *clipping.__all__, *ngd.__all__, *penalty.__all__,
]
