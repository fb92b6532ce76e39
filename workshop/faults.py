"""The load test's fault checks: a killed kernel, a server that cannot start, a hub restart.

Mixed into ``loadtest.Run``, which provides ``hub``, ``keeper``, ``learners``,
``query``, ``bare``, ``home``, ``workdir``, ``lesson``, ``lesson_kernels``, ``faults``, ``failures``, ``path``
and ``remaining``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from hub import BROKEN_USER
from learner import Learner

SAVED_MARK = "# saved by {name} before the hub restart"


UPDATE_FILE = "workshop-update.md"  # added upstream mid-workshop; the second pull must bring it


def publish_update(bare: Path, branch: str, workdir: Path) -> None:
    """Push a new commit to the course's repository, as an instructor fixing a typo would."""
    clone = workdir / "instructor-clone"
    git = ["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.invalid"]
    subprocess.run(["git", "clone", "--quiet", "--branch", branch, str(bare), str(clone)], check=True,
                   capture_output=True)
    (clone / UPDATE_FILE).write_text("A note added during the workshop.\n")
    subprocess.run([*git, "-C", str(clone), "add", UPDATE_FILE], check=True)
    subprocess.run([*git, "-C", str(clone), "commit", "--quiet", "-m", "Note for the workshop"], check=True)
    subprocess.run(["git", "-C", str(clone), "push", "--quiet", "origin", branch], check=True, capture_output=True)


class FaultChecks:
    """What happens to learners when something breaks."""

    def kill_kernel(self, learner: Learner) -> None:
        pids = self.keeper.pids_of(learner.name, "ipykernel")
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        if not pids:
            learner.record.failures.append("fault check: no kernel process found to kill")

    def broken_flow(self) -> None:
        learner = Learner(self.hub, BROKEN_USER)
        began = time.monotonic()
        try:
            learner.login()
            learner.spawn(timeout=min(90, self.remaining()))
        except RuntimeError as err:
            took = time.monotonic() - began
            page = learner.http.get(f"{self.hub.url}/hub/spawn-pending/{BROKEN_USER}", timeout=30)
            clear = "failed to start" in str(err) and "course environment" in str(err)
            if clear and took < 30 and "course environment" in page.text:
                self.faults["server fails to start"] = (f"told after {took:.1f} s, on the spawn-pending page "
                                                        f"too: {err}")
                return
            self.failures.append(f"fault check 'server fails to start': unclear or late ({took:.0f} s): {err}"
                                 + ("" if "course environment" in page.text else "; not on the spawn-pending page"))
            return
        self.failures.append("fault check 'server fails to start': the broken server started")

    def restart_hub(self) -> None:
        """Stop the hub normally and start it again; every learner must carry on."""
        began = time.monotonic()
        self.hub.stop()
        self.hub.start(timeout=min(60, self.remaining()))
        outage = time.monotonic() - began
        publish_update(self.bare, self.home.branch, self.workdir)
        threads = [threading.Thread(target=self.reconnect, args=(lr,), daemon=True) for lr in self.learners
                   if not lr.record.failures]
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.remaining())
        ok = [lr for lr in self.learners if "reconnected" in " ".join(lr.record.notes)]
        self.faults["hub restarted mid-workshop"] = (
            f"{len(ok)} of {len(self.learners)} learners reconnected with their saved work and their kernel "
            f"(the hub was away {outage:.1f} s)")

    def reconnect(self, learner: Learner) -> None:
        began = time.monotonic()
        path = self.path(self.lesson.exercise_notebook)
        try:
            while True:
                try:
                    notebook = learner.notebook(path)
                    break
                except Exception:  # noqa: BLE001 - the proxy routes come back a moment after the hub
                    if time.monotonic() - began > 60:
                        raise
                    time.sleep(0.5)
            mark = SAVED_MARK.format(name=learner.name)
            if not any(mark in "".join(c["source"]) for c in notebook["cells"]):
                raise RuntimeError("the saved exercise notebook lost the learner's edit")
            channel = learner.connect(self.lesson_kernels[learner.name])
            shown = channel.execute("print(workshop_marker)")["outputs"]
            channel.close()
            if not any(learner.name in o.get("text", "") for o in shown):
                raise RuntimeError(f"the kernel lost its state across the hub restart: {shown}")
            learner.pull(self.query)  # the learner opens the link again: edits must survive
            if not any(mark in "".join(c["source"]) for c in learner.notebook(path)["cells"]):
                raise RuntimeError("pulling the course again lost the learner's edit")
            if not learner.server("get", f"api/contents/{self.path(UPDATE_FILE)}").ok:
                raise RuntimeError("pulling the course again did not bring the instructor's new commit")
            learner.record.notes.append(f"reconnected after the hub restart in {time.monotonic() - began:.1f} s")
        except Exception as err:  # noqa: BLE001
            learner.record.failures.append(f"after the hub restart: {type(err).__name__}: {err}")

