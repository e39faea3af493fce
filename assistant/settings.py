"""Settings, read once from the environment with embedded defaults for one machine.

This is the only module that reads `os.environ`. Everything else receives a
`Settings` (or its `environ` snapshot, for the variables council.yml names).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

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
    # None: Secure cookies unless the site is served on localhost (issue 10, finding 10).
    staff_secure_cookies: bool | None = None
    # SMS: the key of the hash standing in for phone numbers, the public https address
    # gateways call (behind a proxy), and gateway -> API base URL (ASSISTANT_<G>_API_URL).
    sms_sender_key: Secret | None = None
    public_url: str | None = None
    gateway_api_urls: Mapping[str, str] = field(default_factory=dict)
    # Conversation ownership (issue 10, findings 1 and 9): the key that signs web chat
    # session credentials (ASSISTANT_WEBCHAT_SECRET), the REST integrations' bearer
    # tokens by name (ASSISTANT_REST_TOKEN_<NAME>), and origins allowed to open the web
    # chat besides the councils' own (ASSISTANT_WEB_ALLOWED_ORIGINS, comma-separated).
    webchat_secret: Secret | None = None
    rest_tokens: Mapping[str, Secret] = field(default_factory=dict)
    web_allowed_origins: tuple[str, ...] = ()
    # Issue 10, findings 3 and 10 (attempt limits): failed identity checks and staff
    # sign-ins are counted in this SQLAlchemy database (None: SQLite under var_dir), or
    # in the lock store's Redis when ASSISTANT_LOCK_REDIS_HOST is set; the values
    # counted are hashed with ASSISTANT_ATTEMPTS_KEY.
    attempts_db: str | None = None
    attempts_redis_url: Secret | None = None
    attempts_key: Secret | None = None
    # Privacy (issue 10, finding 11): Rasa's tracker store as an SQLAlchemy URL (None:
    # SQLite var/trackers.db, what `make run` uses) for `python -m assistant privacy`,
    # and how often `make run` purges what is past each council's retention.
    tracker_db: str | None = None
    purge_every_seconds: float = 3600.0
    # Issue 10, finding 7 (back-office writes): an SQLAlchemy URL for the council action
    # servers' pending-write records; None means SQLite under var_dir.
    writes_db: str | None = None
    # SMS gateway timing (issue 12): replies are sent in the background, at most this
    # many turns at once; a refused send is retried (429/5xx) this many times in all,
    # waiting sms_retry_delay, then twice as long each time.
    sms_reply_concurrency: int = 8
    sms_send_attempts: int = 4
    sms_retry_delay: float = 1.0
    # Issue 11 (postcode -> council by GSS code): the ONSPD/NSPL file loaded into the
    # postcodes database, or a postcodes.io-compatible service used instead when set.
    postcodes_file: Path = PROJECT_ROOT / "assistant" / "postcodes" / "data" / "onspd_demo.csv"
    postcodes_db: str | None = None
    postcodes_service_url: str | None = None
    # GOV.UK Pay payment pages (issue 12, item 2): their public address (the web
    # server's; None: web_url), the origins of Pay's card pages (where the page's form
    # may lead), and whether plain-http return pages are allowed (the local demo only).
    pay_pages_url: str | None = None
    pay_card_origins: tuple[str, ...] = ("https://card.payments.service.gov.uk",)
    pay_allow_http: bool = False
    # Issue 14 (throughput): worker threads for back-office calls in each council
    # action server (ASSISTANT_BACKOFFICE_THREADS), apart from the default pool.
    backoffice_threads: int = 32
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
    def payment_pages_url(self) -> str:  # issue 12, item 2
        return self.pay_pages_url or self.web_url

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

    @property
    def attempts_db_url(self) -> str:
        return self.attempts_db or f"sqlite:///{self.var_dir / 'attempts.db'}"

    @property
    def tracker_db_url(self) -> str:
        return self.tracker_db or f"sqlite:///{self.var_dir / 'trackers.db'}"

    @property
    def writes_db_url(self) -> str:  # issue 10, finding 7
        return self.writes_db or f"sqlite:///{self.var_dir / 'writes.db'}"

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
            staff_secure_cookies=_flag(env, "ASSISTANT_STAFF_SECURE_COOKIES"),
            sms_sender_key=env.secret("ASSISTANT_SMS_SENDER_KEY"),
            public_url=(env.get("ASSISTANT_PUBLIC_URL") or "").rstrip("/") or None,
            gateway_api_urls=_api_urls(env),
            # Conversation ownership (issue 10, findings 1 and 9)
            webchat_secret=env.secret("ASSISTANT_WEBCHAT_SECRET"),
            rest_tokens=_rest_tokens(env),
            web_allowed_origins=_origins(env.get("ASSISTANT_WEB_ALLOWED_ORIGINS", "")),
            attempts_db=env.get("ASSISTANT_ATTEMPTS_DB_URL") or None,
            attempts_redis_url=_lock_redis_url(env),
            attempts_key=env.secret("ASSISTANT_ATTEMPTS_KEY"),
            tracker_db=env.get("ASSISTANT_TRACKER_DB_URL") or None,
            purge_every_seconds=_seconds(env, "ASSISTANT_PURGE_EVERY_SECONDS", 3600.0),
            writes_db=env.get("ASSISTANT_WRITES_DB_URL") or None,  # issue 10, finding 7
            sms_reply_concurrency=_count(env, "ASSISTANT_SMS_REPLY_CONCURRENCY", 8),
            sms_send_attempts=_count(env, "ASSISTANT_SMS_SEND_ATTEMPTS", 4),
            sms_retry_delay=_seconds(env, "ASSISTANT_SMS_RETRY_DELAY", 1.0),
            postcodes_file=Path(
                env.get("ASSISTANT_POSTCODES_FILE")
                or PROJECT_ROOT / "assistant" / "postcodes" / "data" / "onspd_demo.csv"
            ),
            postcodes_db=env.get("ASSISTANT_POSTCODES_DB_URL") or None,
            postcodes_service_url=(env.get("ASSISTANT_POSTCODES_SERVICE_URL") or "").rstrip("/")
            or None,
            # GOV.UK Pay payment pages (issue 12, item 2)
            pay_pages_url=(env.get("ASSISTANT_PAY_PAGES_URL") or "").rstrip("/") or None,
            pay_card_origins=_origins(env.get("ASSISTANT_PAY_CARD_ORIGINS", ""))
            or ("https://card.payments.service.gov.uk",),
            pay_allow_http=env.get("ASSISTANT_PAY_ALLOW_HTTP", "0") == "1",
            backoffice_threads=_count(env, "ASSISTANT_BACKOFFICE_THREADS", 32),  # issue 14
            environ=env,
        )

    def child_environment(self, **overrides: str) -> dict[str, str]:
        """The environment for a child process: this process's, with `overrides`."""
        return {**self.environ, **overrides}


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


def _flag(env: Mapping[str, str], name: str) -> bool | None:
    """A yes/no variable: "1" or "0"; None when unset (the default applies)."""
    raw = env.get(name)
    if raw is None or raw == "":
        return None
    if raw not in ("0", "1"):
        raise ValueError(f"{name} must be 1 or 0, not {raw!r}")
    return raw == "1"


def _lock_redis_url(env: Environment) -> Secret | None:
    """The lock store's Redis (ASSISTANT_LOCK_REDIS_HOST, _PORT, _DB, _PASSWORD) as a URL."""
    host = env.get("ASSISTANT_LOCK_REDIS_HOST")
    if not host:
        return None
    password = env.get("ASSISTANT_LOCK_REDIS_PASSWORD") or ""
    auth = f":{quote(password, safe='')}@" if password else ""
    port = env.get("ASSISTANT_LOCK_REDIS_PORT") or "6379"
    return Secret(f"redis://{auth}{host}:{port}/{env.get('ASSISTANT_LOCK_REDIS_DB') or '0'}")


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 1 (issue 12's SMS settings)."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        count = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if count < 1:
        raise ValueError(f"{name} must be at least 1, not {count}")
    return count


def _api_urls(env: Mapping[str, str]) -> dict[str, str]:
    """`ASSISTANT_TWILIO_API_URL=...` -> {"twilio": ...}."""
    return {
        name.removeprefix("ASSISTANT_").removesuffix("_API_URL").lower(): value.rstrip("/")
        for name, value in env.items()
        if name.startswith("ASSISTANT_") and name.endswith("_API_URL") and value
    }


# Conversation ownership (issue 10, findings 1 and 9)
REST_TOKEN_PREFIX = "ASSISTANT_REST_TOKEN_"
MIN_SECRET_LENGTH = 16


def _rest_tokens(env: Environment) -> dict[str, Secret]:
    """`ASSISTANT_REST_TOKEN_CRM=...` -> {"crm": Secret(...)}; a short token is an error."""
    tokens: dict[str, Secret] = {}
    for name in sorted(env):
        value = env[name]
        if not name.startswith(REST_TOKEN_PREFIX) or not value:
            continue
        integration = name.removeprefix(REST_TOKEN_PREFIX).lower().replace("_", "-")
        if not integration:
            continue
        if len(value) < MIN_SECRET_LENGTH:
            raise ValueError(f"{name} must be at least {MIN_SECRET_LENGTH} characters")
        tokens[integration] = Secret(value)
    return tokens


def _origins(raw: str) -> tuple[str, ...]:
    """`"https://a.example, http://localhost:8075"` -> the origins, without a final `/`."""
    return tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
