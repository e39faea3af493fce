"""The stack as the fork server's own client (issue 14): `ForkedProcess`, with real
processes. No client process per service: the stack's connection is the child's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests

from assistant import forkwire
from assistant.isolation import free_port, isolated
from assistant.settings import PROJECT_ROOT, Settings
from devtools.supervisor.files import PRIVATE_UMASK
from devtools.supervisor.forked_process import ForkedProcess
from devtools.supervisor.forking import fork_server_service
from devtools.supervisor.services import sms_environment, sms_gateway_service
from devtools.supervisor.stack import Service, Stack, python_module
from tests.support.fork_server import ENTRY, gone, start_fork_server


def forked(path: Path, log: Path, *argv: str) -> ForkedProcess:
    """`argv` run by the test entry in a child of the fork server at `path`, its
    output in `log`, as the stack starts a service."""
    with log.open("wb") as out, open(os.devnull, "rb") as devnull:
        process = ForkedProcess.start(
            path,
            argv,
            dict(os.environ),
            PROJECT_ROOT,
            PRIVATE_UMASK,
            fds=(devnull.fileno(), out.fileno(), out.fileno()),
        )
    assert process is not None
    return process


def sleeping(path: Path, log: Path) -> ForkedProcess:
    """A child that sleeps, once it is running the test entry."""
    process = forked(path, log, "sleep")
    deadline = time.monotonic() + 30
    while "sleeping" not in log.read_text():
        assert time.monotonic() < deadline and process.poll() is None, log.read_text()
        time.sleep(0.05)
    return process


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, killed but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_poll_and_wait_see_the_childs_exit_code(socket_path: Path, tmp_path: Path) -> None:
    process = forked(socket_path, tmp_path / "exit.log", "exit", "7")
    assert process.wait(60) == 7
    assert process.poll() == 7 and process.returncode == 7
    assert process.conn is None  # the connection is closed once the code is in


def test_poll_is_none_while_the_child_runs_and_wait_times_out(
    socket_path: Path, tmp_path: Path
) -> None:
    process = sleeping(socket_path, tmp_path / "sleep.log")
    assert process.poll() is None and alive(process.pid)
    with pytest.raises(subprocess.TimeoutExpired):
        process.wait(0.3)
    assert forkwire.children(socket_path) == {process.pid: os.getpid()}
    process.kill()
    assert process.wait(30) == -signal.SIGKILL
    assert gone(process.pid)


def test_terminate_reaches_the_child(socket_path: Path, tmp_path: Path) -> None:
    process = sleeping(socket_path, tmp_path / "sleep.log")
    process.terminate()
    assert process.wait(30) == -signal.SIGTERM
    assert gone(process.pid)


def test_closing_the_connection_kills_the_child(socket_path: Path, tmp_path: Path) -> None:
    process = sleeping(socket_path, tmp_path / "sleep.log")
    process.close()
    assert process.poll() == process.wait(1) == -signal.SIGKILL
    assert gone(process.pid)
    assert forkwire.children(socket_path) == {}


def test_a_killed_stack_leaves_no_child_behind(socket_path: Path, tmp_path: Path) -> None:
    """The stack's side killed with SIGKILL (no cleanup at all): its connection
    closes with it, and the child goes too."""
    log = tmp_path / "sleep.log"
    code = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(PROJECT_ROOT)!r})
        from pathlib import Path
        from tests.devtools.supervisor.test_forked_process import sleeping
        process = sleeping(Path({str(socket_path)!r}), Path({str(log)!r}))
        print(process.pid, flush=True)
        time.sleep(600)
        """
    )
    stack_side = subprocess.Popen(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    assert stack_side.stdout is not None
    child = int(stack_side.stdout.readline())
    assert alive(child)
    stack_side.kill()
    stack_side.wait(10)
    assert gone(child)
    assert forkwire.children(socket_path) == {}


def test_a_child_outlives_a_killed_fork_server_and_its_end_is_still_seen(tmp_path: Path) -> None:
    path = tmp_path / "run" / "fork.sock"
    server = start_fork_server(path)
    process = sleeping(path, tmp_path / "sleep.log")
    server.kill()
    server.wait(10)
    time.sleep(0.5)
    assert process.poll() is None and alive(process.pid)
    process.terminate()
    assert process.wait(30) == 1  # its code went with the fork server
    assert gone(process.pid)


def test_each_forked_service_has_its_own_environment_and_is_stopped_by_the_stack(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run" / "fork.sock"
    server = fork_server_service(path)
    server.command = [*server.command, "--entry", ENTRY]
    ports = {"a": free_port(), "b": free_port()}
    services = [
        Service(
            name,
            python_module("assistant", "serve", str(port)),
            f"http://127.0.0.1:{port}/health",
            env={"SECRET_A": "alpha"} if name == "a" else {"SECRET_B": "beta"},
            fork_socket=path,
        )
        for name, port in ports.items()
    ]
    with Stack([server, *services], log_dir=tmp_path / "logs") as stack:

        def get(name: str, what: str) -> str:
            return requests.get(f"http://127.0.0.1:{ports[name]}/{what}", timeout=5).text

        assert get("a", "env/SECRET_A") == "alpha" and get("b", "env/SECRET_A") == "<absent>"
        assert get("b", "env/SECRET_B") == "beta" and get("a", "env/SECRET_B") == "<absent>"
        assert get("a", "cwd") == str(PROJECT_ROOT)
        assert set(forkwire.children(path).values()) == {os.getpid()}
        first = services[0].process
        assert isinstance(first, ForkedProcess)
        stack.stop_service("a")  # SIGTERM to its group
        assert first.returncode == -signal.SIGTERM and gone(first.pid)
        assert services[1].process is not None and services[1].process.poll() is None
    assert gone(services[1].process.pid)


def test_without_a_fork_server_the_stack_runs_the_command_itself(tmp_path: Path) -> None:
    none = tmp_path / "none.sock"
    assert ForkedProcess.start(none, ["sleep"], {}, PROJECT_ROOT, PRIVATE_UMASK, (0, 1, 2)) is None
    settings = isolated(Settings.from_env(), var_dir=tmp_path / "var", council_ids=[])
    service = sms_gateway_service(settings, sms_environment(settings))
    service.fork_socket = none
    with Stack([service], log_dir=tmp_path / "logs"):
        assert isinstance(service.process, subprocess.Popen)
        assert requests.get(service.health_url, timeout=5).status_code == 200
    assert service.log_path is not None
    assert f"no fork server at {none}" in service.log_path.read_text()
