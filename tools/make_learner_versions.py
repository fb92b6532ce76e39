"""Regenerate every learner exercise notebook from its worked-solution source.

Steps: for each ``exercises/*/solutions.ipynb``, replace the solution regions by
stubs, clear outputs, and write ``exercises.ipynb`` beside it. A region lies
between the comment lines ``# BEGIN SOLUTION`` and ``# END SOLUTION`` in a code
cell, and between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` in a
markdown cell (HTML comments: they render as nothing, where a ``### ...`` line
would render as a heading). Run it after editing any solution;
``tests/test_notebooks.py`` fails while a learner version is out of date.

Usage: python tools/make_learner_versions.py [--convert-markers] [exercises/NN_topic/solutions.ipynb ...]
(no notebooks: every exercise). ``--convert-markers`` first rewrites the old
``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines of each solution notebook
to the current markers (only those lines change; outputs stay valid).
"""

import sys
from pathlib import Path

import nbformat

from gnlib.course.authoring import convert_old_markers, learner_path, make_learner_notebook, solution_notebooks

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    convert = "--convert-markers" in argv
    paths = [Path(a).resolve() for a in argv if a != "--convert-markers"]
    for solution in paths or solution_notebooks(ROOT):
        source = nbformat.read(solution, as_version=4)
        if convert and convert_old_markers(source):
            nbformat.write(source, solution)
            print(f"converted the solution markers of {solution.relative_to(ROOT)}")
        learner = make_learner_notebook(source)
        nbformat.write(learner, learner_path(solution))
        print(f"wrote {learner_path(solution).relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
