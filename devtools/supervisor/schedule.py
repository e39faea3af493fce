"""Commands the supervisor runs at start and then every so often, such as the
privacy purge (`python -m assistant privacy purge`), each with its own log."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.settings import PROJECT_ROOT
from devtools.supervisor.files import PRIVATE_UMASK, open_log


@dataclass
class Job:
    """A command run every `every` seconds (never two at once)."""

    name: str
    command: Sequence[str]
    every: float
    env: Mapping[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    next_run: float = 0.0  # the first tick runs it
    runs: int = 0

    def tick(
        self, now: float, env: Mapping[str, str], log_dir: Path, notice: Callable[[str], None]
    ) -> None:
        """Note how the last run ended; start the next one when it is due."""
        if self.process is not None:
            code = self.process.poll()
            if code is None:
                return
            if code != 0:
                notice(f"[{self.name}] exited with code {code}; see {log_dir / self.name}.log")
            self.process = None
        if now < self.next_run:
            return
        self.next_run = now + self.every
        self.runs += 1
        with open_log(log_dir / f"{self.name}.log", truncate=False) as output:
            self.process = subprocess.Popen(
                list(self.command),
                cwd=PROJECT_ROOT,
                env={**env, **self.env},
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                umask=PRIVATE_UMASK,
            )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
