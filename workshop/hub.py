"""A real JupyterHub on loopback for the load test, built on the workshop's own configuration.

The hub reads ``workshop/jupyterhub_config.py`` (the one instructors deploy) and
then a few test overrides: test authentication, the simple local process spawner
with homes in a temporary folder, every port on 127.0.0.1, an admin token for
the load test, and the course pulled from a local bare clone instead of GitHub.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[1]
WORKSHOP_CONFIG = REPO_ROOT / "workshop" / "jupyterhub_config.py"
PROXY_VERSION = "5.3.0"
BROKEN_USER = "nostart"  # its server is made to fail at start (fault check)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_proxy(cache: Path, timeout: float = 300) -> str:
    """Path of ``configurable-http-proxy``: on PATH, in the cache, or installed there with npm.

    Raises
    ------
    RuntimeError
        If it is nowhere and npm is missing or fails.
    """
    on_path = shutil.which("configurable-http-proxy")
    if on_path:
        return on_path
    local = cache / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return str(local)
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("configurable-http-proxy is not on PATH and npm is missing: install Node.js "
                           "(e.g. apt-get install nodejs npm), or pass --proxy PATH")
    (cache / "chp").mkdir(parents=True, exist_ok=True)
    result = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(cache / "chp"),
                             f"configurable-http-proxy@{PROXY_VERSION}"],
                            capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if result.returncode != 0 or not local.exists():
        raise RuntimeError(f"npm could not install configurable-http-proxy:\n{result.stderr[-2000:]}")
    return str(local)


def bare_clone(repo: Path, dest: Path, branch: str) -> Path:
    """A local bare repository holding the checkout's committed HEAD as ``branch``."""
    bare = dest / "course.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    subprocess.run(["git", "-C", str(bare), "config", "receive.shallowUpdate", "true"], check=True)  # CI clones
    subprocess.run(["git", "-C", str(repo), "push", "--quiet", str(bare), f"HEAD:refs/heads/{branch}"],
                   check=True, capture_output=True)
    subprocess.run(["git", "-C", str(bare), "symbolic-ref", "HEAD", f"refs/heads/{branch}"], check=True)
    return bare


def load_test_config(state: Path, homes: Path, port: int, hub_port: int, api_port: int, token: str,
                proxy: str, default_url: str) -> str:
    """The hub configuration of a load-test run (workshop config + test overrides)."""
    singleuser = Path(sys.executable).parent / "jupyterhub-singleuser"
    as_root = os.geteuid() == 0
    return f"""
load_subconfig({str(WORKSHOP_CONFIG)!r})
import sys
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {str(state / 'proxy.pid')!r}
c.JupyterHub.db_url = "sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(state / 'cookie_secret')!r}
c.JupyterHub.pid_file = {str(state / 'hub.pid')!r}
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
from spawners import TrialSpawner
c.JupyterHub.spawner_class = TrialSpawner
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes / '{username}')!r}
c.Spawner.cmd = [{str(singleuser)!r}]
c.Spawner.args = {['--allow-root'] if as_root else []!r}
c.Spawner.default_url = {default_url!r}
c.Spawner.env_keep = ["PATH", "PYTHONPATH", "VIRTUAL_ENV", "LANG", "LC_ALL", "{_marker()}"]
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60
c.JupyterHub.services = c.JupyterHub.services + [{{"name": "loadtest", "api_token": {token!r}}}]
c.JupyterHub.load_roles = c.JupyterHub.load_roles + [{{"name": "admin", "services": ["loadtest"]}}]

def _fail_broken(spawner):
    if spawner.user.name == {BROKEN_USER!r}:
        spawner.cmd = [sys.executable, "-c",
                       "import sys; sys.exit('this server cannot start: the course image is broken (fault check)')"]
c.Spawner.pre_spawn_hook = _fail_broken
"""


def _marker() -> str:
    from processes import MARKER
    return MARKER


class Hub:
    """One JupyterHub process (it starts its own proxy and idle culler)."""

    def __init__(self, workdir: Path, proxy: str, default_url: str, env: dict[str, str]) -> None:
        self.state = workdir / "state"
        self.homes = workdir / "homes"
        self.state.mkdir(parents=True, exist_ok=True)
        self.homes.mkdir(parents=True, exist_ok=True)
        self.port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = os.urandom(16).hex()
        self.env = env
        self.config = self.state / "jupyterhub_config.py"
        self.config.write_text(load_test_config(self.state, self.homes, self.port, self.hub_port,
                                           self.api_port, self.token, proxy, default_url))
        self.proc: subprocess.Popen | None = None
        self.log = open(workdir / "hub.log", "ab")

    def start(self, timeout: float = 60) -> float:
        """Start the hub and wait until its API answers; return the seconds it took."""
        began = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(self.config)],
            cwd=self.state, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        while time.monotonic() - began < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited at start (status {self.proc.returncode}); see hub.log")
            try:
                if self.api("get", "/hub/api/").ok:
                    return time.monotonic() - began
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the hub did not answer within {timeout:.0f} s; see hub.log")

    def stop(self, timeout: float = 30) -> None:
        """Stop the hub normally (SIGTERM); its proxy stops too, learners' servers stay."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to the hub's REST API with the load test's admin token."""
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)
