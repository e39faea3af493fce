"""The supervisor's console: readiness lines for people, each service's own output in
its log file, and the last log lines of a service that fails."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from assistant.isolation import free_port
from devtools.supervisor.stack import Service, Stack, StackError

NOISY_SERVER = textwrap.dedent(
    """
    import http.server, sys, warnings
    warnings.warn("old_api() is deprecated", DeprecationWarning)
    print("starting up: lots of detail", flush=True)
    http.server.ThreadingHTTPServer(
        ("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler
    ).serve_forever()
    """
)
FAILING = "import sys; print('config'); print('boom: no such table', file=sys.stderr); sys.exit(3)"


def noisy_service(name: str) -> Service:
    port = free_port()
    command = [sys.executable, "-W", "always", "-c", NOISY_SERVER, str(port)]
    return Service(name, command, f"http://127.0.0.1:{port}/")


def test_the_console_gets_readiness_and_the_log_gets_the_noise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Stack([noisy_service("alpha"), noisy_service("beta")], log_dir=tmp_path):
        pass
    console = capsys.readouterr()
    assert "Starting 2 services" in console.out
    assert [line.split()[1] for line in console.out.splitlines() if "ready" in line] == [
        "alpha",
        "beta",
    ]
    assert "deprecated" not in console.out + console.err
    for name in ("alpha", "beta"):
        log = (tmp_path / f"{name}.log").read_text()
        assert "old_api() is deprecated" in log and "starting up" in log


def test_a_service_that_dies_while_starting_shows_its_last_log_lines(tmp_path: Path) -> None:
    dying = Service("dying", [sys.executable, "-c", FAILING], "http://127.0.0.1:9/")
    with pytest.raises(StackError) as error:
        Stack([dying], log_dir=tmp_path).start(timeout=30)
    assert "exited with code 3" in str(error.value)
    assert "boom: no such table" in str(error.value)


def test_a_service_that_dies_later_is_reported_with_its_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    service = noisy_service("gamma")
    stack = Stack([service], log_dir=tmp_path)
    with stack:
        assert service.process is not None
        service.process.terminate()
        code = stack.wait()
    assert code != 0
    err = capsys.readouterr().err
    assert "gamma stopped unexpectedly" in err and "starting up: lots of detail" in err


def test_services_log_under_the_var_dir_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    assert Stack([]).log_dir == tmp_path / "log"


ERRING_SERVER = textwrap.dedent(
    """
    import http.server, sys, threading, time
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    time.sleep(1)
    print("12:00:01 INFO     all is well", flush=True)
    print("12:00:02 ERROR    rasa.core - could not open the tracker store", flush=True)
    time.sleep(1.5)
    sys.exit(1)
    """
)


def test_errors_a_running_service_logs_reach_the_console(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    command = [sys.executable, "-c", ERRING_SERVER, str(port)]
    stack = Stack([Service("delta", command, f"http://127.0.0.1:{port}/")], log_dir=tmp_path)
    with stack:
        assert stack.wait() == 1
    err = capsys.readouterr().err
    assert "[delta] 12:00:02 ERROR    rasa.core - could not open the tracker store" in err
    assert "[delta] 12:00:01 INFO" not in err
