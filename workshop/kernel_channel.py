"""A kernel's websocket as a browser uses it: Jupyter messages over one connection.

``/user/NAME/api/kernels/ID/channels`` carries the shell, iopub and control
channels as JSON messages tagged with ``"channel"``. The server accepts the
upgrade with an ``Authorization: token ...`` header (it rejects ``?token=`` on
websocket requests that do not look like a browser's).
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Callable

import websocket

MAX_MESSAGES = 100_000  # per wait: bounds every receive loop


class KernelLost(RuntimeError):
    """The kernel died (or was restarted by its server) while the learner was using it."""


class CellError(RuntimeError):
    """A cell raised an exception in the kernel."""


class KernelChannel:
    """One learner's websocket to one kernel.

    Parameters
    ----------
    ws_url : str
        ``ws://127.0.0.1:PORT/user/NAME/api/kernels/ID/channels``.
    token : str
        The learner's API token.
    """

    def __init__(self, ws_url: str, token: str, timeout: float = 30) -> None:
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"],
                                              timeout=timeout)
        self.comms: dict[str, dict[str, Any]] = {}  # comm_id -> state sent at comm_open
        self.status_notes: list[str] = []

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001 - closing a broken socket must not mask the real error
            pass

    def send(self, msg_type: str, content: dict[str, Any], channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "session": self.session, "username": "learner",
                  "date": datetime.now(timezone.utc).isoformat(), "version": "5.3"}
        self.ws.send(json.dumps({"header": header, "parent_header": {}, "metadata": {},
                                 "content": content, "channel": channel, "buffers": []}))
        return msg_id

    def _receive(self, deadline: float) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no answer from the kernel in time")
        self.ws.settimeout(remaining)
        try:
            raw = self.ws.recv()
        except websocket.WebSocketTimeoutException as err:
            raise TimeoutError("no answer from the kernel in time") from err
        except (websocket.WebSocketConnectionClosedException, ConnectionError) as err:
            raise KernelLost(f"the connection to the kernel closed: {err}") from err
        if isinstance(raw, bytes):  # binary frames carry buffers; widgets here send none we need
            return {}
        msg = json.loads(raw)
        if msg.get("msg_type") == "comm_open" and msg.get("channel") == "iopub":
            content = msg["content"]
            self.comms[content["comm_id"]] = content.get("data", {}).get("state", {})
        if msg.get("msg_type") == "status":
            state = msg["content"].get("execution_state")
            if state in ("restarting", "dead"):
                note = f"kernel {state}: the kernel died and " + (
                    "its server restarted it; every variable is gone, run the notebook again from the top"
                    if state == "restarting" else "could not be restarted; restart it from the Kernel menu")
                self.status_notes.append(note)
                raise KernelLost(note)
        return msg

    def wait(self, done: Callable[[dict[str, Any]], bool], timeout: float) -> dict[str, Any]:
        """Read messages until ``done(msg)`` is true; return that message."""
        deadline = time.monotonic() + timeout
        for _ in range(MAX_MESSAGES):
            msg = self._receive(deadline)
            if msg and done(msg):
                return msg
        raise TimeoutError("too many messages without the expected answer")

    def execute(self, code: str, timeout: float = 120) -> dict[str, Any]:
        """Run ``code``; return its outputs once the reply and the idle status are in.

        Raises
        ------
        CellError
            If the cell raised (the message names the exception).
        KernelLost, TimeoutError
        """
        msg_id = self.send("execute_request", {"code": code, "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False,
                                               "stop_on_error": True})
        outputs: list[dict[str, Any]] = []
        got = {"reply": None, "idle": False}

        def done(msg: dict[str, Any]) -> bool:
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                return False
            kind = msg.get("msg_type")
            if kind == "execute_reply":
                got["reply"] = msg["content"]
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                got["idle"] = True
            elif kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append(msg["content"])
            return got["reply"] is not None and got["idle"]

        self.wait(done, timeout)
        reply = got["reply"]
        if reply.get("status") != "ok":
            raise CellError(f"{reply.get('ename')}: {reply.get('evalue')}")
        return {"outputs": outputs, "reply": reply}

    def find_comm(self, model: str, description: str) -> str:
        """The comm id of a widget model (e.g. ``FloatSliderModel``) with this description."""
        for comm_id, state in self.comms.items():
            if state.get("_model_name") == model and state.get("description") == description:
                return comm_id
        raise LookupError(f"no {model} described {description!r} among {len(self.comms)} widgets")

    def move_slider(self, comm_id: str, value: float, timeout: float = 60) -> float:
        """Set a slider as the browser does and wait for the explorable's new frame.

        Returns the round trip in seconds: from sending the ``comm_msg`` update
        to receiving the PNG the kernel puts into the output area.
        """
        began = time.monotonic()
        msg_id = self.send("comm_msg", {"comm_id": comm_id,
                                        "data": {"method": "update", "state": {"value": value},
                                                 "buffer_paths": []}})
        got = {"frame": None, "idle": False}

        def done(msg: dict[str, Any]) -> bool:
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                return False
            kind = msg.get("msg_type")
            if kind == "display_data" and "image/png" in msg["content"].get("data", {}):
                got["frame"] = time.monotonic() - began
            elif kind == "error":
                raise CellError(f"slider update raised {msg['content'].get('ename')}: "
                                f"{msg['content'].get('evalue')}")
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                got["idle"] = True
                if got["frame"] is None:
                    raise RuntimeError("the slider moved but no new frame came back")
            return got["frame"] is not None and got["idle"]

        self.wait(done, timeout)
        return got["frame"]
