"""Load test of a workshop hub: ``python workshop/loadtest.py --learners N``.

Starts a real JupyterHub on 127.0.0.1 (the workshop configuration with test
authentication and the simple local process spawner, temporary state and home
folders, configurable-http-proxy found or installed with npm into a cache
folder). Then N learners at once: log in, start a server, pull the course with
nbgitpuller from a local bare clone of this repository, run lesson 03 cell by
cell through the proxy, move the cliff explorer's η slider and wait for each
new frame, and open the exercise notebook.

``--faults`` adds the fault checks: one learner's kernel is killed mid-lesson,
one extra user's server cannot start, and after the lesson the hub is stopped
and started again. The run prints (and with ``--json`` saves) spawn time, lesson
time, cell latency and slider round trip p50/p95, peak memory and CPU per
learner, and every failure; it exits 1 if anything failed.

Bounded: at most ``--timeout`` seconds and 200 learners; it stops every process
it started (by process id and process group) on success, failure or Ctrl-C,
and checks that none is left.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import psutil

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
sys.path.insert(0, str(REPO_ROOT))  # this checkout's gnlib, here and in every learner's kernel

from gnlib.course.config import load_course  # noqa: E402

import report  # noqa: E402
from faults import SAVED_MARK, FaultChecks  # noqa: E402
from hub import Hub, bare_clone, find_proxy  # noqa: E402
from learner import CellError, KernelLost, Learner, code_cells  # noqa: E402
from processes import MARKER, ProcessKeeper  # noqa: E402

MAX_LEARNERS = 200
MAX_SECONDS = 3600  # per run
LESSON = "03"
KILL_AT_CELL = 4  # the kernel-fault learner loses its kernel while running this code cell
SLOW_SLIDER_MS = 200  # the course's bound for a slider redraw, seen by a learner


def pull_query(home: Any, bare: Path, path: str) -> str:
    """The course's nbgitpuller query (from the declared home), pointed at a local clone."""
    link = home.nbgitpuller_url("http://127.0.0.1", path)
    query = dict(parse_qsl(urlsplit(link).query))
    query["repo"] = bare.as_uri()
    query["targetpath"] = home.name  # what a clone of the GitHub URL is called
    return urlencode(query)


class Run(FaultChecks):
    """One load-test run: the hub, the learners, the fault checks."""

    def __init__(self, args: argparse.Namespace, workdir: Path, keeper: ProcessKeeper) -> None:
        self.args = args
        self.course = load_course()
        self.home = self.course.home
        self.lesson = next(lesson for lesson in self.course.lessons if lesson.number == LESSON)
        self.workdir = workdir
        self.keeper = keeper
        self.deadline = time.monotonic() + args.timeout
        self.bare = bare_clone(REPO_ROOT, workdir, self.home.branch)
        self.query = pull_query(self.home, self.bare, self.lesson.notebook)
        env = dict(os.environ, **{MARKER: keeper.run_id, "WORKSHOP_PASSWORD": os.urandom(12).hex()})
        env["PYTHONPATH"] = os.pathsep.join(p for p in [str(REPO_ROOT), env.get("PYTHONPATH", "")] if p)
        env.pop("JUPYTERHUB_API_TOKEN", None)
        proxy = args.proxy or find_proxy(Path(args.cache))
        self.hub = Hub(workdir, proxy, "/git-pull?" + self.query, env)
        self.learners = [Learner(self.hub, f"learner-{i}") for i in range(args.learners)]
        self.failures: list[str] = []
        self.faults: dict[str, str] = {}
        self.lesson_kernels: dict[str, str] = {}
        self.arrived = 0
        self.everyone_there = threading.Condition()

    def path(self, relative: str) -> str:
        return f"{self.home.name}/{relative}"

    # --- one learner ---------------------------------------------------------------
    def lesson_run(self, learner: Learner, kill_at: int | None) -> None:
        rec = learner.record
        path = self.path(self.lesson.notebook)
        cells = code_cells(learner.notebook(path))
        channel = learner.open_kernel(path)

        def on_cell(index: int) -> None:
            if index == kill_at:
                threading.Timer(0.2, self.kill_kernel, args=(learner,)).start()

        began = time.monotonic()
        try:
            learner.run_cells(channel, cells, on_cell)
        except (KernelLost, CellError) as err:
            if kill_at is None:
                raise
            channel.close()
            note = channel.status_notes[-1] if channel.status_notes else f"no kernel status message ({err})"
            if not channel.status_notes:
                raise RuntimeError(f"kernel killed mid-lesson, but the learner got no clear message: {err}")
            rec.notes.append(f"kernel killed at code cell {kill_at + 1}; the learner was told: {note}")
            time.sleep(1)
            channel = learner.connect()  # the same kernel id, restarted by the server
            rec.cells.clear()
            began = time.monotonic()
            learner.run_cells(channel, cells)  # Restart & Run All, as the message asks
            self.faults["kernel killed mid-lesson"] = f"{learner.name} told '{note}', then re-ran the lesson: ok"
        else:
            if kill_at is not None:
                raise RuntimeError("the kernel was to be killed mid-lesson, but the lesson ran through")
        rec.lesson = time.monotonic() - began
        self.arrive_at_explorable(wait=True)
        cpu_before = self.keeper.cpu_seconds(learner.name)
        learner.slider_round_trips(channel, self.args.slider_moves, self.args.think)
        rec.slider_cpu = (self.keeper.cpu_seconds(learner.name) - cpu_before) / self.args.slider_moves
        channel.execute(f"workshop_marker = {learner.name!r}")
        channel.close()
        self.lesson_kernels[learner.name] = learner.kernel_id

    def arrive_at_explorable(self, wait: bool) -> None:
        """Count a learner in; with ``wait``, block until every learner is in (or has failed).

        The slider is timed while all learners are at the explorable at once:
        the moment in a workshop when the instructor says "now move the slider".
        """
        with self.everyone_there:
            self.arrived += 1
            self.everyone_there.notify_all()
            if wait:
                self.everyone_there.wait_for(lambda: self.arrived >= len(self.learners), self.remaining())

    def exercises(self, learner: Learner) -> None:
        began = time.monotonic()
        path = self.path(self.lesson.exercise_notebook)
        notebook = learner.notebook(path)
        channel = learner.open_kernel(path)
        channel.execute(code_cells(notebook)[0])  # the imports cell
        channel.close()
        learner.record.exercises = time.monotonic() - began
        first_task = next(c for c in notebook["cells"] if "YOUR CODE HERE" in "".join(c["source"]))
        first_task["source"] = SAVED_MARK.format(name=learner.name) + "\n" + "".join(first_task["source"])
        learner.save(path, notebook)

    def learner_flow(self, learner: Learner, kill_at: int | None) -> None:
        try:
            learner.login()
            learner.spawn(timeout=self.remaining())
            learner.open_link(self.query)
            learner.pull(self.query)
            self.lesson_run(learner, kill_at)
            self.exercises(learner)
        except Exception as err:  # noqa: BLE001 - every failure is reported, none stops the others
            learner.record.failures.append(f"{type(err).__name__}: {err}")
            if not learner.record.lesson:
                self.arrive_at_explorable(wait=False)  # the others need not wait for this one

    def remaining(self) -> float:
        return max(1.0, self.deadline - time.monotonic())

    # --- the whole run -------------------------------------------------------------------
    def go(self) -> dict[str, Any]:
        began = time.monotonic()
        load_before, cpu_before = os.getloadavg()[0], psutil.cpu_times()
        hub_start = self.hub.start(timeout=min(90, self.remaining()))
        threads = [threading.Thread(target=self.learner_flow, daemon=True,
                                    args=(lr, KILL_AT_CELL if self.args.faults and i == 0 else None))
                   for i, lr in enumerate(self.learners)]
        if self.args.faults:
            threads.append(threading.Thread(target=self.broken_flow, daemon=True))
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.remaining())
        if any(t.is_alive() for t in threads):
            self.failures.append(f"the run passed its time limit ({self.args.timeout:.0f} s)")
        elif self.args.faults:
            self.restart_hub()
        self.keeper.sample()
        machine = {"cores": psutil.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
                   "load_before": round(load_before, 1), "load_after": round(os.getloadavg()[0], 1),
                   "busy_cores": round(report.machine_busy(cpu_before, psutil.cpu_times()), 2)}
        return report.summarize([lr.record for lr in self.learners], self.keeper.usage,
                                time.monotonic() - began, [lr.name for lr in self.learners],
                                self.failures, self.faults, hub_start, machine)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=3, help="learners at once (1-200)")
    parser.add_argument("--faults", action="store_true", help="also run the fault checks (needs 2+ learners)")
    parser.add_argument("--slider-moves", type=int, default=5, help="slider moves per learner (1-100)")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between two slider moves (0-30)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before the run gives up (at most 3600)")
    parser.add_argument("--json", help="write the report to this file")
    parser.add_argument("--proxy", help="path of configurable-http-proxy (default: PATH, then the cache)")
    parser.add_argument("--cache", default=str(Path.home() / ".cache" / "gradient-norms-workshop"),
                        help="folder for the npm-installed proxy")
    parser.add_argument("--ceiling", type=int, default=0,
                        help="find the ceiling: double --learners up to this many (see find_ceiling)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, homes)")
    args = parser.parse_args(argv)
    if not 1 <= args.learners <= MAX_LEARNERS:
        parser.error(f"--learners must be between 1 and {MAX_LEARNERS}, got {args.learners}")
    if args.faults and args.learners < 2:
        parser.error("--faults needs at least 2 learners (one loses its kernel, the others must not notice)")
    if not 1 <= args.slider_moves <= 100:
        parser.error(f"--slider-moves must be between 1 and 100, got {args.slider_moves}")
    if not 0 <= args.think <= 30:
        parser.error(f"--think must be between 0 and 30 seconds, got {args.think}")
    if args.ceiling and args.faults:
        parser.error("--ceiling measures; run --faults separately")
    if args.ceiling and not args.learners <= args.ceiling <= MAX_LEARNERS:
        parser.error(f"--ceiling must be between --learners and {MAX_LEARNERS}, got {args.ceiling}")
    if not 0 < args.timeout <= MAX_SECONDS:
        parser.error(f"--timeout must be between 0 and {MAX_SECONDS} seconds, got {args.timeout}")

    def on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    if not args.ceiling:
        result = run_once(args, args.learners)
        print(report.text(result) if "learners" in result else "\n".join(f"FAILURE: {f}" for f in result["failures"]))
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
        return 1 if result["failures"] else 0
    steps = find_ceiling(args)
    if args.json:
        Path(args.json).write_text(json.dumps(steps, indent=1) + "\n")
    return 0 if steps and not steps[-1].get("interrupted") else 1


def run_once(args: argparse.Namespace, learners: int) -> dict[str, Any]:
    """One run with ``learners`` learners; everything it started is stopped before it returns."""
    args = argparse.Namespace(**{**vars(args), "learners": learners})
    keeper = ProcessKeeper(os.urandom(8).hex())
    workdir = Path(tempfile.mkdtemp(prefix="gn-workshop-loadtest-"))
    result: dict[str, Any] = {"failures": []}
    leftover: list[int] = []
    try:
        run = Run(args, workdir, keeper)
        keeper.start()
        result = run.go()
    except KeyboardInterrupt:
        result = {"failures": ["interrupted"], "interrupted": True}
    except Exception as err:  # noqa: BLE001 - reported, then everything is stopped
        result["failures"].append(f"{type(err).__name__}: {err}")
    finally:
        leftover = keeper.stop_all()
        if leftover:
            result["failures"].append(f"processes outlived the run: {leftover}")
        log = workdir / "hub.log"
        if result["failures"] and log.exists():
            tail = log.read_text(errors="replace").splitlines()[-40:]
            print("last lines of the hub's log:\n  " + "\n  ".join(tail), file=sys.stderr)
        if args.keep:
            print(f"logs and homes kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    result["processes_left"] = leftover
    return result


def find_ceiling(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Double the learners from ``--learners`` up to ``--ceiling`` until the slider gets slow.

    Stops at the first run whose p95 slider round trip passes ``SLOW_SLIDER_MS``,
    that has any failure, or before a run whose learners would not fit in the
    memory available now (at the last run's peak per learner, plus 25 %).
    """
    steps: list[dict[str, Any]] = []
    learners = args.learners
    while learners <= args.ceiling:
        result = run_once(args, learners)
        steps.append(result)
        print(f"\n== {learners} learners\n" + (report.text(result) if "learners" in result else
                                                 "\n".join(f"FAILURE: {f}" for f in result["failures"])))
        p95 = result.get("slider_round_trip", {}).get("p95_ms")
        if result["failures"] or p95 is None or p95 > SLOW_SLIDER_MS:
            reason = "failures" if result["failures"] else f"slider p95 {p95} ms > {SLOW_SLIDER_MS} ms"
            print(f"ceiling: {learners} learners ({reason})")
            return steps
        per_learner = result["memory_mib_per_learner"]["max"] * 1024 * 1024
        if 2 * learners * per_learner * 1.25 > psutil.virtual_memory().available:
            print(f"ceiling: memory: {2 * learners} learners would not fit in the memory available")
            return steps
        learners *= 2
    print(f"no ceiling up to {args.ceiling} learners")
    return steps


if __name__ == "__main__":
    sys.exit(main())
