"""Settings for a stack of its own (tests, benchmarks): free ports on loopback and
every database under one scratch directory, so it never meets `make run`."""

from __future__ import annotations

import socket
from collections.abc import Iterable
from dataclasses import fields, replace
from pathlib import Path

from assistant.settings import LOOPBACK, Settings


def free_ports(count: int, host: str = LOOPBACK) -> list[int]:
    """`count` distinct free ports, all held open while they are chosen."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((host, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port(host: str = LOOPBACK) -> int:
    """One free port."""
    return free_ports(1, host)[0]


def isolated(
    settings: Settings,
    var_dir: Path,
    models_dir: Path | None = None,
    council_ids: Iterable[str] | None = None,
) -> Settings:
    """`settings` for a stack of its own (tests, benchmarks): loopback, a free port for
    every service and for each council's action server, and every database SQLite under
    `var_dir`, so it never meets `make run`, another stack or a real database."""
    if council_ids is None:  # every council folder (the registry validates them later)
        council_ids = sorted(
            path.parent.name for path in settings.councils_dir.glob("*/council.yml")
        )
    councils = list(council_ids)
    names = [f.name for f in fields(settings)]
    port_names = [name for name in names if name.endswith("_port")]
    ports = iter(free_ports(len(port_names) + len(councils)))
    changes: dict[str, object] = {name: next(ports) for name in port_names}
    changes.update({name: None for name in names if name.endswith("_db")})
    return replace(
        settings,
        host=LOOPBACK,
        var_dir=var_dir,
        models_dir=models_dir or settings.models_dir,
        council_actions_ports={council: next(ports) for council in councils},
        **changes,  # type: ignore[arg-type]
    )
