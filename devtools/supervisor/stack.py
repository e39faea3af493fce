"""Starting, watching and stopping a set of processes (a stack).

Each service is a real process on a real port, ready once its health URL
answers, and stopped (with its children) when the stack stops. Which services
the assistant has is `devtools.supervisor.services`.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

import requests

from assistant.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

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
    ) -> None:
        self.services = list(services)
        self.log_dir = log_dir
        self.env = {**os.environ, **QUIET_ENV, **(env or {})}

    def start(self, timeout: float = 180.0) -> None:
        """Start every service and wait until each answers its health URL."""
        try:
            for service in self.services:
                self._spawn(service)
            for service in self.services:
                self._wait_ready(service, timeout)
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
        """Block until any service exits; return its exit code."""
        while True:
            for service in self.services:
                if service.process is not None and service.process.poll() is not None:
                    log.error("%s exited with code %s", service.name, service.process.returncode)
                    return service.process.returncode
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
        output: IO[bytes] | None = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            service.log_path = self.log_dir / f"{service.name}.log"
            output = service.log_path.open("ab")
        service.process = subprocess.Popen(
            list(service.command),
            cwd=PROJECT_ROOT,
            env={**self.env, **service.env},
            stdout=output,
            stderr=subprocess.STDOUT if output is not None else None,
            start_new_session=True,
        )
        if output is not None:
            output.close()

    def _wait_ready(self, service: Service, timeout: float) -> None:
        deadline = time.monotonic() + timeout
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
            time.sleep(0.25)
        raise StackError(
            f"{service.name} did not answer {service.health_url} within {timeout:.0f}s"
            f"{self._log_tail(service)}"
        )

    @staticmethod
    def _log_tail(service: Service, lines: int = 30) -> str:
        if service.log_path is None or not service.log_path.exists():
            return ""
        tail = service.log_path.read_text(errors="replace").splitlines()[-lines:]
        return "; last log lines:\n" + "\n".join(tail)


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
