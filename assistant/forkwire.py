"""The fork server's wire protocol, shared by the server (`assistant.forkserver`), its
clients (the supervisor's `devtools/supervisor/forked_process.py`, and
`assistant.forked` on the command line) and the supervisor's health check.

A request is a 4-byte length, sent with the file descriptors when there are any
(SCM_RIGHTS), then that many bytes of JSON; answers are lines. A `run` request (argv,
env, cwd, umask, and stdin, stdout and stderr as its three descriptors) is answered
`pid <pid>`, then `exit <code>` when the child ends (negative: killed by that signal);
meanwhile the client may write `signal <number>` lines, which the child reads. The
connection is the child's lifeline: when the client's end closes, the child's process
group is killed. `children` is answered with the running children's pids, each with
its client's pid (one client may have several).
"""

from __future__ import annotations

import json
import os
import socket
import struct
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

HEADER = struct.Struct("!I")
MAX_REQUEST = 1 << 20
CONNECT_TRIES = 5  # 1 s in all: the fork server may be restarting (make run)


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


def start_run(
    conn: socket.socket,
    argv: Sequence[str],
    env: Mapping[str, str],
    cwd: str,
    umask: int,
    fds: Sequence[int],
) -> int:
    """Have the fork server fork a child running `argv` with this environment, folder,
    umask and standard streams (`fds`: stdin, stdout, stderr): the child's pid. Reads
    no further than the `pid` line, so the caller reads the `exit` line its own way."""
    request = {"op": "run", "argv": list(argv), "env": dict(env), "cwd": cwd, "umask": umask}
    send_request(conn, request, fds=fds)
    line = b""
    while not line.endswith(b"\n"):
        byte = conn.recv(1)
        if not byte:
            raise OSError("the fork server closed the connection before starting the command")
        line += byte
    pid = answer_value(line, b"pid")
    if pid is None:
        raise OSError(f"the fork server did not start the command: {line.decode(errors='replace')}")
    return pid


def answer_value(line: bytes, word: bytes) -> int | None:
    """The number in an answer line `<word> <number>`, or None for any other line."""
    parts = line.split()
    if len(parts) == 2 and parts[0] == word and parts[1].lstrip(b"-").isdigit():
        return int(parts[1])
    return None


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
    """The fork server's running children, each with the pid of its client ({} when
    none answers)."""
    answer = ask(path, "children")
    return {int(child): client for child, client in json.loads(answer or "{}").items()}
