"""Starting, watching and stopping a set of processes (a stack).

Each service is a real process on a real port, ready once its health URL
answers, and stopped (with its children) when the stack stops. Which services
the assistant has is `devtools.supervisor.services`.

A service's own output (deprecation warnings, access logs) goes to
`<log_dir>/<service>.log` (`var/log/` by default). The console gets one line per
service when it is ready, every line a service logs at ERROR or CRITICAL level, and
the last log lines of a service that dies. With a `RestartPolicy` (as under `make
run`), a service that dies is restarted with back-off instead, and the supervisor's
notices also go to `<log_dir>/supervisor.log`. Every file it makes is 0600.
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

from assistant import forkwire
from assistant.settings import PROJECT_ROOT, Settings
from devtools.supervisor.files import PRIVATE_UMASK, open_log
from devtools.supervisor.forked_process import ForkedProcess
from devtools.supervisor.restarts import RestartPolicy, RestartState
from devtools.supervisor.schedule import Job

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
UNIX_HEALTH = "unix:"  # a health "URL" naming a Unix socket: the fork server's
WAITING_NOTE_EVERY = 15.0  # seconds between "still waiting" lines while a service starts

# A service's process: started here, or forked for this process by the fork server.
Process = subprocess.Popen[bytes] | ForkedProcess


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
    # Ready before the services after it are started (the fork server they fork from).
    before_others: bool = False
    # A `python -m assistant` command forked by the fork server at this socket, when one
    # answers there (`forking`); else, and when None, the command is started as it is.
    fork_socket: Path | None = None
    process: Process | None = None
    log_path: Path | None = None
    log_read: int = 0  # how far the log has been scanned for errors
    restarts: RestartState = field(default_factory=RestartState)


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
        restart: RestartPolicy | None = None,
        jobs: Sequence[Job] = (),
    ) -> None:
        self.services = list(services)
        self.restart = restart  # None: a service that dies stops `wait()`
        self.jobs = list(jobs)
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
                if service.before_others:
                    self._wait_ready(service, timeout)
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
        for job in self.jobs:
            job.stop()
        for service in self.services:
            service.restarts.stopped = True
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
        """Stop one service (as an outage would), leaving the others running; it is
        not restarted."""
        self._named(name).restarts.stopped = True
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

    def wait(self, until: Callable[[], bool] | None = None) -> int:
        """Watch the services until one dies (without a restart policy) or is given up
        on, saying which with its last log lines, and return its exit code; or until
        `until()` is true (then 0)."""
        while until is None or not until():
            code = self.watch_once()
            if code is not None:
                return code
            time.sleep(0.5)
        return 0

    def watch_once(self) -> int | None:
        """One look at every service and job: echo errors, restart the dead when due.
        An exit code when the stack should stop, else None."""
        now = time.monotonic()
        for service in self.services:
            self._echo_errors(service)
            code = self._watch(service, now)
            if code is not None:
                return code
        for job in self.jobs:
            job.tick(now, self.env, self.log_dir, self._notice)
        return None

    def _watch(self, service: Service, now: float) -> int | None:
        state, process = service.restarts, service.process
        if process is None or state.stopped:
            return None
        if state.due_at is not None:
            if now >= state.due_at:
                self._spawn(service)
                state.awaiting_health = True
                self._notice(f"[{service.name}] restarted")
            return None
        code = process.poll()
        if code is None:
            if state.awaiting_health and _answers(service.health_url):
                state.awaiting_health = False
                self._notice(f"[{service.name}] ready again")
            return None
        if self.restart is None:
            print(
                f"{service.name} stopped unexpectedly (exit code {code}){self._log_tail(service)}",
                file=sys.stderr,
                flush=True,
            )
            return code
        return self._died(service, code, now)

    def _died(self, service: Service, code: int, now: float) -> int | None:
        assert self.restart is not None
        state = service.restarts
        delay = state.died(self.restart, now)
        log = shown_path(service.log_path) if service.log_path else "its log"
        if delay is None:
            self._notice(
                f"[{service.name}] failed {self.restart.max_quick_failures} times in a row "
                f"within {self.restart.quick_seconds:.0f} s of starting (exit code {code}); "
                f"giving up. Its log: {log}{self._log_tail(service)}"
            )
            return code or 1
        self._notice(
            f"[{service.name}] stopped unexpectedly (exit code {code}); restarting in "
            f"{delay:g} s (quick failure {state.quick_failures} of "
            f"{self.restart.max_quick_failures}); its log: {log}"
        )
        return None

    def _notice(self, text: str) -> None:
        """A supervisor notice: on the console and in `<log_dir>/supervisor.log`."""
        print(text, file=sys.stderr, flush=True)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
        with open_log(self.log_dir / "supervisor.log", truncate=False) as log:
            log.write(f"{stamp} {text}\n".encode())

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
        restarted = service.log_path is not None  # a restart keeps the earlier log
        service.log_path = self.log_dir / f"{service.name}.log"
        env = {**self.env, **service.env}
        with open_log(service.log_path, truncate=not restarted) as output:
            forked = None  # a forked service's child, unless no fork server answers
            if service.fork_socket is not None:
                argv = service.command[3:]  # python -m assistant <argv>
                forked = ForkedProcess.service(
                    service.fork_socket, argv, env, PROJECT_ROOT, output.fileno()
                )
            service.process = forked or subprocess.Popen(
                list(service.command),
                cwd=PROJECT_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                umask=PRIVATE_UMASK,  # databases and files the service makes: 0600
            )
        service.restarts.started(time.monotonic())

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
            if _answers(service.health_url, timeout=2):
                return
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
        if service.log_path.stat().st_size < service.log_read:
            service.log_read = 0  # rotated (emptied in place) by the privacy purge
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


def unix_socket(url: str) -> Path | None:
    """The socket a `unix:<path>` health URL names (the fork server's), else None."""
    return Path(url[len(UNIX_HEALTH) :]) if url.startswith(UNIX_HEALTH) else None


def _answers(url: str, timeout: float = 0.5) -> bool:
    """True when `url` answers (below 500) within `timeout`; a `unix:<path>` URL is
    the fork server's socket, answering a ping."""
    socket_path = unix_socket(url)
    if socket_path is not None:
        return forkwire.ping(socket_path)
    try:
        return requests.get(url, timeout=timeout).status_code < 500
    except requests.RequestException:
        return False


def _origin(url: str) -> str:
    """`http://host:port` of a URL (a Unix socket's name as it is)."""
    if unix_socket(url) is not None:
        return url
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def shown_path(path: Path) -> str:
    """A path as a person would type it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _signal_group(process: Process, sig: signal.Signals) -> None:
    """`sig` to the process's group: a service started here is a session leader
    (`start_new_session`), and so is one the fork server forked."""
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
