"""The workshop preflight: every item checked, verdicts and hints."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gnlib.course import doctor

COURSE_ROOT = Path(__file__).resolve().parents[1]


def test_all_checks_pass_here():
    findings = doctor.run_checks()
    items = [f.item for f in findings]
    assert items[0] == "Python" and "gnlib" in items and "widgets" in items
    assert all(f.ok for f in findings), doctor.report(findings)
    assert doctor.report(findings).endswith("ready for the course.")


def test_failures_carry_a_hint():
    bad = doctor._check_package("not-a-package", "not_a_module_xyz", 1)
    assert not bad.ok and "pip install -r requirements.txt" in bad.line()
    text = doctor.report([bad])
    assert "1 problem(s): not-a-package" in text


def test_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "gnlib.doctor"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[OK  ] numpy" in result.stdout


# --- a broken laptop: packages missing or broken, checked in a fresh interpreter

BLOCKER = '''
import importlib.abc, runpy, sys
missing, broken = {missing!r}, {broken!r}
class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top in missing:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        if top in broken:
            raise ImportError(f"libbroken.so: cannot open shared object file (while importing {{name}})")
        return None
sys.meta_path.insert(0, Blocker())
runpy.run_module("gnlib.doctor", run_name="__main__")
'''


def run_doctor_without(missing=(), broken=()):
    code = BLOCKER.format(missing=set(missing), broken=set(broken))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def fail_lines(stdout: str) -> dict[str, str]:
    """FAIL item -> its detail and hint."""
    lines = stdout.splitlines()
    found = {}
    for i, line in enumerate(lines):
        if line.startswith("[FAIL] "):
            item, _, detail = line[len("[FAIL] "):].partition(": ")
            hint = lines[i + 1].strip() if i + 1 < len(lines) and lines[i + 1].strip().startswith("hint:") else ""
            found[item] = f"{detail} | {hint}"
    return found


def test_import_gnlib_and_the_doctor_load_no_numpy():
    code = "import sys, gnlib, gnlib.doctor; print(sorted(m for m in ('numpy', 'matplotlib') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_names_still_load_on_first_use():
    import gnlib

    assert gnlib.l2_norm([3.0, 4.0]) == 5.0
    assert gnlib.clip_by_norm is gnlib.clip.clip_by_norm
    assert set(gnlib.__all__) <= set(dir(gnlib))
    try:
        gnlib.not_a_name
    except AttributeError as exc:
        assert "not_a_name" in str(exc)
    else:
        raise AssertionError("gnlib.not_a_name should raise AttributeError")


def test_without_numpy_one_fail_line_per_missing_piece_and_exit_1():
    result = run_doctor_without(missing={"numpy"})
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    fails = fail_lines(result.stdout)
    assert "not installed" in fails["numpy"] and "virtual environment" in fails["numpy"]
    assert "needs numpy" in fails["matplotlib"]  # matplotlib itself is there: its dependency is not
    for item in ("gnlib", "matplotlib rendering", "widgets"):
        assert "not checked: needs numpy" in fails[item] and "fix numpy" in fails[item]
    assert "[OK  ] ipywidgets" in result.stdout  # what is fine is still reported as fine
    assert result.stdout.rstrip().endswith("Fix them before the workshop starts.")


def test_a_broken_install_gets_a_reinstall_hint():
    result = run_doctor_without(broken={"matplotlib"})
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    fails = fail_lines(result.stdout)
    assert "installed but broken" in fails["matplotlib"] and "--force-reinstall matplotlib" in fails["matplotlib"]
    assert "[OK  ] numpy" in result.stdout and "[OK  ] gnlib" in result.stdout
    assert set(fails) == {"matplotlib", "matplotlib rendering", "widgets"}


def test_a_missing_widget_package_fails_only_what_needs_it():
    result = run_doctor_without(missing={"ipywidgets"})
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    fails = fail_lines(result.stdout)
    assert set(fails) == {"ipywidgets", "widgets"}
    assert "not installed" in fails["ipywidgets"]


# --- a stray file or folder in the working folder shadows an installed package ---------------------

def run_doctor_in(folder):
    env = {**os.environ, "PYTHONPATH": str(COURSE_ROOT)}
    return subprocess.run([sys.executable, "-m", "gnlib.doctor"], capture_output=True, text=True, timeout=120,
                          cwd=folder, env=env)


@pytest.mark.parametrize("module, stray, kind, not_checked", [
    ("numpy", "numpy.py", "file", {"matplotlib", "gnlib", "matplotlib rendering", "widgets"}),
    ("numpy", "numpy/__init__.py", "folder", {"matplotlib", "gnlib", "matplotlib rendering", "widgets"}),
    ("matplotlib", "matplotlib.py", "file", {"matplotlib rendering", "widgets"}),
    ("matplotlib", "matplotlib/__init__.py", "folder", {"matplotlib rendering", "widgets"}),
    ("ipywidgets", "ipywidgets.py", "file", {"widgets"}),
    ("jupyterlab_widgets", "jupyterlab_widgets.py", "file", set()),
])
def test_a_stray_copy_in_the_working_folder_is_named_as_the_cause(tmp_path, module, stray, kind, not_checked):
    path = tmp_path / stray
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('print("the stray copy ran")\nx = 1\n')
    result = run_doctor_in(tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    fails = fail_lines(result.stdout)
    shown = "./" + stray.split("/")[0]
    assert fails[module].startswith(f"the {kind} {shown} shadows the installed {module}; rename it"), fails
    assert "reinstall" not in result.stdout and "force-reinstall" not in result.stdout
    assert f"[OK  ] {module}" not in result.stdout
    for item in not_checked:
        assert "not checked: needs" in fails[item] and module in fails[item], fails[item]
    assert set(fails) == {module} | not_checked
    assert "the stray copy ran" not in result.stdout  # found by looking, not by importing it


def test_a_stray_gnlib_elsewhere_on_the_path_is_reported(monkeypatch, tmp_path):
    stray = tmp_path / "gnlib.py"
    stray.write_text("x = 1\n")
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args):
        if name == "gnlib":
            return importlib.util.spec_from_file_location("gnlib", stray)
        return real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    finding = doctor._shadow_finding("gnlib", "gnlib")
    assert finding is not None and not finding.ok
    assert f"the file {stray} shadows the installed gnlib; rename it" == finding.detail


@pytest.mark.parametrize("name, module", [(name, module) for name, (module, _) in doctor.PACKAGES.items()]
                         + [("gnlib", "gnlib")])
def test_the_installed_packages_are_not_reported_as_shadowed(name, module):
    assert doctor._shadow_finding(name, module) is None
