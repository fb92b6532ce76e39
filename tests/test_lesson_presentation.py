"""What a learner sees in the stored lessons: predictions before answers, short lines, slides.

- Predict, then reveal: a markdown cell that asks the learner to predict is followed by a
  prediction cell (``prediction("...")``) before any other code cell, so no output, title or
  caption gives the answer away before the learner has committed.
- Printed lines fit the notebook column (80 characters), so nothing wraps mid-word, and code
  lines stay within 100 characters, so none runs past the cell's edge.
- Slides: every heading starts its own cell (so it starts a slide or sub-slide), and every
  explorable sits on a slide or sub-slide of its own that starts at the nearest heading above it.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from gnlib.course.authoring import slide_type
from gnlib.widgets.prediction_questions import QUESTIONS

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(ROOT.glob("lessons/*.ipynb"))
MAX_PRINTED, MAX_CODE = 80, 100
# a prompt ("Predict first:", "predict: ...", "predict what ..."), not a learning objective ("predict from ...")
PREDICT = re.compile(r"\bpredict(?: first)?\s*[:*]|\bpredict what\b", re.IGNORECASE)


def _cells(path: Path):
    return nbformat.read(path, as_version=4).cells


def _ids(path: Path) -> str:
    return path.name


@pytest.mark.parametrize("path", LESSONS, ids=_ids)
def test_every_prediction_is_committed_before_any_output(path):
    cells = _cells(path)
    for index, cell in enumerate(cells):
        if cell.cell_type != "markdown" or not PREDICT.search(cell.source):
            continue
        following = next((c for c in cells[index + 1:] if c.cell_type == "code"), None)
        assert following is not None and "prediction(" in following.source, (
            f"{path.name}, cell {index} asks for a prediction, but the next code cell does not collect it:\n"
            f"{cell.source[:200]}")
        key = re.search(r'prediction\("([^"]+)"\)', following.source).group(1)
        assert key in QUESTIONS and key.startswith(path.name[:2])
        outputs = following.get("outputs", [])
        assert outputs and all("text/html" in o.get("data", {}) for o in outputs if o["output_type"] == "display_data")
        item_prompts = [prompt for prompt, _, _ in QUESTIONS[key][1]]
        stored = "".join(o["data"]["text/html"] for o in outputs if "data" in o)
        assert all(prompt in stored for prompt in item_prompts)  # the static form asks the question ...
        assert QUESTIONS[key][2] not in stored  # ... and does not answer it


@pytest.mark.parametrize("path", LESSONS, ids=_ids)
def test_printed_lines_fit_the_column(path):
    long = []
    for index, cell in enumerate(_cells(path)):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                long += [(index, line) for line in output["text"].splitlines() if len(line) > MAX_PRINTED]
    assert not long, f"{path.name}: printed lines over {MAX_PRINTED} characters: {long}"


@pytest.mark.parametrize("path", LESSONS, ids=_ids)
def test_code_lines_stay_inside_the_cell(path):
    long = [(index, line) for index, cell in enumerate(_cells(path)) if cell.cell_type == "code"
            for line in cell.source.splitlines() if len(line) > MAX_CODE]
    assert not long, f"{path.name}: code lines over {MAX_CODE} characters: {long}"


@pytest.mark.parametrize("path", LESSONS, ids=_ids)
def test_headings_start_cells_and_explorables_start_subslides(path):
    cells = _cells(path)
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown":
            later = [line for line in cell.source.splitlines()[1:] if line.startswith("#")]
            assert not later, f"{path.name}, cell {index}: a heading inside the cell does not start a slide: {later}"
        assert cell.metadata.get("slideshow", {}).get("slide_type") == slide_type(cell), f"{path.name}, cell {index}"
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and re.search(r"\w+_explorer\(", cell.source):
            opener = next(i for i in range(index, -1, -1) if slide_type(cells[i]) in ("slide", "subslide"))
            between = [c for c in cells[opener + 1:index] if re.search(r"\w+_explorer\(|plot_\w+\(", c.source)]
            assert not between, (f"{path.name}, cell {index}: the explorable shares its slide (from cell {opener}) "
                                 "with another figure; give it a ### heading")


def test_static_html_shows_each_prediction_without_its_answer():
    """nbconvert (and so nbviewer) shows the prediction's questions and choices, not a widget repr or the answer."""
    from nbconvert import HTMLExporter

    nb = nbformat.read(ROOT / "lessons" / "00_start_here.ipynb", as_version=4)
    html, _ = HTMLExporter().from_notebook_node(nb)
    question, items, explanation = QUESTIONS["00-learning-rate"]
    assert "Predict first." in html and all(prompt in html for prompt, _, _ in items)
    assert "VBox(" not in html.split("lesson_quiz")[0]  # nothing before the quiz is a raw widget repr
    assert explanation not in html
