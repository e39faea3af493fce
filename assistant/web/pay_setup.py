"""The payment pages' wiring: the link records and each council's GOV.UK Pay client.

The web server holds only the payments keys (`key_env` of each council's `payments`
service in council.yml), read from the environment; a council whose key is missing
gets pages that say the service is unavailable.
"""

from __future__ import annotations

import logging
import re

from assistant.backoffice.catalog import ADAPTERS
from assistant.backoffice.errors import BackOfficeConfigError, BackOfficeUnavailable
from assistant.backoffice.payment_links import PaymentLinks
from assistant.backoffice.payments import NewPayment, Payment, PaymentService
from assistant.backoffice.registry import service_configs
from assistant.councils import Council, CouncilRegistry
from assistant.database import make_engine
from assistant.migrations import migrate
from assistant.settings import Settings
from assistant.web.pay_flow import PayFlow

log = logging.getLogger(__name__)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")  # link tokens and return keys


class NoPayments:
    """A council whose payments cannot be taken here: every call is unavailable."""

    def create(self, payment: NewPayment) -> Payment:
        raise BackOfficeUnavailable("no payments service")

    def find(self, client_reference: str, reference: str) -> Payment | None:
        raise BackOfficeUnavailable("no payments service")

    def get(self, payment_id: str) -> Payment:
        raise BackOfficeUnavailable("no payments service")


def payments_service(council: Council, settings: Settings) -> PaymentService:
    """`council`'s payments integration, with this deployment's return-URL rule."""
    try:
        config = service_configs(council, settings.environ).get("payments")
    except BackOfficeConfigError:
        config = None
    key = settings.environ.get(config.key_env) if config is not None else None
    if config is None or not key:
        log.warning("council %s: no payments service or key for the payment pages", council.id)
        return NoPayments()
    service = ADAPTERS[(config.service, config.adapter)](config, key)
    if hasattr(service, "allow_http_return"):
        service.allow_http_return = settings.pay_allow_http
    return service  # type: ignore[return-value]


def pay_flow(registry: CouncilRegistry, settings: Settings) -> PayFlow:
    """The payment pages over the pending-writes database (migrated first)."""
    engine = make_engine(settings.writes_db_url)
    migrate(engine)
    built: dict[str, PaymentService] = {}

    def payments_for(council: Council) -> PaymentService:
        if council.id not in built:
            built[council.id] = payments_service(council, settings)
        return built[council.id]

    return PayFlow(
        PaymentLinks(engine),
        registry.get,
        payments_for,
        settings.payment_pages_url,
        settings.pay_card_origins,
    )
