"""Support code for tests/test_browser.py: a JupyterLab server and a headless Chromium.

Nothing here is a test. :class:`LabServer` starts ``jupyter lab`` on a free
loopback port with its own runtime, settings and workspace directories (so the
developer's own JupyterLab state is neither used nor touched) and always stops
it. The ``page``-level helpers drive a JupyterLab tab through Playwright's sync
API the way a learner would: open a lesson, *Run → Run All Cells*, move a
slider.

Requirements (skipped with a reason when missing): Debian's Chromium at
``/usr/bin/chromium`` (or ``$GNLIB_CHROMIUM``) and ``playwright`` for Python.
``playwright install`` is never needed: the system Chromium is used.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = os.environ.get("GNLIB_CHROMIUM", "/usr/bin/chromium")

# We may run as root in containers; background networking is blocked on CI.
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# JupyterLab user settings for the test server (written to a temporary
# user-settings directory): no news or update toasts; no autosave, so running
# a lesson never writes outputs back into lessons/; every cell attached to the
# DOM (no windowing), so the page can be inspected as a whole.
LAB_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings":
        {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
        {"windowingMode": "none"},
}

# What a broken widget front end leaves on the page.
WIDGET_FAILURE_TEXTS = ("Error displaying widget", "model not found", "Loading widget...")

# An error output (traceback) as JupyterLab renders it, as opposed to a
# harmless stderr stream such as a warning.
ERROR_TEXT = re.compile(r"Traceback|\b\w*(Error|Exception)\b")


def missing_prerequisite() -> str | None:
    """Why the browser test cannot run here, or None if it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright==1.65.2; never `playwright install`)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium, or set GNLIB_CHROMIUM)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, timeout: float = 10) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8", "replace")


class LabServer:
    """``jupyter lab`` on 127.0.0.1, token disabled, serving ``root`` (the repository).

    Everything it writes (runtime files, settings, workspaces, the log) goes
    under ``workdir``. Use as a context manager, or call :meth:`start` and
    :meth:`stop` (which is safe to call more than once).
    """

    def __init__(self, workdir: Path, root: Path = ROOT) -> None:
        self.root = root
        self.workdir = Path(workdir)
        self.log_path = self.workdir / "jupyterlab.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def command(self) -> list[str]:
        settings_dir = self.workdir / "user-settings"
        cmd = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser",
            "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
            "--IdentityProvider.token=", "--ServerApp.password=",
            f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={settings_dir}",
            f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            # window.jupyterapp: lets the test read the notebook model
            # (outputs, kernel status) instead of guessing from pixels.
            "--LabApp.expose_app_in_browser=True",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        return cmd

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env["JUPYTER_RUNTIME_DIR"] = str(self.workdir / "runtime")
        env["JUPYTER_CONFIG_DIR"] = str(self.workdir / "config")  # ignore ~/.jupyter
        # The test suite exports MPLBACKEND=Agg (conftest.py, .ci/run). A kernel
        # that inherits it would not use the inline backend, and display(fig)
        # would show "<Figure size ...>" instead of a PNG. Learners do not set
        # it, so neither does the server the browser talks to.
        env.pop("MPLBACKEND", None)
        return env

    def start(self, timeout: float = 120) -> "LabServer":
        for name in ("runtime", "config", "workspaces"):
            (self.workdir / name).mkdir(parents=True, exist_ok=True)
        for rel, values in LAB_SETTINGS.items():
            path = self.workdir / "user-settings" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values, indent=2))
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.command(), stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=self.environment(), cwd=self.root)
        deadline = time.monotonic() + timeout
        while True:
            try:
                http("GET", self.url + "/api/status", timeout=5)
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"JupyterLab exited with {self.proc.returncode}:\n{self.log()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{self.log()}")
                time.sleep(0.3)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def shutdown_kernels(self) -> None:
        """Delete every session (and so its kernel), freeing CPU between lessons.

        Like any API client of a server without a token, this first fetches the
        ``_xsrf`` cookie and echoes it in ``X-XSRFToken`` (else: 403).
        """
        import http.cookiejar

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        try:
            opener.open(self.url + "/lab", timeout=30).read()
            xsrf = next((c.value for c in jar if c.name == "_xsrf"), "")
            with opener.open(self.url + "/api/sessions", timeout=30) as response:
                sessions = json.loads(response.read())
            for session in sessions:
                request = urllib.request.Request(f"{self.url}/api/sessions/{session['id']}", method="DELETE",
                                                 headers={"X-XSRFToken": xsrf})
                opener.open(request, timeout=60).read()
        except (OSError, ValueError) as exc:  # best effort: stop() ends them anyway
            print(f"could not shut kernels down: {exc}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()  # SIGTERM: jupyter_server shuts its kernels down
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> "LabServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def launch_chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


# --------------------------------------------------------------------------
# Page helpers. `page` is a playwright.sync_api.Page showing JupyterLab.
# --------------------------------------------------------------------------

# JavaScript run in the page: the current notebook's cells, from its model.
_CELLS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.model) return null;
  const out = [];
  for (const cell of panel.content.model.cells) {
    const json = cell.toJSON();
    out.push({type: json.cell_type, count: json.execution_count ?? null,
              outputs: (json.outputs || []).map(o => ({output_type: o.output_type, ename: o.ename ?? null,
                         evalue: o.evalue ?? null, name: o.name ?? null,
                         mimes: Object.keys(o.data || {})}))});
  }
  return out;
}"""

_KERNEL_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const ctx = panel && panel.sessionContext;
  if (!ctx || !ctx.session || !ctx.session.kernel) return null;
  return ctx.session.kernel.status;
}"""


def open_notebook(page: Any, base_url: str, relpath: str, timeout: float = 60) -> None:
    """Open ``relpath`` (relative to the server root) in a fresh workspace and wait for its kernel."""
    page.goto(f"{base_url}/lab/tree/{relpath}?reset", wait_until="domcontentloaded", timeout=timeout * 1000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout * 1000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.context"
                           " && window.jupyterapp.shell.currentWidget.context.isReady",
                           timeout=timeout * 1000)
    page.wait_for_function(f"() => ({_KERNEL_JS})() === 'idle'", timeout=timeout * 1000)


def cells(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(_CELLS_JS)


def kernel_status(page: Any) -> str | None:
    return page.evaluate(_KERNEL_JS)


def clear_all_outputs(page: Any) -> None:
    """Clear the stored outputs and execution counts, so only this run's results remain."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.wait_for_function(f"() => ({_CELLS_JS})().every(c => c.count === null && c.outputs.length === 0)",
                           timeout=10_000)


def run_all_cells_from_menu(page: Any) -> None:
    """Run → Run All Cells, clicked in the menu bar like a learner would."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item:visible", has_text=re.compile(r"^Run All Cells")).first.click()


def wait_until_executed(page: Any, timeout: float = 120, settle: float = 1.5) -> None:
    """Until the run is over and has stayed over for ``settle`` seconds.

    Over means: the kernel is idle, no cell shows ``[*]``, and either every code
    cell has an execution count or a cell failed (Run All stops at an error,
    leaving the cells after it unexecuted).
    """
    deadline = time.monotonic() + timeout
    settled_since = None
    while True:
        state = cells(page) or []
        code = [c for c in state if c["type"] == "code"]
        busy_prompts = page.locator(".jp-InputPrompt", has_text="[*]").count()
        all_ran = all(c["count"] is not None for c in code)
        failed = any(o["output_type"] == "error" for c in code for o in c["outputs"])
        done = (all_ran or failed) and busy_prompts == 0 and kernel_status(page) == "idle"
        now = time.monotonic()
        if done:
            settled_since = settled_since or now
            if now - settled_since >= settle:  # stays settled: widget views render
                return
        else:
            settled_since = None
        if now > deadline:
            raise TimeoutError(f"cells still running after {timeout:.0f} s (kernel {kernel_status(page)}, "
                               f"{busy_prompts} cell(s) at [*], "
                               f"{sum(c['count'] is None for c in code)} code cell(s) not run)")
        time.sleep(0.25)


def unexecuted_cells(page: Any) -> list[int]:
    """Indices of code cells that have no execution count (never ran)."""
    return [i for i, c in enumerate(cells(page) or []) if c["type"] == "code" and c["count"] is None]


def error_outputs(page: Any) -> list[str]:
    """Every error the run left: error outputs in the model, tracebacks on the page."""
    problems = []
    for index, cell in enumerate(cells(page) or []):
        for out in cell["outputs"]:
            if out["output_type"] == "error":
                problems.append(f"cell {index}: {out['ename']}: {out['evalue']}")
    stderr = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    for i in range(stderr.count()):
        text = stderr.nth(i).inner_text()
        if ERROR_TEXT.search(text):
            problems.append("on the page: " + text.strip()[-800:])
    return problems


def widget_failures(page: Any) -> list[str]:
    """Widget outputs that did not render (error text, spinner text, missing view)."""
    problems = []
    areas = page.locator(".jp-CodeCell .jp-OutputArea")
    for i in range(areas.count()):
        text = areas.nth(i).inner_text()
        for needle in WIDGET_FAILURE_TEXTS:
            if needle in text:
                problems.append(f"output area {i} shows {needle!r}: {text.strip()[:300]!r}")
    views = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"]')
    for i in range(views.count()):
        if views.nth(i).locator(".jupyter-widgets").count() == 0:
            problems.append(f"widget output {i} holds no rendered widget")
    # A widget displayed without a working front end falls back to its repr.
    plain = page.locator('.jp-OutputArea-output[data-mime-type="text/plain"]')
    for i in range(plain.count()):
        text = plain.nth(i).inner_text().strip()
        if re.match(r"^(VBox|HBox|Box|Output|FloatSlider|IntSlider|FloatLogSlider)\(", text):
            problems.append(f"widget shown as text, not rendered: {text[:200]!r}")
    return problems


# In the page: from a slider's handle, walk up to the nearest enclosing widget
# box that also holds an Output widget showing an image (the explorable this
# slider drives) and mark it. The box is marked, not the <img>: every redraw
# (clear_output(wait=True) + display) replaces the <img> element.
_MARK_EXPLORABLE_JS = """(handle) => {
  document.querySelectorAll('[data-gn-explorable]').forEach(e => e.removeAttribute('data-gn-explorable'));
  for (let node = handle.parentElement; node; node = node.parentElement) {
    if (node.classList.contains('jp-OutputArea')) break;
    if (node.querySelector('.widget-output img')) {
      node.setAttribute('data-gn-explorable', '1');
      return true;
    }
  }
  return false;
}"""

FIGURE = "[data-gn-explorable] .widget-output img"


def first_slider_with_figure(page: Any) -> Any | None:
    """The handle of the first ipywidgets slider that drives a figure (None if there is none).

    Afterwards ``page.locator(FIGURE).first`` is that figure's current <img>.
    """
    handles = page.locator(".jp-OutputArea .widget-slider .noUi-handle")
    for i in range(handles.count()):
        if handles.nth(i).evaluate(_MARK_EXPLORABLE_JS):
            return handles.nth(i)
    return None


def figure_src(page: Any) -> str | None:
    """The data URL of the marked explorable's figure, or None while it is being replaced."""
    return page.evaluate(f"() => {{ const img = document.querySelector({FIGURE!r});"
                         " return img && img.complete ? img.src : null; }")


def wait_for_new_figure(page: Any, old_src: str, timeout: float = 20) -> str:
    """Poll until the figure's src differs from ``old_src``; return the new src."""
    deadline = time.monotonic() + timeout
    while True:
        src = figure_src(page)
        if src and src != old_src:
            return src
        if time.monotonic() > deadline:
            raise TimeoutError(f"the figure was not redrawn within {timeout:.0f} s")
        time.sleep(0.1)


def wait_for_stable_figure(page: Any, quiet: float = 1.0, timeout: float = 30) -> str:
    """Wait until the figure has been present and unchanged for ``quiet`` seconds; return its src."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while True:
        src = figure_src(page)
        now = time.monotonic()
        if src != last:
            last, since = src, now
        elif src and now - since >= quiet:
            return src
        if now > deadline:
            raise TimeoutError(f"the figure did not settle within {timeout:.0f} s")
        time.sleep(0.1)


def figure_count(page: Any) -> int:
    """How many images the marked explorable's Output area shows."""
    return page.locator(FIGURE).count()


def saved_timestamp(page: Any) -> str | None:
    """last_modified of the open notebook as JupyterLab knows it (changes if it saves)."""
    return page.evaluate("() => { const p = window.jupyterapp.shell.currentWidget;"
                         " return p && p.context && p.context.contentsModel"
                         " ? p.context.contentsModel.last_modified : null; }")


def slider_readout(handle: Any) -> str:
    """The text of the readout next to a slider (its displayed value)."""
    return handle.evaluate("""(h) => {
      const box = h.closest('.widget-slider');
      const readout = box && box.querySelector('.widget-readout');
      return readout ? readout.textContent : '';
    }""")
