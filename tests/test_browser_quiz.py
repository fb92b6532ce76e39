"""A quiz and a checker in real JupyterLab (headless Chromium), as a learner meets them.

A small notebook with a lesson quiz and a failing checker is executed and
stored (as the lessons are), then served by its own JupyterLab. Opened without
running anything, the quiz shows its questions (the static HTML stored beside
the widget view) and the checker its coloured report. After *Run All* the live
quiz replaces the static form: a wrong first answer gets "try again", the
explanation comes on request, and a second wrong answer shows it.

Needs Debian's Chromium and playwright, as tests/test_browser.py; skipped with
a reason otherwise.
"""

from __future__ import annotations

import os
import re

import nbformat
import pytest

import browser_support as bs
from gnlib.course.authoring import execute_notebook, new_notebook

QUIZ_CELL = "from gnlib.check.quizzes import lesson_quiz\n\nlesson_quiz('00')"
CHECK_CELL = "from gnlib import check\n\ncheck.check_safe_l2_norm(lambda x: -1.0)"
WRONG_FIRST = "0 < η < 1/2 only"  # question 1 of lesson 00: the answer is 0 < η < 1
WRONG_SECOND = "every η > 0"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    reason = bs.missing_prerequisite()
    if reason:
        if os.environ.get("GNLIB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser test required (GNLIB_REQUIRE_BROWSER=1) but {reason}")
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("quiz_root")
    path = root / "quiz.ipynb"
    nbformat.write(new_notebook([("code", QUIZ_CELL), ("code", CHECK_CELL)]), path)
    execute_notebook(path)
    server = bs.LabServer(tmp_path_factory.mktemp("jupyterlab"), root=root)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def test_quiz_and_checker_in_jupyterlab(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = bs.launch_chromium(playwright)
        try:
            page = chromium.new_context(viewport={"width": 1366, "height": 768}).new_page()
            bs.open_notebook(page, served.url, "quiz.ipynb")

            # before anything runs: the stored static forms
            page.wait_for_selector("text=run the notebook to answer and get feedback", timeout=20_000)
            assert page.locator("text=Gradient descent on J(θ) = θ²").count() >= 1
            assert page.locator("text=VBox(").count() == 0
            report = page.locator(".gnlib-check").first
            assert "some checks failed" in report.inner_text()
            assert page.locator(".gnlib-check span[style*='#D55E00']").count() >= 1  # ✗ in vermillion

            # Run All: the live quiz replaces its static form
            bs.run_all_cells_from_menu(page)
            bs.wait_until_executed(page, timeout=120)
            page.wait_for_selector(".widget-radio-box", timeout=30_000)
            assert page.locator("text=run the notebook to answer and get feedback").count() == 0
            assert not bs.error_outputs(page)

            check_button = page.locator("button", has_text=re.compile(r"^Check$")).first
            page.locator(".widget-radio-box label", has_text=WRONG_FIRST).first.click()
            check_button.click()
            page.wait_for_selector("text=Try again", timeout=10_000)
            assert page.locator("text=converges exactly when").count() == 0  # not yet the explanation

            page.locator("button", has_text="Show explanation").first.click()
            page.wait_for_selector("text=converges exactly when", timeout=10_000)

            page.locator(".widget-radio-box label", has_text=WRONG_SECOND).first.click()
            check_button.click()
            page.wait_for_selector("text=Not quite. It converges exactly when", timeout=10_000)
            assert page.locator("span[style*='#D55E00']", has_text="✗").count() >= 1
        finally:
            chromium.close()
