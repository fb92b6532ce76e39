"""Notebook hygiene, exercise sync, and learner notebooks that run.

nbval (strict) compares the stored outputs of lessons and worked solutions, but
it silently skips any cell stored unexecuted, so these tests make sure every
such cell was executed, in order, without errors or volatile text. They also
check that each learner exercise notebook is exactly what the generator makes
from its solution source, and that it runs top to bottom without an error.
"""

import json
import re
import tomllib
from pathlib import Path

import nbformat
import pytest

from gnlib.course.authoring import learner_path, make_learner_notebook, notebook_client, solution_notebooks

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
SOLUTIONS = solution_notebooks(ROOT)
STORED = LESSONS + SOLUTIONS
EXPECTED_LESSONS = ["00_start_here", "01_vector_norms", "02_gradients", "03_gradient_clipping",
                    "03b_clipping_a_real_rnn", "04_normalized_gd", "05_gradient_penalty", "06_wgan_gp_dirac_gan"]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IGNORE = "# NBVAL_IGNORE_OUTPUT"


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def test_every_lesson_and_exercise_exists():
    assert [p.stem for p in LESSONS] == EXPECTED_LESSONS
    assert [p.parent.name for p in SOLUTIONS] == EXPECTED_LESSONS[1:]


@pytest.mark.parametrize("path", STORED, ids=rel)
def test_stored_notebook_is_executed_in_order_without_errors(path):
    nb = nbformat.read(path, as_version=4)
    counts = [c.execution_count for c in code_cells(nb)]
    assert counts, "a notebook without code"
    assert None not in counts, f"cells stored unexecuted (nbval would skip them): {counts}"
    assert counts == list(range(1, len(counts) + 1)), f"not a fresh Restart & Run All: {counts}"
    for cell in code_cells(nb):
        for out in cell.outputs:
            assert out.output_type != "error", f"stored error in cell: {cell.source[:60]}"
            assert not (out.output_type == "stream" and out.name == "stderr"), \
                f"stderr output (a warning?) in cell: {cell.source[:60]}"


@pytest.mark.parametrize("path", STORED, ids=rel)
def test_no_volatile_text_or_saved_widget_state(path):
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, "saved widget state: re-run tools/execute_notebooks.py"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    text = json.dumps([c.outputs for c in code_cells(nb)])
    assert not re.search(r"at 0x[0-9a-f]{6,}", text), "memory address in an output"
    assert "/work/" not in text and "/home/" not in text and "/tmp/" not in text, "machine path in an output"
    assert path.stat().st_size < 1_500_000, "notebook too large: lower the figure count or size"


@pytest.mark.parametrize("path", STORED, ids=rel)
def test_only_widget_cells_skip_output_comparison(path):
    nb = nbformat.read(path, as_version=4)
    for cell in code_cells(nb):
        shows_widget = any(WIDGET_MIME in out.get("data", {}) for out in cell.outputs)
        marked = cell.source.lstrip().startswith(IGNORE)
        assert marked == shows_widget, (
            f"{'unmarked widget' if shows_widget else 'marked non-widget'} cell: {cell.source[:80]!r}")


@pytest.mark.parametrize("path", LESSONS, ids=rel)
def test_lesson_structure(path):
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert "objectives" in markdown or "in this notebook you will" in markdown
    assert "recap" in markdown
    assert any(c.source.lstrip().startswith(IGNORE) for c in code_cells(nb)), "no explorable"
    number = path.stem.split("_")[0]  # "03b" for 03b_clipping_a_real_rnn
    assert any(f'lesson_quiz("{number}")' in c.source for c in code_cells(nb)), "no self-check quiz"


def test_nbval_runs_strict_everywhere():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    addopts = config["tool"]["pytest"]["ini_options"]["addopts"]
    assert "--nbval " in addopts + " " and "lax" not in addopts
    assert "lax" not in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize("solution", SOLUTIONS, ids=rel)
def test_learner_version_is_generated_from_solution(solution):
    learner = learner_path(solution)
    assert learner.exists(), f"missing {rel(learner)}: run tools/make_learner_versions.py"
    expected = make_learner_notebook(nbformat.read(solution, as_version=4))
    stored = nbformat.read(learner, as_version=4)
    assert [(c.cell_type, c.source) for c in stored.cells] == [(c.cell_type, c.source) for c in expected.cells], \
        f"{rel(learner)} is out of date: run tools/make_learner_versions.py"
    assert all(c.outputs == [] for c in code_cells(stored)), "learner notebooks are stored without outputs"
    solution_source = "\n".join(c.source for c in nbformat.read(solution, as_version=4).cells)
    assert "# BEGIN SOLUTION" in solution_source, "an exercise without a solution region"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=rel)
def test_learner_notebook_runs_top_to_bottom(solution):
    nb = nbformat.read(learner_path(solution), as_version=4)
    notebook_client(nb, solution.parent, timeout=300).execute()
    printed = "".join(out.get("text", "") + out.get("data", {}).get("text/plain", "")
                      for c in code_cells(nb) for out in c.outputs)
    assert "not attempted yet" in printed
    assert "all checks passed" not in printed  # stubs must not pass a checker


SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
PROJECTOR_LINES = 15  # a code cell longer than this cannot be read on a projector


@pytest.mark.parametrize("path", LESSONS, ids=rel)
def test_lessons_present_as_slides(path):
    nb = nbformat.read(path, as_version=4)
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert all(t in SLIDE_TYPES for t in types), "cells without slide metadata: run tools/add_slide_metadata.py"
    assert types[0] == "slide" and types.count("slide") >= 3
    for cell in code_cells(nb):
        lines = cell.source.strip().splitlines()
        assert len(lines) <= PROJECTOR_LINES, f"code cell of {len(lines)} lines: too long for a slide: {lines[0]!r}"


def test_static_html_shows_each_explorable_as_its_first_frame():
    """nbconvert (and so nbviewer) has no widget state: it must show the explorable's PNG, not a repr."""
    from nbconvert import HTMLExporter

    path = ROOT / "lessons" / "00_start_here.ipynb"
    nb = nbformat.read(path, as_version=4)
    explorables = [out for cell in code_cells(nb) for out in cell.outputs
                   if out.get("data", {}).get("text/plain", "").startswith("<interactive figure")]
    assert explorables, "lesson 00 shows an explorable"
    html, _ = HTMLExporter().from_notebook_node(nb)
    for out in explorables:
        assert out["data"]["image/png"][:200] in html  # the still frame is in the page
