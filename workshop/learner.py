"""One simulated learner: log in, get a server, pull the course, run a lesson, move a slider.

Everything goes through the hub's proxy on 127.0.0.1, over the same REST and
websocket APIs that JupyterLab uses in a browser.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

from kernel_channel import CellError, KernelChannel, KernelLost

SLIDER_MODEL, SLIDER_NAME = "FloatSliderModel", "learning rate η"  # the cliff explorer's η
SLIDER_VALUES = (0.3, 0.7, 1.0, 0.2, 0.5, 0.9, 0.1, 1.2, 0.4, 0.6)  # η values, taken in turn


@dataclass
class Record:
    """What one learner measured and met."""

    name: str
    login: float = 0.0
    spawn: float = 0.0
    pull: float = 0.0
    lesson: float = 0.0
    cells: list[float] = field(default_factory=list)
    slider: list[float] = field(default_factory=list)
    slider_cpu: float = 0.0  # CPU seconds of the learner's processes per slider move
    exercises: float = 0.0
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Learner:
    """A browser-like client for one hub user.

    Parameters
    ----------
    hub : hub.Hub
        The running hub (its URL and admin token).
    name : str
        The user name to log in with.
    """

    def __init__(self, hub: Any, name: str) -> None:
        self.hub = hub
        self.name = name
        self.http = requests.Session()
        self.token = ""
        self.record = Record(name)
        self.kernel_id = ""

    # --- the hub -------------------------------------------------------------------
    def login(self) -> None:
        """Log in through the hub's login form, as a browser does."""
        began = time.monotonic()
        page = self.http.get(f"{self.hub.url}/hub/login", timeout=30)
        page.raise_for_status()
        xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page.text)
        form = {"username": self.name, "password": "any"}
        if xsrf:
            form["_xsrf"] = xsrf.group(1)
        reply = self.http.post(f"{self.hub.url}/hub/login?next=", data=form, allow_redirects=False, timeout=30)
        if reply.status_code != 302 or not any(c.name.startswith("jupyterhub-session") for c in self.http.cookies):
            raise RuntimeError(f"login failed: HTTP {reply.status_code}")
        made = self.hub.api("post", f"/hub/api/users/{self.name}/tokens", json={"note": "load test"})
        made.raise_for_status()
        self.token = made.json()["token"]
        self.record.login = time.monotonic() - began

    def user_api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, self.hub.url + path, headers=headers,
                                timeout=kwargs.pop("timeout", 60), **kwargs)

    def spawn(self, timeout: float = 180) -> None:
        """Start the learner's server and follow its progress until it is ready.

        Raises
        ------
        RuntimeError
            With the hub's own message if the server fails to start.
        """
        began = time.monotonic()
        started = self.user_api("post", f"/hub/api/users/{self.name}/server")
        if started.status_code not in (201, 202, 400, 500):  # 400: already running; 500: see progress
            raise RuntimeError(f"spawn request refused: HTTP {started.status_code} {started.text[:200]}")
        with self.user_api("get", f"/hub/api/users/{self.name}/server/progress", stream=True,
                           timeout=timeout) as events:
            for line in events.iter_lines(decode_unicode=True):
                if time.monotonic() - began > timeout:
                    raise RuntimeError(f"the server was not ready after {timeout:.0f} s")
                if not line or not line.startswith("data:"):
                    continue
                event = json.loads(line[5:])
                if event.get("failed"):
                    raise RuntimeError(f"the server failed to start: {event.get('message', '').strip()}")
                if event.get("ready"):
                    break
        self.record.spawn = time.monotonic() - began

    # --- the learner's server ----------------------------------------------------------
    def server(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.user_api(method, f"/user/{self.name}/{path}", **kwargs)

    def open_link(self, query: str) -> None:
        """Follow the nbgitpuller link as the browser does (hub redirect and server login)."""
        page = self.http.get(f"{self.hub.url}/hub/user-redirect/git-pull?{query}", timeout=60)
        if page.status_code != 200 or "git-pull" not in page.url:
            raise RuntimeError(f"the nbgitpuller link ended at {page.url} (HTTP {page.status_code})")

    def pull(self, query: str, timeout: float = 120) -> None:
        """Clone or update the course with nbgitpuller (its event stream, as its page does)."""
        began = time.monotonic()
        with self.server("get", f"git-pull/api?{query}", stream=True, timeout=timeout) as events:
            if events.status_code != 200:
                raise RuntimeError(f"nbgitpuller answered HTTP {events.status_code}")
            for line in events.iter_lines(decode_unicode=True):
                if not line or not line.startswith("data:"):
                    continue
                event = json.loads(line[5:])
                if event.get("phase") == "error":
                    raise RuntimeError(f"nbgitpuller failed: {event.get('message')}")
                if event.get("phase") == "finished":
                    break
            else:
                raise RuntimeError("nbgitpuller's event stream ended without 'finished'")
        self.record.pull += time.monotonic() - began

    def notebook(self, path: str) -> dict[str, Any]:
        got = self.server("get", f"api/contents/{quote(path)}?content=1")
        got.raise_for_status()
        return got.json()["content"]

    def save(self, path: str, content: dict[str, Any]) -> None:
        put = self.server("put", f"api/contents/{quote(path)}",
                          json={"type": "notebook", "format": "json", "content": content})
        put.raise_for_status()

    def open_kernel(self, path: str) -> KernelChannel:
        """Open ``path`` with a new kernel (a JupyterLab session) and connect to it."""
        made = self.server("post", "api/sessions", json={"path": path, "name": path.rsplit("/", 1)[-1],
                                                        "type": "notebook", "kernel": {"name": "python3"}})
        made.raise_for_status()
        self.kernel_id = made.json()["kernel"]["id"]
        return self.connect()

    def connect(self, kernel_id: str = "") -> KernelChannel:
        """Connect to a kernel's websocket (default: the kernel opened last)."""
        kernel_id = kernel_id or self.kernel_id
        ws_url = self.hub.url.replace("http://", "ws://") + f"/user/{self.name}/api/kernels/{kernel_id}/channels"
        return KernelChannel(ws_url, self.token)

    def run_cells(self, channel: KernelChannel, cells: list[str], on_cell=None) -> None:
        """Run code cells one by one, recording each one's latency."""
        for index, source in enumerate(cells):
            if on_cell:
                on_cell(index)
            began = time.monotonic()
            try:
                channel.execute(source)
            except CellError as err:
                raise CellError(f"cell {index + 1} of {len(cells)}: {err}") from err
            self.record.cells.append(time.monotonic() - began)

    def slider_round_trips(self, channel: KernelChannel, moves: int, think: float) -> None:
        """Move the η slider ``moves`` times, ``think`` seconds apart, timing each new frame."""
        comm_id = channel.find_comm(SLIDER_MODEL, SLIDER_NAME)
        for index in range(moves):
            if index and think:
                time.sleep(think)
            self.record.slider.append(channel.move_slider(comm_id, SLIDER_VALUES[index % len(SLIDER_VALUES)]))


def code_cells(notebook: dict[str, Any]) -> list[str]:
    """The sources of a notebook's code cells, in order."""
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in notebook["cells"] if c["cell_type"] == "code"]


__all__ = ["Learner", "Record", "KernelLost", "CellError", "code_cells"]
