"""Settings, read once from the environment with embedded defaults for one machine.

This is the only module that reads `os.environ`. Everything else receives a
`Settings` (or its `environ` snapshot, for the variables council.yml names).
"""

from __future__ import annotations

import hmac
import os
import socket
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
MASK = "**********"


class Secret:
    """A secret value: repr, str and format show a mask; `reveal()` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself: call this only where it is used, never to log it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return MASK

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret is not pickled")


class Environment(Mapping[str, str]):
    """A read-only snapshot of environment variables. Its repr lists no values, since
    the variables council.yml names (API keys, tokens) are secrets."""

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        self._values = dict(values or {})

    def __getitem__(self, name: str) -> str:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Environment(<{len(self._values)} variables>)"

    def secret(self, name: str) -> Secret | None:
        """The variable `name` as a Secret, or None when unset or empty."""
        value = self._values.get(name)
        return Secret(value) if value else None


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
    councils_dir: Path = PROJECT_ROOT / "councils"
    # The shared domain, for answers when the NLG server cannot be reached.
    domain_path: Path = PROJECT_ROOT / "domain.yml"
    log_level: str = "WARNING"
    # The council an action server process serves (ASSISTANT_COUNCIL); None: council-free.
    council: str | None = None
    shared_actions_url: str | None = None  # the router's upstream for council-free calls
    router_timeout: float = 10.0
    staff_demo_accounts: bool = True
    staff_secure_cookies: bool = False
    # SMS: the key of the hash standing in for phone numbers, the public https address
    # gateways call (behind a proxy), and gateway -> API base URL (ASSISTANT_<G>_API_URL).
    sms_sender_key: Secret | None = None
    public_url: str | None = None
    gateway_api_urls: Mapping[str, str] = field(default_factory=dict)
    # Issue 11 (postcode -> council by GSS code): the ONSPD/NSPL file loaded into the
    # postcodes database, or a postcodes.io-compatible service used instead when set.
    postcodes_file: Path = PROJECT_ROOT / "assistant" / "postcodes" / "data" / "onspd_demo.csv"
    postcodes_db: str | None = None
    postcodes_service_url: str | None = None
    # Everything in the environment, for the variables council.yml names and for
    # child processes. Never shown in a repr.
    environ: Environment = field(default_factory=Environment, repr=False, compare=False)

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
    def postcodes_db_url(self) -> str:
        return self.postcodes_db or f"sqlite:///{self.var_dir / 'postcodes.db'}"

    @property
    def sms_db_url(self) -> str:
        return self.sms_db or f"sqlite:///{self.var_dir / 'sms.db'}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `ASSISTANT_*` variables; a bad value is a clear error."""
        env = Environment(os.environ if environ is None else environ)
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
            councils_dir=Path(env.get("ASSISTANT_COUNCILS_DIR") or PROJECT_ROOT / "councils"),
            domain_path=Path(env.get("ASSISTANT_DOMAIN_PATH") or PROJECT_ROOT / "domain.yml"),
            log_level=(env.get("LOG_LEVEL") or "WARNING").upper(),
            council=env.get("ASSISTANT_COUNCIL") or None,
            shared_actions_url=(env.get("ASSISTANT_SHARED_ACTIONS_URL") or "").rstrip("/") or None,
            router_timeout=_seconds(env, "ASSISTANT_ROUTER_TIMEOUT", 10.0),
            staff_demo_accounts=env.get("ASSISTANT_STAFF_DEMO_ACCOUNTS", "1") != "0",
            staff_secure_cookies=env.get("ASSISTANT_STAFF_SECURE_COOKIES") == "1",
            sms_sender_key=env.secret("ASSISTANT_SMS_SENDER_KEY"),
            public_url=(env.get("ASSISTANT_PUBLIC_URL") or "").rstrip("/") or None,
            gateway_api_urls=_api_urls(env),
            postcodes_file=Path(
                env.get("ASSISTANT_POSTCODES_FILE")
                or PROJECT_ROOT / "assistant" / "postcodes" / "data" / "onspd_demo.csv"
            ),
            postcodes_db=env.get("ASSISTANT_POSTCODES_DB_URL") or None,
            postcodes_service_url=(env.get("ASSISTANT_POSTCODES_SERVICE_URL") or "").rstrip("/")
            or None,
            environ=env,
        )

    def child_environment(self, **overrides: str) -> dict[str, str]:
        """The environment for a child process: this process's, with `overrides`."""
        return {**self.environ, **overrides}


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


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {raw!r}") from None
    if seconds <= 0:
        raise ValueError(f"{name} must be more than 0 seconds")
    return seconds


def _api_urls(env: Mapping[str, str]) -> dict[str, str]:
    """`ASSISTANT_TWILIO_API_URL=...` -> {"twilio": ...}."""
    return {
        name.removeprefix("ASSISTANT_").removesuffix("_API_URL").lower(): value.rstrip("/")
        for name, value in env.items()
        if name.startswith("ASSISTANT_") and name.endswith("_API_URL") and value
    }
