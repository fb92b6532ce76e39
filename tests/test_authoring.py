"""gnlib.course.authoring: solution regions become stubs; notebooks are cleaned."""

import re
from pathlib import Path

import nbformat
import pytest

from gnlib.course.authoring import (STUB, clean_metadata, convert_old_markers, make_learner_notebook, new_notebook,
                                    strip_solutions)

ROOT = Path(__file__).resolve().parents[1]


def test_strip_solutions_keeps_indentation_and_surroundings():
    source = "def f(x):\n    # double it\n    # BEGIN SOLUTION\n    y = 2 * x\n    return y\n    # END SOLUTION\n\nprint(f)"
    out = strip_solutions(source)
    assert out == f"def f(x):\n    # double it\n    # YOUR CODE HERE\n    {STUB}\n\nprint(f)"
    assert "2 * x" not in out


def test_several_regions_and_markdown():
    source = "# BEGIN SOLUTION\na = 1\n# END SOLUTION\nb = 2\n# BEGIN SOLUTION\nc = 3\n# END SOLUTION"
    out = strip_solutions(source)
    assert out.count(STUB) == 2 and "b = 2" in out and "a = 1" not in out
    md = strip_solutions("Answer:\n<!-- BEGIN SOLUTION -->\nIt is 42.\n<!-- END SOLUTION -->\n", markdown=True)
    assert md == "Answer:\n*Your answer here.*\n"


def test_markers_do_not_render_as_headings():
    mistune = pytest.importorskip("mistune")  # the renderer nbconvert and JupyterLab's exporters use

    with pytest.raises(ValueError, match="no longer used"):
        strip_solutions("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n")
    with pytest.raises(ValueError, match="heading"):
        strip_solutions("# BEGIN SOLUTION\nIt is 42.\n# END SOLUTION\n", markdown=True)
    rendered = mistune.html("Answer:\n\n<!-- BEGIN SOLUTION -->\nIt is 42.\n<!-- END SOLUTION -->\n")
    visible = re.sub(r"<!--.*?-->", "", rendered)
    assert "<h" not in visible and "SOLUTION" not in visible and "It is 42." in visible
    for solution in sorted(ROOT.glob("exercises/*/solutions.ipynb")):  # what a reader of the solutions sees
        for cell in nbformat.read(solution, as_version=4).cells:
            if cell.cell_type == "markdown":
                shown = re.sub(r"<!--.*?-->", "", mistune.html(cell.source), flags=re.DOTALL)
                assert "SOLUTION" not in shown, solution


def test_old_markers_are_converted_in_place():
    nb = new_notebook([("md", "Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"),
                       ("code", "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")])
    assert convert_old_markers(nb) == 4
    assert nb.cells[0].source == "Why?\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->"
    assert nb.cells[1].source == "def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION"
    learner = make_learner_notebook(nb)
    assert "Because." not in learner.cells[0].source and "return 1" not in learner.cells[1].source
    assert convert_old_markers(nb) == 0


def test_unbalanced_markers_raise():
    with pytest.raises(ValueError, match="unbalanced"):
        strip_solutions("# BEGIN SOLUTION\nx = 1\n")


def test_learner_notebook_has_no_outputs_or_solutions():
    nb = new_notebook([("md", "# Title"), ("code", "def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION")])
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nb.cells[1].execution_count = 3
    nb.metadata["widgets"] = {"state": {}}
    learner = make_learner_notebook(nb)
    assert learner.cells[1].outputs == [] and learner.cells[1].execution_count is None
    assert "return 1" not in learner.cells[1].source
    assert "widgets" not in learner.metadata
    assert nb.cells[1].execution_count == 3  # the source notebook is not modified


def test_clean_metadata_and_new_notebook_validation():
    nb = new_notebook([("code", "x = 1")])
    nb.metadata["widgets"] = {}
    nb.cells[0].metadata["execution"] = {"iopub.execute_input": "2026-01-01"}
    clean_metadata(nb)
    assert "widgets" not in nb.metadata and "execution" not in nb.cells[0].metadata
    assert nb.metadata["kernelspec"]["name"] == "python3"
    with pytest.raises(ValueError, match="cell kind"):
        new_notebook([("raw", "x")])


def test_slide_types_follow_headings():
    from gnlib.course.authoring import add_slide_metadata, slide_type

    nb = new_notebook([("md", "# Title"), ("md", "## Part"), ("md", "### Detail"), ("md", "text"), ("code", "x = 1")])
    assert [slide_type(c) for c in nb.cells] == ["slide", "slide", "subslide", "-", "-"]
    assert all(c.metadata["slideshow"]["slide_type"] for c in add_slide_metadata(nb).cells)


def test_kernel_waits_are_sliced_so_a_missed_wake_up_cannot_stall_a_cell():
    """Every wait on a channel is short; the overall timeout and Empty on expiry are kept."""
    import asyncio
    from queue import Empty

    from gnlib.course.authoring import _in_slices

    asked = []

    def channel(deliver_on_call):
        async def get_msg(timeout=None):
            asked.append(timeout)
            if len(asked) == deliver_on_call:
                return {"msg_type": "execute_reply"}
            await asyncio.sleep(timeout)
            raise Empty

        return get_msg

    message = asyncio.run(_in_slices(channel(deliver_on_call=3), 0.01)(timeout=300))
    assert message == {"msg_type": "execute_reply"}
    assert asked == [0.01, 0.01, 0.01]  # found at the third look, not after 300 s

    asked.clear()
    with pytest.raises(Empty):
        asyncio.run(_in_slices(channel(deliver_on_call=0), 0.01)(timeout=0.05))
    assert 4 <= len(asked) <= 7 and max(asked) <= 0.01  # short looks until the deadline

    asked.clear()
    assert asyncio.run(_in_slices(channel(deliver_on_call=5), 0.01)(timeout=None))  # None: no deadline
    assert len(asked) == 5


def test_notebook_client_slices_the_shell_and_iopub_waits(tmp_path):
    import nbformat

    from gnlib.course.authoring import notebook_client

    def waits(client):
        return [client.kc.shell_channel.get_msg.__name__, client.kc.iopub_channel.get_msg.__name__]

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    client = notebook_client(nb, tmp_path, timeout=60)
    seen = []
    client.on_cell_start = lambda cell, cell_index: seen.append(waits(client))
    client.execute()  # the path execute_notebook and the benchmarks take
    assert seen == [["get_msg_in_slices"] * 2]
    assert nb.cells[0].outputs[0]["text"] == "42\n"

    client = notebook_client(nb, tmp_path, timeout=60)
    with client.setup_kernel():  # the cell-by-cell path
        assert waits(client) == ["get_msg_in_slices"] * 2
        client.execute_cell(nb.cells[0], 0)
    assert nb.cells[0].outputs[0]["text"] == "42\n"


def test_notebook_client_stores_one_stream_per_cell(tmp_path):
    import nbformat

    from gnlib.course.authoring import notebook_client

    # three flushed pieces with pauses: the kernel sends them as separate stream messages
    source = "import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.3)"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    notebook_client(nb, tmp_path, timeout=60).execute()
    assert [(o["output_type"], o["text"]) for o in nb.cells[0].outputs] == [("stream", "0\n1\n2\n")]


def test_safe_nbconvert_preprocessor_slices_the_waits(tmp_path):
    import nbformat

    from gnlib.course.safe_nbconvert import SlicedExecutePreprocessor

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    preprocessor = SlicedExecutePreprocessor(timeout=60, kernel_name="python3")
    seen = []
    preprocessor.on_cell_start = lambda cell, cell_index: seen.append(
        [preprocessor.kc.shell_channel.get_msg.__name__, preprocessor.kc.iopub_channel.get_msg.__name__])
    preprocessor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert seen == [["get_msg_in_slices"] * 2]
    assert nb.cells[0].outputs[0]["text"] == "42\n"


def test_the_documented_nbconvert_command_executes_with_the_course_preprocessor(tmp_path):
    """The invocation CONTRIBUTING.md gives for nbconvert, as written there."""
    import json
    import re
    import subprocess
    import sys

    import nbformat

    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    flag = re.search(r"--Exporter\.preprocessors='(\[[^']+\])'", contributing)
    assert flag, "CONTRIBUTING.md gives no nbconvert invocation with the course's preprocessor"
    assert json.loads(flag[1]) == ["gnlib.course.safe_nbconvert.SlicedExecutePreprocessor"]
    path = tmp_path / "n.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]), path)
    result = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--inplace",
                             f"--Exporter.preprocessors={flag[1]}", str(path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert nbformat.read(path, as_version=4).cells[0].outputs[0]["text"] == "42\n"


EXECUTING = re.compile(r"NotebookClient\(|ExecutePreprocessor\b|nbconvert[^\n]*--execute|import nbclient|from nbclient")
# The only places that may execute notebooks with nbclient directly: the course's client itself.
COURSE_CLIENT = {"gnlib/course/authoring.py", "gnlib/course/safe_nbconvert.py", "tests/test_authoring.py"}


def test_every_tool_executes_notebooks_through_the_course_client():
    places = [*ROOT.glob("tools/*.py"), *ROOT.glob("benchmarks/*.py"), *ROOT.glob("tests/*.py"),
              *ROOT.glob("gnlib/**/*.py"), *ROOT.glob(".ci/*"), *ROOT.glob("workshop/**/*.py"),
              *ROOT.glob("site/**/*.py"), *ROOT.glob("*.sh")]
    assert any(p.name == "execute_notebooks.py" for p in places)
    offenders = [p.relative_to(ROOT).as_posix() for p in places
                 if p.is_file() and p.relative_to(ROOT).as_posix() not in COURSE_CLIENT
                 and EXECUTING.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert not offenders, f"execute notebooks with gnlib.course.authoring (notebook_client/execute_notebook): {offenders}"
