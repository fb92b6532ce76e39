"""What the course website adds to the stored pages, generated from ``course.toml``.

The website (``site/conf.py``, built by ``tools/build_site.py``) renders the
repository's own files: the README is its home page, every lesson, exercise
and solution notebook a page. Nothing on disk is edited; while a page is read,
the site adds what only a website needs, and this module writes it:

- the home page's lesson table, from the course's lesson list
  (:func:`lesson_table`), replacing the README's own table;
- the sidebar, one table of contents per part of the course
  (:func:`sidebar_toctree`);
- page titles that tell an exercise from its worked solutions
  (:func:`page_title`);
- launch buttons on every notebook page: Binder, a JupyterHub the reader
  chooses (an nbgitpuller link) and a download of the ``.ipynb``
  (:func:`launch_bar`);
- on pages that are not notebooks, links to the lessons (:func:`lesson_links`).

Standard library only, like :mod:`gnlib.course.config`.

Examples
--------
>>> from gnlib.course.config import Home
>>> page_title("Exercises 01 · Vector norms", "solutions")
'Worked solutions 01 · Vector norms'
>>> hub_link_suffix(Home("https://github.com/alice/gn-course", "spring"), "lessons/01_vector_norms.ipynb")
'/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Falice%2Fgn-course&branch=spring&urlpath=lab%2Ftree%2Fgn-course%2Flessons%2F01_vector_norms.ipynb'
"""

from __future__ import annotations

import html
import posixpath
import re

from .config import Course, Home, Lesson

# The hub address a reader has not set yet; replaced in the page by the one they enter.
_HUB_MARKER = "https://hub.invalid"

# Kinds of notebook page.
LESSON, EXERCISES, SOLUTIONS = "lesson", "exercises", "solutions"


def notebook_kinds(course: Course) -> dict[str, str]:
    """Every notebook the course lists, mapped to its kind (lesson, exercises or solutions).

    Parameters
    ----------
    course : Course
        From :func:`gnlib.course.config.load_course`.

    Returns
    -------
    dict of str to str
        Notebook path relative to the repository root -> ``"lesson"``,
        ``"exercises"`` or ``"solutions"``, in course order.
    """
    kinds: dict[str, str] = {}
    for lesson in course.lessons:
        kinds[lesson.notebook] = LESSON
        if lesson.exercises:
            kinds[lesson.exercise_notebook] = EXERCISES
            kinds[lesson.solution_notebook] = SOLUTIONS
    return kinds


def page_title(heading: str, kind: str) -> str:
    """The title a notebook page gets on the website, from its first heading.

    Exercise and solution notebooks share their first heading; on the website
    (and so in the sidebar) the solutions say that they are the solutions.

    Parameters
    ----------
    heading : str
        The notebook's first heading, without the leading ``#``.
    kind : str
        ``"lesson"``, ``"exercises"`` or ``"solutions"``.

    Returns
    -------
    str
        ``heading`` for a lesson; for exercises, a title starting with
        "Exercises"; for solutions, one starting with "Worked solutions".

    Raises
    ------
    ValueError
        If ``kind`` is not one of the three kinds.
    """
    heading = heading.strip()
    if kind == LESSON:
        return heading
    if kind == EXERCISES:
        return heading if re.match(r"Exercises\b", heading) else f"Exercises: {heading}"
    if kind == SOLUTIONS:
        if re.match(r"Exercises\b", heading):
            return re.sub(r"^Exercises\b", "Worked solutions", heading)
        return f"Worked solutions: {heading}"
    raise ValueError(f"kind must be 'lesson', 'exercises' or 'solutions', got {kind!r}")


def relative_link(from_doc: str, target: str) -> str:
    """``target`` (a path from the repository root) as a link from the file ``from_doc``.

    >>> relative_link("instructors/guide.md", "lessons/00_start_here.ipynb")
    '../lessons/00_start_here.ipynb'
    """
    return posixpath.relpath(target, posixpath.dirname(from_doc) or ".")


def _exercise_cell(lesson: Lesson, from_doc: str) -> str:
    if not lesson.exercises:
        return "–"
    return (f"[exercises]({relative_link(from_doc, lesson.exercise_notebook)}) · "
            f"[worked solutions]({relative_link(from_doc, lesson.solution_notebook)})")


def lesson_table(course: Course, from_doc: str = "README.md") -> str:
    """The lesson table of the home page, in Markdown, one row per lesson.

    Parameters
    ----------
    course : Course
        The course; every row comes from its lesson list.
    from_doc : str
        The page the table appears on (links are relative to it).

    Returns
    -------
    str
        A Markdown table: number, lesson (linked), what you learn, time
        (lesson + exercises), exercises and worked solutions (linked).
    """
    rows = ["| # | Lesson | What you learn | Time | Exercises |", "|---|---|---|---|---|"]
    for lesson in course.lessons:
        link = f"[{lesson.title}]({relative_link(from_doc, lesson.notebook)})"
        rows.append(f"| {lesson.number} | {link} | {lesson.summary} | {lesson.time_label} | "
                    f"{_exercise_cell(lesson, from_doc)} |")
    hours, minutes = divmod(course.total_minutes, 60)
    rows.append("")
    rows.append(f"In all about {hours} h {minutes:02d} min. Every lesson and exercise page has buttons to run "
                "it: on Binder, on your own JupyterHub, or as a downloaded notebook.")
    return "\n".join(rows)


def replace_lesson_table(markdown: str, table: str) -> str:
    """Replace the Markdown table whose header starts with ``| # | Lesson`` by ``table``.

    Raises
    ------
    ValueError
        If ``markdown`` has no such table (the home page would otherwise keep
        a table that is not generated from the course's lesson list).
    """
    lines = markdown.split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(r"\|\s*#\s*\|\s*Lesson\s*\|", line)), None)
    if start is None:
        raise ValueError("markdown has no lesson table (a table whose header starts with '| # | Lesson |')")
    end = start
    while end < len(lines) and lines[end].lstrip().startswith("|"):
        end += 1
    return "\n".join(lines[:start] + table.split("\n") + lines[end:])


def text_badges(markdown: str) -> str:
    """Badge images that link somewhere become plain links (the site loads no remote image).

    >>> text_badges("Try: [![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/a/b/main)")
    'Try: [Binder](https://mybinder.org/v2/gh/a/b/main)'
    """
    return re.sub(r"\[!\[([^\]]*)\]\(https?://[^)\s]+\)\]\(([^)\s]+)\)", r"[\1](\2)", markdown)


def sidebar_toctree(course: Course, reference: list[tuple[str, str]]) -> str:
    """Hidden MyST toctrees for the sidebar: lessons, exercises with their solutions, reference.

    Parameters
    ----------
    course : Course
        Lessons and exercise folders, in order.
    reference : list of (str, str)
        ``(title, document)`` pairs for the reference part (glossary,
        instructor guide, ...), documents without their suffix.

    Returns
    -------
    str
        MyST Markdown to append to the home page. Exercise pages are listed
        each followed by its worked solutions.
    """
    def toctree(caption: str, entries: list[str]) -> str:
        body = "\n".join(entries)
        return f"\n```{{toctree}}\n:hidden:\n:caption: {caption}\n:maxdepth: 1\n\n{body}\n```\n"

    lessons = [lesson.notebook.removesuffix(".ipynb") for lesson in course.lessons]
    exercises = []
    for lesson in course.lessons:
        if lesson.exercises:
            exercises += [lesson.exercise_notebook.removesuffix(".ipynb"),
                          lesson.solution_notebook.removesuffix(".ipynb")]
    parts = [toctree("Lessons", lessons)]
    if exercises:
        parts.append(toctree("Exercises and worked solutions", exercises))
    parts.append(toctree("Reference", [f"{title} <{doc}>" for title, doc in reference]))
    return "\n".join(parts)


def hub_link_suffix(home: Home, path: str) -> str:
    """Everything of the nbgitpuller link after the hub's address.

    The page adds the hub address the reader enters in front of it, which
    gives exactly ``home.nbgitpuller_url(hub, path)``.
    """
    url = home.nbgitpuller_url(_HUB_MARKER, path)
    return url[len(_HUB_MARKER):]


def launch_bar(home: Home, path: str) -> str:
    """The launch buttons of a notebook page, as an HTML block.

    Parameters
    ----------
    home : Home
        The course's declared home (repository and branch).
    path : str
        The notebook, relative to the repository root.

    Returns
    -------
    str
        One line of HTML: a Binder link (JupyterLab on this notebook), a
        JupyterHub link that ``course-launch.js`` completes with the hub the
        reader sets (kept in the browser), and a download of the notebook
        (copied next to the page).
    """
    e = html.escape
    name = posixpath.basename(path)
    return (
        f'<div class="course-launch" data-notebook="{e(path)}">'
        '<span class="course-launch-label">Run this notebook:</span> '
        f'<a class="course-launch-binder" href="{e(home.binder_url(path))}" '
        'title="Opens JupyterLab on this notebook on Binder (free, temporary: download your work)">Binder</a> '
        f'<a class="course-launch-hub" href="#course-hub-form" data-hub-suffix="{e(hub_link_suffix(home, path))}" '
        'title="Copies the course into your JupyterHub account (nbgitpuller) and opens this notebook">'
        'JupyterHub</a> '
        f'<a class="course-launch-download" href="{e(name)}" download="{e(name)}">Download .ipynb</a>'
        '<form class="course-hub-form" id="course-hub-form">'
        '<label>Your JupyterHub: <input type="url" name="hub" placeholder="https://hub.example.edu" '
        'size="28"></label> <button type="submit">Set</button> '
        '<span class="course-hub-status">Enter your school\'s or workshop\'s JupyterHub address once; '
        'the JupyterHub buttons then copy the course into your account there (nbgitpuller) and open '
        'this notebook. It is kept in this browser only.</span></form>'
        '</div>'
    )


def lesson_links(course: Course, from_doc: str) -> str:
    """A Markdown paragraph linking every lesson, for pages that are not notebooks."""
    links = " · ".join(f"[{lesson.number} {lesson.title}]({relative_link(from_doc, lesson.notebook)})"
                       for lesson in course.lessons)
    return f"**The lessons**, each with buttons to run it: {links}."
