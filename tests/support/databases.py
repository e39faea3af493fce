"""Throwaway database servers for tests: a PostgreSQL cluster and a Redis server, each
on a free loopback port in a scratch directory, stopped and deleted afterwards.

They use Debian's server binaries (`scripts/system-deps.sh` installs them); when those
are missing the test fails with that hint rather than skipping silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.isolation import free_port

POSTGRES_BINARIES = Path("/usr/lib/postgresql")
REDIS_SERVER = Path("/usr/bin/redis-server")
INSTALL_HINT = "run scripts/system-deps.sh (as root) to install it"


def postgres_bin_dir() -> Path:
    """The newest installed PostgreSQL server's bin directory; fails the test if none."""
    found = sorted(
        POSTGRES_BINARIES.glob("*/bin/initdb"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if not found:
        pytest.fail(
            f"PostgreSQL server binaries not found under {POSTGRES_BINARIES}: {INSTALL_HINT}"
        )
    return found[-1].parent


def redis_server_bin() -> Path:
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.fail(f"redis-server not found at {REDIS_SERVER}: {INSTALL_HINT}")
    return REDIS_SERVER


def as_postgres(*command: str) -> list[str]:
    """Run as the `postgres` user when we are root (PostgreSQL refuses to run as root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


@dataclass(frozen=True)
class Postgres:
    """A running throwaway cluster; `user` is its superuser (trust authentication)."""

    bin_dir: Path
    host: str
    port: int
    user: str

    def url(self, database: str) -> str:
        """An SQLAlchemy URL for `database` (psycopg2)."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create database `name`; return its URL."""
        _run(
            as_postgres(
                str(self.bin_dir / "createdb"),
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                self.user,
                name,
            )
        )
        return self.url(name)


@dataclass(frozen=True)
class Redis:
    """A running throwaway Redis server (no persistence)."""

    host: str
    port: int

    def url(self, db: int = 0) -> str:
        return f"redis://{self.host}:{self.port}/{db}"


@contextmanager
def postgres_server(user: str = "test") -> Iterator[Postgres]:
    """A fresh PostgreSQL cluster on a free port, stopped and deleted on exit."""
    bin_dir = postgres_bin_dir()
    # Not under pytest's tmp_path: its 0700 parents would keep the postgres user out.
    workdir = Path(tempfile.mkdtemp(prefix="test-pg-"))
    data = workdir / "data"
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    server = Postgres(bin_dir=bin_dir, host="127.0.0.1", port=free_port(), user=user)
    started = False
    try:
        _run(as_postgres(str(bin_dir / "initdb"), "-D", str(data), "-U", user, "--auth=trust"))
        _run(
            as_postgres(
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(workdir / "log"),
                "-o",
                f"-p {server.port} -k {workdir} -h {server.host}",
                "start",
            )
        )
        started = True
        yield server
    finally:
        if started:
            subprocess.run(
                as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"),
                capture_output=True,
            )
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def redis_server(startup_timeout: float = 30.0) -> Iterator[Redis]:
    """A fresh Redis server (no snapshots, no append-only file) on a free port."""
    import redis

    binary = redis_server_bin()
    workdir = Path(tempfile.mkdtemp(prefix="test-redis-"))
    server = Redis(host="127.0.0.1", port=free_port())
    log = (workdir / "redis.log").open("wb")
    process = subprocess.Popen(
        [
            str(binary),
            "--port",
            str(server.port),
            "--bind",
            server.host,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    try:
        client = redis.Redis(host=server.host, port=server.port, socket_timeout=2)
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"redis-server exited with code {process.returncode}: "
                    + (workdir / "redis.log").read_text(errors="replace")[-2000:]
                )
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        client.close()
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
