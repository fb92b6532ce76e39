"""Widget builders: each returns an :class:`Explorable` a test can drive.

One module per lesson topic, mirroring :mod:`gnlib.figures`, keeps the
builders next to the ideas they show; everything is re-exported here
(``from gnlib.widgets import ...``). Widgets import figures, models and the
core math; nothing below them imports a widget.

- :mod:`gnlib.widgets._explorable` -- ``Explorable``: figure, sliders and update function (private to this package)
- :mod:`gnlib.widgets._controls`   -- the slider helpers and the values each control can show (private to this package)
- :mod:`gnlib.widgets._render`     -- blitting and PNG encoding behind a fast redraw (private to this package)
- :mod:`gnlib.widgets.prediction`  -- "predict first": choices, then a button that reveals the answer
- :mod:`gnlib.widgets.prediction_questions` -- the predictions the lessons ask for, with their answers
- :mod:`gnlib.widgets.intro`       -- lesson 00: the learning-rate explorer
- :mod:`gnlib.widgets.norms`       -- lesson 01: unit balls of p-norms
- :mod:`gnlib.widgets.gradients`   -- lesson 02: directional derivatives, the finite-difference step
- :mod:`gnlib.widgets.clipping`    -- lesson 03: clipping over the RNN cliff, norm against value clipping
- :mod:`gnlib.widgets.rnn_training` -- lesson 03b: the clipping threshold of a trained tanh RNN and how often it clips
- :mod:`gnlib.widgets.ngd`         -- lesson 04: GD, normalized and clipped GD on two landscapes
- :mod:`gnlib.widgets.penalty`     -- lessons 05-06: Dirac-GAN, parameter-gradient penalty, a training progress bar
"""

from ._controls import choice_slider, float_slider, int_slider, log_slider
from ._explorable import Explorable
from .intro import describe_learning_rate, learning_rate_explorer
from .prediction import Prediction, PredictionItem, prediction
from .norms import *  # noqa: F401,F403  (lesson 01)
from .gradients import *  # noqa: F401,F403  (lesson 02)
from .clipping import *  # noqa: F401,F403  (lesson 03)
from .rnn_training import *  # noqa: F401,F403  (lesson 03b)
from .ngd import *  # noqa: F401,F403  (lesson 04)
from .penalty import *  # noqa: F401,F403  (lessons 05 and 06)
from . import clipping, gradients, ngd, norms, penalty, rnn_training

__all__ = [
    "Explorable", "choice_slider", "float_slider", "int_slider", "log_slider",
    "learning_rate_explorer", "describe_learning_rate", "Prediction", "PredictionItem", "prediction",
    *norms.__all__, *gradients.__all__, *clipping.__all__, *rnn_training.__all__, *ngd.__all__, *penalty.__all__,
]
