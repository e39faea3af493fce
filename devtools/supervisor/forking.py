"""The stack's Python services forked from one preloaded process (issue 14, memory).

Every `python -m assistant <command>` service is given the fork server's socket: the
stack asks the fork server (`assistant.forkserver`, the stack's first service) to run
its command in a forked child, and watches and stops that child as it would a process
of its own (`forked_process.ForkedProcess`; no client process per service); see
docs/architecture.md. Rasa is not forked: it imports TensorFlow, which nothing else
shares. ASSISTANT_FORK_SERVER=0 turns it off.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from assistant.settings import Settings
from devtools.supervisor.stack import UNIX_HEALTH, Service, python_module

FORK_SERVER = "forkserver"
MAX_SOCKET_PATH = 100  # a Unix socket's path is at most 107 bytes on Linux


def fork_socket(settings: Settings) -> Path:
    """The fork server's socket: in `<var dir>/run`, or in the temporary folder under a
    name made from the var dir when that path would be too long for a socket."""
    path = settings.var_dir.resolve() / "run" / "forkserver.sock"
    if len(str(path)) <= MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"assistant-{digest}" / "forkserver.sock"


def fork_server_service(socket_path: Path) -> Service:
    """The fork server, ready when it answers a ping (after its imports)."""
    return Service(
        name=FORK_SERVER,
        command=python_module("assistant", "fork-server", "--socket", str(socket_path)),
        health_url=f"{UNIX_HEALTH}{socket_path}",
        before_others=True,
    )


def forked(service: Service, socket_path: Path) -> Service:
    """`service` run through the fork server when it is a `python -m assistant` one."""
    if list(service.command[1:3]) != ["-m", "assistant"]:
        return service
    return replace(service, fork_socket=socket_path)


def enabled(settings: Settings) -> bool:
    return settings.environ.get("ASSISTANT_FORK_SERVER", "1") != "0"


def with_fork_server(services: Sequence[Service], settings: Settings) -> list[Service]:
    """The fork server first, then `services`, each `python -m assistant` one forked."""
    if not enabled(settings):
        return list(services)
    socket_path = fork_socket(settings)
    return [fork_server_service(socket_path), *(forked(s, socket_path) for s in services)]
