"""Exercise checkers: ``gnlib.check.check_<task>(your_function)`` prints feedback.

Each lesson's checkers live in their own module (``lesson01`` ... ``lesson05``)
and are re-exported here, so a notebook needs only ``from gnlib import check``.
The machinery they share (cases, typical mistakes, the report) is in
``_core`` and ``_report``; its conventions are in ``_core``'s docstring.
"""

from ._core import Case, CheckReport, Mismatch, Mistake, close_to, fresh_rng, numeric_result, run_cases
from ._report import COLOURS, FAIL, HELD, PASS, WAIT, attempt, describe_exception, describe_value
from .lesson01 import *  # noqa: F401,F403
from .lesson02 import *  # noqa: F401,F403
from .lesson03 import *  # noqa: F401,F403
from .lesson04 import *  # noqa: F401,F403
from .lesson05 import *  # noqa: F401,F403
from . import lesson01, lesson02, lesson03, lesson04, lesson05

__all__ = [
    "Case", "CheckReport", "Mismatch", "Mistake", "attempt", "close_to", "fresh_rng", "numeric_result", "run_cases",
    "describe_value", "describe_exception", "PASS", "FAIL", "WAIT", "HELD", "COLOURS",
    *lesson01.__all__, *lesson02.__all__, *lesson03.__all__, *lesson04.__all__, *lesson05.__all__,
]
