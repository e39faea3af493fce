"""A service forked by the fork server for the supervisor itself (issue 14, memory).

The stack is the fork server's client: for each forked service it opens one
connection to the fork server's socket, sends the run request (argv, environment,
cwd, umask, and the log file and /dev/null it would have given `subprocess.Popen`),
and keeps the connection, on which the child's exit code arrives. `ForkedProcess`
offers the part of `Popen`'s interface the stack uses. There is no client process per
service any more (it cost about 5 MiB PSS each).

The connection is the child's lifeline: the child (its own session and process group,
as with `start_new_session`) kills its group when the connection closes, so a stack
that is killed, even with SIGKILL, leaves no service behind. The connection is
close-on-exec, so no other process the stack starts holds it open.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from assistant import forkwire
from devtools.supervisor.files import PRIVATE_UMASK

START_TIMEOUT = 30.0  # seconds for the fork server to answer a run request with the pid
LOST = 1  # the exit code when the fork server went away before the child's code came


class ForkedProcess:
    """A child of the fork server, watched and stopped like a `subprocess.Popen`."""

    def __init__(self, conn: socket.socket, pid: int, args: Sequence[str]) -> None:
        self.conn: socket.socket | None = conn
        self.pid = pid  # also its process group's id (the child is a session leader)
        self.args = list(args)
        self.returncode: int | None = None
        self._unread = b""

    @classmethod
    def start(
        cls,
        path: Path,
        argv: Sequence[str],
        env: Mapping[str, str],
        cwd: Path,
        umask: int,
        fds: Sequence[int],
    ) -> ForkedProcess | None:
        """`python -m assistant argv` forked by the fork server at `path`, with `fds` as
        its stdin, stdout and stderr; None when no fork server answers there or it
        did not start the command (the caller then starts the command itself)."""
        conn = forkwire.connect(path)
        if conn is None:
            return None
        try:
            conn.settimeout(START_TIMEOUT)
            pid = forkwire.start_run(conn, argv, env, str(cwd), umask, fds)
        except (OSError, ValueError):
            conn.close()  # a child forked all the same is killed by this
            return None
        return cls(conn, pid, argv)

    @classmethod
    def service(
        cls, path: Path, argv: Sequence[str], env: Mapping[str, str], cwd: Path, output: int
    ) -> ForkedProcess | None:
        """A service's `python -m assistant argv` forked as `subprocess.Popen` would
        start it for the stack: stdin /dev/null, stdout and stderr `output` (its log),
        files it makes 0600; None when no fork server answers (the log says so)."""
        with open(os.devnull, "rb") as devnull:
            fds = (devnull.fileno(), output, output)
            process = cls.start(path, argv, env, cwd, PRIVATE_UMASK, fds)
        if process is None:
            note = f"supervisor: no fork server at {path}; running the command\n"
            os.write(output, note.encode())
        return process

    def poll(self) -> int | None:
        """The exit code if the child has ended, else None (without waiting)."""
        if self.returncode is None and self.conn is not None:
            self._read(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """The exit code once the child has ended; `subprocess.TimeoutExpired` after
        `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.returncode is None:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            self._read(remaining)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        """Signal the child (not its group), unless it is known to have ended."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def close(self) -> None:
        """Close the connection: a child still running is killed (SIGKILL to its group,
        so its exit code is that, though it may take a moment to go)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.returncode is None:
            self.returncode = -signal.SIGKILL

    def _read(self, timeout: float | None) -> None:
        """Read what the fork server sent, waiting up to `timeout` seconds (None:
        until something comes), and take the exit code when it is there."""
        assert self.conn is not None
        self.conn.settimeout(timeout)
        try:
            data = self.conn.recv(256)
        except (BlockingIOError, TimeoutError):
            return
        except OSError:
            data = b""
        if not data:
            # The fork server ended before the child did: the child's end of this
            # connection (it holds one) closed with it, so the child is gone too.
            self._ended(LOST)
            return
        *lines, self._unread = (self._unread + data).split(b"\n")
        for line in lines:
            code = forkwire.answer_value(line, b"exit")
            if code is not None:
                self._ended(code)
                return

    def _ended(self, code: int) -> None:
        self.returncode = code
        self.close()

    def __repr__(self) -> str:
        return f"ForkedProcess(pid={self.pid}, returncode={self.returncode})"
