"""`python -m assistant.forked --socket PATH -- <command> <args>`: run
`python -m assistant <command> <args>` as a child of the fork server
(`assistant.forkserver`), sharing its imported libraries, or in this process when
there is no fork server.

This is the process the stack starts, watches and stops for a service: it hands its
argv, environment, cwd, umask and standard streams to the fork server, relays SIGTERM,
SIGINT and SIGHUP to the child, and exits with the child's exit code; when it dies,
the child ends too (it watches this connection). It imports only the standard
library, so it costs a few MiB; the service's libraries are the fork server's.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

HEADER = struct.Struct("!I")
MAX_REQUEST = 1 << 20
CONNECT_TRIES = 5  # 1 s in all: the fork server may be restarting (make run)
RELAYED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def send_request(conn: socket.socket, request: dict[str, Any], fds: Sequence[int] = ()) -> None:
    """A request: its length (with the file descriptors, if any), then its JSON."""
    body = json.dumps(request).encode()
    if fds:
        socket.send_fds(conn, [HEADER.pack(len(body))], list(fds))
    else:
        conn.sendall(HEADER.pack(len(body)))
    conn.sendall(body)


def read_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The request and the file descriptors sent with it (the caller closes them)."""
    head, fds, _, _ = socket.recv_fds(conn, HEADER.size, 3)
    try:
        head += _read_exactly(conn, HEADER.size - len(head))
        (size,) = HEADER.unpack(head)
        if size > MAX_REQUEST:
            raise ValueError("request too large")
        request = json.loads(_read_exactly(conn, size))
        if not isinstance(request, dict):
            raise ValueError("request is not an object")
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return request, fds


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ValueError("connection closed mid-request")
        data += chunk
    return data


def send_line(conn: socket.socket, line: str) -> None:
    conn.sendall(line.encode() + b"\n")


def connect(path: Path, tries: int = CONNECT_TRIES) -> socket.socket | None:
    """A connection to the fork server at `path`, or None when none answers there."""
    for attempt in range(tries):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(str(path))
            return conn
        except OSError:
            conn.close()
            if attempt + 1 < tries:
                time.sleep(0.2)
    return None


def ask(path: Path, op: str, timeout: float = 2.0) -> str | None:
    """One line answered by the fork server to `op` (ping, children), or None."""
    conn = connect(path, tries=1)
    if conn is None:
        return None
    with conn:
        conn.settimeout(timeout)
        try:
            send_request(conn, {"op": op})
            return conn.makefile("r").readline().strip() or None
        except OSError:
            return None


def ping(path: Path) -> bool:
    """True when a fork server answers at `path` (it has finished its imports)."""
    return ask(path, "ping") == "pong"


def children(path: Path) -> dict[int, int]:
    """The fork server's children by the pid of their client ({} when none answers)."""
    answer = ask(path, "children")
    return {int(client): pid for client, pid in json.loads(answer or "{}").items()}


def run_forked(conn: socket.socket, argv: list[str]) -> int:
    """Have the fork server run `argv` and wait for its exit code (a negative code: it
    was killed by that signal, as `subprocess` reports it)."""
    umask = os.umask(0)
    os.umask(umask)
    request = {"op": "run", "argv": argv, "env": dict(os.environ), "cwd": os.getcwd()}
    send_request(conn, {**request, "umask": umask}, fds=(0, 1, 2))
    lines = conn.makefile("rb")
    first = lines.readline().split()
    if len(first) != 2 or first[0] != b"pid":
        raise OSError("the fork server did not start the command")

    def relay(signum: int, frame: FrameType | None) -> None:
        try:
            send_line(conn, f"signal {signum}")
        except OSError:
            pass  # the child is gone: its exit code is on its way

    for sig in RELAYED:
        signal.signal(sig, relay)
    last = lines.readline().split()
    if len(last) == 2 and last[0] == b"exit":
        return int(last[1])
    print("forked: lost the fork server before the command's exit code", file=sys.stderr)
    return 1


def exit_as(code: int) -> int:
    """Exit as the child did: by the same signal when it was killed by one."""
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
        return 128 - code
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 3 or args[0] != "--socket" or "--" not in args:
        print("usage: python -m assistant.forked --socket PATH -- <command> ...", file=sys.stderr)
        return 2
    path, command = Path(args[1]), args[args.index("--") + 1 :]
    conn = connect(path)
    if conn is not None:
        try:
            return exit_as(run_forked(conn, command))
        except OSError as error:
            print(f"forked: the fork server failed ({error}); running here", file=sys.stderr)
    else:
        print(f"forked: no fork server at {path}; running the command here", file=sys.stderr)
    from assistant.cli import main as assistant_main

    return assistant_main(command)


if __name__ == "__main__":
    raise SystemExit(main())
