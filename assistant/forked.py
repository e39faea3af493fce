"""`python -m assistant.forked --socket PATH -- <command> <args>`: run
`python -m assistant <command> <args>` as a child of the fork server
(`assistant.forkserver`), sharing its imported libraries, or in this process when
there is no fork server.

A command-line client, for running one command by hand beside a running stack (the
stack itself talks to the fork server from its own process, with no client process per
service: `devtools/supervisor/forked_process.py`). It hands its argv, environment,
cwd, umask and standard streams to the fork server, relays SIGTERM, SIGINT and SIGHUP
to the child, and exits with the child's exit code; when it dies, the child ends too
(it watches this connection). It imports only the standard library.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from assistant.forkwire import answer_value, connect, send_line, start_run

RELAYED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def run_forked(conn: socket.socket, argv: list[str]) -> int:
    """Have the fork server run `argv` and wait for its exit code (a negative code: it
    was killed by that signal, as `subprocess` reports it)."""
    umask = os.umask(0)
    os.umask(umask)
    start_run(conn, argv, os.environ, os.getcwd(), umask, fds=(0, 1, 2))

    def relay(signum: int, frame: FrameType | None) -> None:
        try:
            send_line(conn, f"signal {signum}")
        except OSError:
            pass  # the child is gone: its exit code is on its way

    for sig in RELAYED:
        signal.signal(sig, relay)
    code = answer_value(conn.makefile("rb").readline(), b"exit")
    if code is not None:
        return code
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
