"""What the web server's payment pages need in the demo stack (issue 12, item 2)."""

from __future__ import annotations

from collections.abc import Mapping

from assistant.councils import CouncilRegistry
from assistant.settings import Settings


def payment_pages_environment(
    settings: Settings, per_council: Mapping[str, Mapping[str, str]]
) -> dict[str, str]:
    """The pending-writes database (the payment links), each council's Pay key and
    back-office address only, the demo Pay's card pages as a form target, and plain
    http return pages (the demo runs on localhost). `per_council`: each council's
    back-office environment (devtools.supervisor.services.backoffice_environment)."""
    from assistant.backoffice.registry import env_name, service_configs

    env = {
        "ASSISTANT_WRITES_DB_URL": settings.writes_db_url,
        "ASSISTANT_PAY_PAGES_URL": settings.payment_pages_url,
        "ASSISTANT_PAY_ALLOW_HTTP": "1",
        "ASSISTANT_PAY_CARD_ORIGINS": settings.backoffice_url,
    }
    for council in CouncilRegistry.load(settings.councils_dir):
        council_env = per_council[council.id]
        url_var = env_name("ASSISTANT_BACKOFFICE_URL", council.id)
        env[url_var] = council_env[url_var]
        payments = service_configs(council, council_env).get("payments")
        if payments is not None:
            env[payments.key_env] = council_env[payments.key_env]
    return env
