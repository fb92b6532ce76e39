"""The course website, built once and read in a real browser with no network.

``tools/build_site.py`` builds the site into a temporary folder; a Python
``http.server`` started here serves it on 127.0.0.1 (stopped by its process
id); headless Chromium opens every page, with every request that leaves the
loopback server blocked, as on a machine without a network. The page facts are
gathered once (``crawl``) and each test checks one promise of the site:

- nothing internal is missing: no 4xx for any page, image, script, style or
  font, every internal ``<a href>`` target exists (and its ``#anchor`` too);
- nothing needs the network, and no script fails;
- every figure a lesson stores is on its page and loaded (natural width > 0);
- math is typeset by the local MathJax, never left as raw ``\\(`` text;
- no raw widget repr (``VBox(...)``/``HBox(...)``) is shown anywhere;
- launch buttons on every notebook page point at the declared home
  (``course.toml``) and at that page's notebook; the JupyterHub link follows
  the hub the reader sets; the ``.ipynb`` download is the stored notebook;
- the sidebar tells exercises from their worked solutions; pages that are not
  notebooks link to every lesson; the home page's lesson table is the course's;
- the built-in search finds a course word offline.

Requirements (skipped with a reason when missing, failing instead under
``GNLIB_REQUIRE_BROWSER=1``): the site tools of ``requirements-dev.txt``,
npm the first time (MathJax is cached in ``_build/cache``), playwright and
Debian's Chromium (``tests/browser_support.py``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from browser_support import free_port, launch_chromium, missing_prerequisite
from gnlib.course.config import load_course

ROOT = Path(__file__).resolve().parents[1]
COURSE = load_course(ROOT)
HOME = COURSE.home
HUB = "https://hub.example.edu/"  # what the test "reader" types into the hub field
REFERENCE_PAGES = ["README.html", "GLOSSARY.html", "instructors/guide.html", "benchmarks/README.html",
                   "CONTRIBUTING.html"]
# Widget reprs as text: what a widget output shows when it has no static form.
WIDGET_REPR = re.compile(r"\b(?:VBox|HBox)\(|\b(?:Box|IntProgress|FloatProgress|\w*Slider|Output|Dropdown|"
                         r"Button|ToggleButtons|RadioButtons|Tab|Accordion)\((?:children|value|layout|outputs)=")
RAW_MATH = re.compile(r"\\\(|\\\[|\\begin\{")


def _require(reason: str) -> None:
    if os.environ.get("GNLIB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"site test required (GNLIB_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


def _page_path(notebook: str) -> str:
    return notebook.removesuffix(".ipynb") + ".html"


def _stored_pngs(notebook: str) -> int:
    cells = json.loads((ROOT / notebook).read_text(encoding="utf-8"))["cells"]
    return sum("image/png" in output.get("data", {}) for cell in cells for output in cell.get("outputs", []))


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict:
    """Build the site once with the course's own command; returns its folder and build time."""
    for module in ("sphinx", "myst_nb", "sphinx_book_theme"):
        if importlib.util.find_spec(module) is None:
            _require(f"{module} is not installed (pip install -r requirements-dev.txt)")
    if shutil.which("npm") is None and not (ROOT / "_build" / "cache" / "site-assets" / "VERSIONS").is_file():
        _require("npm is needed once to install MathJax for the site")
    reason = missing_prerequisite()
    if reason:
        _require(reason)
    out = tmp_path_factory.mktemp("site") / "site"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "tools/build_site.py", "--out", str(out)], cwd=ROOT, env=env,
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, f"the site did not build:\n{result.stdout}\n{result.stderr}"
    assert "built " in result.stdout and " s " in result.stdout, result.stdout  # it states its build time
    print(result.stdout.strip())
    return {"out": out, "seconds": seconds}


@pytest.fixture(scope="module")
def server(site):
    """``python -m http.server`` on 127.0.0.1 serving the built site; stopped by its pid."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(site["out"])],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "index.html", timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"http.server did not start (exit {proc.poll()})")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# In the page: what the tests check, read once per page.
_PAGE_FACTS_JS = r"""async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await document.fonts.ready;
  const article = document.querySelector('article') || document.body;
  const prose = article.cloneNode(true);   // the text a reader sees outside code blocks
  prose.querySelectorAll('pre, code, script, style, .cell_input, mjx-container').forEach(e => e.remove());
  const outputs = Array.from(document.querySelectorAll('.cell_output')).map(e => e.innerText);
  const launch = document.querySelector('.course-launch');
  const link = (sel) => { const a = launch && launch.querySelector(sel); return a ? a.href : null; };
  return {
    url: location.href,
    title: document.title,
    images: Array.from(document.images).map(img => ({src: img.currentSrc || img.src, complete: img.complete,
      width: img.naturalWidth, inOutput: !!img.closest('.cell_output')})),
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
    math: document.querySelectorAll('span.math, div.math').length,
    mathTypeset: document.querySelectorAll('span.math mjx-container, div.math mjx-container').length,
    mathJaxLoaded: !!window.MathJax && !!window.MathJax.startup,
    proseText: prose.textContent,
    articleText: article.innerText,
    outputText: outputs.join('\n'),
    articleLinks: Array.from(article.querySelectorAll('a[href]')).map(a => a.href),
    launch: launch && {notebook: launch.getAttribute('data-notebook'), binder: link('.course-launch-binder'),
      hub: link('.course-launch-hub'), hubText: launch.querySelector('.course-launch-hub').textContent,
      download: link('.course-launch-download')},
    sidebar: Array.from(document.querySelectorAll('.bd-sidebar-primary nav.bd-links a')).map(a =>
      ({text: a.textContent.trim(), href: a.href})),
  };
}"""


@pytest.fixture(scope="module")
def crawl(site, server) -> dict:
    """Open every page of the site in Chromium, offline; the facts of each page, by path."""
    from playwright.sync_api import sync_playwright

    out = site["out"]
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")
                   if not p.relative_to(out).as_posix().startswith("_static/"))
    facts: dict = {"pages": {}, "bad_responses": [], "external": [], "js_errors": [], "hub_unset": None}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 900})

            def route(r):  # offline: nothing leaves the loopback server
                if r.request.url.startswith(server):
                    r.continue_()
                else:
                    facts["external"].append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("response", lambda resp: facts["bad_responses"].append(f"{resp.status} {resp.url}")
                    if resp.status >= 400 else None)
            # A request cut short by moving on to the next page (net::ERR_ABORTED) is not a failure.
            page.on("requestfailed", lambda req: facts["bad_responses"].append(f"{req.failure} {req.url}")
                    if req.url.startswith(server) and "ERR_ABORTED" not in (req.failure or "") else None)
            page.on("pageerror", lambda exc: facts["js_errors"].append(f"{page.url}: {exc}"))
            notebook_pages = {_page_path(nb) for nb in COURSE.notebooks()}
            first_notebook = next(p for p in pages if p in notebook_pages)
            # Visit the first notebook page first: it shows the unset hub, then the reader sets one.
            for path in [first_notebook] + [p for p in pages if p != first_notebook]:
                page.goto(server + path, wait_until="load")
                if path == "index.html":  # redirects to the home page
                    page.wait_for_url("**/README.html", wait_until="load")
                if path == first_notebook:
                    facts["hub_unset"] = page.evaluate(_PAGE_FACTS_JS)["launch"]
                    page.fill(".course-hub-form input[name=hub]", HUB)
                    page.click(".course-hub-form button[type=submit]")
                facts["pages"][path] = page.evaluate(_PAGE_FACTS_JS)
            page.goto(server + "search.html?q=clipping", wait_until="load")
            page.wait_for_selector("#search-results .search-summary", timeout=30_000)
            facts["search"] = page.evaluate("() => Array.from(document.querySelectorAll("
                                            "'#search-results ul.search li a')).map(a => a.href)")
        finally:
            browser.close()
    return facts


# ---------------------------------------------------------------- tests

def test_build_output_is_small_and_clean(site):
    size = sum(p.stat().st_size for p in site["out"].rglob("*") if p.is_file())
    print(f"build {site['seconds']:.1f} s, site {size / 1e6:.1f} MB")
    assert size < 60e6, f"the site is {size / 1e6:.1f} MB"
    assert not (site["out"] / "jupyter_execute").exists()


def test_every_course_page_is_built(site, crawl):
    pages = crawl["pages"]
    expected = {_page_path(nb) for nb in COURSE.notebooks()} | set(REFERENCE_PAGES) | {"index.html",
                                                                                      "search.html"}
    assert expected <= set(pages), sorted(expected - set(pages))
    assert pages["index.html"]["url"].endswith("/README.html")  # the home page
    for nb in COURSE.notebooks():  # the notebooks to download
        assert (site["out"] / nb).read_bytes() == (ROOT / nb).read_bytes(), nb


def test_nothing_internal_is_missing(server, crawl):
    assert crawl["bad_responses"] == []
    targets: dict[str, set[str]] = {}
    for path, facts in crawl["pages"].items():
        for href in facts["links"] + [img["src"] for img in facts["images"]]:
            if href.startswith(server):
                url, fragment = urldefrag(href)
                targets.setdefault(url, set()).add(fragment)
    missing = []
    for url, fragments in sorted(targets.items()):
        relative = urlparse(url).path.lstrip("/") or "index.html"
        if relative in crawl["pages"]:
            ids = set(crawl["pages"][relative]["ids"])
            missing += [f"{url}#{f}" for f in sorted(fragments) if f and f not in ids]
            continue
        try:
            urllib.request.urlopen(url, timeout=10).read()
        except urllib.error.HTTPError as exc:
            missing.append(f"{exc.code} {url}")
    assert missing == []


def test_offline_and_without_script_errors(crawl):
    assert crawl["external"] == [], "pages fetch from the network"
    assert crawl["js_errors"] == []


def test_lesson_figures_are_all_there_and_loaded(crawl):
    for lesson in COURSE.lessons:
        facts = crawl["pages"][_page_path(lesson.notebook)]
        figures = [img for img in facts["images"] if img["inOutput"]]
        assert len(figures) == _stored_pngs(lesson.notebook) > 0, lesson.notebook
        broken = [img["src"][-60:] for img in figures if not (img["complete"] and img["width"] > 0)]
        assert broken == [], lesson.notebook
    for path, facts in crawl["pages"].items():
        assert [i["src"] for i in facts["images"] if i["width"] <= 0] == [], path


def test_math_is_typeset_offline(crawl):
    with_math = 0
    for path, facts in crawl["pages"].items():
        raw = RAW_MATH.findall(facts["proseText"])
        assert raw == [], f"{path} shows raw TeX"
        if facts["math"]:
            with_math += 1
            assert facts["mathJaxLoaded"], path
            assert facts["mathTypeset"] == facts["math"], f"{path}: only {facts['mathTypeset']} of " \
                                                          f"{facts['math']} formulas typeset"
    assert with_math >= len(COURSE.lessons)


def test_no_page_shows_a_widget_repr(crawl):
    """Explorables show their frame, quizzes their questions, progress bars their state."""
    shown = {}
    for path, facts in crawl["pages"].items():
        hits = WIDGET_REPR.findall(facts["outputText"] + "\n" + facts["proseText"])
        if hits:
            shown[path] = hits
    assert shown == {}, "widget outputs without a static form (text repr shown)"


def test_launch_buttons_point_at_the_declared_home(server, crawl):
    unset = crawl["hub_unset"]
    assert unset["hub"].endswith("#course-hub-form") and "set your hub" in unset["hubText"]
    for notebook in COURSE.notebooks():
        path = _page_path(notebook)
        launch = crawl["pages"][path]["launch"]
        assert launch is not None, f"{path} has no launch buttons"
        assert launch["notebook"] == notebook
        assert launch["binder"] == HOME.binder_url(notebook)
        assert launch["binder"].startswith(f"{HOME.binderhub}/v2/gh/{HOME.owner_and_name}/{HOME.branch}?")
        assert launch["hub"] == HOME.nbgitpuller_url(HUB, notebook)  # the hub set on another page
        assert launch["hubText"] == "JupyterHub"
        assert launch["download"] == server + notebook
    for path in REFERENCE_PAGES:
        assert crawl["pages"][path]["launch"] is None


def test_pages_that_are_not_notebooks_link_to_every_lesson(server, crawl):
    for path in REFERENCE_PAGES:
        links = set(crawl["pages"][path]["articleLinks"])
        missing = [lesson.notebook for lesson in COURSE.lessons if server + _page_path(lesson.notebook) not in links]
        assert missing == [], path


def test_home_page_lesson_table_comes_from_the_course(server, crawl):
    text = crawl["pages"]["README.html"]["articleText"]
    positions = []
    for lesson in COURSE.lessons:
        row = re.search(rf"{re.escape(lesson.number)}\s*{re.escape(lesson.title)}\s*"
                        rf"{re.escape(lesson.summary.replace('`', ''))}\s*{re.escape(lesson.time_label)}", text)
        assert row, f"no table row for lesson {lesson.number}"
        positions.append(row.start())
    assert positions == sorted(positions)
    assert "mybinder.org/badge" not in " ".join(i["src"] for i in crawl["pages"]["README.html"]["images"])


def test_sidebar_tells_exercises_from_solutions(server, crawl):
    sidebar = crawl["pages"]["GLOSSARY.html"]["sidebar"]
    titles = {entry["href"]: entry["text"] for entry in sidebar}
    order = [entry["href"] for entry in sidebar]
    assert len(set(titles.values())) == len(titles), "two sidebar entries share a title"
    for lesson in COURSE.lessons:
        assert server + _page_path(lesson.notebook) in titles
        if not lesson.exercises:
            continue
        exercises, solutions = (server + _page_path(lesson.exercise_notebook),
                                server + _page_path(lesson.solution_notebook))
        assert titles[exercises].startswith("Exercises") and "solution" not in titles[exercises].lower()
        assert "solutions" in titles[solutions].lower()
        assert order.index(solutions) == order.index(exercises) + 1, "solutions are listed right after"
        exercise_page = crawl["pages"][_page_path(lesson.exercise_notebook)]
        assert solutions in exercise_page["articleLinks"], "the exercise page links its solutions"


def test_search_works_offline(server, crawl):
    course_pages = {server + _page_path(nb) for nb in COURSE.notebooks()}
    assert course_pages & set(crawl["search"]), f"searching 'clipping' found {crawl['search']}"
