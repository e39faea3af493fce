"""Rasa's side of the NLG hop: a lean, kept-alive client of the NLG server.

Rasa 3.6's own callback client opens a new HTTP connection per bot message,
serialises the whole tracker (every event) into each request, and re-checks the
JSON schema itself on every reply: together several milliseconds per message,
growing with the conversation. This client, named in endpoints.yml as
`nlg: {type: assistant.rasa_plugins.nlg_client.CouncilNLGClient, url: ...}`, sends the same
request format with only what the NLG server reads (the tracker's `sender_id`,
`slots` and `latest_input_channel`), over one kept-alive connection pool, and
validates replies against a schema compiled once.

If the NLG server cannot answer (down, timeout, invalid reply), the resident
still gets the shared default from domain.yml, rendered by Rasa itself with the
council's details from the `council` slot (in Welsh from answers/languages/cy.yml
when the conversation is in Welsh: assistant/rasa_plugins/fallback_answers.py),
and the failure is logged: a broken
answers database never silences the assistant. At `rasa run` Rasa gives this
client no domain, so domain.yml is read once for that
(assistant/rasa_plugins/shared_responses.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from jsonschema import Draft7Validator
from rasa.core.nlg.callback import nlg_response_format_spec
from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from assistant.councils import default_registry
from assistant.rasa_plugins import fallback_answers, installed
from assistant.rasa_plugins.shared_responses import shared_responses

installed.install()  # speed-ups, log privacy, pooled trackers, lean models

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 5.0
_VALIDATOR = Draft7Validator(nlg_response_format_spec())


def nlg_request(
    response: str, tracker: DialogueStateTracker, channel: str, arguments: dict[str, Any]
) -> dict[str, Any]:
    """Rasa's NLG request format with a lean tracker (what the NLG server reads)."""
    return {
        "response": response,
        "id": None,
        "arguments": arguments,
        "tracker": {
            "sender_id": tracker.sender_id,
            "slots": tracker.current_slot_values(),
            "latest_input_channel": tracker.get_latest_input_channel(),
        },
        "channel": {"name": channel},
    }


class CouncilNLGClient(NaturalLanguageGenerator):
    """Asks the NLG server for every bot response; domain.yml if it cannot answer."""

    def __init__(self, endpoint_config: EndpointConfig, domain: Domain | None = None) -> None:
        self.url = endpoint_config.url
        timeout = endpoint_config.kwargs.get("timeout", DEFAULT_TIMEOUT_SECONDS)
        self.timeout = aiohttp.ClientTimeout(total=float(timeout))
        responses = domain.responses if domain is not None else {}
        self._fallback = TemplatedNaturalLanguageGenerator(responses) if responses else None
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _client(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=64, keepalive_timeout=30),
                timeout=self.timeout,
            )
            self._loop = loop
        return self._session

    @property
    def fallback(self) -> TemplatedNaturalLanguageGenerator:
        """domain.yml's responses: the domain Rasa gave, else the project's (read once)."""
        if self._fallback is None:
            self._fallback = TemplatedNaturalLanguageGenerator(shared_responses())
        return self._fallback

    async def close(self) -> None:
        """Close the kept-alive connections (Rasa keeps them for the server's life)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        """The NLG server's answer for `utter_action`, or domain.yml's if it fails."""
        kwargs.pop("domain_responses", None)
        kwargs.pop("response_id", None)
        body = nlg_request(utter_action, tracker, output_channel, kwargs)
        try:
            async with self._client().post(self.url, json=body) as reply:
                reply.raise_for_status()
                content = await reply.json(content_type=None)
            if isinstance(content, dict) and _VALIDATOR.is_valid(content):
                return content
            # The reply may hold slot values (addresses, references): name only its shape.
            log.error("NLG server gave an invalid reply for %s (%s)", utter_action, _shape(content))
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            log.error(
                "NLG server %s failed for %s (%s): answering from domain.yml",
                self.url,
                utter_action,
                error,
            )
        council = default_registry().get(tracker.get_slot("council"))
        return await fallback_answers.answer(
            utter_action, tracker, output_channel, kwargs, self.fallback, council
        )


def _shape(content: object) -> str:
    """What kind of value a reply was, without its values."""
    if isinstance(content, dict):
        return "an object with keys " + ", ".join(sorted(map(str, content)))
    return f"a {type(content).__name__}"
