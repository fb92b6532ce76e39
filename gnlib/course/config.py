"""The course's declared home and lesson list, read from ``course.toml``.

``course.toml`` at the repository root is the one place that says where the
course lives (repository URL and branch) and which lessons it has, in order.
Everything that links to the course is generated from it: the README's
Binder badges and lesson table, the website's launch buttons, and the
JupyterHub (nbgitpuller) links of the workshop kit.

This module uses the standard library only, so course tools can read the
configuration before numpy or Jupyter are installed.

Examples
--------
>>> course = load_course()
>>> course.lessons[0].notebook
'lessons/00_start_here.ipynb'
>>> home = Home("https://github.com/alice/gn-course", "spring")
>>> home.binder_url("lessons/01_vector_norms.ipynb")
'https://mybinder.org/v2/gh/alice/gn-course/spring?urlpath=lab/tree/lessons/01_vector_norms.ipynb'
>>> home.nbgitpuller_url("https://hub.example.edu", "lessons/01_vector_norms.ipynb")
'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Falice%2Fgn-course&branch=spring&urlpath=lab%2Ftree%2Fgn-course%2Flessons%2F01_vector_norms.ipynb'
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_NAME = "course.toml"

_GITHUB_URL = re.compile(r"https://github\.com/(?P<owner>[A-Za-z0-9][A-Za-z0-9-]*)/(?P<name>[A-Za-z0-9._-]+)")
_BRANCH = re.compile(r"[A-Za-z0-9._/-]+")


@dataclass(frozen=True)
class Home:
    """Where the course lives: a GitHub repository and a branch.

    Parameters
    ----------
    repository : str
        ``https://github.com/OWNER/REPO`` (no trailing slash, no ``.git``).
    branch : str
        The branch that launch links open.
    binderhub : str
        The BinderHub that Binder links use.

    Raises
    ------
    ValueError
        If ``repository`` is not a GitHub repository URL, or ``branch`` or
        ``binderhub`` is malformed.
    """

    repository: str
    branch: str = "main"
    binderhub: str = "https://mybinder.org"

    def __post_init__(self) -> None:
        if not isinstance(self.repository, str) or not _GITHUB_URL.fullmatch(self.repository):
            raise ValueError(f"repository must look like https://github.com/OWNER/REPO, got {self.repository!r}")
        if not isinstance(self.branch, str) or not _BRANCH.fullmatch(self.branch) or ".." in self.branch:
            raise ValueError(f"branch must be a plain git branch name, got {self.branch!r}")
        if not isinstance(self.binderhub, str) or not re.fullmatch(r"https?://[^\s?#]+[^/\s?#]", self.binderhub):
            raise ValueError(f"binderhub must be an http(s) URL without a trailing slash, got {self.binderhub!r}")

    @property
    def owner_and_name(self) -> str:
        """``OWNER/REPO``, as Binder's ``gh`` provider spells it."""
        match = _GITHUB_URL.fullmatch(self.repository)
        return f"{match['owner']}/{match['name']}"

    @property
    def name(self) -> str:
        """The repository's name: the folder nbgitpuller clones into."""
        return self.owner_and_name.split("/")[1]

    def binder_url(self, path: str) -> str:
        """Binder link that opens JupyterLab on ``path`` (relative to the repository root)."""
        return f"{self.binderhub}/v2/gh/{self.owner_and_name}/{self.branch}?urlpath=lab/tree/{quote(path)}"

    def nbgitpuller_url(self, hub: str, path: str) -> str:
        """JupyterHub link that pulls the course with nbgitpuller and opens ``path``.

        Parameters
        ----------
        hub : str
            The hub's base URL, e.g. ``https://hub.example.edu``.
        path : str
            A file path relative to the repository root.
        """
        if not isinstance(hub, str) or not re.fullmatch(r"https?://\S+", hub):
            raise ValueError(f"hub must be an http(s) URL, got {hub!r}")
        query = urlencode({"repo": self.repository, "branch": self.branch,
                           "urlpath": f"lab/tree/{self.name}/{path}"})
        return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"

    def file_url(self, path: str) -> str:
        """The file's page on GitHub."""
        return f"{self.repository}/blob/{self.branch}/{quote(path)}"

    def download_url(self, path: str) -> str:
        """A direct download of the raw file."""
        return f"https://raw.githubusercontent.com/{self.owner_and_name}/{self.branch}/{quote(path)}"


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course, with its optional exercise folder."""

    number: str
    title: str
    notebook: str
    summary: str
    minutes: int
    exercises: str | None = None
    exercise_minutes: int = 0

    @property
    def exercise_notebook(self) -> str | None:
        """The learner's exercise notebook, or None for a lesson without exercises."""
        return f"{self.exercises}/exercises.ipynb" if self.exercises else None

    @property
    def solution_notebook(self) -> str | None:
        """The worked solutions, or None for a lesson without exercises."""
        return f"{self.exercises}/solutions.ipynb" if self.exercises else None

    @property
    def time_label(self) -> str:
        """``'20 + 20 min'`` (lesson + exercises) or ``'10 min'``."""
        if self.exercise_minutes:
            return f"{self.minutes} + {self.exercise_minutes} min"
        return f"{self.minutes} min"


@dataclass(frozen=True)
class Course:
    """The declared home and the lessons, in order."""

    home: Home
    lessons: tuple[Lesson, ...]

    def notebooks(self) -> list[str]:
        """Every lesson, exercise and solution notebook the course lists, in course order."""
        paths: list[str] = []
        for lesson in self.lessons:
            paths.append(lesson.notebook)
            if lesson.exercises:
                paths += [lesson.exercise_notebook, lesson.solution_notebook]
        return paths

    @property
    def total_minutes(self) -> int:
        """Lessons plus exercises, in minutes."""
        return sum(lesson.minutes + lesson.exercise_minutes for lesson in self.lessons)


def _lesson_from_table(index: int, table: dict) -> Lesson:
    where = f"lesson {index + 1} of {CONFIG_NAME}"
    known = {"number", "title", "notebook", "summary", "minutes", "exercises", "exercise_minutes"}
    unknown = set(table) - known
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("number", "title", "notebook", "summary"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise ValueError(f"{where}: '{key}' must be a non-empty string")
    for key in ("minutes", "exercise_minutes"):
        value = table.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{where}: '{key}' must be a whole number of minutes >= 0, got {value!r}")
    if "exercises" in table and not isinstance(table["exercises"], str):
        raise ValueError(f"{where}: 'exercises' must be a folder path")
    return Lesson(**table)


def load_course(root: str | Path | None = None) -> Course:
    """Read ``course.toml`` from the repository root.

    Parameters
    ----------
    root : str or Path, optional
        The repository root; by default the checkout this gnlib lives in.

    Returns
    -------
    Course
        The home and the lessons, in the file's order.

    Raises
    ------
    FileNotFoundError
        If there is no ``course.toml`` in ``root``.
    ValueError
        If a key is missing or malformed (the message names it).
    """
    path = Path(root if root is not None else REPO_ROOT) / CONFIG_NAME
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    home_table = data.get("home")
    if not isinstance(home_table, dict) or "repository" not in home_table:
        raise ValueError(f"{CONFIG_NAME} needs a [home] table with a 'repository' key")
    home = Home(**home_table)
    lessons = tuple(_lesson_from_table(i, t) for i, t in enumerate(data.get("lesson", [])))
    if not lessons:
        raise ValueError(f"{CONFIG_NAME} lists no [[lesson]]")
    numbers = [lesson.number for lesson in lessons]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"{CONFIG_NAME}: lesson numbers repeat: {numbers}")
    return Course(home=home, lessons=lessons)
