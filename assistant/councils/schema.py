"""The schema of `councils/<id>/council.yml`: every section typed, unknown keys refused.

pydantic v1 models (the version Rasa pins). `python -m assistant councils --schema`
exports them as a JSON Schema for editors (`councils/council.schema.json`).
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal
from urllib.parse import urlparse

from pydantic import BaseModel, Extra, Field, create_model, root_validator, validator

from assistant.backoffice.catalog import ADAPTER_NAMES, SERVICES
from assistant.backoffice.vendors.open311_services import FACTS
from assistant.councils.services import service_names
from assistant.councils.values import (
    Colour,
    CouncilId,
    EnvName,
    GssCode,
    Origin,
    PhoneNumber,
    Text,
    Url,
)

SCHEMA_ID = "https://council-assistant.example/council.schema.json"


# The tiers of UK local government, and the GSS code prefix each one's councils have.
TIER_PREFIXES: dict[str, tuple[str, ...]] = {
    "unitary": ("E06",),
    "district": ("E07",),
    "county": ("E10",),
    "metropolitan borough": ("E08",),
    "London borough": ("E09",),
    "Welsh principal area": ("W06",),
    "Scottish council": ("S12",),
}
Tier = Literal[tuple(TIER_PREFIXES)]  # type: ignore[valid-type]
# The languages answers exist in (issue 13): ISO 639-1 codes.
Language = Literal["en", "cy"]
ServiceName = Literal[service_names()]  # type: ignore[valid-type]


class Section(BaseModel):
    """A council.yml section: unknown keys are refused, values never change."""

    class Config:
        extra = Extra.forbid
        allow_mutation = False


class Contact(Section):
    phone: Text
    email: Text
    out_of_hours_phone: Text
    opening_hours: Text
    address: Text | None = None


class CrisisLine(Section):
    """One crisis service's numbers; either one missing means the main contact's."""

    phone: Text | None = None
    out_of_hours_phone: Text | None = None


class Welsh(Section):
    """The council's details in Welsh, for answers in Welsh (issue 13); each falls back
    to the English value when missing."""

    name: Text | None = None
    short_name: Text | None = None
    opening_hours: Text | None = None
    address: Text | None = None
    welcome: Text | None = None


class Crisis(Section):
    """Given with every crisis answer, beside the national 24-hour lines."""

    homelessness: CrisisLine = CrisisLine()  # housing options: the 56-day duty
    children: CrisisLine = CrisisLine()  # children's social care (safeguarding)
    adults: CrisisLine = CrisisLine()  # adult social care (safeguarding)


class ReferenceFormats(Section):
    """Regular expressions, matched against the upper-cased value without spaces."""

    council_tax: re.Pattern
    planning: re.Pattern
    pcn: re.Pattern
    tenancy: re.Pattern | None = None  # checked before a repair is booked, when given


class ReferenceExamples(Section):
    """How each reference looks, for a resident who typed one of the wrong shape."""

    council_tax: Text | None = None
    planning: Text | None = None
    pcn: Text | None = None
    tenancy: Text | None = None


class Links(Section):
    """Web pages that answers link to, each `{link_<name>}` in answer templates.

    Pages for the everyday topics (issue 9, item 2; actions/topics.yml) fall back to
    the council's website when not given."""

    council_tax_pay: Url | None = None
    council_tax_discounts: Url | None = None
    council_tax_move: Url | None = None
    bins: Url | None = None
    bulky_waste: Url | None = None
    report_street: Url | None = None
    planning: Url | None = None
    housing_repairs: Url | None = None
    parking: Url | None = None
    libraries: Url | None = None
    registrars: Url | None = None
    elections: Url | None = None
    # --- everyday topics (issue 9, item 2)
    noise: Url | None = None
    pest_control: Url | None = None
    antisocial_behaviour: Url | None = None
    benefits: Url | None = None
    blue_badge: Url | None = None
    school_admissions: Url | None = None
    housing_register: Url | None = None
    adult_social_care: Url | None = None
    childrens_services: Url | None = None
    business_rates: Url | None = None
    complaints: Url | None = None


class Web(Section):
    """The council's demo web page, and the sites allowed to open its web chat."""

    brand_colour: Colour | None = None
    welcome: Text | None = None
    # Pages on these origins may connect to the web chat (socket.io); any other
    # Origin is refused, on WebSocket and polling alike.
    allowed_origins: list[Origin] = Field(default_factory=list)
    # Sites allowed to show the page in a frame (CSP frame-ancestors); none by default.
    frame_ancestors: list[Origin] = Field(default_factory=list)


class TwilioAccount(Section):
    numbers: list[PhoneNumber] = Field(..., min_items=1)
    account_sid_env: EnvName
    auth_token_env: EnvName


class NotifyAccount(Section):
    numbers: list[PhoneNumber] = Field(..., min_items=1)
    api_key_env: EnvName
    inbound_token_env: EnvName  # the bearer token of Notify's callback
    template_id: Text  # an SMS template whose body is ((body))
    sms_sender_id: Text | None = None


class Sms(Section):
    """Text messages: the number a text is sent to decides the council."""

    max_segments: int = Field(3, ge=1, le=10)
    twilio: TwilioAccount | None = None
    notify: NotifyAccount | None = None

    def accounts(self) -> dict[str, TwilioAccount | NotifyAccount]:
        """gateway name -> account, for the gateways configured."""
        found = {"twilio": self.twilio, "notify": self.notify}
        return {gateway: account for gateway, account in found.items() if account is not None}


class ActionServer(Section):
    url: Url  # overridden by ASSISTANT_ACTIONS_URL_<ID>
    # The NAME of the variable holding the secret the router signs calls with
    # (default ASSISTANT_ACTIONS_SECRET_<ID>; docs/security.md).
    secret_env: EnvName | None = None

    @validator("url")
    def _has_port(cls, url: str) -> str:
        if urlparse(url).port is None:
            raise ValueError("must give a port, like http://localhost:5061")
        return url.rstrip("/")

    @property
    def port(self) -> int:
        return urlparse(self.url).port or 0


class Verification(Section):
    """How long a resident's proved identity holds, within one session only."""

    expires_minutes: float = Field(default=15, gt=0, le=24 * 60)
    # Issue 10, finding 11: a repair is booked only for a home whose tenancy the
    # resident has proved (tenancy reference, checked against the address).
    repairs_need_tenancy: bool = True


class Privacy(Section):
    """How long residents' conversations and SMS records are kept (UK GDPR retention)."""

    retention_days: int = Field(default=30, ge=1, le=3650)


class Service(Section):
    """One back-office service: an adapter, where it is, and its key's variable name."""

    adapter: str
    path: Text | None = None  # under backoffice.base_url
    base_url: Url | None = None  # or an absolute address
    key_env: EnvName

    @root_validator(skip_on_failure=True)
    def _located(cls, values: dict[str, Any]) -> dict[str, Any]:
        if not values.get("path") and not values.get("base_url"):
            raise ValueError("needs path (under backoffice.base_url) or base_url")
        return values


OpenReportFact = Literal[FACTS]  # type: ignore[valid-type]

# Options some services take beyond Service's keys: field name -> (type, default).
SERVICE_OPTIONS: dict[str, dict[str, Any]] = {
    "street_reports": {
        "jurisdiction_id": (Text | None, None),  # Open311 jurisdiction
        "service_codes": (dict[str, Text], ...),  # kind of report -> Open311 service_code
        # issue 12: the server's format, attribute code -> our fact (extends the
        # defaults in open311_services.py), the service list's cache time, and how
        # long a token answer is followed before "reference to follow".
        "format": (Literal["json", "xml"], "json"),
        "attributes": (dict[str, OpenReportFact] | None, None),
        "cache_seconds": (float, Field(3600, ge=0, le=86400)),
        "token_wait_seconds": (float, Field(2, ge=0, le=10)),
    },
}


def _service_model(service: str) -> type[Service]:
    title = "".join(part.title() for part in service.split("_"))
    adapters = Literal[ADAPTER_NAMES[service]]  # type: ignore[valid-type]
    fields = {"adapter": (adapters, ...), **SERVICE_OPTIONS.get(service, {})}
    return create_model(f"{title}Service", __base__=Service, **fields)


Services: type[Section] = create_model(  # type: ignore[call-overload]
    "BackofficeServices",
    __base__=Section,
    **{service: (_service_model(service) | None, None) for service in SERVICES},
)


class Backoffice(Section):
    """The council's back-office systems; the base is overridden by
    ASSISTANT_BACKOFFICE_URL_<ID>."""

    base_url: Url | None = None
    timeout_seconds: float = Field(3, gt=0, le=60)
    services: Services  # type: ignore[valid-type]

    def service(self, name: str) -> Service | None:
        """The service `name` (one of SERVICES), None when this council has none."""
        return getattr(self.services, name)

    def configured(self) -> dict[str, Service]:
        """Every back-office service configured, by name."""
        found = {name: self.service(name) for name in SERVICES}
        return {name: entry for name, entry in found.items() if entry is not None}


class CouncilFile(Section):
    """Everything in one council.yml."""

    id: CouncilId
    name: Text
    short_name: Text | None = None
    website: Url
    contact: Contact
    gss_code: GssCode  # the ONS code of the council's area: postcodes find it by this
    tier: Tier  # type: ignore[valid-type]
    county_gss_code: GssCode | None = None  # a district's county
    services: list[ServiceName] = Field(..., min_items=1)  # type: ignore[valid-type]
    reference_formats: ReferenceFormats
    reference_examples: ReferenceExamples = ReferenceExamples()
    links: Links = Links()
    web: Web = Web()
    sms: Sms | None = None
    action_server: ActionServer | None = None
    backoffice: Backoffice | None = None
    verification: Verification = Verification()
    privacy: Privacy = Privacy()
    crisis: Crisis = Crisis()
    # The languages this council answers in; the first greets a new conversation
    # (`[cy, en]`: a bilingual Welsh council, greeting in both).
    languages: list[Language] = Field(default_factory=lambda: ["en"], min_items=1)
    welsh: Welsh = Welsh()  # the council's name and details in Welsh

    class Config:
        title = "council.yml"

        @staticmethod
        def schema_extra(schema: dict[str, Any]) -> None:
            schema["$schema"] = "http://json-schema.org/draft-07/schema#"
            schema["$id"] = SCHEMA_ID

    @root_validator(skip_on_failure=True)
    def _tiered(cls, values: dict[str, Any]) -> dict[str, Any]:
        tier, code = values["tier"], values["gss_code"]
        if not code.startswith(TIER_PREFIXES[tier]):
            prefixes = " or ".join(TIER_PREFIXES[tier])
            raise ValueError(f"gss_code {code} is not a {tier}'s code (those start {prefixes})")
        county = values.get("county_gss_code")
        if county is not None and tier != "district":
            raise ValueError("county_gss_code is only for a district (tier: district)")
        if county is not None and not county.startswith("E10"):
            raise ValueError(f"county_gss_code {county} is not a county's code (E10...)")
        if len(set(values["services"])) != len(values["services"]):
            raise ValueError("services: a service is listed twice")
        if len(set(values["languages"])) != len(values["languages"]):
            raise ValueError("languages: a language is listed twice")
        if "cy" in values["languages"] and values["welsh"].name is None:
            raise ValueError("welsh.name: a council answering in Welsh needs its Welsh name")
        return values

    def secret_variables(self) -> dict[str, str]:
        """key path -> the NAME of the environment variable holding that secret."""
        found: dict[str, str] = {}
        if self.action_server is not None and self.action_server.secret_env:
            found["action_server.secret_env"] = self.action_server.secret_env
        if self.backoffice is not None:
            for service, entry in self.backoffice.configured().items():
                found[f"backoffice.services.{service}.key_env"] = entry.key_env
        for gateway, account in (self.sms.accounts() if self.sms else {}).items():
            for key, value in account.dict().items():
                if key.endswith("_env"):
                    found[f"sms.{gateway}.{key}"] = value
        return found

    def sms_numbers(self) -> dict[str, str]:
        """E.164 number -> the key path that gives it."""
        return {
            number: f"sms.{gateway}.numbers"
            for gateway, account in (self.sms.accounts() if self.sms else {}).items()
            for number in account.numbers
        }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of council.yml, for editors."""
    return CouncilFile.schema()


def schema_text() -> str:
    """The JSON Schema as committed in `councils/council.schema.json`."""
    return json.dumps(json_schema(), indent=2) + "\n"
