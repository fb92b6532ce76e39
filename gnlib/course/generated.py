"""Sections of the course's text files that are generated from ``course.toml``.

A generated section sits between two comment lines: HTML comments (invisible
on GitHub) in Markdown and HTML files, ``#`` comments in YAML files::

    <!-- BEGIN GENERATED lessons (from course.toml: edit it, then run python -m gnlib.course.set_home) -->
    ...
    <!-- END GENERATED lessons -->

    # BEGIN GENERATED hub-values (from course.toml: edit it, then run python -m gnlib.course.set_home)
    ...
    # END GENERATED hub-values

:func:`regenerate` rewrites every such section of a file from the course;
everything outside the markers is left alone. Sections:

- ``binder-badge``: the line with the Binder badge that opens the first lesson;
- ``lessons``: the lesson table (number, title, summary, time, launch badge,
  exercise and solution links with their badges) and the total time. The
  README shows it, and the website's home page is the README (its badges
  turned into text links by :func:`text_badges`);
- ``hub-links``: the workshop's table of JupyterHub (nbgitpuller) links, one
  per lesson and exercise notebook, for :data:`EXAMPLE_HUB`
  (:func:`hub_link_table`), and the doctor command;
- ``hub-values``: the lines of the Zero to JupyterHub values file that pull
  the course at every server start and open its first lesson.

Standard library only.

Examples
--------
>>> from gnlib.course.config import load_course
>>> print(render_section("binder-badge", load_course(), "."))  # doctest: +ELLIPSIS
Try it in the browser, nothing to install: [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/...)
>>> text_badges("Try: [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/a/b/main)")
'Try: [Binder](https://mybinder.org/v2/gh/a/b/main)'
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from .config import Course, Lesson

__all__ = ["SECTIONS", "MARKER", "EXAMPLE_HUB", "render_section", "regenerate", "section_names", "relative_link",
           "text_badges", "hub_link_table"]

# A section's markers: HTML comments (Markdown, HTML) or ``#`` comment lines (YAML), each on a line of its own.
MARKER = re.compile(
    r"(?P<begin>^[ \t]*(?:(?P<html><!--)|\#) BEGIN GENERATED (?P<name>[a-z][a-z0-9-]*)\b[^\n]*\n)"
    r"(?P<body>.*?)"
    r"(?P<end>^[ \t]*(?(html)<!--|\#) END GENERATED (?P=name)(?(html) -->|[ \t]*$))",
    re.DOTALL | re.MULTILINE,
)
_ANY_MARKER = re.compile(r"^[ \t]*(?:<!--|\#) (?:BEGIN|END) GENERATED [a-z]", re.MULTILINE)
# The hub address of the workshop README's link table (an instructor prints theirs with workshop/links.py --hub).
EXAMPLE_HUB = "https://hub.example.edu"


def relative_link(target: str, folder: str) -> str:
    """``target`` (a path from the repository root) as a link from a file in ``folder``.

    Examples
    --------
    >>> relative_link("lessons/00_start_here.ipynb", "instructors")
    '../lessons/00_start_here.ipynb'
    >>> relative_link("lessons/00_start_here.ipynb", ".")
    'lessons/00_start_here.ipynb'
    """
    return posixpath.relpath(target, folder or ".")


def text_badges(markdown: str) -> str:
    """Badge images that link somewhere become plain links (the website loads no remote image).

    Examples
    --------
    >>> text_badges("[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/a/b/main) and ![a](a.png)")
    '[Binder](https://mybinder.org/v2/gh/a/b/main) and ![a](a.png)'
    """
    return re.sub(r"\[!\[([^\]]*)\]\(https?://[^)\s]+\)\]\(([^)\s]+)\)", r"[\1](\2)", markdown)


def _badge(course: Course, url: str) -> str:
    return f"[![Binder]({course.home.binderhub}/badge_logo.svg)]({url})"


def _binder_badge(course: Course, folder: str) -> str:
    first = course.lessons[0].notebook
    return f"Try it in the browser, nothing to install: {_badge(course, course.home.binder_url(first))}"


def _lesson_row(course: Course, lesson: Lesson, folder: str) -> str:
    home = course.home
    launch = _badge(course, home.binder_url(lesson.notebook))
    if lesson.exercises:
        exercises = (f"[exercises]({relative_link(lesson.exercise_notebook, folder)}) "
                     f"{_badge(course, home.binder_url(lesson.exercise_notebook))} · "
                     f"[solutions]({relative_link(lesson.solution_notebook, folder)}) "
                     f"{_badge(course, home.binder_url(lesson.solution_notebook))}")
    else:
        exercises = "–"
    cells = [lesson.number, f"[{lesson.title}]({relative_link(lesson.notebook, folder)})", lesson.summary,
             lesson.time_label, launch, exercises]
    return "| " + " | ".join(cells) + " |"


def _lesson_table(course: Course, folder: str) -> str:
    lines = ["| # | Lesson | What you learn | Time | Launch | Exercises |", "|---|---|---|---|---|---|"]
    lines += [_lesson_row(course, lesson, folder) for lesson in course.lessons]
    hours, minutes = divmod(course.total_minutes, 60)
    lines += ["", f"In all about {hours} h {minutes:02d} min, lessons and exercises."]
    return "\n".join(lines)


def hub_link_table(course: Course, hub: str) -> str:
    """The JupyterHub links of the course: one nbgitpuller link per lesson and exercise notebook.

    Parameters
    ----------
    course : Course
        The course, from :func:`gnlib.course.config.load_course`.
    hub : str
        The hub's address, e.g. ``https://hub.example.edu``.

    Returns
    -------
    str
        A Markdown table (lesson, links that open it on the hub), then the
        doctor command to run on the hub in the folder the links clone into.

    Raises
    ------
    ValueError
        If ``hub`` is not an http(s) URL.
    """
    home = course.home
    rows = ["| Lesson | Open on your hub |", "| --- | --- |"]
    for lesson in course.lessons:
        links = f"[lesson]({home.nbgitpuller_url(hub, lesson.notebook)})"
        if lesson.exercises:
            links += f" · [exercises]({home.nbgitpuller_url(hub, lesson.exercise_notebook)})"
        rows.append(f"| {lesson.number} · {lesson.title} | {links} |")
    rows += ["", "Doctor check, in a terminal on the hub once a link has pulled the course:", "",
             "```bash", f"cd ~/{home.name} && python -m gnlib.doctor", "```"]
    return "\n".join(rows)


def _hub_links(course: Course, folder: str) -> str:
    return hub_link_table(course, EXAMPLE_HUB)


def _hub_values(course: Course, folder: str) -> str:
    """The ``singleuser`` lines of a Zero to JupyterHub values file that name the course."""
    home, first = course.home, course.lessons[0].notebook
    return "\n".join([
        f"  defaultUrl: /lab/tree/{home.name}/{first}",
        "  lifecycleHooks:",
        "    postStart:",
        "      exec:",
        f"        # pull the course into ~/{home.name} at every server start; edits are kept",
        f'        command: ["sh", "-c", "gitpuller {home.repository} {home.branch} {home.name} || true"]',
    ])


SECTIONS: dict[str, Callable[[Course, str], str]] = {
    "binder-badge": _binder_badge,
    "lessons": _lesson_table,
    "hub-links": _hub_links,
    "hub-values": _hub_values,
}


def render_section(name: str, course: Course, folder: str) -> str:
    """The text of section ``name`` for a file in ``folder`` (relative to the repository root).

    Raises
    ------
    ValueError
        If there is no section called ``name``.
    """
    if name not in SECTIONS:
        raise ValueError(f"unknown generated section {name!r}; known: {sorted(SECTIONS)}")
    return SECTIONS[name](course, folder)


def section_names(text: str) -> list[str]:
    """The names of the generated sections in ``text``, in order.

    Raises
    ------
    ValueError
        If a BEGIN marker has no matching END marker (or the reverse).
    """
    names = [match["name"] for match in MARKER.finditer(text)]
    if len(_ANY_MARKER.findall(text)) != 2 * len(names):
        raise ValueError("unbalanced generated-section markers: every '<!-- BEGIN GENERATED name ... -->' line "
                         "needs an '<!-- END GENERATED name -->' line ('# BEGIN/END GENERATED name' in YAML)")
    return names


def regenerate(text: str, course: Course, folder: str) -> str:
    """``text`` with every generated section rewritten from ``course``.

    Parameters
    ----------
    text : str
        A file's contents.
    course : Course
        The course, from :func:`gnlib.course.config.load_course`.
    folder : str
        The file's folder relative to the repository root (``"."`` for the
        README), so that relative links are right.

    Returns
    -------
    str
        The new contents (unchanged if the file has no generated section).
    """
    section_names(text)  # checks the markers are balanced

    def render(match: re.Match) -> str:
        return match["begin"] + render_section(match["name"], course, folder) + "\n" + match["end"]

    return MARKER.sub(render, text)
