"""Sphinx configuration of the course website.

Build it with ``python tools/build_site.py`` (which also provides the local
MathJax). The repository root is the Sphinx source, so the README is the home
page and every link between the course's files keeps working; this folder
holds only the configuration, templates and static files. Nothing is
executed: every page shows the outputs stored in the notebooks.

What the site adds to the stored files while reading them (titles, launch
buttons, the lesson table, the sidebar) is generated from ``course.toml`` by
:mod:`gnlib.course.website`; no file on disk is changed.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gnlib.course import website  # noqa: E402
from gnlib.course.config import load_course  # noqa: E402

COURSE = load_course(ROOT)
HOME = COURSE.home
NOTEBOOK_KINDS = website.notebook_kinds(COURSE)

# The MathJax files (npm packages `mathjax` and `@mathjax/mathjax-newcm-font`),
# laid out as _static/mathjax/ and _static/mathjax-fonts/ by tools/build_site.py.
ASSETS = Path(os.environ.get("GNLIB_SITE_ASSETS", ROOT / "_build" / "cache" / "site-assets"))
if not (ASSETS / "mathjax" / "tex-mml-chtml.js").is_file():
    raise RuntimeError(f"no local MathJax in {ASSETS}: build the site with `python tools/build_site.py`")

# Pages that are not notebooks, as the sidebar's reference part: (title, document).
REFERENCE = [
    ("Glossary of symbols", "GLOSSARY"),
    ("Instructor guide", "instructors/guide"),
    ("Benchmarks", "benchmarks/README"),
    ("Contributing", "CONTRIBUTING"),
]

project = "Gradient Norms for Machine Learning"
author = "The Gradient Norms course authors"
copyright = "the Gradient Norms course authors; text CC BY 4.0, code MIT"

extensions = ["myst_nb", "sphinx.ext.mathjax", "sphinx.ext.githubpages"]
root_doc = "README"
include_patterns = ["README.md", *(f"{doc}.md" for _, doc in REFERENCE), *NOTEBOOK_KINDS]
exclude_patterns = ["_build", ".venv", "**/.ipynb_checkpoints", ".git", "site"]
templates_path = ["_templates"]
html_static_path = ["_static", str(ASSETS)]

# Render stored outputs only. A widget output has no widget state on a static
# page, so it shows its stored still frame (PNG) or HTML instead.
nb_execution_mode = "off"
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# MathJax 4 from this site, not from a CDN: math is typeset offline.
mathjax_path = "mathjax/tex-mml-chtml.js"
# Screen readers get MathML (assistive MathML); MathJax's own speech and Braille
# generation (its speech-rule engine) is off by default, since it made long lessons
# take seconds to typeset. A reader can turn it on in MathJax's menu (right-click
# a formula); its files are on the site too.
mathjax4_config = {
    "loader": {"paths": {"fonts": "[mathjax]/../mathjax-fonts"}},
    "options": {"menuOptions": {"settings": {"enrich": False, "speech": False, "braille": False,
                                             "assistiveMml": True}}},
}

html_theme = "sphinx_book_theme"
html_title = project
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_favicon = "_static/favicon.svg"
html_css_files = ["course.css"]
html_js_files = ["course-launch.js"]
html_additional_pages = {"index": "redirect.html"}
html_theme_options = {
    "repository_url": HOME.repository,
    "repository_branch": HOME.branch,
    "path_to_docs": "",
    "use_repository_button": True,
    "use_source_button": True,
    "use_download_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
}


def _notebook_source(docname: str, text: str) -> str:
    """Retitle exercise and solution pages, add launch buttons below the title, drop test markers."""
    path = f"{docname}.ipynb"
    kind = NOTEBOOK_KINDS[path]
    notebook = json.loads(text)
    for cell in notebook["cells"]:  # a marker for the test runner, not for readers
        if cell["cell_type"] == "code":
            lines = "".join(cell["source"]).split("\n")
            cell["source"] = "\n".join(line for line in lines if line.strip() != "# NBVAL_IGNORE_OUTPUT")
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        lines = "".join(cell["source"]).split("\n")
        index = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
        if index is None:
            continue
        lines[index] = "# " + website.page_title(lines[index][2:], kind)
        extra = ["", "```{raw} html", website.launch_bar(HOME, path), "```", ""]
        folder = Path(path).parent.as_posix()
        if kind == website.EXERCISES:
            extra += ["```{note}", f"The worked solutions are on [their own page](solutions.ipynb): "
                      "try each task first, and let the checkers tell you what to fix.", "```", ""]
        elif kind == website.SOLUTIONS:
            extra += ["```{note}", f"These are the worked solutions of [the exercises](exercises.ipynb) "
                      f"in `{folder}/`. Try the exercises first.", "```", ""]
        lines[index + 1:index + 1] = extra
        cell["source"] = "\n".join(lines)
        return json.dumps(notebook)
    raise ValueError(f"{path} has no '# ' heading to title its page")


def _markdown_source(docname: str, text: str) -> str:
    text = website.text_badges(text).replace("](LICENSE)", f"]({HOME.file_url('LICENSE')})")
    if docname == root_doc:
        text = website.replace_lesson_table(text, website.lesson_table(COURSE, "README.md"))
        return text + "\n" + website.sidebar_toctree(COURSE, REFERENCE)
    return text + "\n\n---\n\n" + website.lesson_links(COURSE, f"{docname}.md") + "\n"


def on_source_read(app, docname: str, source: list[str]) -> None:
    if f"{docname}.ipynb" in NOTEBOOK_KINDS:
        source[0] = _notebook_source(docname, source[0])
    else:
        source[0] = _markdown_source(docname, source[0])


def copy_notebooks(app, exception: Exception | None) -> None:
    """Put each notebook next to its page, for the page's download button."""
    if exception is not None or app.builder.format != "html":
        return
    for path in NOTEBOOK_KINDS:
        target = Path(app.outdir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / path, target)


def setup(app):
    app.connect("source-read", on_source_read)
    app.connect("build-finished", copy_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
