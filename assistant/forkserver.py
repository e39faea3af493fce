"""`python -m assistant fork-server`: start the Python services by forking them from
one process that has already imported what they all import (issue 14, memory).

Each service of the stack imports the same libraries (Sanic and rasa_sdk, aiohttp,
SQLAlchemy, Starlette, uvicorn, pydantic, yaml, requests): about 40 MiB of private
heap per process when each imports them itself. Forked from here, after
`gc.freeze()` (so the collector never writes to those objects and the pages stay
shared copy-on-write), they share them.

Nothing service-specific happens here before the fork: the child takes its client's
argv, environment (each action server's own secret), cwd, umask and standard
streams, then runs `python -m assistant <command>`'s entry, so each council's keys
and clients are still made in its own process. The server keeps no environment: a
request is dropped as soon as the child is forked. The client is the supervisor itself
(`devtools/supervisor/forked_process.py`: one connection per service), or
`python -m assistant.forked` on the command line.

A child lives as long as its client's connection: it is killed when the connection
closes (the supervisor stopped or killed), and its exit code goes back to the client.
It does not die with the fork server (no PR_SET_PDEATHSIG), so a fork server that
crashes or is killed by the OOM killer takes no running service with it; only its exit
code is lost (the client then reports 1).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import selectors
import signal
import socket
import struct
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

from assistant.forkwire import read_request, send_line

# What the services import, including what they import lazily once running (the
# command-line modules, uvicorn's loop and protocols, sqlite3, the action packages):
# a module first imported in a child is that child's private memory. devtools' fakes
# only where the tooling is installed.
PRELOAD = (
    "assistant.cli",
    "assistant.insight.commands",
    "assistant.migrations.commands",
    "assistant.migrations.schema",
    "assistant.privacy.commands",
    "assistant.staff.commands",
    "assistant.routing.action_server",
    "assistant.routing.router",
    "assistant.answers.server",
    "assistant.staff.server",
    "assistant.web.server",
    "assistant.safety",
    "assistant.councils.placing",
    "assistant.postcodes.areas",
    "assistant.backoffice.deadline",
    "sqlite3",
    "uvicorn.lifespan.on",
    "uvicorn.loops.auto",
    "uvicorn.loops.uvloop",
    "uvicorn.protocols.http.auto",
    "uvicorn.protocols.http.httptools_impl",
    "devtools.commands",
    "devtools.demo_backoffice.server",
    "devtools.fake_sms.server",
)
ACTION_PACKAGE = "actions"  # every module of it, as rasa_sdk's executor imports them
ENTRY = "assistant.cli:main"  # what `python -m assistant` runs; the tests give their own
STOP_GRACE = 8.0  # seconds the children get to stop on their own (the stack waits 10)


def preload(modules: tuple[str, ...] = PRELOAD) -> None:
    """Import what the services share, then freeze it out of the collector's reach."""
    for name in [*modules, *action_modules()]:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if not (name + ".").startswith((error.name or "") + "."):
                raise  # the module is there but something it needs is missing
    gc.collect()
    gc.freeze()


def action_modules() -> list[str]:
    """The action package's modules (none where it is not installed)."""
    import pkgutil

    try:
        package = importlib.import_module(ACTION_PACKAGE)
    except ModuleNotFoundError:
        return []
    found = pkgutil.walk_packages(package.__path__, prefix=ACTION_PACKAGE + ".")
    return [module.name for module in found]


class ForkServer:
    """Accepts requests on a private Unix socket and forks one child per `run`."""

    def __init__(self, path: Path, entry: str = ENTRY) -> None:
        self.path = path
        self.entry = entry
        self.children: dict[int, tuple[socket.socket, int]] = {}  # pid: (conn, client pid)
        self.stopping = False
        self.listener = listen(path)
        self.selector = selectors.DefaultSelector()

    def serve(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.selector.register(self.listener, selectors.EVENT_READ)
        print(f"Fork server on {self.path} (pid {os.getpid()})", flush=True)
        while not self.stopping:
            if self.selector.select(timeout=0.2):
                self._accept()
            self._reap()
        self.selector.close()
        self._close_listener()
        return self._drain()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _close_listener(self) -> None:
        self.listener.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _drain(self) -> int:
        """Wait for the children (their clients are being stopped too), then end them."""
        deadline = time.monotonic() + STOP_GRACE
        while self.children and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.1)
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        while self.children:
            self._reap()
            time.sleep(0.05)
        return 0

    def _accept(self) -> None:
        conn, _ = self.listener.accept()
        conn.settimeout(5.0)  # a client that stalls mid-request must not stall us
        try:
            request, fds = read_request(conn)
        except (OSError, ValueError) as error:
            print(f"Fork server: bad request ({error.__class__.__name__})", flush=True)
            conn.close()
            return
        try:
            self._answer(conn, request, fds)
        except OSError:
            conn.close()  # the client went away (a ping that timed out): not our end
        finally:
            for fd in fds:
                os.close(fd)

    def _answer(self, conn: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
        op = request.get("op")
        if op == "ping":
            send_line(conn, "pong")
            conn.close()
        elif op == "children":
            by_child = {pid: client for pid, (_, client) in self.children.items()}
            send_line(conn, json.dumps(by_child))
            conn.close()
        elif op == "run" and len(fds) == 3:
            client_pid = peer_pid(conn)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                self._child(conn, request, fds)  # never returns
            del request  # the child's environment is its own: keep none of it
            self.children[pid] = (conn, client_pid)
            with contextlib.suppress(OSError):
                send_line(conn, f"pid {pid}")
        else:
            send_line(conn, "error bad request")
            conn.close()

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn, _ = self.children.pop(pid, (None, 0))
            if conn is not None:
                with contextlib.suppress(OSError):
                    send_line(conn, f"exit {os.waitstatus_to_exitcode(status)}")
                conn.close()

    def _child(self, conn: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
        code = 1
        try:
            self._become_service(conn, request, fds)
            module, function = self.entry.split(":")
            code = run_entry(getattr(importlib.import_module(module), function), request["argv"])
        finally:
            with contextlib.suppress(BaseException):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)

    def _become_service(self, conn: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
        """Turn this fresh child into the client's process: as `subprocess.Popen` with
        `start_new_session` would have started it, only already past its imports."""
        os.setsid()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self.selector.close()
        self.listener.close()
        for other, _ in self.children.values():
            other.close()  # other clients must see their own child's end, not ours
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)  # received without close-on-exec: not for the service's children
        os.chdir(request["cwd"])
        os.umask(request["umask"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["python -m assistant", *request["argv"]]
        conn.settimeout(None)
        threading.Thread(target=watch_client, args=(conn,), daemon=True).start()


def run_entry(main: Any, argv: list[str]) -> int:
    """Run `python -m assistant argv`'s entry as `python -m` would: its exit code,
    a traceback on standard error for an uncaught exception, atexit handlers run."""
    import atexit
    import traceback

    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except KeyboardInterrupt:
        code = 128 + signal.SIGINT
    except BaseException:
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    return int(code or 0)


def watch_client(conn: socket.socket) -> None:
    """In the child: deliver the signals the client relays, and kill this process's
    group at once when the client is gone. A client ends only after its child (it waits
    for the exit code), or when it is killed: then the child goes the same way, as
    SIGKILL to a process group takes a service started by `Popen`. With a grace period
    here, an action server the stack had stopped lived on for seconds beside the one
    started in its place, and calls on connections the router kept alive to it failed
    (tests/e2e/test_security_backoffice_writes.py)."""
    buffered = b""
    while True:
        try:
            data = conn.recv(64)
        except OSError:
            data = b""
        if not data:
            break
        buffered += data
        *lines, buffered = buffered.split(b"\n")
        for line in lines:
            if line.startswith(b"signal ") and line[7:].isdigit():
                os.kill(os.getpid(), int(line[7:]))
    os.killpg(os.getpid(), signal.SIGKILL)


def peer_pid(conn: socket.socket) -> int:
    """The pid of the process at the other end of a Unix socket (the client)."""
    credentials = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return int(struct.unpack("3i", credentials)[0])


def listen(path: Path) -> socket.socket:
    """A Unix socket at `path` only this user can connect to (0600, in a 0700 folder
    when the server makes it); a stale socket left by a killed server is replaced."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    previous = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(previous)
    path.chmod(0o600)
    listener.listen(64)
    return listener


def serve(path: Path, entry: str = ENTRY) -> int:
    """Preload, then serve until SIGTERM."""
    server = ForkServer(path, entry)  # listening first: a client that connects early waits
    preload()
    return server.serve()
