"""The schema of `councils/<id>/council.yml`: every section typed, unknown keys refused.

pydantic v1 models (the version Rasa pins). `python -m assistant councils --schema`
exports them as a JSON Schema for editors (`councils/council.schema.json`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, Literal
from urllib.parse import urlparse

from pydantic import BaseModel, Extra, Field, create_model, root_validator, validator

from assistant.backoffice.catalog import ADAPTER_NAMES, SERVICES
from assistant.identifiers import normalise_number

SCHEMA_ID = "https://council-assistant.example/council.schema.json"


class _Checked(str):
    """A str whose values pass `check`; subclasses set the rule and its JSON Schema."""

    pattern = r"\S"  # searched for, as JSON Schema does: anchor it to match the whole
    message = "must not be empty"

    @classmethod
    def __get_validators__(cls) -> Iterator[Callable[[Any], str]]:
        yield cls.validate

    @classmethod
    def __modify_schema__(cls, schema: dict[str, Any]) -> None:
        schema.update(type="string", pattern=cls.pattern)

    @classmethod
    def validate(cls, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(f"must be text, not {type(value).__name__}")
        text = str(value).strip()
        if not re.search(cls.pattern, text):
            raise ValueError(cls.message)
        return cls.convert(text)

    @classmethod
    def convert(cls, text: str) -> str:
        return text


class Text(_Checked):
    """Non-empty text."""

    pattern = r"\S"


class Url(_Checked):
    """An absolute http(s) address."""

    pattern = r"^https?://[^\s/]+\S*$"
    message = "must be an http:// or https:// address"


class EnvName(_Checked):
    """The NAME of an environment variable that holds a secret."""

    pattern = r"^[A-Z][A-Z0-9_]*$"
    message = "must name an environment variable (upper case), never hold the secret itself"


class CouncilId(_Checked):
    """A council id: also its folder name."""

    pattern = r"^[a-z][a-z0-9_-]{1,39}$"
    message = "must be 2-40 lower-case letters, digits, '-' or '_', starting with a letter"


class PostcodeArea(_Checked):
    """A postcode outward code such as BK1."""

    pattern = r"^[A-Za-z]{1,2}\d[A-Za-z\d]?$"
    message = "is not a postcode outward code like 'BK1'"

    @classmethod
    def convert(cls, text: str) -> str:
        return text.upper()


class Colour(_Checked):
    """A #rrggbb colour."""

    pattern = r"^#[0-9a-fA-F]{6}$"
    message = "must look like #1d4f91"


class PhoneNumber(_Checked):
    """A phone number, kept in E.164 form."""

    pattern = r"^\+?[\d\s().-]{8,20}$"
    message = "is not a phone number"

    @classmethod
    def convert(cls, text: str) -> str:
        number = normalise_number(text)
        if number is None:
            raise ValueError(cls.message)
        return number


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


class ReferenceExamples(Section):
    """How each reference looks, for a resident who typed one of the wrong shape."""

    council_tax: Text | None = None
    planning: Text | None = None
    pcn: Text | None = None


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
    """The council's demo web page."""

    brand_colour: Colour | None = None
    welcome: Text | None = None


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


# Options some services take beyond Service's keys: field name -> (type, default).
SERVICE_OPTIONS: dict[str, dict[str, Any]] = {
    "street_reports": {
        "jurisdiction_id": (Text | None, None),  # Open311 jurisdiction
        "service_codes": (dict[str, Text], ...),  # kind of report -> Open311 service_code
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
    **{service: (_service_model(service), ...) for service in SERVICES},
)


class Backoffice(Section):
    """The council's back-office systems; the base is overridden by
    ASSISTANT_BACKOFFICE_URL_<ID>."""

    base_url: Url | None = None
    timeout_seconds: float = Field(3, gt=0, le=60)
    services: Services  # type: ignore[valid-type]

    def service(self, name: str) -> Service:
        """The service `name` (one of SERVICES)."""
        return getattr(self.services, name)


class CouncilFile(Section):
    """Everything in one council.yml."""

    id: CouncilId
    name: Text
    short_name: Text | None = None
    website: Url
    contact: Contact
    postcode_areas: list[PostcodeArea] = Field(..., min_items=1)
    reference_formats: ReferenceFormats
    reference_examples: ReferenceExamples = ReferenceExamples()
    links: Links = Links()
    web: Web = Web()
    sms: Sms | None = None
    action_server: ActionServer | None = None
    backoffice: Backoffice | None = None
    verification: Verification = Verification()
    crisis: Crisis = Crisis()

    class Config:
        title = "council.yml"

        @staticmethod
        def schema_extra(schema: dict[str, Any]) -> None:
            schema["$schema"] = "http://json-schema.org/draft-07/schema#"
            schema["$id"] = SCHEMA_ID

    def secret_variables(self) -> dict[str, str]:
        """key path -> the NAME of the environment variable holding that secret."""
        found: dict[str, str] = {}
        if self.action_server is not None and self.action_server.secret_env:
            found["action_server.secret_env"] = self.action_server.secret_env
        if self.backoffice is not None:
            for service in SERVICES:
                found[f"backoffice.services.{service}.key_env"] = self.backoffice.service(
                    service
                ).key_env
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
