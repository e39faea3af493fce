"""A real fork server for tests, whose children run `tests.support.fork_entry`."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import forkwire
from assistant.settings import PROJECT_ROOT
from devtools.supervisor.stack import python_module

ENTRY = "tests.support.fork_entry:main"


def start_fork_server(path: Path) -> subprocess.Popen[bytes]:
    """A fork server at `path` whose children run the test entry, once it answers."""
    command = python_module("assistant", "fork-server", "--socket", str(path), "--entry", ENTRY)
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, start_new_session=True)
    deadline = time.monotonic() + 120
    while not forkwire.ping(path):
        assert server.poll() is None, "the fork server exited"
        assert time.monotonic() < deadline, "the fork server did not answer"
        time.sleep(0.2)
    return server


@pytest.fixture()
def socket_path(tmp_path: Path) -> Iterator[Path]:
    """A fork server whose children run the test entry; stopped (SIGTERM) after."""
    path = tmp_path / "run" / "fork.sock"
    server = start_fork_server(path)
    yield path
    server.terminate()
    assert server.wait(20) == 0
    assert not path.exists()


def gone(pid: int, timeout: float = 15) -> bool:
    """True once no process `pid` is left (not even a zombie), within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            return True
        time.sleep(0.1)
    return False
