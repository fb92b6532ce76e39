"""Move the course to a new home, or regenerate its links from ``course.toml``.

Usage::

    python -m gnlib.course.set_home https://github.com/OWNER/REPO --branch main
    python -m gnlib.course.set_home              # regenerate after editing the lesson list
    python -m gnlib.course.set_home --check      # change nothing; exit 1 if something is stale

With a repository URL (and/or ``--branch``, ``--binderhub``) it rewrites the
``[home]`` table of ``course.toml`` and every link to the old home in the
course's text files (Markdown, notebooks, Python, TOML, YAML, config, HTML),
so that they point at the new one. Every time, it regenerates the sections
generated from ``course.toml`` (:mod:`gnlib.course.generated`) in Markdown
and HTML files: the README's Binder badge and lesson table. Nothing is written unless everything checks
out. Mistakes in the arguments or in ``course.toml`` are reported in one line
and exit with status 2.

Standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from .config import CONFIG_NAME, REPO_ROOT, Course, Home, load_course
from .generated import regenerate
from .links import move_links

__all__ = ["TEXT_SUFFIXES", "GENERATED_SUFFIXES", "course_text_files", "normalize_repository", "home_in_toml", "planned_changes",
           "set_home", "main"]

TEXT_SUFFIXES = (".md", ".ipynb", ".py", ".toml", ".yml", ".yaml", ".cfg", ".html", ".txt")
# Generated sections live in documents only (a Python file may quote the markers).
GENERATED_SUFFIXES = (".md", ".html")
_SKIP_DIRS = {"node_modules", "build", "dist", "__pycache__", "_site", "site-packages"}


def course_text_files(root: str | Path) -> list[Path]:
    """The course's text files under ``root`` that may hold links, sorted.

    In a git checkout: the tracked files (so build output and virtual
    environments are never touched). Otherwise every file with a text suffix,
    skipping hidden folders and build folders.
    """
    root = Path(root)
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
        inside = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True,
                                text=True, check=True).stdout.strip()
        tracked = Path(inside).resolve() == root.resolve()
    except (OSError, subprocess.CalledProcessError):
        tracked = False
    if tracked:
        paths = [root / name for name in listed.decode().split("\0") if name]
    else:
        paths = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS
                             and not d.endswith(".egg-info"))
            paths += [Path(folder) / name for name in files]
    return sorted(p for p in paths if p.suffix in TEXT_SUFFIXES and p.is_file())


def normalize_repository(url: str) -> str:
    """``https://github.com/OWNER/REPO`` from the forms people paste.

    Accepts a trailing slash or ``.git``, ``http://``, ``github.com/OWNER/REPO``
    and ``git@github.com:OWNER/REPO.git``; anything else is returned unchanged
    (and then rejected by :class:`~gnlib.course.config.Home`).

    Examples
    --------
    >>> normalize_repository("git@github.com:alice/gn-course.git")
    'https://github.com/alice/gn-course'
    """
    text = url.strip()
    text = re.sub(r"^git@github\.com:", "https://github.com/", text)
    text = re.sub(r"^(?:https?://)?(?:www\.)?github\.com/", "https://github.com/", text)
    text = re.sub(r"(?:\.git)?/*$", "", text)
    return text


def home_in_toml(text: str, home: Home) -> str:
    """``course.toml``'s text with its ``[home]`` table set to ``home`` (comments kept).

    Raises
    ------
    ValueError
        If the text has no ``[home]`` table.
    """
    match = re.search(r"^\[home\][^\n]*\n(?P<body>(?:(?!\[).*\n?)*)", text, re.MULTILINE)
    if not match:
        raise ValueError(f"{CONFIG_NAME} has no [home] table")
    body = match["body"]
    for key in ("repository", "branch", "binderhub"):
        line = f'{key} = "{getattr(home, key)}"'
        body, found = re.subn(rf"^{key}\s*=.*$", line.replace("\\", "\\\\"), body, count=1, flags=re.MULTILINE)
        if not found:
            body = re.sub(r"\n*\Z", "\n", body, count=1) if body.strip() else ""
            body = body + line + "\n"
    new = text[:match.start("body")] + body + text[match.end("body"):]
    tomllib.loads(new)  # still valid TOML
    return new


def _check_notebooks(course: Course, root: Path) -> None:
    missing = [path for path in course.notebooks() if not (root / path).is_file()]
    if missing:
        raise ValueError(f"{CONFIG_NAME} lists notebooks that do not exist: {', '.join(missing)}")


def planned_changes(root: str | Path, home: Home | None = None) -> dict[Path, str]:
    """The files that :func:`set_home` would change, with their new contents.

    Raises
    ------
    ValueError
        If ``course.toml`` is malformed, lists a notebook that does not exist,
        or a file has unbalanced generated-section markers.
    """
    root = Path(root)
    course = load_course(root)
    new_home = home or course.home
    config_path = root / CONFIG_NAME
    new_config = home_in_toml(config_path.read_text(encoding="utf-8"), new_home)
    new_course = Course(home=new_home, lessons=course.lessons)
    _check_notebooks(new_course, root)
    changes = {}
    for path in course_text_files(root):
        text = path.read_text(encoding="utf-8")
        new = new_config if path == config_path else text
        if new_home != course.home:
            new = move_links(new, course.home, new_home)
        if path.suffix in GENERATED_SUFFIXES:
            try:
                new = regenerate(new, new_course, path.parent.relative_to(root).as_posix())
            except ValueError as error:
                raise ValueError(f"{path.relative_to(root)}: {error}") from None
        if new != text:
            changes[path] = new
    return changes


def set_home(root: str | Path, home: Home | None = None) -> list[Path]:
    """Point the course at ``home`` (default: the one in ``course.toml``) and regenerate its links.

    Parameters
    ----------
    root : str or Path
        The repository root (the folder holding ``course.toml``).
    home : Home, optional
        The new home; None keeps the declared one and only regenerates.

    Returns
    -------
    list of Path
        The files that changed.

    Raises
    ------
    ValueError
        As :func:`planned_changes`; nothing is written then.
    """
    changes = planned_changes(root, home)
    for path, text in changes.items():
        path.write_text(text, encoding="utf-8")
    return sorted(changes)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gnlib.course.set_home",
        description="Point every launch link of the course at one home (a GitHub repository and branch), "
                    "and regenerate the README's Binder badge and lesson table from course.toml.")
    parser.add_argument("repository", nargs="?", help="https://github.com/OWNER/REPO (default: keep the declared one)")
    parser.add_argument("--branch", help="the branch launch links open (default: keep the declared one)")
    parser.add_argument("--binderhub", help="the BinderHub for Binder links (default: keep the declared one)")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="the course's folder (default: this checkout)")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; list the files that are out of date and exit 1 if there are any")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (0 ok, 1 stale with --check, 2 bad input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        declared = load_course(root).home
        home = Home(repository=normalize_repository(args.repository) if args.repository else declared.repository,
                    branch=args.branch if args.branch is not None else declared.branch,
                    binderhub=args.binderhub.rstrip("/") if args.binderhub else declared.binderhub)
        changes = planned_changes(root, home)
    except FileNotFoundError:
        parser.exit(2, f"set_home: error: no {CONFIG_NAME} in {root} (use --root to name the course's folder)\n")
    except (ValueError, TypeError, tomllib.TOMLDecodeError) as error:
        parser.exit(2, f"set_home: error: {error}\n")
    names = [path.relative_to(root).as_posix() for path in sorted(changes)]
    if args.check:
        if names:
            print("out of date (run python -m gnlib.course.set_home): " + ", ".join(names))
            return 1
        print(f"up to date: every generated link points at {home.repository} (branch {home.branch})")
        return 0
    for path, text in changes.items():
        path.write_text(text, encoding="utf-8")
    print(f"home: {home.repository} (branch {home.branch}, Binder {home.binderhub})")
    print(f"updated {len(names)} file(s)" + (": " + ", ".join(names) if names else ": everything was up to date"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
