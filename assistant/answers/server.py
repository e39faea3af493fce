"""The NLG server: Rasa asks it for every bot response (the `nlg` endpoint).

Request (Rasa 3.6): {"response": name, "arguments": {kwargs the action passed},
"tracker": {"slots": {...}, "latest_input_channel": ...}, "channel": {"name": ...}}.
Reply: {"text": ..., "buttons": [...], and any rich fields} for the conversation's
council and channel, the variation chosen by channel and slot conditions as Rasa's
own generator chooses it (variations.py).
Answer overrides are read for every request (one indexed query), so a change saved
on the staff site is what the next message gets. The council details its staff
changed (details_store: they replace council.yml's values, even those an action
passed) and its dated notices (notices: put before the answer) are cached per council
behind a one-query freshness check (council_extras), so they are live at once too.

Run: python -m assistant nlg --port 5065
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from assistant.answers.book import AnswerBook, Rendered
from assistant.answers.council_extras import CouncilExtras, CouncilExtrasCache
from assistant.answers.detail_fields import changed_values
from assistant.answers.language import answer_languages
from assistant.answers.notices import london_today
from assistant.answers.private_values import PRIVATE_SLOTS
from assistant.answers.seed import open_book, seed_overrides
from assistant.answers.sms import is_sms_channel
from assistant.answers.templates import render
from assistant.answers.web_text import as_text, is_web_channel
from assistant.answers.welsh import in_welsh
from assistant.councils import Council, councils_dir, default_registry
from assistant.settings import Settings

log = logging.getLogger("assistant.nlg")

COUNCIL_SLOT = "council"
COUNCIL_ARGUMENT = "council_id"  # in Council.template_vars(), passed by council actions
# Keys rasa-sdk's dispatcher always sends beside the action's own arguments.
MESSAGE_KEYS = frozenset(
    {
        "text",
        "buttons",
        "elements",
        "custom",
        "template",
        "response",
        "image",
        "attachment",
        "json_message",
        "id",
    }
)
# How values an action passed (dates, back-office values) read in each other language.
LOCALISE = {"cy": in_welsh}
# The apology for an unknown response: (English, Welsh).
FALLBACK_WITH_COUNCIL = (
    "Sorry, something went wrong on our side and I can't answer that right now. "
    "You can contact {council_name} on {council_phone}.",
    "Mae'n ddrwg gen i, aeth rhywbeth o'i le ar ein hochr ni ac alla i ddim ateb hynny "
    "ar hyn o bryd. Gallwch ffonio {council_phone} ({council_name}).",
)
FALLBACK = (
    "Sorry, something went wrong on our side and I can't answer that right now. "
    "Please try again later or contact your council.",
    "Mae'n ddrwg gen i, aeth rhywbeth o'i le ar ein hochr ni ac alla i ddim ateb hynny "
    "ar hyn o bryd. Rhowch gynnig arall arni yn nes ymlaen neu cysylltwch â'ch cyngor.",
)


def _section(body: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """`body[key]` when it is a mapping, else an empty one."""
    value = body.get(key)
    return value if isinstance(value, dict) else {}


def answer_request(
    book: AnswerBook, body: Mapping[str, Any], cache: CouncilExtrasCache | None = None
) -> dict[str, Any]:
    """The NLG reply for one Rasa request body (already parsed and shape-checked);
    the council's staff changes from `cache` (default: read afresh)."""
    response = body["response"]
    tracker = _section(body, "tracker")
    slots = _section(tracker, "slots")
    arguments = _section(body, "arguments")
    channel = _section(body, "channel")
    channel_name = channel.get("name") or tracker.get("latest_input_channel")
    channel_name = channel_name if isinstance(channel_name, str) else None
    sms = is_sms_channel(channel_name) or is_sms_channel(tracker.get("latest_input_channel"))
    # The action's own `council_id` first: an action that has just found the council
    # (from a postcode) replies before its SlotSet reaches the tracker.
    council = book.registry.get(arguments.get(COUNCIL_ARGUMENT)) or book.registry.get(
        slots.get(COUNCIL_SLOT)
    )
    extras = (cache or CouncilExtrasCache(book.store.engine)).get(council.id) if council else None
    overrides = extras.overrides if extras else {}
    web = is_web_channel(channel_name)

    def values_in(language: str) -> dict[str, object]:
        values = template_values(council, slots, arguments, language, overrides)
        if web:  # the council's own details stay as they are
            shown = template_values(council, {}, {}, language, overrides)
            values = {k: v if k in shown else as_text(v) for k, v in values.items()}
        return values

    languages = answer_languages(council, slots, response, sms)
    rendered = book.render_languages(
        response, council, languages, values_in, sms, channel=channel_name, slots=slots
    )
    values = values_in(languages[0])
    if rendered is None:
        log.warning(
            "unknown response %r requested (council %s, channel %s): sent the fallback answer",
            response,
            council.id if council else None,
            channel.get("name"),
        )
        template = (FALLBACK_WITH_COUNCIL if council else FALLBACK)[languages[0] == "cy"]
        rendered = Rendered(text=render(template, values))
    elif extras is not None:
        rendered = with_notices(extras, response, rendered)
    return rendered.to_nlg()


def with_notices(extras: CouncilExtras, response: str, rendered: Rendered) -> Rendered:
    """`rendered` with the council's notices for `response` in force today before it."""
    notices = extras.showing(response, london_today())
    if not notices:
        return rendered
    return dataclasses.replace(rendered, text="\n\n".join([*notices, rendered.text]))


def template_values(
    council: Council | None,
    slots: Mapping[str, Any],
    arguments: Mapping[str, Any],
    language: str = "en",
    overrides: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """Values for placeholders: the council's details (in `language`), then slots,
    then the action's arguments (the most specific wins), in `language`'s forms; never
    a slot holding personal data. Details the council's staff changed (`overrides`)
    win over council.yml's value, also when an action passed that value along."""
    values: dict[str, object] = dict(council.template_vars_in(language)) if council else {}
    shown = set(values)
    localise = LOCALISE.get(language)
    changed: dict[str, str] = {}
    if council is not None and overrides:
        changed = changed_values(council, overrides, language)
    for source in (slots, arguments):
        for key, value in source.items():
            if key in MESSAGE_KEYS or value is None or isinstance(value, (dict, list)):
                continue
            if source is slots and key in PRIVATE_SLOTS:
                continue
            values[str(key)] = value
    if localise is not None:
        values = {k: v if k in shown else localise(v) for k, v in values.items()}
    if council is not None:  # the council's details an action passed, in `language`
        english = council.template_vars()
        for key, value in council.template_vars_in(language).items():
            if values.get(key) == english.get(key):
                values[key] = value
    values.update(changed)
    return values


def create_app(book: AnswerBook) -> Starlette:
    """The NLG server's ASGI app around `book`."""
    cache = CouncilExtrasCache(book.store.engine)

    async def nlg(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"error": "The request body must be JSON."}, status_code=400)
        if not isinstance(body, dict) or not isinstance(body.get("response"), str):
            return JSONResponse(
                {"error": "Expected a JSON object with a `response` name (Rasa's NLG format)."},
                status_code=400,
            )
        return JSONResponse(answer_request(book, body, cache))

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "responses": len(book.names())})

    return Starlette(routes=[Route("/nlg", nlg, methods=["POST"]), Route("/health", health)])


def serve(host: str, port: int, db_url: str, domain: Path, settings: Settings) -> int:
    """Seed overrides from councils/*/answers.yml, then serve until stopped."""
    book = open_book(db_url, domain, default_registry())
    seed_overrides(book, councils_dir(settings))
    uvicorn.run(
        create_app(book),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        ws="none",  # no websockets here (and Rasa pins an older websockets)
    )
    return 0
