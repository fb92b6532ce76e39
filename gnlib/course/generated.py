"""Sections of the course's text files that are generated from ``course.toml``.

A generated section sits between two HTML comments (invisible on GitHub)::

    <!-- BEGIN GENERATED lessons (from course.toml: edit it, then run python -m gnlib.course.set_home) -->
    ...
    <!-- END GENERATED lessons -->

:func:`regenerate` rewrites every such section of a file from the course;
everything outside the markers is left alone. Sections:

- ``binder-badge``: the line with the Binder badge that opens the first lesson;
- ``lessons``: the lesson table (number, title, summary, time, launch badge,
  exercise and solution links with their badges).

Standard library only.

Examples
--------
>>> from gnlib.course.config import load_course
>>> print(render_section("binder-badge", load_course(), "."))  # doctest: +ELLIPSIS
Try it in the browser, nothing to install: [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/...)
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from .config import Course, Lesson

__all__ = ["SECTIONS", "MARKER", "render_section", "regenerate", "section_names"]

MARKER = re.compile(
    r"(?P<begin><!-- BEGIN GENERATED (?P<name>[a-z][a-z0-9-]*)\b[^>]*-->\n)"
    r"(?P<body>.*?)"
    r"(?P<end><!-- END GENERATED (?P=name) -->)",
    re.DOTALL,
)
_ANY_MARKER = re.compile(r"<!-- (?:BEGIN|END) GENERATED ([a-z][a-z0-9-]*)")


def _badge(course: Course, url: str) -> str:
    return f"[![Binder]({course.home.binderhub}/badge_logo.svg)]({url})"


def _binder_badge(course: Course, folder: str) -> str:
    first = course.lessons[0].notebook
    return f"Try it in the browser, nothing to install: {_badge(course, course.home.binder_url(first))}"


def _relative(path: str, folder: str) -> str:
    return posixpath.relpath(path, folder) if folder not in ("", ".") else path


def _lesson_row(course: Course, lesson: Lesson, folder: str) -> str:
    home = course.home
    launch = _badge(course, home.binder_url(lesson.notebook))
    if lesson.exercises:
        exercises = (f"[exercises]({_relative(lesson.exercise_notebook, folder)}) "
                     f"{_badge(course, home.binder_url(lesson.exercise_notebook))} · "
                     f"[solutions]({_relative(lesson.solution_notebook, folder)}) "
                     f"{_badge(course, home.binder_url(lesson.solution_notebook))}")
    else:
        exercises = "–"
    cells = [lesson.number, f"[{lesson.title}]({_relative(lesson.notebook, folder)})", lesson.summary,
             lesson.time_label, launch, exercises]
    return "| " + " | ".join(cells) + " |"


def _lesson_table(course: Course, folder: str) -> str:
    lines = ["| # | Lesson | What you learn | Time | Launch | Exercises |", "|---|---|---|---|---|---|"]
    lines += [_lesson_row(course, lesson, folder) for lesson in course.lessons]
    return "\n".join(lines)


SECTIONS: dict[str, Callable[[Course, str], str]] = {
    "binder-badge": _binder_badge,
    "lessons": _lesson_table,
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
        raise ValueError("unbalanced generated-section markers: every "
                         "'<!-- BEGIN GENERATED name ... -->' line needs an '<!-- END GENERATED name -->'")
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
