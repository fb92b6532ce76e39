"""End to end, in a real browser: every lesson runs in JupyterLab and its explorable responds.

One JupyterLab server (loopback, token disabled, its own runtime/settings
directories, serving the repository) and one headless Chromium (Debian's, via
Playwright for Python) serve the whole module. For each notebook in
``lessons/`` (new lessons are picked up automatically) the test opens it,
clears the stored outputs, clicks *Run → Run All Cells*, waits until the kernel
is idle and no cell shows ``[*]``, and checks that

1. no cell failed (no error output in the notebook model, no traceback on the page)
   and every code cell ran;
2. every widget rendered (no "Error displaying widget", "model not found" or
   "Loading widget..." left, no widget shown as its text repr);
3. moving the first slider (keyboard, on its noUiSlider handle) redraws the
   figure of its explorable: the image's data URL and its screenshot change.

On failure a full-page screenshot, the browser console and the JupyterLab log
are saved under the test's ``tmp_path`` (paths are printed). JupyterLab runs
with autosave off, so running the lessons never writes to ``lessons/``; the
test also checks that the notebook was not saved.

Needs ``/usr/bin/chromium`` (apt-get install chromium) and
``pip install playwright==1.65.2`` (never ``playwright install``); skipped with
a reason otherwise. Run alone with ``python -m pytest tests/test_browser.py -v``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

import pytest

import browser_support as bs

LESSONS = sorted((bs.ROOT / "lessons").glob("*.ipynb"))

# Generous timeouts (a loaded 2-core machine); the run time is printed.
RUN_TIMEOUT = 180
REDRAW_TIMEOUT = 30


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    reason = bs.missing_prerequisite()
    if reason:
        if os.environ.get("GNLIB_REQUIRE_BROWSER") == "1":  # CI installed Chromium: it must run
            pytest.fail(f"browser test required (GNLIB_REQUIRE_BROWSER=1) but {reason}")
        pytest.skip(reason)
    server = bs.LabServer(tmp_path_factory.mktemp("jupyterlab"))
    try:
        server.start()
        yield server
    finally:
        server.stop()
        print(f"\nJupyterLab log: {server.log_path}")


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = bs.launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, lab):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.console_lines = []
    page.on("console", lambda msg: page.console_lines.append(f"[{msg.type}] {msg.text}"))
    page.on("pageerror", lambda err: page.console_lines.append(f"[pageerror] {err}"))
    try:
        yield page
    finally:
        context.close()
        lab.shutdown_kernels()  # one kernel at a time on a small machine


@contextlib.contextmanager
def artifacts_on_failure(page, lab, folder: Path):
    """If the block fails: save a screenshot, the console and the JupyterLab log; re-raise."""
    try:
        yield
    except BaseException:
        folder.mkdir(parents=True, exist_ok=True)
        saved = []
        with contextlib.suppress(Exception):
            page.screenshot(path=str(folder / "page.png"), full_page=True, timeout=15_000)
            saved.append(folder / "page.png")
        (folder / "console.log").write_text("\n".join(page.console_lines))
        saved.append(folder / "console.log")
        with contextlib.suppress(OSError):
            shutil.copyfile(lab.log_path, folder / "jupyterlab.log")
            saved.append(folder / "jupyterlab.log")
        print("\nbrowser test artifacts:\n" + "\n".join(f"  {p}" for p in saved))
        raise


def wait_for_widgets(page, timeout: float = 20) -> list[str]:
    """Widget problems once views have had ``timeout`` s to finish loading ([] if none)."""
    deadline = time.monotonic() + timeout
    while True:
        problems = bs.widget_failures(page)
        if not problems or time.monotonic() > deadline:
            return problems
        time.sleep(0.5)


def move_slider(page, handle) -> tuple[str, str]:
    """Press ArrowRight three times on a slider (ArrowLeft if it sits at its maximum)."""
    before = bs.slider_readout(handle)
    for key in ("ArrowRight", "ArrowLeft"):
        handle.focus()
        for _ in range(3):
            page.keyboard.press(key)
        with contextlib.suppress(Exception):
            page.wait_for_function("([h, old]) => { const r = h.closest('.widget-slider')"
                                   ".querySelector('.widget-readout'); return r && r.textContent !== old; }",
                                   arg=[handle.element_handle(), before], timeout=3000)
        after = bs.slider_readout(handle)
        if after != before:
            return before, after
    return before, before


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.name for p in LESSONS])
def test_lesson_in_jupyterlab(lesson: Path, lab, page, tmp_path):
    relpath = lesson.relative_to(bs.ROOT).as_posix()
    started = time.monotonic()
    with artifacts_on_failure(page, lab, tmp_path / "artifacts"):
        bs.open_notebook(page, lab.url, relpath)
        opened_in = time.monotonic() - started
        opened_as = bs.saved_timestamp(page)
        bs.clear_all_outputs(page)
        bs.run_all_cells_from_menu(page)
        bs.wait_until_executed(page, timeout=RUN_TIMEOUT)
        ran_in = time.monotonic() - started - opened_in

        # 1. no cell failed, and Run All reached the end
        errors = bs.error_outputs(page)
        assert not errors, f"{relpath}: cells failed in JupyterLab:\n" + "\n".join(errors)
        assert not bs.unexecuted_cells(page), f"{relpath}: code cells not run: {bs.unexecuted_cells(page)}"

        # 2. every widget rendered
        problems = wait_for_widgets(page)
        assert not problems, f"{relpath}: widgets did not render:\n" + "\n".join(problems)

        # 3. the first slider redraws its figure
        slider_started = time.monotonic()
        handle = bs.first_slider_with_figure(page)
        assert handle is not None, f"{relpath}: no slider driving a figure (every lesson has an explorable)"
        images = bs.figure_count(page)
        old_src = bs.wait_for_stable_figure(page, timeout=REDRAW_TIMEOUT)
        old_png = page.locator(bs.FIGURE).first.screenshot()
        old_value, new_value = move_slider(page, handle)
        assert new_value != old_value, f"{relpath}: the slider did not move with the keyboard (readout {old_value})"
        try:
            bs.wait_for_new_figure(page, old_src, timeout=REDRAW_TIMEOUT)
        except TimeoutError:
            pytest.fail(f"{relpath}: slider moved {old_value} -> {new_value} but its figure's image did not "
                        f"change within {REDRAW_TIMEOUT} s")
        new_src = bs.wait_for_stable_figure(page, timeout=REDRAW_TIMEOUT)
        new_png = page.locator(bs.FIGURE).first.screenshot()
        assert new_src != old_src
        assert new_png != old_png, f"{relpath}: slider moved {old_value} -> {new_value} but the figure looks the same"
        assert bs.figure_count(page) == images, f"{relpath}: the redraw added images instead of replacing one"

        # the callbacks did not fail either, and nothing was written to lessons/
        errors = bs.error_outputs(page)
        assert not errors, f"{relpath}: moving the slider raised:\n" + "\n".join(errors)
        assert bs.saved_timestamp(page) == opened_as, f"{relpath} was saved by the test"
    print(f"\n{relpath}: opened in {opened_in:.1f} s, cells ran in {ran_in:.1f} s, slider {old_value} -> "
          f"{new_value} redrew in {time.monotonic() - slider_started:.1f} s; total {time.monotonic() - started:.1f} s")
