"""What every SMS gateway channel shares.

A gateway module (`sms_twilio`, `sms_notify`) only parses its webhook, checks
that the gateway really sent it, and sends a reply through the gateway's client.
Everything else happens here, the same for every gateway:

- the number the text was sent to decides the council (`sms:` in council.yml);
- the sender's number becomes a keyed hash, the conversation id: it is never
  stored or logged as it is;
- STOP / START keywords, duplicate deliveries, numbered choices;
- the webhook is acknowledged at once; the turn runs and the reply is sent in the
  background (`sms_worker`), retried when the gateway's refusal is temporary
  (`sms_retry`);
- the reply is fitted to the council's segment cap and the gateway's own limit.

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

from assistant.councils import Council, default_registry
from assistant.rasa_plugins.channels.payloads import as_typed
from assistant.rasa_plugins.channels.sms_config import (
    GatewayAccount,
    SmsDirectory,
    SmsSettings,
    conversation_id,
    normalise_number,
)
from assistant.rasa_plugins.channels.sms_retry import (
    RetryPolicy,
    describe,
    is_permanent,
    send_with_retries,
)
from assistant.rasa_plugins.channels.sms_store import SmsStore
from assistant.rasa_plugins.channels.sms_text import Reply, compose, picked_choice, shorten
from assistant.rasa_plugins.channels.sms_worker import ReplyWorker
from assistant.rasa_plugins.shared_responses import apology, is_silent_command

log = logging.getLogger(__name__)

# Keywords as UK gateways and carriers treat them. Opt-in words other than START
# only count while the number is opted out ("yes" is otherwise an answer).
OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "YES"})
CHOICE_PROMPT = "Reply with a number to choose."
# The prompt after numbered choices in each language a council answers in (issue 13).
CHOICE_PROMPTS = {"en": CHOICE_PROMPT, "cy": "Atebwch gyda rhif i ddewis."}
MAX_INBOUND_CHARS = 1600  # the longest concatenated text a UK gateway delivers
# Each gateway's own limit on one outgoing text, in characters: Notify refuses longer
# texts with a 400; Twilio's Messages API takes a Body of at most 1,600.
GATEWAY_MAX_CHARS = {"notify": 918, "twilio": 1600}

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class SmsRejected(Exception):
    """A webhook we will not handle; `status` and `message` go back to the gateway.
    Raised while sending, it is a configuration problem no retry can cure."""

    permanent = True

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Job:
    """Where one received text's reply goes (the sender's number only in memory)."""

    account: GatewayAccount
    sender: str
    conversation: str
    origin: str
    message_id: str


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
        self.worker = ReplyWorker(settings.reply_concurrency)

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
        """Check and de-duplicate one received text, acknowledge it at once and answer
        it in the background (gateways wait only seconds for the acknowledgement)."""
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
        job = Job(account, sender, conversation, origin, inbound.message_id)
        store, key = self.store, f"{self.gateway}:{inbound.message_id}"
        if not store.claim(self.gateway, inbound.message_id):
            pending = store.pending_reply(self.gateway, inbound.message_id)
            if pending is None or self.worker.busy_with(key):
                log.info("%s: duplicate delivery of a message to %s", self.name(), conversation)
                return self.acknowledge()
            # Answered before, but its reply was never sent: send that same reply.
            self.worker.start(conversation, key, lambda: self.send_reply(job, pending))
            return self.acknowledge()
        if not self.worker.accepts():
            store.release(self.gateway, inbound.message_id)  # the retry is handled afresh
            raise SmsRejected(503, "Too many texts at once; please retry.")
        self.worker.start(
            conversation, key, lambda: self.answer_in_background(job, inbound.body, on_new_message)
        )
        return self.acknowledge()

    async def answer_in_background(self, job: Job, body: str, on_new_message: OnNewMessage) -> None:
        """Run the turn, then send its reply; a turn that fails is apologised for
        (the gateway was already told all is well, so it will not retry)."""
        try:
            reply = await self.reply_to(job.account, job.conversation, body, on_new_message)
        except Exception as error:
            log.error(
                "%s: could not answer a message to %s (%s)",
                self.name(),
                job.conversation,
                type(error).__name__,
            )
            reply = Reply(self.fit(job.account, apology(job.account.council)))
        if reply is None:
            self.store.finish(self.gateway, job.message_id)
            return
        self.store.save_reply(self.gateway, job.message_id, reply.text, reply.notice)
        await self.send_reply(job, reply)

    async def send_reply(self, job: Job, reply: Reply) -> None:
        """Send a saved reply, retrying 429/5xx; a reply that still could not be sent
        stays saved, and a redelivery of the same message sends it."""
        try:
            await self.deliver(job.account, job.sender, job.conversation, reply, job.origin)
        except Exception as error:
            if is_permanent(error):  # a retry would only be refused again: give up
                log.error(
                    "%s: the gateway refused the reply to %s for good (%s)",
                    self.name(),
                    job.conversation,
                    describe(error),
                )
                self.store.finish(self.gateway, job.message_id)
                return
            log.error(
                "%s: could not send the reply to %s (%s); kept for a redelivery",
                self.name(),
                job.conversation,
                describe(error),
            )
            return
        self.store.finish(self.gateway, job.message_id)

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
        composed = compose(collector.messages, choice_prompt(account.council))
        store.offer_choices(conversation, composed.choices)
        said = composed.text or ("" if is_silent_command(text) else apology(account.council))
        fitted = self.fit(account, said)
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
            number = origin or account.numbers[0]

            async def send() -> None:
                await asyncio.to_thread(self.send, account, number, to, reply.text)

            await send_with_retries(send, self.retry_policy)

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(self.settings.send_attempts, self.settings.retry_delay)

    def fit(self, account: GatewayAccount, text: str) -> str:
        """`text` shortened to the council's segment cap and the gateway's own limit."""
        limit = GATEWAY_MAX_CHARS.get(self.gateway)
        return shorten(text, account.max_segments, account.council.website, limit)

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


def choice_prompt(council: Council) -> str:
    """The numbered choices' prompt in each of the council's languages, its first first."""
    prompts = [CHOICE_PROMPTS[code] for code in council.languages if code in CHOICE_PROMPTS]
    return " / ".join(prompts) or CHOICE_PROMPT
