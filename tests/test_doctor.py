"""The workshop preflight: every item checked, verdicts and hints."""

import subprocess
import sys

from gnlib.course import doctor


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
