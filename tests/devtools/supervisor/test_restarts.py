"""Issue 10, finding 5: under `make run` one service stopping took the whole stack
down. Now a service that dies is restarted with back-off, and given up on (naming it
and its log) only after repeated quick failures. Issue 10, finding 11: every file
the stack makes is 0600."""

from __future__ import annotations

import os
import signal
import stat
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from assistant.database import make_engine
from assistant.isolation import free_port
from assistant.settings import Settings
from devtools.supervisor.restarts import RestartPolicy
from devtools.supervisor.schedule import Job
from devtools.supervisor.services import write_endpoints
from devtools.supervisor.stack import Service, Stack

SERVER = textwrap.dedent(
    """
    import http.server, pathlib, sys, threading, time
    pathlib.Path(sys.argv[2]).write_text("made by the service")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler
    )
    if len(sys.argv) > 3:  # live this long, then fail
        threading.Thread(target=server.serve_forever, daemon=True).start()
        time.sleep(float(sys.argv[3]))
        sys.exit(2)
    server.serve_forever()
    """
)
FAST = RestartPolicy(first_delay=0.2, factor=2.0, max_delay=1.0, max_quick_failures=2)


def server(name: str, made: Path, lives: float | None = None) -> Service:
    port = free_port()
    command = [sys.executable, "-c", SERVER, str(port), str(made)]
    if lives is not None:
        command.append(str(lives))
    return Service(name, command, f"http://127.0.0.1:{port}/")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def wait_for(condition: object, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_delay_doubles_up_to_the_cap() -> None:
    policy = RestartPolicy(first_delay=1, factor=2, max_delay=5)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 5]


def test_a_killed_service_is_restarted_and_logged(tmp_path: Path) -> None:
    service = server("nlg-like", tmp_path / "made.txt")
    stack = Stack([service], log_dir=tmp_path / "logs", restart=FAST)
    done = threading.Event()
    with stack:
        watcher = threading.Thread(target=stack.wait, args=(done.is_set,))
        watcher.start()
        try:
            assert service.process is not None
            first_pid = service.process.pid
            os.killpg(first_pid, signal.SIGKILL)
            log = tmp_path / "logs" / "supervisor.log"
            wait_for(lambda: log.exists() and "ready again" in log.read_text())
            assert service.process.pid != first_pid and service.process.poll() is None
        finally:
            done.set()
            watcher.join()
    notices = log.read_text()
    assert "[nlg-like] stopped unexpectedly (exit code -9); restarting in 0.2 s" in notices
    assert "[nlg-like] restarted" in notices


def test_repeated_quick_failures_are_given_up_naming_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flaky = server("flaky", tmp_path / "made.txt", lives=0.8)
    stack = Stack([flaky], log_dir=tmp_path / "logs", restart=FAST)
    with stack:
        assert stack.wait() == 2
    err = capsys.readouterr().err
    assert err.count("[flaky] restarted") == 2
    assert "[flaky] failed 2 times in a row" in err and "giving up" in err
    assert "flaky.log" in err


def test_a_service_stopped_on_purpose_is_not_restarted(tmp_path: Path) -> None:
    service = server("nlg", tmp_path / "made.txt")
    stack = Stack([service], log_dir=tmp_path / "logs", restart=FAST)
    with stack:
        stack.stop_service("nlg")
        for _ in range(5):
            assert stack.watch_once() is None
            time.sleep(0.1)
        assert service.process is not None and service.process.poll() is not None


def test_a_job_runs_at_start_and_then_every_interval(tmp_path: Path) -> None:
    marker = tmp_path / "runs.txt"
    command = [sys.executable, "-c", f"open({str(marker)!r}, 'a').write('x')"]
    stack = Stack([], log_dir=tmp_path / "logs", jobs=[Job("purge", command, every=0.5)])
    started = time.monotonic()
    stack.wait(until=lambda: time.monotonic() - started > 1.8)
    stack.stop()
    assert 3 <= len(marker.read_text()) <= 5
    assert mode(tmp_path / "logs" / "purge.log") == 0o600


def test_files_the_stack_and_its_services_make_are_private(tmp_path: Path) -> None:
    made = tmp_path / "data" / "made.txt"
    made.parent.mkdir()
    with Stack([server("writer", made)], log_dir=tmp_path / "logs"):
        pass
    assert mode(made) == 0o600  # the service's own files (SQLite, the SMS store...)
    assert mode(tmp_path / "logs" / "writer.log") == 0o600
    endpoints = write_endpoints(Settings.from_env(), tmp_path / "endpoints.yml", tmp_path / "t.db")
    assert mode(endpoints) == 0o600
    engine = make_engine(f"sqlite:///{tmp_path / 'db' / 'answers.db'}")
    with engine.connect():
        pass
    assert mode(tmp_path / "db" / "answers.db") == 0o600
