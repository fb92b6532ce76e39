"""Preflight check for learners and workshop attendees: ``python -m gnlib.doctor``.

Prints one line per item (Python, each course package, gnlib, the widget
front end, a plot rendered off-screen) with a verdict and, when something is
wrong, a hint that fits the cause: a package that is not installed in the
Python that runs the doctor, one that is installed but broken or misses a
dependency, one that is too old, or an item that cannot work because a
package it needs failed above. Exit status 0 when everything is fine, 1
otherwise.

This module imports only the standard library at load time, and ``import
gnlib`` imports no numpy, so the doctor runs on a machine where numpy,
matplotlib or the widgets are missing or broken: it imports each package by
itself, inside its own check.

Before importing a package, the doctor looks where ``import`` would find it
(without importing anything): a stray ``numpy.py`` or ``numpy/`` folder in
the working folder loads instead of the installed numpy, so it is reported
as such ("the file ./numpy.py shadows the installed numpy; rename it"), and
what needs that package is not checked. The same holds for matplotlib,
ipywidgets, jupyterlab_widgets and gnlib itself.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import io
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Finding", "run_checks", "report", "main"]

MIN_PYTHON = (3, 11)
# package -> (import name, minimum major version the course is written for)
PACKAGES: dict[str, tuple[str, int]] = {
    "numpy": ("numpy", 2),
    "matplotlib": ("matplotlib", 3),
    "ipywidgets": ("ipywidgets", 8),
    "jupyterlab_widgets": ("jupyterlab_widgets", 3),
}
# package -> the packages it imports itself (a shadowed one is reported there, not as a broken install here)
NEEDS: dict[str, tuple[str, ...]] = {"matplotlib": ("numpy",)}
FIX = "run: pip install -r requirements.txt (in the course folder, inside your virtual environment)"
GNLIB_HOME = Path(__file__).resolve().parents[1]  # the gnlib package this doctor belongs to


@dataclass(frozen=True)
class Finding:
    """One line of the preflight report."""

    item: str
    ok: bool
    detail: str
    hint: str = ""

    def line(self) -> str:
        mark = "OK  " if self.ok else "FAIL"
        text = f"[{mark}] {self.item}: {self.detail}"
        return text if self.ok or not self.hint else f"{text}\n       hint: {self.hint}"


def _check_python() -> Finding:
    version = ".".join(map(str, sys.version_info[:2]))
    ok = sys.version_info[:2] >= MIN_PYTHON
    return Finding("Python", ok, f"version {version}",
                   "" if ok else "the course needs Python 3.11 or newer; install it and recreate the venv")


def _import_failure(name: str, exc: BaseException) -> Finding:
    """A FAIL finding for a package that could not be imported, with a hint for this cause."""
    missing = getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None
    where = f"the Python running this check ({sys.executable})"
    if missing is not None and missing.split(".")[0] == PACKAGES[name][0]:
        return Finding(name, False, f"not installed in {where}",
                       f"activate the course's virtual environment if it exists, then {FIX}")
    if missing is not None:
        return Finding(name, False, f"installed, but it needs {missing.split('.')[0]}, which is missing",
                       f"{FIX}; it installs {missing.split('.')[0]} too")
    return Finding(name, False, f"installed but broken ({type(exc).__name__}: {exc})",
                   f"reinstall it: pip install --force-reinstall {name}, then {FIX}")


def _found_at(module: str) -> Path | None:
    """Where ``import module`` would load ``module`` from (a file or a package folder), without importing it."""
    try:
        spec = importlib.util.find_spec(module)
    except Exception:  # missing or broken: the import in the package's check tells which
        return None
    if spec is None:
        return None
    if spec.origin not in (None, "namespace", "built-in", "frozen"):
        found = Path(spec.origin)
        return found.parent if found.name == "__init__.py" else found
    locations = list(spec.submodule_search_locations or [])
    return Path(locations[0]) if locations else None


def _installed_at(name: str, module: str) -> Path | None:
    """Where pip installed ``module`` (its package folder or module file), from the package's metadata."""
    if module == "gnlib":
        return GNLIB_HOME
    try:
        files = importlib.metadata.distribution(name).files or []
    except Exception:
        return None
    for path in files:
        parts = path.parts
        if parts == (f"{module}.py",) or parts == (module, "__init__.py"):
            located = Path(str(path.locate()))
            return located.parent if located.name == "__init__.py" else located
    return None


def _shown(path: Path) -> str:
    """``./numpy.py`` for a path in the working folder, else the full path."""
    try:
        return "./" + path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _shadowing(name: str, module: str) -> Path | None:
    """A file or folder that ``import module`` would load instead of the installed package, or None."""
    found = _found_at(module)
    if found is None:
        return None
    installed = _installed_at(name, module)
    try:
        found = found.resolve()
        if installed is not None:
            return None if found == installed.resolve() else found
        # no record of the installed copy: only a copy next to the user's own files is certainly stray
        working = {Path.cwd().resolve(), Path(sys.path[0] or ".").resolve()}
    except OSError:
        return None
    return found if found.parent in working else None


def _shadow_finding(name: str, module: str) -> Finding | None:
    """A FAIL finding when a stray file or folder shadows ``module``, else None."""
    try:
        stray = _shadowing(name, module)
    except Exception:  # an odd path or metadata: the import in the package's check still runs
        return None
    if stray is None:
        return None
    kind = "folder" if stray.is_dir() else "file"
    return Finding(name, False, f"the {kind} {_shown(stray)} shadows the installed {name}; rename it",
                   f"`import {module}` loads that {kind} instead of {name}: give it another name (and delete "
                   f"any {module}*.pyc in the __pycache__ folder next to it), then run this check again")


def _check_package(name: str, module: str, major: int) -> Finding:
    shadowed = _shadow_finding(name, module)
    if shadowed is not None:
        return shadowed
    try:
        importlib.import_module(module)
    except Exception as exc:  # missing, missing a dependency, or broken
        return _import_failure(name, exc) if name in PACKAGES else Finding(
            name, False, f"cannot be imported ({type(exc).__name__})", FIX)
    try:
        version = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return Finding(name, False, "importable, but pip does not know it (a stray copy on the path?)", FIX)
    ok = int(version.split(".")[0]) >= major
    return Finding(name, ok, f"version {version}", "" if ok else f"need {name} >= {major}; {FIX}")


def _needs(item: str, packages: tuple[str, ...], failed: set[str]) -> Finding | None:
    """A FAIL finding when a package this item needs failed above, else None (go ahead)."""
    missing = [p for p in packages if p in failed]
    if not missing:
        return None
    return Finding(item, False, f"not checked: needs {', '.join(missing)}",
                   f"fix {', '.join(missing)} first (see above); this check then runs")


def _check_gnlib() -> Finding:
    try:
        import gnlib

        value = gnlib.l2_norm([3e200, 4e200])
    except Exception as exc:
        return Finding("gnlib", False, f"cannot be used ({type(exc).__name__}: {exc})", FIX)
    ok = abs(value - 5e200) <= 1e186
    return Finding("gnlib", ok, f"version {gnlib.__version__}, l2_norm([3e200, 4e200]) = {value:.3g}",
                   "" if ok else "gnlib computed a wrong norm; reinstall with " + FIX)


def _check_plotting() -> Finding:
    try:
        from ..figures.style import new_figure

        fig, ax = new_figure()
        ax.plot([0, 1], [0, 1])
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    except Exception as exc:
        return Finding("matplotlib rendering", False, f"failed ({type(exc).__name__}: {exc})", FIX)
    return Finding("matplotlib rendering", True, "a test figure rendered to PNG")


def _check_widgets() -> Finding:
    try:
        from ..widgets import learning_rate_explorer

        explorable = learning_rate_explorer()
        before = explorable.redraws
        explorable.controls["eta"].value = 0.7
        moved = explorable.redraws == before + 1
    except Exception as exc:
        return Finding("widgets", False, f"failed ({type(exc).__name__}: {exc})", FIX)
    return Finding("widgets", moved, "a slider moved and the figure was redrawn" if moved else "slider did not redraw",
                   "" if moved else FIX)


def run_checks() -> list[Finding]:
    """Run every preflight check and return the findings (nothing is printed).

    Packages are imported one at a time, each inside its own check; an item
    that needs a package that failed is reported as not checked, with a hint
    that points at that package.
    """
    findings = [_check_python()]
    shadowed: set[str] = set()
    for name, (module, major) in PACKAGES.items():
        finding = _needs(name, NEEDS.get(name, ()), shadowed) or _check_package(name, module, major)
        if "shadows the installed" in finding.detail:
            shadowed.add(name)
        findings.append(finding)
    gnlib_shadow = _shadow_finding("gnlib", "gnlib")
    failed = {f.item for f in findings if not f.ok}
    for item, needs, check in (
        ("gnlib", ("numpy",), lambda: gnlib_shadow or _check_gnlib()),
        ("matplotlib rendering", ("numpy", "matplotlib"), _check_plotting),
        ("widgets", ("numpy", "matplotlib", "ipywidgets"), _check_widgets),
    ):
        findings.append(_needs(item, needs, failed) or check())
    return findings


def report(findings: list[Finding]) -> str:
    """The findings as text, ending with an overall verdict."""
    lines = [f.line() for f in findings]
    failed = [f.item for f in findings if not f.ok]
    lines.append("All checks passed: you are ready for the course." if not failed
                 else f"{len(failed)} problem(s): {', '.join(failed)}. Fix them before the workshop starts.")
    return "\n".join(lines)


def main() -> int:
    """Print the report; return 0 if every check passed, 1 otherwise."""
    findings = run_checks()
    print(report(findings))
    return 0 if all(f.ok for f in findings) else 1


if __name__ == "__main__":
    raise SystemExit(main())
