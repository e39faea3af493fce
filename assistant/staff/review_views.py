"""The review queue pages (issue 15, item 3): staff mark a failed question as "should
have been <request>"; administrators (the shared model's maintainers) see every
council's suggestions, accept or reject them and export them as Rasa NLU YAML.
Council staff see only their own council's suggestions."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from assistant.answers.store import SHARED_SCOPE
from assistant.review.intents import intent_titles
from assistant.review.nlu_export import nlu_yaml
from assistant.review.suggestions import (
    ACCEPTED,
    REJECTED,
    STATUSES,
    SuggestionError,
    SuggestionQueue,
)
from assistant.staff.site import (
    HTTPProblem,
    StaffSite,
    administrator,
    form_of,
    scope_of,
    signed_in,
)

DECISIONS = {"accept": ACCEPTED, "reject": REJECTED}


def _queue(site: StaffSite) -> SuggestionQueue:
    if site.suggestions is None:
        raise HTTPProblem(404, "no_review_queue")
    return site.suggestions


async def suggest(site: StaffSite, request: Request) -> Response:
    """POST from the failed-questions page: queue "should have been <request>"."""
    session = signed_in(site, request)
    scope = scope_of(site, session, request.path_params["scope"])
    form = await form_of(request, session)
    queue = _queue(site)
    try:
        times = int(form.get("times", "1") or 1)
    except ValueError:
        times = 1
    try:
        added = await run_in_threadpool(
            queue.suggest,
            scope,
            form.get("text", "")[:1000],
            form.get("intent", ""),
            times,
            session.user.username,
        )
    except SuggestionError as error:
        raise HTTPProblem(400, "check_suggestion", detail=str(error)) from None
    return RedirectResponse(f"/review/suggestions?{urlencode({'added': added})}", 303)


async def suggestions_page(site: StaffSite, request: Request) -> Response:
    """The queue: every council's for administrators, else the council's own."""
    session = signed_in(site, request)
    queue = _queue(site)
    admin = session.user.scope == SHARED_SCOPE
    status = request.query_params.get("status")
    status = status if status in STATUSES else None
    council = None if admin else session.user.scope
    items = await run_in_threadpool(queue.listing, council, status)
    return site.page(
        request,
        "suggestions.html",
        {
            "items": items,
            "admin": admin,
            "status": status,
            "statuses": STATUSES,
            "added": request.query_params.get("added", ""),
        },
    )


async def decide(site: StaffSite, request: Request) -> Response:
    """POST by an administrator: accept or reject one suggestion."""
    session = administrator(site, request)
    form = await form_of(request, session)
    decision = DECISIONS.get(request.path_params["decision"])
    if decision is None:
        raise HTTPProblem(404, "no_such_decision")
    found = await run_in_threadpool(
        _queue(site).decide, request.path_params["suggestion_id"], decision, session.user.username
    )
    if not found:
        raise HTTPProblem(404, "suggestion_not_found")
    status = form.get("status", "")
    back = f"?{urlencode({'status': status})}" if status in STATUSES else ""
    return RedirectResponse(f"/review/suggestions{back}", 303)


async def export_yaml(site: StaffSite, request: Request) -> Response:
    """An administrator's download: the suggestions (accepted by default) as NLU YAML."""
    administrator(site, request)
    status = request.query_params.get("status", ACCEPTED)
    if status not in STATUSES:
        raise HTTPProblem(400, "check_status")
    items = await run_in_threadpool(_queue(site).listing, None, status)
    return Response(
        nlu_yaml(items),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="suggested-nlu-{status}.yml"'},
    )


def intent_choices() -> dict[str, str]:
    """The select's options: intent name -> plain-English title."""
    return intent_titles()
