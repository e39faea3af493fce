"""The staff site's insight pages (issue 15, item 2): a council's figures over a period,
as charts and tables, and as CSV. Staff see only their own council (`scope_of`);
administrators see every council together. Counts only."""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from assistant.answers.store import SHARED_SCOPE
from assistant.insight.failed import failed_questions
from assistant.insight.report import (
    Period,
    PeriodError,
    build_report,
    export_csv,
    parse_period,
)
from assistant.review.intents import intent_titles
from assistant.staff.site import HTTPProblem, StaffSite, scope_of, signed_in

# Events counted per page view at most; the rest on the next view (or by the command).
EVENTS_PER_VIEW = 50_000
MAX_GROUPS = 100  # groups of failed questions shown


def _council_and_period(site: StaffSite, request: Request) -> tuple[str, str | None, Period]:
    session = signed_in(site, request)
    scope = scope_of(site, session, request.path_params["scope"])
    if site.insight is None:
        raise HTTPProblem(404, "no_insight")
    today = dt.datetime.now(dt.timezone.utc).date()
    params = request.query_params
    try:
        period = parse_period(params.get("from", "")[:20], params.get("to", "")[:20], today)
    except PeriodError as error:
        raise HTTPProblem(400, "check_dates", detail=str(error)) from None
    return scope, None if scope == SHARED_SCOPE else scope, period


async def insight_page(site: StaffSite, request: Request) -> Response:
    scope, council, period = _council_and_period(site, request)
    assert site.insight is not None
    progress = await run_in_threadpool(site.insight.update, EVENTS_PER_VIEW)
    report = await run_in_threadpool(build_report, site.insight.engine, council, period)
    return site.page(
        request,
        "insight.html",
        {"scope": scope, "report": report, "catching_up": progress.more},
    )


async def insight_csv(site: StaffSite, request: Request) -> Response:
    scope, council, period = _council_and_period(site, request)
    assert site.insight is not None
    await run_in_threadpool(site.insight.update, EVENTS_PER_VIEW)
    body = await run_in_threadpool(export_csv, site.insight.engine, council, period)
    name = f"insight-{scope.strip('_')}-{period.start}-{period.end}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def failed_page(site: StaffSite, request: Request) -> Response:
    """Questions the assistant failed in the period, redacted and grouped."""
    scope, council, period = _council_and_period(site, request)
    assert site.insight is not None
    groups = await run_in_threadpool(
        failed_questions, site.insight.trackers, site.insight.rules, council, period
    )
    return site.page(
        request,
        "failed.html",
        {
            "scope": scope,
            "period": period,
            "groups": groups[:MAX_GROUPS],
            "more": len(groups),
            "intents": intent_titles(),
        },
    )
