"""`python -m assistant demo-backoffice`: run the simulator in the foreground."""

from __future__ import annotations

import logging
import secrets
from collections.abc import MutableMapping
from pathlib import Path

from aiohttp import web

from assistant.backoffice.registry import service_configs
from assistant.councils import CouncilRegistry
from devtools.demo_backoffice.app import DemoBackOffice
from devtools.demo_backoffice.models import open_database

log = logging.getLogger(__name__)


def demo_keys(
    registry: CouncilRegistry, environ: MutableMapping[str, str]
) -> dict[tuple[str, str], str]:
    """The API key the simulator accepts for each (council, adapter), from the variables
    each council.yml names. A variable that is unset gets a fresh random demo key (set
    in `environ` and logged by name only), so no key is ever stored in the repository."""
    keys: dict[tuple[str, str], str] = {}
    for council in registry:
        for config in service_configs(council, environ).values():
            if not environ.get(config.key_env):
                environ[config.key_env] = secrets.token_urlsafe(18)
                log.warning(
                    "%s was not set: generated a demo key for this run (to connect an action "
                    "server started separately, set it in both environments)",
                    config.key_env,
                )
            keys[(council.id, config.adapter)] = environ[config.key_env]
    return keys


def serve(db_path: Path, host: str, port: int, environ: MutableMapping[str, str]) -> None:
    """Open (and seed) the database and serve every demo council's APIs until stopped."""
    keys = demo_keys(CouncilRegistry.load(), environ)
    backoffice = DemoBackOffice(open_database(db_path), keys)
    print(f"Demo back-office on http://{host}:{port} (database {db_path})", flush=True)
    # A request its caller gave up on (timed out) is abandoned, not committed later:
    # a report the resident was told was not made is never made behind their back.
    web.run_app(
        backoffice.app(),
        host=host,
        port=port,
        print=None,
        access_log=None,
        handler_cancellation=True,
    )
