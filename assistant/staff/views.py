"""The staff site's pages. Each view takes the site and the request; access
checks come first (`signed_in`, `scope_of`), and every POST checks its CSRF token."""

from __future__ import annotations

import math
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from assistant.answers.book import FieldError
from assistant.answers.catalogue import Row, grouped
from assistant.answers.language import split_scope
from assistant.answers.sms import segments
from assistant.answers.store import SHARED_SCOPE, EditConflict, Override
from assistant.staff.accounts import StaffSession
from assistant.staff.answer_languages import beside, default_in_scope
from assistant.staff.interface import Interface
from assistant.staff.site import (
    SESSION_COOKIE,
    SIGN_IN_CSRF_COOKIE,
    HTTPProblem,
    StaffSite,
    current_session,
    form_of,
    interface_of,
    scope_of,
    scope_slug,
    signed_in,
)


async def health(site: StaffSite, request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def home(site: StaffSite, request: Request) -> Response:
    session = current_session(site, request)
    if session is None:
        return RedirectResponse("/sign-in", status_code=303)
    return RedirectResponse(f"/answers/{scope_slug(session.user.scope)}", status_code=303)


async def sign_in_page(
    site: StaffSite,
    request: Request,
    error: str = "",
    status: int | None = None,
    username: str = "",
) -> Response:
    token = secrets.token_urlsafe(32)
    response = site.page(
        request,
        "sign_in.html",
        {
            "sign_in_token": token,
            "error": error,
            "username": username,
            "ready": request.query_params.get("ready") is not None,
        },
        status=status or (400 if error else 200),
    )
    response.set_cookie(
        SIGN_IN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=site.secure_cookies,
        path="/sign-in",
    )
    return response


async def sign_in(site: StaffSite, request: Request) -> Response:
    form = await request.form()
    sent = str(form.get("csrf_token", ""))
    expected = request.cookies.get(SIGN_IN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(sent, expected):
        raise HTTPProblem(403, "sign_in_expired")
    username = str(form.get("username", ""))
    client = request.client.host if request.client else "unknown"
    wait = await run_in_threadpool(site.throttle.blocked_for, username, client)
    if wait > 0:
        minutes = max(1, math.ceil(wait / 60))
        key = "sign_in.too_many_one" if minutes == 1 else "sign_in.too_many"
        return await sign_in_page(
            site,
            request,
            error=interface_of(request).text(key, minutes=minutes),
            status=429,
            username=username,
        )
    # Argon2 takes a while on purpose: in a thread, so other requests are not held up.
    password = str(form.get("password", ""))
    code = str(form.get("code", ""))
    user = await run_in_threadpool(site.accounts.authenticate, username, password, code)
    if user is None:  # a wrong code counts as a failed sign-in too
        await run_in_threadpool(site.throttle.failed, username, client)
        return await sign_in_page(
            site,
            request,
            error=interface_of(request).text("sign_in.wrong"),
            username=username,
        )
    await run_in_threadpool(site.throttle.succeeded, username, client)
    response = RedirectResponse(f"/answers/{scope_slug(user.scope)}", status_code=303)
    site.set_session_cookie(response, site.accounts.start_session(user))
    response.delete_cookie(SIGN_IN_CSRF_COOKIE, path="/sign-in")
    return response


async def sign_out(site: StaffSite, request: Request) -> Response:
    session = signed_in(site, request)
    await form_of(request, session)
    site.accounts.end_session(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def answer_list(site: StaffSite, request: Request) -> Response:
    session = signed_in(site, request)
    scope = scope_of(site, session, request.path_params["scope"])
    query = request.query_params.get("q", "").strip()[:200]
    changed_only = request.query_params.get("changed") == "1"
    overrides = site.book.store.all_for(scope)
    catalogue = site.catalogue_for(request)
    rows = []
    for name in site.book.names():
        override = overrides.get(name)
        active = override if override is not None and override.active else None
        default = default_in_scope(site, scope, name)
        rows.append(
            Row(
                catalogue.entry(name),
                default.text if default else "",
                (active.text or "") if active else "",
                (active.sms_text or "") if active else "",
            )
        )
    groups = grouped(catalogue, rows, query, changed_only)
    return site.page(
        request,
        "answers.html",
        {
            "scope": scope,
            "groups": groups,
            "query": query,
            "changed_only": changed_only,
            "open_groups": bool(query or changed_only),
            "shown": sum(len(group.rows) for group in groups),
            "total": len(rows),
        },
    )


async def answer_page(site: StaffSite, request: Request) -> Response:
    session = signed_in(site, request)
    scope = scope_of(site, session, request.path_params["scope"])
    response = _response_name(site, request)
    override = site.book.store.get(scope, response)
    active = override if override is not None and override.active else None
    return _edit_page(
        site,
        request,
        scope,
        response,
        text=active.text or "" if active else "",
        sms_text=active.sms_text or "" if active else "",
        version=override.version if override else 0,
        saved=request.query_params.get("saved") is not None,
    )


async def answer_post(site: StaffSite, request: Request) -> Response:
    session = signed_in(site, request)
    scope = scope_of(site, session, request.path_params["scope"])
    response = _response_name(site, request)
    form = await form_of(request, session)
    action = form.get("action", "save")
    text = form.get("text", "").replace("\r\n", "\n").strip()
    sms_text = form.get("sms_text", "").replace("\r\n", "\n").strip()
    if action == "remove":
        text, sms_text = "", ""
    try:
        version = int(form.get("version", ""))
    except ValueError:
        raise HTTPProblem(400, "no_version") from None
    errors = [] if action == "remove" else site.book.check_edit(scope, response, text, sms_text)
    if action == "preview" or errors:
        return _edit_page(
            site,
            request,
            scope,
            response,
            text,
            sms_text,
            version,
            errors=errors,
            show_preview=not errors,
            status=400 if errors else 200,
        )
    kind = "remove" if action == "remove" else "edit"
    return _save(site, request, session, scope, response, text, sms_text, version, kind)


async def revert(site: StaffSite, request: Request) -> Response:
    session = signed_in(site, request)
    scope = scope_of(site, session, request.path_params["scope"])
    response = _response_name(site, request)
    form = await form_of(request, session)
    change = site.book.store.change(int(request.path_params["change_id"]))
    if change is None or change.scope != scope or change.response != response:
        raise HTTPProblem(404, "change_not_found")
    text, sms_text = change.before_text or "", change.before_sms or ""
    current = site.book.store.get(scope, response)
    try:
        version = int(form.get("version", ""))
    except ValueError:
        version = -1
    errors = site.book.check_edit(scope, response, text, sms_text)
    if errors:
        return _edit_page(
            site,
            request,
            scope,
            response,
            text,
            sms_text,
            current.version if current else 0,
            errors=errors,
            status=400,
        )
    kind = f"revert #{change.id}"
    return _save(
        site, request, session, scope, response, text, sms_text, version, kind, keep_typed=False
    )


async def history(site: StaffSite, request: Request) -> Response:
    session = signed_in(site, request)
    scope = scope_of(site, session, request.path_params["scope"])
    return site.page(
        request, "history.html", {"scope": scope, "changes": site.book.store.history(scope)}
    )


def _save(
    site: StaffSite,
    request: Request,
    session: StaffSession,
    scope: str,
    response: str,
    text: str,
    sms_text: str,
    version: int,
    kind: str,
    keep_typed: bool = True,
) -> Response:
    """Save the answer and go back to it; when someone else saved first, show their
    version beside what was typed (`keep_typed`) or in its place, and save nothing."""
    try:
        site.book.store.save(
            scope, response, text, sms_text, version, session.user.username, kind=kind
        )
    except EditConflict as conflict:
        latest = conflict.current
        if not keep_typed:
            text = latest.text or "" if latest else ""
            sms_text = latest.sms_text or "" if latest else ""
        return _edit_page(
            site,
            request,
            scope,
            response,
            text,
            sms_text,
            version=latest.version if latest else 0,
            conflict=latest,
            status=409,
        )
    return RedirectResponse(f"/answers/{scope_slug(scope)}/{response}?saved=1", status_code=303)


def _response_name(site: StaffSite, request: Request) -> str:
    name = request.path_params["response"]
    if site.book.default(name) is None:
        raise HTTPProblem(404, "answer_not_found", name=name)
    return name


def _edit_page(
    site: StaffSite,
    request: Request,
    scope: str,
    response: str,
    text: str,
    sms_text: str,
    version: int,
    errors: list[FieldError] | None = None,
    show_preview: bool = False,
    conflict: Override | None = None,
    saved: bool = False,
    status: int = 200,
) -> Response:
    """The page that shows and edits one answer in one scope."""
    default = default_in_scope(site, scope, response)
    catalogue = site.catalogue_for(request)
    shown = _worded(errors or [], interface_of(request))
    return site.page(
        request,
        "answer.html",
        {
            "scope": scope,
            "response": response,
            "default": default,
            "text": text,
            "sms_text": sms_text,
            "version": version,
            "errors": shown,
            "error_for": _messages_by_field(shown),
            "preview": _preview(site, scope, response, text, sms_text) if show_preview else None,
            "conflict": conflict,
            "conflict_shown": conflict is not None,
            "saved": saved,
            "usage": site.usage().get(response),
            "entry": catalogue.entry(response),
            "group_title": catalogue.group_title(catalogue.entry(response).group),
            **_placeholders(site, site.book.allowed_placeholders(scope, response)),
            "changes": site.book.store.history(scope, response, limit=50),
            "sms_max": site.book.sms_limit(scope),
            "stored": site.book.store.get(scope, response),
            "councils_overriding": _councils_overriding(site, request, scope, response),
            "beside": beside(site, scope, response),
        },
        status=status,
    )


def _preview(
    site: StaffSite, scope: str, response: str, text: str, sms_text: str
) -> dict[str, object]:
    """How an edit would read on the web and by SMS."""
    web, sms, council = site.book.preview(scope, response, text, sms_text)
    return {
        "web": web,
        "sms": sms,
        "sms_chars": len(sms),
        "sms_segments": segments(sms),
        "council": council,
    }


def _placeholders(site: StaffSite, allowed: set[str]) -> dict[str, list[str]]:
    """The placeholders an edit may use: all, the council's details (what any
    council.yml fills in) and the resident's values (what a conversation fills in)."""
    details: set[str] = set()
    for council in site.book.registry:
        details |= set(council.template_vars())
    own = allowed & details
    return {
        "placeholders": sorted(allowed),
        "council_placeholders": sorted(own),
        "other_placeholders": sorted(allowed - own),
    }


def _worded(errors: list[FieldError], ui: Interface) -> list[dict[str, str]]:
    """Each problem's field and message in the page's language (`edit_problem.<key>`)."""
    return [
        {
            "field": error.field,
            "message": error.problem.shown(
                lambda key, **values: ui.text(f"edit_problem.{key}", **values),
                ui.text(f"edit_problem.label.{error.field}"),
            ),
        }
        for error in errors
    ]


def _messages_by_field(errors: list[dict[str, str]]) -> dict[str, list[str]]:
    """Every problem's message, by the field it is about."""
    found: dict[str, list[str]] = {}
    for error in errors:
        found.setdefault(error["field"], []).append(error["message"])
    return found


def _councils_overriding(site: StaffSite, request: Request, scope: str, response: str) -> list[str]:
    """For a shared default, the councils whose own answer replaces it."""
    if split_scope(scope)[0] != SHARED_SCOPE:
        return []
    return [
        site.scope_label(other, interface_of(request))
        for other in site.book.store.scopes_overriding(response)
        if split_scope(other)[0] != SHARED_SCOPE and split_scope(other)[1] == split_scope(scope)[1]
    ]
