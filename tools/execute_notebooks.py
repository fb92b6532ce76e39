"""Restart & Run All for stored notebooks, so outputs are fresh and in order.

Steps: execute each notebook in a fresh kernel started in its own folder,
drop saved widget state and other volatile metadata, and save it in place.
With no arguments: every lesson and every worked solution. Then regenerate
the learner versions (tools/make_learner_versions.py).

Usage: python tools/execute_notebooks.py [NOTEBOOK ...]
"""

import sys
import time
from pathlib import Path

from gnlib.course.authoring import execute_notebook, solution_notebooks

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or sorted(ROOT.glob("lessons/*.ipynb")) + solution_notebooks(ROOT)
    for path in paths:
        start = time.perf_counter()
        execute_notebook(path)
        print(f"executed {path} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
