"""Settings, read once from the environment with embedded defaults for one machine."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Settings:
    """Where things are and which ports they listen on."""

    project_root: Path
    models_dir: Path
    var_dir: Path
    rasa_port: int
    actions_port: int
    host: str
    nlg_port: int = 5065
    staff_port: int = 8065
    # An SQLAlchemy URL for the answers database; None means SQLite under var_dir.
    answers_db: str | None = None
    web_port: int = 8075  # the demo council web pages with the chat widget
    sms_gateway_port: int = 5098  # the fake SMS gateway (never a live gateway)
    # An SQLAlchemy URL for the SMS channels' database; None means SQLite under var_dir.
    sms_db: str | None = None
    # Issue 3: the demo back-office, the council-free action server, and (tests only)
    # ports for each council's action server instead of the ones in council.yml.
    backoffice_port: int = 5070
    backoffice_db: Path | None = None
    shared_actions_port: int = 5060
    council_actions_ports: Mapping[str, int] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @property
    def nlg_url(self) -> str:
        return f"http://{self.host}:{self.nlg_port}"

    @property
    def staff_url(self) -> str:
        return f"http://{self.host}:{self.staff_port}"

    @property
    def answers_db_url(self) -> str:
        return self.answers_db or f"sqlite:///{self.var_dir / 'answers.db'}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def sms_gateway_url(self) -> str:
        return f"http://{self.host}:{self.sms_gateway_port}"

    @property
    def backoffice_url(self) -> str:
        return f"http://{self.host}:{self.backoffice_port}"

    @property
    def backoffice_db_path(self) -> Path:
        return self.backoffice_db or self.var_dir / "demo_backoffice.db"

    @property
    def sms_db_url(self) -> str:
        return self.sms_db or f"sqlite:///{self.var_dir / 'sms.db'}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `ASSISTANT_*` variables; a bad value is a clear error."""
        env = os.environ if environ is None else environ
        return cls(
            project_root=PROJECT_ROOT,
            models_dir=Path(env.get("ASSISTANT_MODELS_DIR", PROJECT_ROOT / "models")),
            var_dir=Path(env.get("ASSISTANT_VAR_DIR", PROJECT_ROOT / "var")),
            rasa_port=_port(env, "ASSISTANT_RASA_PORT", 5005),
            actions_port=_port(env, "ASSISTANT_ACTIONS_PORT", 5055),
            host=env.get("ASSISTANT_HOST", "localhost"),
            nlg_port=_port(env, "ASSISTANT_NLG_PORT", 5065),
            staff_port=_port(env, "ASSISTANT_STAFF_PORT", 8065),
            answers_db=env.get("ASSISTANT_ANSWERS_DB_URL") or None,
            web_port=_port(env, "ASSISTANT_WEB_PORT", 8075),
            sms_gateway_port=_port(env, "ASSISTANT_SMS_GATEWAY_PORT", 5098),
            sms_db=env.get("ASSISTANT_SMS_DB_URL") or None,
            backoffice_port=_port(env, "ASSISTANT_BACKOFFICE_PORT", 5070),
            backoffice_db=Path(env["ASSISTANT_BACKOFFICE_DB"])
            if env.get("ASSISTANT_BACKOFFICE_DB")
            else None,
            shared_actions_port=_port(env, "ASSISTANT_SHARED_ACTIONS_PORT", 5060),
        )


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
    if council_ids is None:
        from assistant.councils import CouncilRegistry

        council_ids = CouncilRegistry.load().ids()
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


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        port = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a port number, not {raw!r}") from None
    if not 0 < port < 65536:
        raise ValueError(f"{name} must be between 1 and 65535, not {port}")
    return port
