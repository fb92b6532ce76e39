"""Give every lesson cell RISE slide metadata, so each lesson presents as a slideshow.

Steps: for each lesson notebook, mark markdown cells that open with a `#`/`##`
heading as new slides, `###` headings as sub-slides, and everything else as
continuing the current slide; save. Outputs are untouched (no re-execution
needed). Usage: python tools/add_slide_metadata.py [NOTEBOOK ...]
"""

import sys
from pathlib import Path

import nbformat

from gnlib.course.authoring import add_slide_metadata

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    for path in [Path(a) for a in argv] or sorted(ROOT.glob("lessons/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbformat.write(add_slide_metadata(nb), path)
        print(f"slide metadata: {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
