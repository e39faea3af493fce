"""Conversation review pages (issue 15, item 4): a council's staff read its residents'
conversations, by day and then one transcript at a time, redacted, within the
council's retention period, and never another council's (checked here, on the
server: another council's conversation is "not found"). Each transcript view is
written to the audit log. Administrators of the shared model do not read them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from assistant.answers.store import SHARED_SCOPE
from assistant.review.audit import VIEW_TRANSCRIPT, AuditLog
from assistant.review.transcripts import Transcripts
from assistant.staff.accounts import StaffSession
from assistant.staff.site import HTTPProblem, StaffSite, scope_of, signed_in

UK = ZoneInfo("Europe/London")
NOT_FOUND = HTTPProblem(404, "conversation_not_found")


def _council(site: StaffSite, request: Request) -> tuple[StaffSession, str, Transcripts]:
    session = signed_in(site, request)
    scope = scope_of(site, session, request.path_params["scope"])
    if scope == SHARED_SCOPE:
        raise HTTPProblem(404, "conversations_council_only")
    if site.transcripts is None:
        raise HTTPProblem(404, "no_conversation_store")
    return session, scope, site.transcripts


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


async def days_page(site: StaffSite, request: Request) -> Response:
    """The days with conversations in the retention period, newest first."""
    _, council, transcripts = _council(site, request)
    now = _now()
    days = await run_in_threadpool(transcripts.by_day, council, now, UK)
    return site.page(
        request,
        "conversation_days.html",
        {
            "scope": council,
            "days": {day: len(items) for day, items in days.items()},
            "cutoff": transcripts.cutoff(council, now).astimezone(UK),
        },
    )


async def day_page(site: StaffSite, request: Request) -> Response:
    """One day's conversations."""
    _, council, transcripts = _council(site, request)
    try:
        day = dt.date.fromisoformat(request.path_params["day"][:10])
    except ValueError:
        raise HTTPProblem(404, "day_not_found") from None
    days = await run_in_threadpool(transcripts.by_day, council, _now(), UK)
    items = [(info, info.started.astimezone(UK)) for info in days.get(day, [])]
    return site.page(
        request, "conversation_day.html", {"scope": council, "day": day, "items": items}
    )


async def transcript_page(site: StaffSite, request: Request) -> Response:
    """One conversation, redacted; the view is audited."""
    session, council, transcripts = _council(site, request)
    key = request.path_params["key"][:64]
    turns = await run_in_threadpool(transcripts.transcript, council, key, _now())
    if turns is None:
        raise NOT_FOUND
    audit = site.audit or AuditLog(site.book.store.engine)
    await run_in_threadpool(
        audit.record, session.user.username, session.user.scope, VIEW_TRANSCRIPT, council, key
    )
    shown = [(turn, turn.at.astimezone(UK)) for turn in turns]
    day = shown[0][1].date() if shown else None
    return site.page(
        request, "transcript.html", {"scope": council, "turns": shown, "day": day, "key": key}
    )
