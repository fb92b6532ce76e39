"""Binder: repo2docker accepts the repository as it stands, and README links are live.

`jupyter-repo2docker --no-build --debug` prints the Dockerfile it would build
(no Docker engine needed). It must pick Python 3.11 from runtime.txt and
install requirements.txt (the learner's run time, which in turn installs
gnlib) and nothing of requirements-dev.txt (tests and authoring tools).
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from importlib import metadata
from urllib.parse import unquote

import pytest
from packaging.requirements import Requirement

from gnlib.course.config import load_course

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_repo2docker_accepts_the_configuration():
    exe = shutil.which("jupyter-repo2docker") or str(Path(sys.executable).with_name("jupyter-repo2docker"))
    if not Path(exe).exists():
        pytest.skip("jupyter-repo2docker is not installed (pip install -r requirements-dev.txt installs it)")
    result = subprocess.run([exe, "--no-build", "--no-run", "--debug", str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "python=3.11" in log, "runtime.txt should pin Python 3.11"
    assert 'pip install --no-cache-dir -r "requirements.txt"' in log
    assert "requirements-dev" not in log  # Binder builds the learner's install only
    assert "COPY --chown=0:0 src/ ${REPO_DIR}/" in log  # whole repo copied before install (-e . works)


def requirement_lines(name: str) -> list[str]:
    lines = [line.strip() for line in (ROOT / name).read_text().splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def normalized(name: str) -> str:
    """A distribution's name as pip compares them (PEP 503): jupyter_core == Jupyter-Core."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_names(name: str) -> set[str]:
    return {normalized(Requirement(line).name) for line in requirement_lines(name) if not line.startswith("-")}


LEARNER = {"numpy", "matplotlib", "ipywidgets", "threadpoolctl", "jupyterlab", "ipykernel"}
TOOLS = {"pytest", "nbval", "hypothesis", "jupyter-repo2docker", "playwright"}


def test_learner_requirements_pin_the_run_time_and_install_gnlib():
    packages = requirement_lines("requirements.txt")
    assert "-e ." in packages
    for line in packages:
        assert line == "-e ." or re.fullmatch(r"[A-Za-z0-9_.-]+==[\d.]+", line), f"not pinned: {line}"
    assert pinned_names("requirements.txt") == LEARNER
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"


def test_dev_requirements_add_the_tools_to_the_learner_install():
    packages = requirement_lines("requirements-dev.txt")
    assert packages[0] == "-r requirements.txt"
    for line in packages[1:]:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[\d.]+", line), f"not pinned: {line}"
    names = pinned_names("requirements-dev.txt")
    assert TOOLS <= names
    assert not names & pinned_names("requirements.txt"), "a package is pinned in both files"


def imported_modules(source: str) -> set[str]:
    import ast
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def distributions_needed_by(names: set[str]) -> set[str]:
    """The installed distributions ``names`` pull in, following their dependencies."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(normalized(requirement.name))
    return seen


# Course tools that only authors and CI run (they need requirements-dev.txt).
DEV_ONLY_MODULES = ["gnlib/course/authoring.py", "gnlib/course/safe_nbconvert.py"]


def test_the_learner_install_provides_every_module_the_course_imports():
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "gnlib").rglob("*.py")
               if p.relative_to(ROOT).as_posix() not in DEV_ONLY_MODULES]
    for notebook in load_course(ROOT).notebooks():
        cells = json.loads((ROOT / notebook).read_text(encoding="utf-8"))["cells"]
        sources += ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    modules = set().union(*map(imported_modules, sources)) - set(sys.stdlib_module_names) - {"gnlib"}
    provided = distributions_needed_by(pinned_names("requirements.txt") - {"gnlib"})
    by_module = metadata.packages_distributions()
    missing = {m: by_module.get(m, ["?"]) for m in modules
               if not {normalized(d) for d in by_module.get(m, [])} & provided}
    assert "numpy" in modules and "ipywidgets" in modules
    assert not missing, f"imported by gnlib or a notebook but not installed by requirements.txt: {missing}"


def binder_targets() -> list[str]:
    return [unquote(m) for m in re.findall(r"mybinder\.org/v2/gh/[^)\s]*?[?&](?:urlpath=lab/tree/|labpath=)([^)&\s]+)", README)]


def test_every_binder_badge_points_at_an_existing_notebook():
    targets = binder_targets()
    notebooks = load_course(ROOT).notebooks()
    assert targets, "no Binder badge in the README"
    for target in targets:
        assert (ROOT / target).is_file(), f"Binder badge points at a missing file: {target}"
    missing = set(notebooks) - set(targets)
    assert not missing, f"notebooks without a Binder badge in the README: {sorted(missing)}"


def test_every_relative_link_in_the_readme_exists():
    links = re.findall(r"\]\((?!https?://|#|mailto:)([^)\s]+)\)", README)
    assert links
    for link in links:
        assert (ROOT / unquote(link.split("#")[0])).exists(), f"README links to a missing file: {link}"
