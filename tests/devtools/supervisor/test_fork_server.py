"""The fork server (issue 14): services forked from one preloaded process, with real
processes. Here the client is `python -m assistant.forked` (the command line's); the
stack's own connection is tests/devtools/supervisor/test_forked_process.py."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import requests

from assistant import forkwire
from assistant.isolation import free_port
from assistant.settings import PROJECT_ROOT, Settings
from devtools.benchmarks.machine import process_tree, service_processes
from devtools.supervisor.forked_process import ForkedProcess
from devtools.supervisor.forking import FORK_SERVER, fork_server_service, fork_socket
from devtools.supervisor.forking import forked as fork
from devtools.supervisor.services import RASA_ENTRY
from devtools.supervisor.stack import Service, Stack, python_module
from tests.support.fork_server import ENTRY, gone, start_fork_server


def client(path: Path, *argv: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    command = python_module("assistant.forked", "--socket", str(path), "--", *argv)
    return subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def child_of(path: Path, client_pid: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child, client in forkwire.children(path).items():
            if client == client_pid:
                return child
        time.sleep(0.1)
    raise AssertionError("no child for the client")


def test_the_socket_is_private(socket_path: Path) -> None:
    assert socket_path.stat().st_mode & 0o777 == 0o600


def test_a_child_has_its_clients_environment_and_no_other(socket_path: Path) -> None:
    first = client(socket_path, "env", "SECRET_A", env={"SECRET_A": "alpha"})
    second = client(socket_path, "env", "SECRET_A", env={"SECRET_B": "beta"})
    assert first.communicate(timeout=60)[0].strip() == "alpha"
    assert second.communicate(timeout=60)[0].strip() == "<absent>"
    assert first.returncode == second.returncode == 0


def test_the_client_exits_with_the_childs_code(socket_path: Path) -> None:
    assert client(socket_path, "exit", "7").wait(60) == 7


def test_sigterm_to_the_client_reaches_the_child(socket_path: Path) -> None:
    sleeper = client(socket_path, "sleep")
    child = child_of(socket_path, sleeper.pid)
    sleeper.send_signal(signal.SIGTERM)
    assert sleeper.wait(30) == -signal.SIGTERM
    assert gone(child)


def test_killing_the_clients_group_leaves_no_child(socket_path: Path) -> None:
    sleeper = client(socket_path, "sleep")
    child = child_of(socket_path, sleeper.pid)
    os.killpg(sleeper.pid, signal.SIGKILL)
    sleeper.wait(10)
    assert gone(child)
    assert forkwire.children(socket_path) == {}


def test_without_a_fork_server_the_client_runs_the_command_itself(tmp_path: Path) -> None:
    alone = client(tmp_path / "none.sock", "councils")
    out, err = alone.communicate(timeout=120)
    assert alone.returncode == 0
    assert "no fork server" in err and "brackenbury" in out


def test_a_forked_service_answers_and_is_counted_with_its_child(tmp_path: Path) -> None:
    path, port = tmp_path / "run" / "fork.sock", free_port()
    server = fork_server_service(path)
    server.command = [*server.command, "--entry", ENTRY]
    service = Service("probe", python_module("assistant", "serve", str(port)), "")
    service = fork(service, path)
    service.health_url = f"http://127.0.0.1:{port}/health"
    with Stack([server, service], log_dir=tmp_path / "logs") as stack:
        assert requests.get(service.health_url, timeout=5).text == "ok"
        processes = service_processes(stack)
        assert isinstance(service.process, ForkedProcess)
        child = service.process.pid
        assert forkwire.children(path) == {child: os.getpid()}  # the stack is its client
        assert processes["probe"] == [child]
        assert processes[FORK_SERVER] == [stack.services[0].process.pid]  # type: ignore[union-attr]
        everything = set(process_tree(os.getpid())) - {os.getpid()}
        counted = [pid for pids in processes.values() for pid in pids]
        assert sorted(counted) == sorted(everything)  # every process, each once
    assert gone(child)


def test_every_python_service_but_rasa_is_forked_from_the_first(tmp_path: Path) -> None:
    from devtools.supervisor.services import assistant_services

    settings = Settings.from_env({"ASSISTANT_VAR_DIR": str(tmp_path)})
    services = assistant_services(settings, tmp_path / "endpoints.yml")
    assert services[0].name == FORK_SERVER and services[0].before_others
    assert services[0].fork_socket is None
    for service in services[1:]:
        assert service.command[2] == (RASA_ENTRY if service.name == "rasa" else "assistant")
        forked = None if service.name == "rasa" else fork_socket(settings)
        assert service.fork_socket == forked, service.name
    off = Settings.from_env({"ASSISTANT_VAR_DIR": str(tmp_path), "ASSISTANT_FORK_SERVER": "0"})
    services = assistant_services(off, tmp_path / "e.yml")
    assert FORK_SERVER not in [s.name for s in services]
    assert all(s.fork_socket is None for s in services)


def test_a_socket_path_too_long_for_linux_moves_to_the_temporary_folder(tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 120)
    path = fork_socket(Settings.from_env({"ASSISTANT_VAR_DIR": str(deep)}))
    assert len(str(path)) <= 107 and path.name == "forkserver.sock"


def test_a_child_outlives_a_killed_fork_server_and_still_ends_with_its_client(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run" / "fork.sock"
    server = start_fork_server(path)
    sleeper = client(path, "sleep")
    child = child_of(path, sleeper.pid)
    server.kill()
    server.wait(10)
    time.sleep(1)
    assert sleeper.poll() is None and Path(f"/proc/{child}").exists()
    sleeper.send_signal(signal.SIGTERM)
    assert sleeper.wait(30) == 1  # the exit code went with the fork server
    assert gone(child)
