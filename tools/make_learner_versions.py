"""Regenerate every learner exercise notebook from its worked-solution source.

Steps: for each ``exercises/*/solutions.ipynb``, replace the regions between
``### BEGIN SOLUTION`` and ``### END SOLUTION`` by stubs, clear outputs, and
write ``exercises.ipynb`` beside it. Run it after editing any solution;
``tests/test_notebooks.py`` fails while a learner version is out of date.

Usage: python tools/make_learner_versions.py [exercises/NN_topic/solutions.ipynb ...]
(no arguments: every exercise)
"""

import sys
from pathlib import Path

import nbformat

from gnlib.course.authoring import learner_path, make_learner_notebook, solution_notebooks

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    for solution in [Path(a).resolve() for a in argv] or solution_notebooks(ROOT):
        learner = make_learner_notebook(nbformat.read(solution, as_version=4))
        nbformat.write(learner, learner_path(solution))
        print(f"wrote {learner_path(solution).relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
