"""The workshop kit: a real JupyterHub with three learners, the fault checks, and generated links.

``workshop/loadtest.py`` starts JupyterHub, configurable-http-proxy (found, or
installed with npm into a cache folder), one server per learner and their
kernels, all on 127.0.0.1, and stops them all by process id. This test runs it
as an instructor would and fails on any failure it reports.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKSHOP = ROOT / "workshop"
HUB_PACKAGES = ["jupyterhub", "nbgitpuller", "jupyterhub_idle_culler", "websocket", "psutil", "requests"]


def require_hub_packages():
    missing = [name for name in HUB_PACKAGES if importlib.util.find_spec(name) is None]
    assert not missing, f"{missing} not installed: pip install -r requirements-dev.txt"


@pytest.fixture(scope="module")
def load_test(tmp_path_factory):
    """One run of the load test: 3 learners and the fault checks (about 2 minutes on 2 cores)."""
    require_hub_packages()
    out = tmp_path_factory.mktemp("loadtest") / "report.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    result = subprocess.run(
        [sys.executable, str(WORKSHOP / "loadtest.py"), "--learners", "3", "--faults", "--timeout", "600",
         "--json", str(out)],
        capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL, env=env, cwd=ROOT,
    )
    report = json.loads(out.read_text()) if out.exists() else {}
    return result, report


def test_load_test_passes_with_three_learners(load_test):
    result, report = load_test
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert report["failures"] == []
    assert report["processes_left"] == []
    assert report["learners"] == 3


def test_load_test_measures_what_the_sizing_table_needs(load_test):
    _, report = load_test
    lesson = json.loads((ROOT / "lessons" / "03_gradient_clipping.ipynb").read_text(encoding="utf-8"))
    code_cells = [c for c in lesson["cells"] if c["cell_type"] == "code"]
    assert report["cell_latency"]["n"] == 3 * len(code_cells)  # every code cell, for every learner
    assert report["slider_round_trip"]["n"] == 3 * 5
    assert 0 < report["slider_round_trip"]["p50_ms"] <= report["slider_round_trip"]["p95_ms"]
    assert report["spawn_s"]["mean"] > 0 and report["lesson_s"]["mean"] > 0
    assert 100 < report["memory_mib_per_learner"]["mean"] < 2000  # server + kernels, in MiB
    assert report["cpu_s_per_learner"]["mean"] > 0
    assert report["memory_mib_hub"] > 0 and report["memory_mib_proxy"] > 0


def test_killed_kernel_is_reported_to_its_learner_only(load_test):
    _, report = load_test
    outcome = report["faults"]["kernel killed mid-lesson"]
    assert outcome.startswith("learner-0 told 'kernel restarting")
    assert "run the notebook again from the top" in outcome and outcome.endswith("re-ran the lesson: ok")
    assert not [f for f in report["failures"] if "learner-1" in f or "learner-2" in f]


def test_hub_restart_keeps_saved_work_and_running_kernels(load_test):
    _, report = load_test
    assert report["faults"]["hub restarted mid-workshop"].startswith("3 of 3 learners reconnected")
    assert len([n for n in report["notes"] if "reconnected after the hub restart" in n]) == 3


def test_server_that_cannot_start_gets_a_clear_message_quickly(load_test):
    _, report = load_test
    outcome = report["faults"]["server fails to start"]
    assert "on the spawn-pending page too" in outcome
    assert "Your server stopped while starting" in outcome and "tell the instructor" in outcome


def test_links_in_readme_and_values_agree_with_course_toml():
    result = subprocess.run([sys.executable, str(WORKSHOP / "links.py"), "--check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_links_come_from_the_declared_home_only():
    sys.path.insert(0, str(ROOT))
    from gnlib.course.config import load_course

    home = load_course().home
    for path in WORKSHOP.glob("*.py"):
        assert home.repository not in path.read_text(encoding="utf-8"), f"{path.name} names the repository"
    printed = subprocess.run([sys.executable, str(WORKSHOP / "links.py"), "--hub", "https://hub.uni.example"],
                             capture_output=True, text=True, timeout=60, check=True).stdout
    for lesson in load_course().lessons:
        assert home.nbgitpuller_url("https://hub.uni.example", lesson.notebook) in printed


def test_one_server_config_pulls_the_course_and_culls_idle_servers(monkeypatch):
    require_hub_packages()
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setenv("WORKSHOP_PASSWORD", "a long shared password")
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(WORKSHOP)).load_config()
    sys.path.insert(0, str(ROOT))
    from gnlib.course.config import load_course

    home = load_course().home
    default_url = config.Spawner.default_url
    assert default_url.startswith("/git-pull?") and default_url.split("?", 1)[1] in home.nbgitpuller_url(
        "https://hub.example.edu", "lessons/00_start_here.ipynb")
    assert config.JupyterHub.authenticator_class == "shared-password"
    assert config.SharedPasswordAuthenticator.user_password == "a long shared password"
    assert config.JupyterHub.cleanup_servers is False
    culler = config.JupyterHub.services[0]
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    assert config.JupyterHub.spawner_class.__name__ == "WorkshopSpawner"


def test_one_server_config_refuses_system_account_names(monkeypatch):
    require_hub_packages()
    from types import SimpleNamespace

    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setenv("WORKSHOP_PASSWORD", "a long shared password")
    hook = PyFileConfigLoader("jupyterhub_config.py", path=str(WORKSHOP)).load_config().Spawner.pre_spawn_hook
    for name in ["root", "daemon", "nobody"]:
        with pytest.raises(RuntimeError, match=f"'{name}' is taken on this server") as err:
            hook(SimpleNamespace(user=SimpleNamespace(name=name)))
        assert err.value.jupyterhub_message == str(err.value)


def test_one_server_config_needs_the_shared_password(monkeypatch):
    require_hub_packages()
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.delenv("WORKSHOP_PASSWORD", raising=False)
    with pytest.raises(SystemExit, match="set WORKSHOP_PASSWORD"):
        PyFileConfigLoader("jupyterhub_config.py", path=str(WORKSHOP)).load_config()


def test_ctrl_c_stops_every_process_the_load_test_started():
    require_hub_packages()
    import signal
    import time

    import psutil

    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    proc = subprocess.Popen([sys.executable, str(WORKSHOP / "loadtest.py"), "--learners", "1", "--timeout", "300"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            text=True, env=env, cwd=ROOT)
    seen: dict[int, float] = {}
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            for child in psutil.Process(proc.pid).children(recursive=True):
                try:
                    seen.setdefault(child.pid, child.create_time())
                    if "ipykernel" in " ".join(child.cmdline()):
                        deadline = 0  # hub, proxy, server and kernel are all up: interrupt now
                except psutil.NoSuchProcess:
                    continue
            time.sleep(0.2)
        assert proc.poll() is None, "the load test ended before its kernel started:\n" + proc.stdout.read()
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1 and "FAILURE: interrupted" in output, output
    alive = []
    for pid, created in seen.items():
        try:
            if psutil.Process(pid).create_time() == created:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    assert len(seen) >= 4 and alive == [], f"{len(seen)} processes seen, still alive: {alive}"


def test_kubernetes_values_request_the_measured_footprint():
    import yaml  # PyYAML comes with jupyter_events (JupyterLab)
    values = yaml.safe_load((WORKSHOP / "values.yaml").read_text(encoding="utf-8"))
    user = values["singleuser"]
    assert user["memory"] == {"guarantee": "400M", "limit": "1G"}  # ~340 MiB measured after lesson 03
    assert user["cpu"] == {"guarantee": 0.1, "limit": 1}  # the sizing table's 10 learners per core
    assert values["cull"]["enabled"] is True and values["hub"]["config"]["JupyterHub"]["authenticator_class"] == (
        "shared-password")
    command = user["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command[:2] == ["sh", "-c"] and command[2].startswith("gitpuller ")
