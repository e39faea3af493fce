"""SMS configuration: which council answers on which number, and settings the
SMS channels share. No web framework here, so the stack and the fake gateway can
read it cheaply.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.councils import Council, CouncilConfigError, CouncilRegistry
from assistant.identifiers import normalise_number
from assistant.settings import Environment, Secret, Settings

__all__ = ["GatewayAccount", "SmsDirectory", "SmsSettings", "normalise_number"]

SENDER_KEY_ENV = "ASSISTANT_SMS_SENDER_KEY"


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
    """The council's SMS accounts, from its validated `sms:` section (see the schema)."""
    if council.sms is None:
        return []
    accounts = []
    for gateway, account in council.sms.accounts().items():
        values = account.dict(exclude_none=True)
        numbers = tuple(values.pop("numbers"))
        secret_env = {
            key.removesuffix("_env"): value for key, value in values.items() if key.endswith("_env")
        }
        options = {key: str(value) for key, value in values.items() if not key.endswith("_env")}
        accounts.append(
            GatewayAccount(council, gateway, numbers, secret_env, options, council.sms.max_segments)
        )
    return accounts


@dataclass(frozen=True)
class SmsSettings:
    """Settings the SMS channels share, taken from `Settings`. No secret is shown in
    a repr: the sender key is a `Secret` and the environment lists names only."""

    database_url: str
    sender_key: Secret | None  # keys the hash that stands in for phone numbers
    public_url: str | None  # the https://... address gateways call, when behind a proxy
    api_urls: Mapping[str, str] = field(default_factory=dict)  # gateway -> API base URL
    reply_concurrency: int = 8  # turns answered in the background at once
    send_attempts: int = 4  # tries of a send refused with a 429/5xx (or no answer)
    retry_delay: float = 1.0  # seconds before the first retry; doubled each time
    environ: Environment = field(default_factory=Environment, repr=False)  # secrets' source

    @classmethod
    def from_settings(cls, settings: Settings) -> SmsSettings:
        return cls(
            database_url=settings.sms_db_url,
            sender_key=settings.sms_sender_key,
            public_url=settings.public_url,
            api_urls=dict(settings.gateway_api_urls),
            reply_concurrency=settings.sms_reply_concurrency,
            send_attempts=settings.sms_send_attempts,
            retry_delay=settings.sms_retry_delay,
            environ=settings.environ,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmsSettings:
        """From `Settings.from_env(environ)` (the process environment when None)."""
        return cls.from_settings(Settings.from_env(environ))


def conversation_id(key: Secret | bytes, council_id: str, number: str) -> str:
    """The conversation id for a sender: a keyed hash (HMAC-SHA256) of the council
    and the number, so the number cannot be recovered from trackers, logs or the DB."""
    raw = key.reveal().encode() if isinstance(key, Secret) else key
    digest = hmac.new(raw, f"{council_id}:{number}".encode(), hashlib.sha256).hexdigest()
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
