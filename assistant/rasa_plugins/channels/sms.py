"""What every SMS gateway channel shares.

A gateway module (`sms_twilio`, `sms_notify`) only parses its webhook, checks
that the gateway really sent it, and sends a reply through the gateway's client.
Everything else happens here, the same for every gateway:

- the number the text was sent to decides the council (`sms:` in council.yml);
- the sender's number becomes a keyed hash, the conversation id: it is never
  stored or logged as it is;
- STOP / START keywords, duplicate deliveries, numbered choices;
- the reply is fitted to the council's segment cap.

Channel names start with `sms`: the NLG server picks SMS wording by that prefix.
"""

from __future__ import annotations

import asyncio
import logging
import re
from abc import ABCMeta, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.councils import default_registry
from assistant.rasa_plugins.channels.payloads import as_typed
from assistant.rasa_plugins.channels.sms_config import (
    GatewayAccount,
    SmsDirectory,
    SmsSettings,
    conversation_id,
    normalise_number,
)
from assistant.rasa_plugins.channels.sms_store import SmsStore
from assistant.rasa_plugins.channels.sms_text import Reply, compose, picked_choice, shorten
from assistant.rasa_plugins.shared_responses import apology, is_silent_command

log = logging.getLogger(__name__)

# Keywords as UK gateways and carriers treat them. Opt-in words other than START
# only count while the number is opted out ("yes" is otherwise an answer).
OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "YES"})
CHOICE_PROMPT = "Reply with a number to choose."
MAX_INBOUND_CHARS = 1600  # the longest concatenated text a UK gateway delivers

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class SmsRejected(Exception):
    """A webhook we will not handle; `status` and `message` go back to the gateway."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Inbound:
    """One received text, as every gateway's webhook describes it."""

    message_id: str
    sender: str
    destination: str
    body: str


class SmsInput(InputChannel, metaclass=ABCMeta):
    """An SMS gateway's inbound webhook: `POST /webhooks/<name>/webhook`."""

    gateway: str  # the key under `sms:` in council.yml
    confirms_opt_out: bool = True  # False where the gateway sends its own STOP/START replies

    def __init__(
        self,
        settings: SmsSettings,
        directory: SmsDirectory | None = None,
        store: SmsStore | None = None,
    ) -> None:
        self.settings = settings
        self._directory = directory
        self._store = store

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(SmsSettings.from_env())

    @property
    def directory(self) -> SmsDirectory:
        if self._directory is None:
            self._directory = SmsDirectory.from_registry(default_registry())
        return self._directory

    @property
    def store(self) -> SmsStore:
        if self._store is None:
            self._store = SmsStore(self.settings.database_url)
        return self._store

    # What each gateway provides.
    @abstractmethod
    def parse(self, request: Request) -> Inbound:
        """The received text from the webhook request; raise SmsRejected(400) if malformed."""

    @abstractmethod
    def authenticate(self, request: Request, account: GatewayAccount) -> None:
        """Raise SmsRejected(403) unless the gateway really sent this request."""

    @abstractmethod
    def send(self, account: GatewayAccount, origin: str, to: str, text: str) -> None:
        """Send `text` to `to` from the account's number `origin` (the one the resident
        texted) through the gateway's client (blocking; runs in a worker thread)."""

    def acknowledge(self) -> HTTPResponse:
        """The success response the gateway expects."""
        return response.empty()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint(self.name(), __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                return await self.handle(request, on_new_message)
            except SmsRejected as rejected:
                log.warning("%s webhook rejected (%s): %s", self.name(), rejected.status, rejected)
                return response.json({"error": rejected.message}, status=rejected.status)

        return blueprint

    async def handle(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        """Check, de-duplicate and answer one received text."""
        inbound = self.parse(request)
        account = self.directory.account_for(self.gateway, inbound.destination)
        if account is None:
            raise SmsRejected(
                404, f"No council receives {self.gateway} texts on {inbound.destination!r}."
            )
        self.authenticate(request, account)
        sender = normalise_number(inbound.sender)
        if sender is None:
            raise SmsRejected(400, "The sender is not a phone number.")
        if self.settings.sender_key is None:
            raise SmsRejected(503, "SMS is not configured: ASSISTANT_SMS_SENDER_KEY is not set.")
        conversation = conversation_id(self.settings.sender_key, account.council.id, sender)
        origin = normalise_number(inbound.destination) or account.numbers[0]
        store, message_id = self.store, inbound.message_id
        if not store.claim(self.gateway, message_id):
            pending = store.pending_reply(self.gateway, message_id)
            if pending is None:
                log.info("%s: duplicate delivery of a message to %s", self.name(), conversation)
                return self.acknowledge()
            reply: Reply | None = pending  # handled before, but its reply was not sent
        else:
            try:
                reply = await self.reply_to(account, conversation, inbound.body, on_new_message)
            except Exception as error:
                store.release(self.gateway, message_id)  # the retry will be handled afresh
                if isinstance(error, SmsRejected):
                    raise
                log.exception("%s: could not answer a message to %s", self.name(), conversation)
                raise SmsRejected(500, "The message could not be handled; please retry.") from None
        if reply is not None:
            store.save_reply(self.gateway, message_id, reply.text, reply.notice)
            try:
                await self.deliver(account, sender, conversation, reply, origin)
            except SmsRejected:
                raise
            except Exception:
                # The assistant has answered; a retry of this delivery resends the same reply.
                log.exception("%s: could not send the reply to %s", self.name(), conversation)
                raise SmsRejected(502, "The reply could not be sent; please retry.") from None
        store.finish(self.gateway, message_id)
        return self.acknowledge()

    async def answer(
        self,
        account: GatewayAccount,
        sender: str,
        conversation: str,
        body: str,
        on_new_message: OnNewMessage,
    ) -> None:
        """Reply to one text from `sender` (already authenticated and de-duplicated)."""
        reply = await self.reply_to(account, conversation, body, on_new_message)
        if reply is not None:
            await self.deliver(account, sender, conversation, reply)

    async def reply_to(
        self,
        account: GatewayAccount,
        conversation: str,
        body: str,
        on_new_message: OnNewMessage,
    ) -> Reply | None:
        """What to send back, if anything: STOP/START keywords, a numbered choice, or
        the assistant's answer fitted to the council's segment cap."""
        store = self.store
        keyword = re.sub(r"[^A-Z]", "", body.upper())
        opted_out = store.is_opted_out(conversation)
        council = account.council.name
        if keyword in OPT_OUT_WORDS:
            store.opt_out(conversation)
            if not self.confirms_opt_out:
                return None
            return Reply(
                f"You won't get any more texts from the {council} assistant. "
                "Text START to start again.",
                notice=True,
            )
        if opted_out:
            if keyword not in OPT_IN_WORDS:
                return None  # no texts at all until START
            store.opt_in(conversation)
            if not self.confirms_opt_out:
                return None
            return Reply(f"You can text the {council} assistant again. What do you need help with?")
        text = body.strip()[:MAX_INBOUND_CHARS]
        choice = picked_choice(text, store.offered_choices(conversation))
        # A typed "/payload" is words; only a picked choice sends a payload (payloads.py).
        text = choice.payload if choice is not None else as_typed(text, frozenset())
        collector = CollectingOutputChannel()
        await on_new_message(
            UserMessage(
                text,
                collector,
                conversation,
                input_channel=self.name(),
                metadata={"council": account.council.id},
            )
        )
        composed = compose(collector.messages, CHOICE_PROMPT)
        store.offer_choices(conversation, composed.choices)
        said = composed.text or ("" if is_silent_command(text) else apology(account.council))
        fitted = shorten(said, account.max_segments, account.council.website)
        return Reply(fitted) if fitted else None

    async def deliver(
        self,
        account: GatewayAccount,
        to: str,
        conversation: str,
        reply: Reply,
        origin: str | None = None,
    ) -> None:
        """Send `reply` from `origin` (default: the account's first number), unless the
        number has opted out meanwhile (a STOP confirmation still goes)."""
        if reply.notice or not self.store.is_opted_out(conversation):
            await asyncio.to_thread(
                self.send, account, origin or account.numbers[0], to, reply.text
            )

    def required_secret(self, account: GatewayAccount, name: str) -> str:
        """A secret the gateway needs; a clear 503 when its variable is not set."""
        value = account.secret(name, self.settings.environ)
        if value is None:
            variable = account.secret_env.get(name, f"sms.{self.gateway}.{name}_env")
            raise SmsRejected(
                503,
                f"SMS on {self.gateway} is not configured for {account.council.id}: "
                f"set {variable}.",
            )
        return value

    def api_url(self, default: str) -> str:
        """The gateway's API base URL: `ASSISTANT_<GATEWAY>_API_URL`, else the real one."""
        return self.settings.api_urls.get(self.gateway, default)
