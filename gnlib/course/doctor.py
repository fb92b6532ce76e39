"""Preflight check for learners and workshop attendees: ``python -m gnlib.doctor``.

Prints one line per item (Python, each course package, gnlib, the widget
front end, a plot rendered off-screen) with a verdict and, when something is
wrong, a hint on how to fix it. Exit status 0 when everything is fine.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import io
import sys
from dataclasses import dataclass

__all__ = ["Finding", "run_checks", "report", "main"]

MIN_PYTHON = (3, 11)
# package -> (import name, minimum major version the course is written for)
PACKAGES: dict[str, tuple[str, int]] = {
    "numpy": ("numpy", 2),
    "matplotlib": ("matplotlib", 3),
    "ipywidgets": ("ipywidgets", 8),
    "jupyterlab_widgets": ("jupyterlab_widgets", 3),
}
FIX = "run: pip install -r requirements.txt (in the course folder, inside your virtual environment)"


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


def _check_package(name: str, module: str, major: int) -> Finding:
    try:
        importlib.import_module(module)
        version = importlib.metadata.version(name)
    except Exception as exc:  # missing or broken install
        return Finding(name, False, f"cannot be imported ({type(exc).__name__})", FIX)
    ok = int(version.split(".")[0]) >= major
    return Finding(name, ok, f"version {version}", "" if ok else f"need {name} >= {major}; {FIX}")


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
    """Run every preflight check and return the findings (nothing is printed)."""
    findings = [_check_python()]
    findings += [_check_package(name, module, major) for name, (module, major) in PACKAGES.items()]
    findings += [_check_gnlib(), _check_plotting(), _check_widgets()]
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
