"""Exercise checkers and self-check quizzes: feedback for the learner.

``gnlib.check.check_<task>(your_function)`` prints feedback. Each lesson's
checkers live in their own module and are re-exported here, so a notebook
needs only ``from gnlib import check``. This package imports the core math and
the models, never figures or widgets.

- :mod:`gnlib.check._core`   -- cases, typical mistakes and the runner every checker uses; its docstring
  states the conventions every checker follows (private to this package)
- :mod:`gnlib.check._report` -- what a checker shows: the learner's value, the icons, the report (private)
- :mod:`gnlib.check._values` -- inputs copied and compared around each call, results refused unless numbers (private)
- :mod:`gnlib.check.lesson01` ... :mod:`gnlib.check.lesson06`, :mod:`gnlib.check.lesson03b` -- the checkers of each lesson's exercises
- :mod:`gnlib.check.quiz`    -- the quiz engine: questions, grading, the self-check widget
- :mod:`gnlib.check.quizzes` -- the questions that close each lesson (``lesson_quiz``)

The quiz modules are not imported here (they need ipywidgets): import them by
name, ``from gnlib.check.quizzes import lesson_quiz``.
"""

from ._core import Case, CheckReport, Mismatch, Mistake, close_to, fresh_rng, numeric_result, run_cases
from ._values import non_number_hint
from ._report import COLOURS, FAIL, HELD, PASS, WAIT, attempt, describe_exception, describe_value
from .lesson01 import *  # noqa: F401,F403
from .lesson02 import *  # noqa: F401,F403
from .lesson03 import *  # noqa: F401,F403
from .lesson03b import *  # noqa: F401,F403
from .lesson04 import *  # noqa: F401,F403
from .lesson05 import *  # noqa: F401,F403
from .lesson06 import *  # noqa: F401,F403
from . import lesson01, lesson02, lesson03, lesson03b, lesson04, lesson05, lesson06

__all__ = [
    "Case", "CheckReport", "Mismatch", "Mistake", "attempt", "close_to", "fresh_rng", "non_number_hint", "numeric_result",
    "run_cases",
    "describe_value", "describe_exception", "PASS", "FAIL", "WAIT", "HELD", "COLOURS",
    *lesson01.__all__, *lesson02.__all__, *lesson03.__all__, *lesson03b.__all__, *lesson04.__all__,
    *lesson05.__all__, *lesson06.__all__,
]
