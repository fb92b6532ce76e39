"""Authoring tools: learner versions from solution notebooks, and clean re-execution.

Exercises have one source, the worked-solution notebook
``exercises/NN_topic/solutions.ipynb``. Code between two comment lines::

    # BEGIN SOLUTION
    ...worked solution...
    # END SOLUTION

becomes, in the learner version ``exercises/NN_topic/exercises.ipynb``, a stub
that raises ``NotImplementedError`` (which the checkers report as "not
attempted yet"). In markdown cells the markers are HTML comments, which render
as nothing (a ``### BEGIN SOLUTION`` line would render as a heading)::

    <!-- BEGIN SOLUTION -->
    ...worked answer...
    <!-- END SOLUTION -->

and the region becomes "*Your answer here.*". The old ``### BEGIN SOLUTION``
markers are refused with a message naming the new ones.
Learner versions are stored without outputs; solutions and lessons are stored
executed, because nbval compares their outputs.

Command-line front ends: ``python tools/make_learner_versions.py`` and
``python tools/execute_notebooks.py``.
"""

from __future__ import annotations

import copy
import math
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat

__all__ = [
    "BEGIN",
    "END",
    "MARKDOWN_BEGIN",
    "MARKDOWN_END",
    "STUB",
    "strip_solutions",
    "convert_old_markers",
    "make_learner_notebook",
    "learner_path",
    "clean_metadata",
    "execute_notebook",
    "notebook_client",
    "slice_kernel_waits",
    "solution_notebooks",
    "new_notebook",
    "slide_type",
    "add_slide_metadata",
]

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
MARKDOWN_BEGIN = "<!-- BEGIN SOLUTION -->"
MARKDOWN_END = "<!-- END SOLUTION -->"
OLD_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
STUB = 'raise NotImplementedError("Exercise: replace this line with your code")'
MARKDOWN_STUB = "*Your answer here.*"


def _region(begin: str, end: str) -> re.Pattern:
    """A whole-line ``begin`` ... whole-line ``end`` region, with the indent of the begin line."""
    return re.compile(
        r"^(?P<indent>[ \t]*)" + re.escape(begin) + r"[ \t]*\n.*?^[ \t]*" + re.escape(end) + r"[ \t]*(\n|$)",
        re.MULTILINE | re.DOTALL,
    )


_CODE_REGION = _region(BEGIN, END)
_MARKDOWN_REGION = _region(MARKDOWN_BEGIN, MARKDOWN_END)


def strip_solutions(source: str, *, markdown: bool = False) -> str:
    """Replace every solution region in ``source`` by a stub.

    Parameters
    ----------
    source : str
        A cell's source.
    markdown : bool, default False
        True for markdown cells: the markers are ``<!-- BEGIN SOLUTION -->``
        and ``<!-- END SOLUTION -->`` and the stub is "*Your answer here.*".

    Returns
    -------
    str
        The source with each region replaced; unchanged if there is none.

    Raises
    ------
    ValueError
        If a BEGIN marker has no matching END (or the reverse), or the source
        uses the old ``### BEGIN SOLUTION`` markers.

    Examples
    --------
    >>> print(strip_solutions("def f(x):\\n    # BEGIN SOLUTION\\n    return 2 * x\\n    # END SOLUTION\\n"))
    def f(x):
        # YOUR CODE HERE
        raise NotImplementedError("Exercise: replace this line with your code")
    <BLANKLINE>
    """
    begin, end = (MARKDOWN_BEGIN, MARKDOWN_END) if markdown else (BEGIN, END)
    if any(old in source for old in OLD_MARKERS):
        raise ValueError(f"'### BEGIN SOLUTION' markers are no longer used: write {begin!r} and {end!r} "
                         f"({'HTML comments' if markdown else 'comment lines'}), which do not render as headings")

    if markdown and re.search(r"^[ \t]*#+[ \t]*(BEGIN|END) SOLUTION", source, re.MULTILINE):
        raise ValueError(f"a markdown cell marks its solution with {begin!r} and {end!r}: "
                         "a line starting with '#' renders as a heading")

    def replace(match: re.Match) -> str:
        indent = match.group("indent")
        tail = "\n" if match.group(0).endswith("\n") else ""
        if markdown:
            return indent + MARKDOWN_STUB + tail
        return f"{indent}# YOUR CODE HERE\n{indent}{STUB}{tail}"

    result = (_MARKDOWN_REGION if markdown else _CODE_REGION).sub(replace, source)
    if begin in result or end in result:
        raise ValueError(f"unbalanced solution markers: every {begin!r} needs an {end!r}")
    return result


def convert_old_markers(nb: nbformat.NotebookNode) -> int:
    """Rewrite the old ``### BEGIN/END SOLUTION`` lines of ``nb`` to the current markers, in place.

    Code cells get ``# BEGIN SOLUTION`` / ``# END SOLUTION``, markdown cells
    ``<!-- BEGIN SOLUTION -->`` / ``<!-- END SOLUTION -->``; indentation and
    everything else stay as they were (outputs too: only comments change).

    Returns
    -------
    int
        The number of marker lines rewritten.
    """
    count = 0
    for cell in nb.cells:
        markdown = cell.cell_type == "markdown"
        for old, new in zip(OLD_MARKERS, (MARKDOWN_BEGIN, MARKDOWN_END) if markdown else (BEGIN, END)):
            pattern = re.compile(r"^([ \t]*)" + re.escape(old) + r"[ \t]*$", re.MULTILINE)
            cell.source, n = pattern.subn(lambda m: m.group(1) + new, cell.source)
            count += n
    return count


def clean_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop volatile notebook metadata: saved widget state, execution timings."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3",
                                    "codemirror_mode": {"name": "ipython", "version": 3}}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
    return nb


def make_learner_notebook(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The learner version of a solution notebook: solutions stubbed, outputs cleared."""
    nb = copy.deepcopy(solution)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = strip_solutions(cell.source, markdown=True)
    return clean_metadata(nb)


def learner_path(solution_path: Path) -> Path:
    """``exercises/NN_topic/solutions.ipynb`` -> ``exercises/NN_topic/exercises.ipynb``."""
    return Path(solution_path).with_name("exercises.ipynb")


def solution_notebooks(root: Path) -> list[Path]:
    """All ``exercises/*/solutions.ipynb`` below the repository root, sorted."""
    return sorted(Path(root).glob("exercises/*/solutions.ipynb"))


# How long one wait on a kernel channel may last before it looks again (seconds).
POLL_SLICE = 0.25


def _in_slices(get_msg: Callable[..., Awaitable[dict]], slice_seconds: float = POLL_SLICE) -> Callable[..., Awaitable[dict]]:
    """``get_msg(timeout)`` made of waits of at most ``slice_seconds``, each ending in a fresh look.

    The asynchronous kernel client can miss the wake-up for a message that has
    already arrived (jupyter/nbclient#312; here about one run in eight of a
    lesson with widget cells): the message is then found only when the whole
    wait ends, so a cell took its full timeout (300 s) and then carried on as
    if nothing had happened. Short waits bound that delay to ``slice_seconds``. The
    overall ``timeout`` (``None``: wait for ever) and ``queue.Empty`` on
    expiry are unchanged.
    """
    async def get_msg_in_slices(timeout: float | None = None) -> dict:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = math.inf if deadline is None else deadline - time.monotonic()
            try:
                return await get_msg(timeout=max(0.0, min(slice_seconds, remaining)))
            except Empty:
                if remaining <= slice_seconds:
                    raise

    return get_msg_in_slices


def slice_kernel_waits(kernel_client: Any, slice_seconds: float = POLL_SLICE) -> Any:
    """Cut the shell and IOPub waits of an asynchronous kernel client into short slices.

    Parameters
    ----------
    kernel_client : jupyter_client.AsyncKernelClient
        A started client, as ``NotebookClient.async_start_new_kernel_client`` returns it.
    slice_seconds : float, default POLL_SLICE
        The longest single wait (see :func:`_in_slices`).

    Returns
    -------
    jupyter_client.AsyncKernelClient
        The same client, changed in place: a missed wake-up now costs at most
        ``slice_seconds``, not the cell timeout.
    """
    for channel in (kernel_client.shell_channel, kernel_client.iopub_channel):
        channel.get_msg = _in_slices(channel.get_msg, slice_seconds)
    return kernel_client


def notebook_client(nb: nbformat.NotebookNode, cwd: Path, *, timeout: int = 600) -> Any:
    """An ``nbclient.NotebookClient`` for ``nb`` with a kernel started in ``cwd``.

    Its shell and IOPub waits are cut into short slices
    (:func:`slice_kernel_waits`), so a missed wake-up costs a quarter of a
    second, not the cell timeout. Consecutive stream outputs of a cell are
    merged (the kernel may flush one ``print`` loop in one piece or in
    several, run to run), so stored notebooks are identical run after run.
    Used to store notebooks, to time them in the benchmarks and to run
    learner notebooks in the tests.
    """
    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient

    class SlicedWaitClient(NotebookClient):
        async def async_start_new_kernel_client(self) -> Any:
            return slice_kernel_waits(await super().async_start_new_kernel_client())

        start_new_kernel_client = run_sync(async_start_new_kernel_client)

    return SlicedWaitClient(nb, timeout=timeout, kernel_name="python3", coalesce_streams=True,
                            resources={"metadata": {"path": str(cwd)}})


def execute_notebook(path: Path, *, timeout: int = 600) -> nbformat.NotebookNode:
    """Restart & Run All: execute ``path`` in a fresh kernel and save it cleaned.

    The kernel starts in the notebook's folder, as in JupyterLab. Widget
    state is not stored. Raises ``nbclient.exceptions.CellExecutionError`` if
    a cell fails (the file is then left as it was).
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    notebook_client(nb, path.parent, timeout=timeout).execute()
    clean_metadata(nb)
    nbformat.write(nb, path)
    return nb


def new_notebook(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    """Build a notebook from ``[("md" | "code", source), ...]`` with clean metadata.

    For writing lessons from a script; execute it afterwards with
    :func:`execute_notebook` so the stored outputs are fresh. Cells get slide
    metadata (:func:`add_slide_metadata`), so the notebook presents as slides.
    """
    nb = nbformat.v4.new_notebook()
    for kind, source in cells:
        if kind not in ("md", "code"):
            raise ValueError(f"cell kind must be 'md' or 'code', got {kind!r}")
        source = source.strip("\n")
        nb.cells.append(nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source))
    return add_slide_metadata(clean_metadata(nb))


SLIDE_CODE_MAX_LINES = 15


def slide_type(cell: nbformat.NotebookNode) -> str:
    """The RISE slide type for a cell: headings start slides, the rest follows.

    ``# `` and ``## `` headings start a new slide, ``### `` a sub-slide; every
    other cell continues the current slide (``"-"``).
    """
    if cell.cell_type == "markdown":
        first = cell.source.lstrip().split("\n", 1)[0]
        if first.startswith(("# ", "## ")):
            return "slide"
        if first.startswith("### "):
            return "subslide"
    return "-"


def add_slide_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Set ``metadata.slideshow.slide_type`` on every cell (for jupyterlab-rise)."""
    for cell in nb.cells:
        cell.metadata["slideshow"] = {"slide_type": slide_type(cell)}
    return nb
