"""Local process spawners that tell a learner at once when their server cannot start.

JupyterHub's local spawners return as soon as the server process is launched;
the hub then waits for it to answer HTTP for up to ``Spawner.http_timeout``
seconds. A server that exits at start (a broken environment, a missing
package) therefore shows the learner a spinner for that long and then a
timeout. With jupyterhub 6.1.1 a server that exits within the first seconds
can also make the spawn request fail with a bare "500: Internal Server Error"
(an ``InvalidStateError`` in the hub's spawn handler).

Here ``start`` waits until the server accepts connections, and raises a plain
message as soon as its process exits: the spawn-pending page then shows
"Spawn failed: <message>" within a second of the exit.
"""

from __future__ import annotations

import asyncio
import socket
import time

from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner

POLL_SECONDS = 0.25


def _accepts_connections(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=POLL_SECONDS):
            return True
    except OSError:
        return False


class ReportsEarlyExitMixin:
    """``start`` returns once the server listens, or raises if its process exits first."""

    async def start(self):  # noqa: ANN201 - returns what the base spawner returns
        url = await super().start()
        host, port = self.ip or "127.0.0.1", self.port
        deadline = time.monotonic() + self.http_timeout
        while time.monotonic() < deadline:
            status = self.proc.poll()
            if status is not None:
                message = (f"Your server stopped while starting (exit status {status}): the course "
                           f"environment on this hub is broken. Please tell the instructor; the hub's log "
                           f"has the details under the name {self.user.name!r}.")
                error = RuntimeError(message)
                error.jupyterhub_message = message  # shown on the hub's error page, not only in its log
                raise error
            if await asyncio.to_thread(_accepts_connections, host, port):
                return url
            await asyncio.sleep(POLL_SECONDS)
        return url  # the hub's own wait then reports the timeout


class WorkshopSpawner(ReportsEarlyExitMixin, LocalProcessSpawner):
    """One process per learner under the learner's Unix account."""


class TrialSpawner(ReportsEarlyExitMixin, SimpleLocalProcessSpawner):
    """All learners under the hub's account (trial runs and the load test only: no isolation)."""
