"""Every process the load test starts, tracked so that none outlives it.

The load test makes itself a *child subreaper* (Linux ``PR_SET_CHILD_SUBREAPER``):
a learner's server that the hub started in a session of its own, and that the
hub leaves behind when it is stopped, is re-parented to the load test rather
than to init. Its process tree then holds everything: the hub, the proxy, the
idle culler, every single-user server and every kernel. Each of them also
carries the run's marker in its environment (the spawner passes it on), so a
last scan of ``/proc`` can prove that nothing is left.

The same tree gives the measurements: resident memory and CPU time per learner
(server + kernel), the hub and the proxy.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import psutil

MARKER = "GN_WORKSHOP_LOADTEST_RUN"
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux only); False where that is not possible."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def environ_of(pid: int) -> dict[str, str]:
    """The environment a process was started with ({} if it cannot be read)."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            raw = fh.read()
    except OSError:
        return {}
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in pairs}


def marked_processes(run_id: str) -> list[int]:
    """Pids of live processes whose environment carries this run's marker."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            if environ_of(int(entry)).get(MARKER) == run_id:
                try:
                    if psutil.Process(int(entry)).status() != psutil.STATUS_ZOMBIE:
                        found.append(int(entry))
                except psutil.NoSuchProcess:
                    pass
    return found


@dataclass
class Usage:
    """Peak resident memory (bytes) and CPU seconds of one group of processes."""

    peak_rss: int = 0
    cpu_by_pid: dict[int, float] = field(default_factory=dict)

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_by_pid.values())


class ProcessKeeper:
    """Remembers every descendant, samples their memory and CPU, and stops them all.

    Parameters
    ----------
    run_id : str
        The marker value this run's processes carry in ``MARKER``.
    interval : float
        Seconds between two samples.
    """

    def __init__(self, run_id: str, interval: float = 0.5) -> None:
        self.run_id = run_id
        self.interval = interval
        self.subreaper = become_subreaper()
        self.seen: dict[int, float] = {}  # pid -> create_time
        self.owner: dict[int, str] = {}  # pid -> learner name, "hub", "proxy" or "other"
        self.usage: dict[str, Usage] = defaultdict(Usage)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sampler", daemon=True)
        self._lock = threading.Lock()

    def start(self) -> None:
        self._thread.start()

    def _classify(self, proc: psutil.Process) -> str:
        env = environ_of(proc.pid)
        if env.get("JUPYTERHUB_USER"):
            return env["JUPYTERHUB_USER"]
        cmd = " ".join(proc.cmdline())
        if "configurable-http-proxy" in cmd:
            return "proxy"
        if "jupyterhub_idle_culler" in cmd:
            return "culler"
        if "jupyterhub" in cmd:
            return "hub"
        return "other"

    def sample(self) -> None:
        """One sample: record new descendants and add up memory per owner."""
        totals: dict[str, int] = defaultdict(int)
        for proc in psutil.Process().children(recursive=True):
            try:
                with proc.oneshot():
                    created = proc.create_time()
                    if self.seen.get(proc.pid) != created:
                        self.seen[proc.pid] = created
                        self.owner[proc.pid] = self._classify(proc)
                    owner = self.owner[proc.pid]
                    rss = proc.memory_info().rss
                    cpu = proc.cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            totals[owner] += rss
            with self._lock:
                usage = self.usage[owner]
                key = proc.pid
                usage.cpu_by_pid[key] = max(usage.cpu_by_pid.get(key, 0.0), cpu.user + cpu.system)
        with self._lock:
            for owner, rss in totals.items():
                self.usage[owner].peak_rss = max(self.usage[owner].peak_rss, rss)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def cpu_seconds(self, owner: str) -> float:
        """CPU seconds used so far by ``owner``'s processes (live and exited)."""
        self.sample()
        with self._lock:
            return self.usage[owner].cpu_seconds

    def pids_of(self, owner: str, needle: str = "") -> list[int]:
        """Live pids recorded for ``owner`` whose command line contains ``needle``."""
        self.sample()
        pids = []
        for pid, who in list(self.owner.items()):
            if who != owner:
                continue
            try:
                proc = psutil.Process(pid)
                if proc.create_time() == self.seen[pid] and needle in " ".join(proc.cmdline()):
                    pids.append(pid)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return pids

    def stop_all(self, grace: float = 10.0) -> list[int]:
        """Stop every process this run started: SIGTERM each group, then SIGKILL.

        Returns the pids (marked with this run's id) still alive afterwards,
        which should be none.
        """
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        procs = self._live()
        self._signal(procs, signal.SIGTERM)
        gone, alive = psutil.wait_procs(procs, timeout=grace)
        self._signal(alive, signal.SIGKILL)
        psutil.wait_procs(alive, timeout=5)
        self._reap()
        leftover = self._live() + [psutil.Process(p) for p in marked_processes(self.run_id)
                                   if psutil.pid_exists(p)]
        if leftover:
            self._signal(leftover, signal.SIGKILL)
            psutil.wait_procs(leftover, timeout=5)
            self._reap()
        return marked_processes(self.run_id)

    def _live(self) -> list[psutil.Process]:
        procs = {}
        for proc in psutil.Process().children(recursive=True):
            procs[proc.pid] = proc
        for pid, created in self.seen.items():
            try:
                proc = psutil.Process(pid)
                if proc.create_time() == created and proc.status() != psutil.STATUS_ZOMBIE:
                    procs[pid] = proc
            except psutil.NoSuchProcess:
                continue
        return list(procs.values())

    @staticmethod
    def _signal(procs: list[psutil.Process], sig: int) -> None:
        for proc in procs:
            try:
                pgid = os.getpgid(proc.pid)
                if pgid != os.getpgid(0):
                    os.killpg(pgid, sig)
                proc.send_signal(sig)
            except (ProcessLookupError, psutil.NoSuchProcess, PermissionError):
                continue

    @staticmethod
    def _reap() -> None:
        """Collect exit statuses of adopted children (so no zombie is left)."""
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                time.sleep(0.05)
