"""Which integration serves each of a council's services, built from `council.yml`.

```yaml
backoffice:
  base_url: http://localhost:5070/brackenbury   # env: ASSISTANT_BACKOFFICE_URL_<ID>
  timeout_seconds: 3
  services:
    council_tax: {adapter: revbase, path: /revbase, key_env: BRACKENBURY_REVBASE_KEY}
    ...
```
A service may give an absolute `base_url` instead of a `path`. Keys are never in
the YAML: `key_env` names the environment variable that holds each one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.backoffice.catalog import ADAPTERS, SERVICES, ServiceConfig
from assistant.backoffice.council_tax import CouncilTaxService
from assistant.backoffice.errors import BackOfficeConfigError
from assistant.backoffice.housing import HousingRepairService
from assistant.backoffice.payments import PaymentService
from assistant.backoffice.planning import PlanningService
from assistant.backoffice.street_reports import StreetReportService
from assistant.backoffice.waste import WasteService
from assistant.councils import Council


@dataclass(frozen=True)
class BackOffice:
    """One council's back-office services, ready to call."""

    council_id: str
    council_tax: CouncilTaxService
    waste: WasteService
    street_reports: StreetReportService
    planning: PlanningService
    housing_repairs: HousingRepairService
    payments: PaymentService
    report_codes: Mapping[str, str]


class NotProvided:
    """A back-office service this council has none of: any use is a clear error (the
    actions answer who provides the service before they call one)."""

    def __init__(self, council_id: str, service: str) -> None:
        self._what = f"council {council_id} has no {service} back-office"

    def __getattr__(self, name: str) -> Any:
        raise BackOfficeConfigError(self._what)


def env_name(prefix: str, council_id: str) -> str:
    """`ASSISTANT_ACTIONS_URL` + `brackenbury` -> `ASSISTANT_ACTIONS_URL_BRACKENBURY`."""
    return f"{prefix}_{council_id.upper().replace('-', '_')}"


def action_server_url(council: Council, environ: Mapping[str, str]) -> str:
    """Where the council's action server listens: env override, else council.yml."""
    override = environ.get(env_name("ASSISTANT_ACTIONS_URL", council.id))
    if override:
        return override.rstrip("/")
    if council.action_server is None:
        raise BackOfficeConfigError(
            f"{council.config_path}: action_server.url (http://host:port) is required"
        )
    return council.action_server.url


def service_configs(council: Council, environ: Mapping[str, str]) -> dict[str, ServiceConfig]:
    """Every service's integration config (council.yml is validated by its schema);
    BackOfficeConfigError when the section or a base address is missing."""
    section = council.backoffice
    if section is None:
        raise BackOfficeConfigError(f"{council.config_path}: a backoffice section is required")
    base_url = environ.get(env_name("ASSISTANT_BACKOFFICE_URL", council.id)) or section.base_url
    configs: dict[str, ServiceConfig] = {}
    for service, entry in section.configured().items():
        url: str
        if entry.base_url:
            url = entry.base_url
        elif entry.path and base_url:
            url = base_url.rstrip("/") + "/" + entry.path.strip("/")
        else:
            raise BackOfficeConfigError(
                f"{council.config_path}: backoffice.services.{service} needs base_url, or path "
                "with backoffice.base_url"
            )
        options = entry.dict(exclude={"adapter", "base_url", "path", "key_env"}, exclude_none=True)
        configs[service] = ServiceConfig(
            service, entry.adapter, url, entry.key_env, section.timeout_seconds, options
        )
    return configs


def report_codes(council: Council) -> dict[str, str]:
    """The council's Open311 service codes for each kind of report the assistant takes."""
    if council.backoffice is None:
        raise BackOfficeConfigError(
            f"{council.config_path}: backoffice.services.street_reports.service_codes is required"
        )
    entry = council.backoffice.service("street_reports")
    if entry is None:
        return {}
    codes = entry.dict()["service_codes"]
    return {str(kind): str(code) for kind, code in codes.items()}


def build_backoffice(council: Council, environ: Mapping[str, str]) -> BackOffice:
    """The council's back-office; BackOfficeConfigError when config or a secret is missing."""
    env = environ
    configs = service_configs(council, env)
    missing = sorted({c.key_env for c in configs.values() if not env.get(c.key_env)})
    if missing:
        raise BackOfficeConfigError(
            f"council {council.id}: set the environment variable(s) {', '.join(missing)} "
            "(back-office API keys; they are never stored in council.yml)"
        )
    built: dict[str, Any] = {service: NotProvided(council.id, service) for service in SERVICES}
    built.update(
        {
            service: ADAPTERS[(config.service, config.adapter)](config, env[config.key_env])
            for service, config in configs.items()
        }
    )
    return BackOffice(council_id=council.id, report_codes=report_codes(council), **built)
