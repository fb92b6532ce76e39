"""Links to the course: find them, move them to a new home, and check them.

A *course link* is a URL that names the course's repository: its GitHub page
(``github.com/OWNER/REPO/...``), a raw file (``raw.githubusercontent.com``),
a Binder launch (``.../v2/gh/OWNER/REPO/BRANCH?urlpath=...``), an
nbgitpuller link for a JupyterHub (``.../git-pull?repo=...&branch=...``) or
its GitHub Pages site (``OWNER.github.io/REPO``). :func:`move_links` rewrites
the ones that point at one home so they point at another;
:func:`link_problems` lists those that disagree with the declared home.

Standard library only.

Examples
--------
>>> old = Home("https://github.com/example-org/gn-course")
>>> new = Home("https://github.com/alice/gn-course", "spring")
>>> move_links("[src](https://github.com/example-org/gn-course/blob/main/README.md)", old, new)
'[src](https://github.com/alice/gn-course/blob/spring/README.md)'
>>> link_problems("see https://github.com/bob/gn-course", new, lambda path: True)
["https://github.com/bob/gn-course points at bob/gn-course, but the course's home is alice/gn-course"]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from .config import Home

__all__ = ["EXAMPLE_OWNERS", "CourseLink", "find_links", "move_links", "link_problems"]

# A URL inside markdown, HTML, JSON (ipynb) or Python source: it stops at
# whitespace, quotes, brackets and backslashes (JSON escapes).
_URL = re.compile(r"https?://[^\s\"'<>()\[\]\\`]+")
_NAME = r"(?P<owner>[A-Za-z0-9][A-Za-z0-9-]*)/(?P<name>[A-Za-z0-9._-]+?)"
_GITHUB = re.compile(r"https://github\.com/" + _NAME + r"(?:\.git)?"
                     r"(?:/(?:blob|tree|raw|edit)/(?P<branch>[^/?#]+)(?:/(?P<path>[^?#]*))?|(?=[/?#])[^\s]*|$)")
_RAW = re.compile(r"https://raw\.githubusercontent\.com/" + _NAME + r"/(?P<branch>[^/?#]+)(?:/(?P<path>[^?#]*))?")
_BINDER = re.compile(r"(?P<hub>https?://[^/]+(?:/[^?#]*?)?)/v2/gh/" + _NAME + r"/(?P<branch>[^/?#]+)(?P<query>[?#/].*)?$")
_PAGES = re.compile(r"https://(?P<owner>[A-Za-z0-9][A-Za-z0-9-]*)\.github\.io/(?P<name>[A-Za-z0-9._-]+)(?:[/?#].*)?$")
_PULL = re.compile(r"/git-pull\?")
_SHA = re.compile(r"[0-9a-f]{40}")
# Owners that documentation examples use (docstrings of gnlib.course): their
# links are examples, never the course's, unless the course really lives there.
EXAMPLE_OWNERS = frozenset({"alice", "example-org"})
# Paths whose appearance in a link to some repository says "this is the course".
_COURSE_PREFIXES = ("lessons/", "exercises/", "gnlib/", "instructors/")


@dataclass(frozen=True)
class CourseLink:
    """A link that names a repository the way the course's links do.

    ``kind`` is ``"github"``, ``"raw"``, ``"binder"``, ``"nbgitpuller"`` or
    ``"pages"``. ``path`` is the repository file it opens, ``hub`` the
    BinderHub of a Binder link, ``folder`` the folder an nbgitpuller link
    opens (the clone's name); each is None where the link has none.
    """

    url: str
    kind: str
    owner: str
    name: str
    branch: str | None = None
    path: str | None = None
    hub: str | None = None
    folder: str | None = None


def _query(url: str) -> dict[str, str]:
    query = urlsplit(url.replace("&amp;", "&")).query
    return {key: values[0] for key, values in parse_qs(query).items()}


def _binder_path(query: str) -> str | None:
    params = _query("x:" + query if query.startswith("?") else "x:?" + query.lstrip("#/"))
    for key in ("urlpath", "labpath", "filepath"):
        if key in params:
            value = params[key]
            for prefix in ("lab/tree/", "tree/", "notebooks/"):
                if value.startswith(prefix):
                    return value[len(prefix):]
            return value
    return None


def _parse(url: str) -> CourseLink | None:
    url = url.rstrip(".,;:!")
    if _PULL.search(url):
        params = _query(url)
        repo = _GITHUB.match(params.get("repo", ""))
        if not repo:
            return None
        parts = params.get("urlpath", "").split("/", 3)
        folder = parts[2] if parts[:2] == ["lab", "tree"] and len(parts) > 2 else None
        path = parts[3] if folder and len(parts) > 3 and parts[3] else None
        return CourseLink(url, "nbgitpuller", repo["owner"], repo["name"], params.get("branch"), path, folder=folder)
    for kind, pattern in (("github", _GITHUB), ("raw", _RAW), ("binder", _BINDER), ("pages", _PAGES)):
        match = pattern.match(url)
        if match:
            groups = match.groupdict()
            path = groups.get("path")
            if kind == "binder":
                path = _binder_path(groups.get("query") or "")
            return CourseLink(url, kind, groups["owner"], groups["name"], groups.get("branch"),
                              unquote(path) if path else None, groups.get("hub"))
    return None


def find_links(text: str) -> list[CourseLink]:
    """Every GitHub, raw, Binder, nbgitpuller and Pages link in ``text``, in order."""
    return [link for link in map(_parse, _URL.findall(text)) if link is not None]


def _move_one(url: str, old: Home, new: Home) -> str:
    link = _parse(url)
    if link is None or (link.owner, link.name) != tuple(old.owner_and_name.split("/")):
        return url
    new_owner, new_name = new.owner_and_name.split("/")
    branch = new.branch if link.branch == old.branch else link.branch
    if link.kind == "nbgitpuller":
        def repo(match: re.Match) -> str:
            value = match.group(2)
            encoded = "%2F" in value or "%3A" in value
            return match.group(1) + (quote(new.repository, safe="") if encoded else new.repository)
        url = re.sub(r"([?&;]repo=)([^&\s]+)", repo, url)
        if branch is not None:
            url = re.sub(r"([?&;]branch=)[^&\s]+", lambda m: m.group(1) + quote(branch, safe=""), url)
        url = re.sub(r"([?&;]urlpath=lab(?:/|%2F)tree(?:/|%2F))" + re.escape(old.name) + r"(?=/|%2F|&|$)",
                     lambda m: m.group(1) + new.name, url)
        return url
    if link.kind == "pages":
        return re.sub(r"^https://[^.]+\.github\.io/[^/?#]+", f"https://{new_owner}.github.io/{new_name}", url)
    pattern = {"github": _GITHUB, "raw": _RAW, "binder": _BINDER}[link.kind]
    match = pattern.match(url)
    pieces = [(match.start("owner"), match.end("owner"), new_owner), (match.start("name"), match.end("name"), new_name)]
    if match.groupdict().get("branch") is not None and branch is not None:
        pieces.append((match.start("branch"), match.end("branch"), branch))
    if link.kind == "binder" and link.hub == old.binderhub:
        pieces.append((match.start("hub"), match.end("hub"), new.binderhub))
    for start, end, value in sorted(pieces, reverse=True):
        url = url[:start] + value + url[end:]
    return url


def move_links(text: str, old: Home, new: Home) -> str:
    """``text`` with every link to the ``old`` home pointing at the ``new`` one.

    Links to other repositories are left alone, and so are branches other
    than the old home's (a link to a tag or commit keeps it).
    """
    return _URL.sub(lambda match: _move_one(match.group(0), old, new), text)


def _is_course(link: CourseLink, home: Home, exists: Callable[[str], bool]) -> bool:
    """Whether ``link`` means the course: it names the course's repository, or opens one of its files.

    A link to another repository counts when its name is the course's (a
    stale home), when it launches (Binder, nbgitpuller) a lesson or exercise
    path, or when it shows a course file that exists here. Examples in
    documentation (``EXAMPLE_OWNERS``, or a launch link that opens no course
    file) do not count.
    """
    owner = home.owner_and_name.split("/")[0]
    if link.owner in EXAMPLE_OWNERS and link.owner != owner:
        return False
    if link.name.lower() == home.name.lower():
        return True
    path = link.path or ""
    if link.kind in ("binder", "nbgitpuller"):
        return path.startswith(_COURSE_PREFIXES)
    return path.startswith(_COURSE_PREFIXES) and exists(path)


def link_problems(text: str, home: Home, exists: Callable[[str], bool]) -> list[str]:
    """What is wrong with the course links in ``text``, one sentence each.

    Parameters
    ----------
    text : str
        A file's contents.
    home : Home
        The declared home.
    exists : callable
        ``exists(path)`` tells whether a repository path exists.

    Returns
    -------
    list of str
        Empty if every course link points at ``home`` (repository, branch,
        BinderHub) and at a file that exists.
    """
    problems = []
    owner_and_name = home.owner_and_name
    for link in find_links(text):
        if not _is_course(link, home, exists):
            continue
        where = f"{link.owner}/{link.name}"
        if where != owner_and_name:
            problems.append(f"{link.url} points at {where}, but the course's home is {owner_and_name}")
            continue
        if link.branch is not None and link.branch != home.branch and not _SHA.fullmatch(link.branch):
            problems.append(f"{link.url} opens branch {link.branch!r}, but the course's home is on {home.branch!r}")
        if link.kind == "binder" and link.hub != home.binderhub:
            problems.append(f"{link.url} launches on {link.hub}, but the course's BinderHub is {home.binderhub}")
        if link.kind in ("binder", "nbgitpuller") and link.branch is None:
            problems.append(f"{link.url} names no branch")
        if link.kind == "nbgitpuller" and link.folder is not None and link.folder != home.name:
            problems.append(f"{link.url} opens folder {link.folder!r}, but nbgitpuller clones the course into {home.name!r}")
        if link.path and not exists(link.path.split("#")[0]):
            problems.append(f"{link.url} opens {link.path}, which is not in the repository")
    return problems
