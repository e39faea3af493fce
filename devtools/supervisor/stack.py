"""Starting, watching and stopping a set of processes (a stack).

Each service is a real process on a real port, ready once its health URL
answers, and stopped (with its children) when the stack stops. Which services
the assistant has is `devtools.supervisor.services`.

A service's own output (deprecation warnings, access logs) goes to
`<log_dir>/<service>.log` (`var/log/` by default). The console gets one line per
service when it is ready, every line a service logs at ERROR or CRITICAL level, and
the last log lines of a service that dies.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

import requests

from assistant.settings import PROJECT_ROOT, Settings

# Quiet, download-free defaults for every process we start.
QUIET_ENV = {
    "LOG_LEVEL": "WARNING",  # also switches off Rasa's per-epoch progress bars
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "HF_HUB_OFFLINE": "1",
    "RASA_TELEMETRY_ENABLED": "false",  # never send usage events anywhere
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",  # Rasa 3.6 is written for SQLAlchemy 1.4
    "PYTHONUNBUFFERED": "1",
}
LOG_TAIL_LINES = 30
ERROR_LINE = re.compile(rb"\b(ERROR|CRITICAL)\b")
WAITING_NOTE_EVERY = 15.0  # seconds between "still waiting" lines while a service starts


def default_log_dir() -> Path:
    """Where services log unless told otherwise: `<var dir>/log` (ASSISTANT_VAR_DIR)."""
    return Settings.from_env().var_dir / "log"


def say(line: str) -> None:
    """Print one progress line at once."""
    print(line, flush=True)


class StackError(RuntimeError):
    """A service did not start or stopped unexpectedly."""


@dataclass
class Service:
    """One process of the stack and how to tell that it is ready."""

    name: str
    command: Sequence[str]
    health_url: str
    env: Mapping[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    log_read: int = 0  # how far the log has been scanned for errors


def python_module(module: str, *args: str) -> list[str]:
    """A command running `python -m module args` with this interpreter."""
    return [sys.executable, "-m", module, *args]


class Stack:
    """A set of services started in order and stopped together."""

    def __init__(
        self,
        services: Sequence[Service],
        log_dir: Path | None = None,
        env: Mapping[str, str] | None = None,
        progress: Callable[[str], None] = say,
        settings: Settings | None = None,
    ) -> None:
        self.services = list(services)
        self.log_dir = log_dir if log_dir is not None else default_log_dir()
        base = (settings or Settings.from_env()).environ
        self.env = {**base, **QUIET_ENV, **(env or {})}
        self.progress = progress

    def start(self, timeout: float = 180.0) -> None:
        """Start every service and wait until each answers its health URL."""
        self.progress(
            f"Starting {len(self.services)} services; their output goes to "
            f"{shown_path(self.log_dir)}/<service>.log"
        )
        started = time.monotonic()
        try:
            for service in self.services:
                self._spawn(service)
            for service in self.services:
                self._wait_ready(service, timeout)
                self.progress(
                    f"  ready  {service.name:<22} {_origin(service.health_url):<26} "
                    f"({time.monotonic() - started:.1f} s)"
                )
        except BaseException:
            self.stop()
            raise

    def stop(self, grace: float = 10.0) -> None:
        """Stop every service still running: SIGTERM to its group, then SIGKILL."""
        for service in reversed(self.services):
            process = service.process
            if process is None or process.poll() is not None:
                continue
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for service in reversed(self.services):
            process = service.process
            if process is None:
                continue
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()

    def stop_service(self, name: str, grace: float = 10.0) -> None:
        """Stop one service (as an outage would), leaving the others running."""
        process = self._named(name).process
        if process is None or process.poll() is not None:
            return
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()

    def start_service(self, name: str, timeout: float = 60.0) -> None:
        """Start one stopped service again and wait until it answers."""
        service = self._named(name)
        self._spawn(service)
        self._wait_ready(service, timeout)

    def _named(self, name: str) -> Service:
        for service in self.services:
            if service.name == name:
                return service
        raise KeyError(f"no service {name!r} in this stack")

    def wait(self) -> int:
        """Block until any service exits; say which, with its last log lines, and
        return its exit code."""
        while True:
            for service in self.services:
                if service.process is not None and service.process.poll() is not None:
                    code = service.process.returncode
                    print(
                        f"{service.name} stopped unexpectedly (exit code {code})"
                        f"{self._log_tail(service)}",
                        file=sys.stderr,
                        flush=True,
                    )
                    return code
                self._echo_errors(service)
            time.sleep(0.5)

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _spawn(self, service: Service) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        restarted = service.log_path is not None  # a restart keeps the earlier log
        service.log_path = self.log_dir / f"{service.name}.log"
        with service.log_path.open("ab" if restarted else "wb") as output:
            service.process = subprocess.Popen(
                list(service.command),
                cwd=PROJECT_ROOT,
                env={**self.env, **service.env},
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _wait_ready(self, service: Service, timeout: float) -> None:
        begun = time.monotonic()
        deadline, next_note = begun + timeout, begun + WAITING_NOTE_EVERY
        assert service.process is not None
        while time.monotonic() < deadline:
            if service.process.poll() is not None:
                raise StackError(
                    f"{service.name} exited with code {service.process.returncode} while "
                    f"starting{self._log_tail(service)}"
                )
            try:
                if requests.get(service.health_url, timeout=2).status_code < 500:
                    return
            except requests.RequestException:
                pass
            self._echo_errors(service)
            if time.monotonic() >= next_note:
                self.progress(f"  waiting for {service.name}... {time.monotonic() - begun:.0f} s")
                next_note += WAITING_NOTE_EVERY
            time.sleep(0.25)
        raise StackError(
            f"{service.name} did not answer {service.health_url} within {timeout:.0f}s"
            f"{self._log_tail(service)}"
        )

    def _echo_errors(self, service: Service) -> None:
        """Print the ERROR and CRITICAL lines the service logged since the last look."""
        if service.log_path is None or not service.log_path.exists():
            return
        with service.log_path.open("rb") as log_file:
            log_file.seek(service.log_read)
            new = log_file.read()
        complete = new[: new.rfind(b"\n") + 1]  # a half-written line waits for the next look
        service.log_read += len(complete)
        for line in complete.splitlines():
            if ERROR_LINE.search(line):
                text = line.decode(errors="replace").strip()
                print(f"[{service.name}] {text}", file=sys.stderr, flush=True)

    @staticmethod
    def _log_tail(service: Service) -> str:
        if service.log_path is None or not service.log_path.exists():
            return ""
        return f"; last lines of {shown_path(service.log_path)}:\n" + log_tail(service.log_path)


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last `lines` lines of a log file ("" when there is none)."""
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _origin(url: str) -> str:
    """`http://host:port` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def shown_path(path: Path) -> str:
    """A path as a person would type it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
