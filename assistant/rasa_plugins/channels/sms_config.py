"""SMS configuration: which council answers on which number, and settings the
SMS channels share. No web framework here, so the stack and the fake gateway can
read it cheaply.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.councils import Council, CouncilConfigError, CouncilRegistry
from assistant.settings import PROJECT_ROOT

DEFAULT_MAX_SEGMENTS = 3
SENDER_KEY_ENV = "ASSISTANT_SMS_SENDER_KEY"


def normalise_number(raw: object) -> str | None:
    """A phone number in E.164 form (`+447700900123`), or None when it isn't one.
    UK national numbers (`07700 900123`) and `44...`/`0044...` forms are accepted."""
    if not isinstance(raw, str):
        return None
    text = re.sub(r"[\s().-]", "", raw)
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("0"):
        text = "+44" + text[1:]
    elif not text.startswith("+"):
        text = "+" + text
    if not re.fullmatch(r"\+[1-9]\d{7,14}", text):
        return None
    return text


@dataclass(frozen=True)
class GatewayAccount:
    """One council's account with one gateway, from `sms.<gateway>` in council.yml."""

    council: Council
    gateway: str
    numbers: tuple[str, ...]
    secret_env: Mapping[str, str]  # secret name -> NAME of the environment variable
    options: Mapping[str, str]
    max_segments: int

    def secret(self, name: str, environ: Mapping[str, str]) -> str | None:
        """The secret `name` from the environment variable council.yml names."""
        variable = self.secret_env.get(name)
        value = environ.get(variable, "") if variable else ""
        return value or None


@dataclass(frozen=True)
class SmsDirectory:
    """Which council answers on which number, per gateway."""

    accounts: Mapping[tuple[str, str], GatewayAccount]  # (gateway, E.164 number) -> account

    def account_for(self, gateway: str, destination: str) -> GatewayAccount | None:
        """The account whose number received the text, or None for an unknown number."""
        number = normalise_number(destination)
        return self.accounts.get((gateway, number)) if number else None

    @classmethod
    def from_registry(cls, registry: CouncilRegistry) -> SmsDirectory:
        """Read every council's `sms:` section; a number used twice is an error."""
        accounts: dict[tuple[str, str], GatewayAccount] = {}
        for council in registry:
            for account in gateway_accounts(council):
                for number in account.numbers:
                    key = (account.gateway, number)
                    if key in accounts:
                        raise CouncilConfigError(
                            f"council {council.id}: {account.gateway} number {number} is "
                            f"already used by {accounts[key].council.id}"
                        )
                    accounts[key] = account
        return cls(accounts)


def gateway_accounts(council: Council) -> list[GatewayAccount]:
    """The council's SMS accounts from council.yml; raises CouncilConfigError if invalid.

    ```yaml
    sms:
      max_segments: 3            # cap on one reply, in SMS segments
      <gateway>:                 # twilio, notify
        numbers: ["+44 7700 900100"]
        <name>_env: VARIABLE     # a secret, by the NAME of its environment variable
        <option>: value          # anything else the gateway needs (e.g. template_id)
    ```
    """
    section = council.extra.get("sms")
    if section is None:
        return []
    where = f"council {council.id}: sms"
    if not isinstance(section, dict):
        raise CouncilConfigError(f"{where} must be a mapping")
    max_segments = section.get("max_segments", DEFAULT_MAX_SEGMENTS)
    if not isinstance(max_segments, int) or not 1 <= max_segments <= 10:
        raise CouncilConfigError(f"{where}.max_segments must be a whole number from 1 to 10")
    accounts = []
    for gateway, raw in section.items():
        if gateway == "max_segments":
            continue
        if not isinstance(raw, dict):
            raise CouncilConfigError(f"{where}.{gateway} must be a mapping")
        numbers_raw = raw.get("numbers")
        if not isinstance(numbers_raw, list) or not numbers_raw:
            raise CouncilConfigError(f"{where}.{gateway}.numbers must be a non-empty list")
        numbers = []
        for value in numbers_raw:
            number = normalise_number(str(value))
            if number is None:
                raise CouncilConfigError(f"{where}.{gateway}: {value!r} is not a phone number")
            numbers.append(number)
        secret_env: dict[str, str] = {}
        options: dict[str, str] = {}
        for key, value in raw.items():
            if key == "numbers":
                continue
            if key.endswith("_env"):
                if not isinstance(value, str) or not re.fullmatch(r"[A-Z][A-Z0-9_]*", value):
                    raise CouncilConfigError(
                        f"{where}.{gateway}.{key} must name an environment variable "
                        "(upper case), never hold the secret itself"
                    )
                secret_env[key.removesuffix("_env")] = value
            else:
                options[key] = str(value)
        accounts.append(
            GatewayAccount(council, gateway, tuple(numbers), secret_env, options, max_segments)
        )
    return accounts


@dataclass(frozen=True)
class SmsSettings:
    """Settings the SMS channels share, read once from the environment."""

    database_url: str
    sender_key: bytes | None  # keys the hash that stands in for phone numbers
    public_url: str | None  # the https://... address gateways call, when behind a proxy
    api_urls: Mapping[str, str] = field(default_factory=dict)  # gateway -> API base URL
    environ: Mapping[str, str] = field(default_factory=dict)  # where secrets are looked up

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmsSettings:
        env = dict(os.environ if environ is None else environ)
        default_db = f"sqlite:///{PROJECT_ROOT / 'var' / 'sms.db'}"
        key = env.get(SENDER_KEY_ENV, "")
        api_urls = {
            name.removeprefix("ASSISTANT_").removesuffix("_API_URL").lower(): value.rstrip("/")
            for name, value in env.items()
            if name.startswith("ASSISTANT_") and name.endswith("_API_URL") and value
        }
        return cls(
            database_url=env.get("ASSISTANT_SMS_DB_URL") or default_db,
            sender_key=key.encode() if key else None,
            public_url=(env.get("ASSISTANT_PUBLIC_URL") or "").rstrip("/") or None,
            api_urls=api_urls,
            environ=env,
        )


def conversation_id(key: bytes, council_id: str, number: str) -> str:
    """The conversation id for a sender: a keyed hash (HMAC-SHA256) of the council
    and the number, so the number cannot be recovered from trackers, logs or the DB."""
    digest = hmac.new(key, f"{council_id}:{number}".encode(), hashlib.sha256).hexdigest()
    return f"sms-{digest[:40]}"


def demo_secret(name: str) -> str:
    """A freshly generated value in the shape a gateway expects for the secret `name`
    (for `make run` and the tests; never a real credential)."""
    if name == "account_sid":
        return "AC" + secrets.token_hex(16)
    if name == "api_key":  # Notify: <key name>-<service id>-<secret>
        return f"demo-{uuid.uuid4()}-{uuid.uuid4()}"
    return secrets.token_urlsafe(24)


def demo_environment(registry: CouncilRegistry, environ: Mapping[str, str]) -> dict[str, str]:
    """Values for every SMS secret variable council.yml names that `environ` lacks,
    plus the sender-hash key: what the stack passes to Rasa and the fake gateway."""
    generated: dict[str, str] = {}
    if not environ.get(SENDER_KEY_ENV):
        generated[SENDER_KEY_ENV] = secrets.token_urlsafe(32)
    for council in registry:
        for account in gateway_accounts(council):
            for name, variable in account.secret_env.items():
                if not environ.get(variable) and variable not in generated:
                    generated[variable] = demo_secret(name)
    return generated
