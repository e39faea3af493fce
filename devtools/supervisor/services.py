"""The assistant's services: every process `make run` starts, and how.

`assistant_services()` is the one list, used by `make run`, the end-to-end tests
and the benchmarks, so that what is tested is what runs.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

import yaml

from assistant.councils import CouncilRegistry
from assistant.rasa_plugins.channels.origins import council_origins
from assistant.rasa_plugins.channels.sms_config import demo_environment
from assistant.routing.credentials import (
    ROUTER_TOKEN_ENV,
    ROUTER_TOKEN_HEADER,
    SHARED_SECRET_ENV,
    action_secret_env,
)
from assistant.settings import PROJECT_ROOT, REST_TOKEN_PREFIX, Settings
from devtools.supervisor.files import PRIVATE
from devtools.supervisor.forking import with_fork_server
from devtools.supervisor.pay_pages import payment_pages_environment
from devtools.supervisor.stack import Service, python_module
from devtools.supervisor.tuning import tuned


def assistant_server(command: str, settings: Settings, port: int, *args: str) -> list[str]:
    """`python -m assistant <command> --host <host> --port <port> <args>`."""
    return python_module("assistant", command, "--host", settings.host, "--port", str(port), *args)


def http_service(
    command: str, settings: Settings, port: int, *args: str, name: str | None = None
) -> Service:
    """`python -m assistant <command>` on `port`, healthy when `/health` answers."""
    return Service(
        name=name or command,
        command=assistant_server(command, settings, port, *args),
        health_url=f"http://{settings.host}:{port}/health",
    )


# Rasa's own command line, without an import it never uses (rasa_plugins/server.py).
RASA_ENTRY = "assistant.rasa_plugins.server"


def rasa_service(
    settings: Settings,
    endpoints: Path,
    credentials: Path | None = None,
    env: Mapping[str, str] | None = None,
    entry: str = RASA_ENTRY,
) -> Service:
    """The Rasa server with the shared model, REST channel on `settings.rasa_port`;
    the web chat (socket.io) accepts the demo pages and the councils' websites.
    `entry` is the module run as `rasa` (`"rasa"`: Rasa's own, unchanged)."""
    return Service(
        name="rasa",
        command=python_module(
            entry,
            "run",
            "--model",
            str(settings.models_dir),
            "--port",
            str(settings.rasa_port),
            "--interface",
            settings.host,
            "--credentials",
            str(credentials or PROJECT_ROOT / "credentials.yml"),
            "--endpoints",
            str(endpoints),
            "--cors",
            *web_origins(settings),
        ),
        health_url=f"{settings.rasa_url}/",
        env={
            ROUTER_TOKEN_ENV: action_credentials()[ROUTER_TOKEN_ENV],
            **channel_credentials(),
            "ASSISTANT_WEB_ALLOWED_ORIGINS": ",".join(demo_web_origins(settings)),
            **(env or {}),
        },
    )


# Conversation ownership (issue 10, findings 1 and 9): the demo's REST integration.
WEBCHAT_SECRET_ENV = "ASSISTANT_WEBCHAT_SECRET"
DEMO_REST_TOKEN_ENV = REST_TOKEN_PREFIX + "DEMO"
DEMO_INTEGRATION = "demo"


@functools.cache
def channel_credentials() -> dict[str, str]:
    """The web chat's signing secret and the demo integration's REST token: the
    environment's values, else demo ones made once per process (`make run` prints
    the token; the tests send it)."""
    environ = Settings.from_env().environ
    names = [WEBCHAT_SECRET_ENV, DEMO_REST_TOKEN_ENV]
    return {name: environ.get(name) or secrets.token_urlsafe(24) for name in names}


def demo_rest_headers() -> dict[str, str]:
    """The headers a REST request of the demo integration carries (its bearer token)."""
    return {"Authorization": f"Bearer {channel_credentials()[DEMO_REST_TOKEN_ENV]}"}


_DEMO_SECRETS: dict[str, str] = {}


def action_credentials(settings: Settings | None = None) -> dict[str, str]:
    """The router token and every action server's signing secret, by variable name:
    the environment's value, else a demo secret made once per process and kept (tests
    read the same ones to sign their own calls); a council added later (onboarding)
    gets its own on first use."""
    settings = settings or Settings.from_env()
    names = [ROUTER_TOKEN_ENV, SHARED_SECRET_ENV]
    names += [action_secret_env(c) for c in CouncilRegistry.load(settings.councils_dir)]
    for name in names:
        if name not in _DEMO_SECRETS:
            _DEMO_SECRETS[name] = settings.environ.get(name) or secrets.token_urlsafe(24)
    return dict(_DEMO_SECRETS)


def demo_web_origins(settings: Settings) -> list[str]:
    """The demo pages' origins in this stack (its web port)."""
    return [f"http://{host}:{settings.web_port}" for host in ("localhost", "127.0.0.1")]


def web_origins(settings: Settings) -> list[str]:
    """Origins whose pages may open the web chat: the demo pages and every council's
    `web.allowed_origins` (council.yml)."""
    registry = CouncilRegistry.load(settings.councils_dir)
    return sorted(set(demo_web_origins(settings)) | set(council_origins(registry)))


def web_service(settings: Settings) -> Service:
    """The demo council pages with the web chat widget (static files)."""
    service = http_service("web", settings, settings.web_port, "--rasa-url", settings.rasa_url)
    env = payment_pages_environment(settings, backoffice_environment(settings))
    return replace(service, env=env)


def sms_environment(settings: Settings) -> dict[str, str]:
    """What the SMS channels and the fake gateway share: the fake gateway as both
    gateways' API (unless the environment names real ones), the SMS database, and
    demo values for every secret variable council.yml names that is not set."""
    env = {
        "ASSISTANT_TWILIO_API_URL": settings.sms_gateway_url,
        "ASSISTANT_NOTIFY_API_URL": settings.sms_gateway_url,
        "ASSISTANT_SMS_DB_URL": settings.sms_db_url,
        # Twilio signs the public address; here Rasa's own (the fake signs it too).
        "ASSISTANT_PUBLIC_URL": settings.public_url or settings.rasa_url,
    }
    env = {name: settings.environ.get(name) or value for name, value in env.items()}
    env.update(demo_environment(CouncilRegistry.load(settings.councils_dir), settings.environ))
    return env


def sms_gateway_service(settings: Settings, env: Mapping[str, str]) -> Service:
    """A fake of the SMS gateways' APIs that records what would have been sent."""
    return Service(
        name="sms-gateway",
        command=assistant_server(
            "fake-sms-gateway", settings, settings.sms_gateway_port, "--rasa-url", settings.rasa_url
        ),
        health_url=f"{settings.sms_gateway_url}/_fake/health",
        env=dict(env),
    )


_DEMO_KEYS: dict[str, str] = {}  # made once per process: the web server's Pay keys match


def backoffice_environment(settings: Settings) -> dict[str, dict[str, str]]:
    """Per council: its back-office pointed at the demo back-office (unless
    `ASSISTANT_BACKOFFICE_URL_<ID>` is set) and its API keys, a fresh demo key for
    every key variable council.yml names that is not set. Real keys only ever come
    from the environment; each council's action server gets only its own."""
    from assistant.backoffice.registry import env_name, service_configs

    per_council: dict[str, dict[str, str]] = {}
    for council in CouncilRegistry.load(settings.councils_dir):
        url_var = env_name("ASSISTANT_BACKOFFICE_URL", council.id)
        given = settings.environ
        env = {url_var: given.get(url_var) or f"{settings.backoffice_url}/{council.id}"}
        for config in service_configs(council, env).values():
            if config.key_env not in env:
                made = _DEMO_KEYS.setdefault(config.key_env, secrets.token_urlsafe(18))
                env[config.key_env] = given.get(config.key_env) or made
        per_council[council.id] = env
    return per_council


def council_actions_url(settings: Settings, council_id: str) -> str:
    """Where `council_id`'s action server listens in this stack."""
    from assistant.backoffice.registry import action_server_url

    port = settings.council_actions_ports.get(council_id)
    if port is not None:
        return f"http://{settings.host}:{port}"
    council = CouncilRegistry.load(settings.councils_dir).get(council_id)
    assert council is not None, council_id
    return action_server_url(council, settings.environ)


def actions_services(settings: Settings) -> list[Service]:
    """The demo back-office, one action server per council plus the council-free one,
    and the action router in front of them on `settings.actions_port`."""
    backoffice_env = backoffice_environment(settings)
    credentials = action_credentials(settings)
    shared_url = f"http://{settings.host}:{settings.shared_actions_port}"
    services = [
        demo_backoffice_service(settings, backoffice_env),
        Service(
            name="actions-shared",
            command=assistant_server("actions", settings, settings.shared_actions_port),
            health_url=f"{shared_url}/health",
            env={SHARED_SECRET_ENV: credentials[SHARED_SECRET_ENV]},
        ),
    ]
    router_env = {"ASSISTANT_SHARED_ACTIONS_URL": shared_url, **credentials}
    for council in CouncilRegistry.load(settings.councils_dir):
        url = council_actions_url(settings, council.id)
        router_env[f"ASSISTANT_ACTIONS_URL_{council.id.upper().replace('-', '_')}"] = url
        secret_env = action_secret_env(council)
        env = {
            **backoffice_env[council.id],
            secret_env: credentials[secret_env],
            **attempts_environment(settings),
            "ASSISTANT_WRITES_DB_URL": settings.writes_db_url,  # issue 10, finding 7
            "ASSISTANT_PAY_PAGES_URL": settings.payment_pages_url,  # issue 12, item 2
        }
        services.append(council_actions_service(settings, council.id, url, env))
    services.append(
        Service(
            name="action-router",
            command=assistant_server("router", settings, settings.actions_port),
            health_url=f"{settings.actions_url}/health",
            env=router_env,
        )
    )
    return services


def demo_backoffice_service(
    settings: Settings, backoffice_env: Mapping[str, Mapping[str, str]]
) -> Service:
    """The demo back-office, accepting every council's keys."""
    return Service(
        name="demo-backoffice",
        command=assistant_server(
            "demo-backoffice",
            settings,
            settings.backoffice_port,
            "--db",
            str(settings.backoffice_db_path),
        ),
        health_url=f"{settings.backoffice_url}/health",
        env={k: v for env in backoffice_env.values() for k, v in env.items()},
    )


def council_actions_service(
    settings: Settings, council_id: str, url: str, env: Mapping[str, str]
) -> Service:
    """`council_id`'s action server on `url`'s port, with only its own keys and secret."""
    port = urlparse(url).port
    assert port is not None, url
    return Service(
        name=f"actions-{council_id}",
        command=assistant_server("actions", settings, port, "--council", council_id),
        health_url=f"{url}/health",
        env=dict(env),
    )


def nlg_service(settings: Settings) -> Service:
    """The NLG server: every bot response, per council and channel, from the answers DB."""
    return http_service("nlg", settings, settings.nlg_port, "--db-url", settings.answers_db_url)


def attempts_environment(settings: Settings) -> dict[str, str]:
    """Where the action servers and the staff site count failed attempts (shared)."""
    return {"ASSISTANT_ATTEMPTS_DB_URL": settings.attempts_db_url}


def staff_service(settings: Settings) -> Service:
    """The staff site where council staff change their council's answers."""
    db = ("--db-url", settings.answers_db_url)
    service = http_service("staff-site", settings, settings.staff_port, *db, name="staff")
    # The insight pages summarise the same tracker store as Rasa's (issue 15, item 2).
    env = {**attempts_environment(settings), "ASSISTANT_TRACKER_DB_URL": settings.tracker_db_url}
    return replace(service, env=env)


def assistant_services(settings: Settings, endpoints: Path) -> list[Service]:
    """Every process of the assistant, in start order: what `make run` starts and
    what the end-to-end tests start (with their own ports and databases). The Python
    services are forked from the fork server, started first (`forking`)."""
    sms_env = sms_environment(settings)
    services = [
        *actions_services(settings),
        nlg_service(settings),
        staff_service(settings),
        sms_gateway_service(settings, sms_env),
        rasa_service(settings, endpoints, env=sms_env),
        web_service(settings),
    ]
    return [tuned(service) for service in with_fork_server(services, settings)]


@dataclass(frozen=True)
class PostgresTrackerStore:
    """Rasa's SQL tracker store on PostgreSQL, shared by every Rasa replica."""

    host: str
    port: int = 5432
    db: str = "rasa"
    username: str = "rasa"
    password: str | None = None


# Rasa's own `type: redis` lock store is not atomic across replicas (see
# assistant/rasa_plugins/lock_store.py); ours is the same store with atomic lock updates.
ATOMIC_REDIS_LOCK_STORE = "assistant.rasa_plugins.lock_store.AtomicRedisLockStore"


@dataclass(frozen=True)
class RedisLockStore:
    """A Redis lock store: one conversation is handled by one replica at a time."""

    host: str
    port: int = 6379
    db: int = 1
    password: str | None = None
    type: str = ATOMIC_REDIS_LOCK_STORE  # or "redis", Rasa's built-in one


def write_endpoints(
    settings: Settings,
    path: Path,
    tracker_db: Path | PostgresTrackerStore,
    lock_store: RedisLockStore | None = None,
) -> Path:
    """An endpoints file for `settings`' ports (actions, NLG) with a SQLite tracker
    store at `tracker_db` (one machine) or a PostgreSQL one, and Rasa's default
    in-memory lock store or a Redis one (several Rasa replicas; see
    deploy/endpoints.scale.yml)."""
    tracker_store: dict[str, object] = {"type": "SQL"}
    if isinstance(tracker_db, PostgresTrackerStore):
        tracker_store.update(
            dialect="postgresql",
            url=tracker_db.host,
            port=tracker_db.port,
            db=tracker_db.db,
            username=tracker_db.username,
        )
        if tracker_db.password is not None:
            tracker_store["password"] = tracker_db.password
    else:
        tracker_store.update(dialect="sqlite", db=str(tracker_db))
    endpoints: dict[str, object] = {
        "action_endpoint": {
            "url": f"{settings.actions_url}/webhook",
            # Rasa fills the token in from its environment (rasa_service sets it).
            "headers": {ROUTER_TOKEN_HEADER: f"${{{ROUTER_TOKEN_ENV}}}"},
        },
        "nlg": {
            "url": f"{settings.nlg_url}/nlg",
            "type": "assistant.rasa_plugins.nlg_client.CouncilNLGClient",
        },
        "tracker_store": tracker_store,
    }
    if lock_store is not None:
        lock: dict[str, object] = {
            "type": lock_store.type,
            "url": lock_store.host,
            "port": lock_store.port,
            "db": lock_store.db,
        }
        if lock_store.password is not None:
            lock["password"] = lock_store.password
        endpoints["lock_store"] = lock
    # 0600: a deployment's copy may hold database and Redis passwords.
    path.touch(mode=PRIVATE)
    path.chmod(PRIVATE)
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return path
