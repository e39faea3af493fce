"""The "Council details" and "Notices" pages: a council's staff change its contact
numbers, opening hours, crisis lines and links (overriding council.yml), and put
dated notices before chosen answers. Only the council's own staff reach them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from assistant.answers.detail_fields import (
    CONTACT_FIELDS,
    DetailField,
    detail_fields,
    original_values,
    value_problem,
)
from assistant.answers.details_store import DetailStore
from assistant.answers.notices import MAX_NOTICE_CHARS, NoticeStore, london_today
from assistant.answers.store import SHARED_SCOPE
from assistant.councils import Council
from assistant.councils.crisis import CRISIS_KEYS, CRISIS_SERVICES
from assistant.staff.interface import Interface, catalogue
from assistant.staff.site import (
    HTTPProblem,
    StaffSite,
    form_of,
    interface_of,
    scope_of,
    signed_in,
)


@dataclass(frozen=True)
class DetailRow:
    """One detail on the page: what is shown in its box, and council.yml's value."""

    field: DetailField
    value: str
    file_value: str
    changed: bool
    error: str | None


def _council_scope(site: StaffSite, request: Request) -> tuple[str, str, Council]:
    """(username, scope, council) for a council page this member of staff may use."""
    session = signed_in(site, request)
    scope = scope_of(site, session, request.path_params["scope"])
    council = site.book.registry.get(scope)
    if scope == SHARED_SCOPE or council is None:
        raise HTTPProblem(404, "no_council_details")
    return session.user.username, scope, council


def detail_label(ui: Interface, field: DetailField) -> str:
    """A detail's label in the interface's language (a link's by its key in council.yml,
    `details.link.<key>`; a key the catalogue lacks as council.yml spells it)."""
    if field.language:
        base = DetailField(field.base, field.kind, field.label, field.group)
        return ui.text(f"details.in.{field.language}", label=detail_label(ui, base))
    if field.name in CONTACT_FIELDS:
        return ui.text(f"details.field.{field.name}")
    for service in CRISIS_SERVICES:
        for key in CRISIS_KEYS:
            if field.name == f"crisis_{service}_{key}":
                return ui.text(
                    "details.crisis",
                    service=ui.text(f"details.service.{service}"),
                    when=ui.text(f"details.when.{key}"),
                )
    link = f"details.link.{field.name.removeprefix('link_')}"
    if field.kind == "link" and link in catalogue(ui.language):
        return ui.text(link)
    return field.label


async def details_page(site: StaffSite, request: Request) -> Response:
    _, scope, council = _council_scope(site, request)
    return _details(site, request, scope, council, typed={}, errors={})


async def details_post(site: StaffSite, request: Request) -> Response:
    username, scope, council = _council_scope(site, request)
    form = await form_of(request, signed_in(site, request))
    fields = detail_fields(council)
    base = original_values(council)
    store = DetailStore(site.book.store.engine)
    revert = form.get("revert", "")
    if revert:
        if revert not in {field.name for field in fields}:
            raise HTTPProblem(400, "no_such_detail")
        store.save(scope, {revert: None}, username)
        return RedirectResponse(f"/details/{scope}?saved=1", status_code=303)
    typed = {field.name: form.get(field.name, "") for field in fields}
    errors: dict[str, str] = {}
    changes: dict[str, str | None] = {}
    ui = interface_of(request)
    for field in fields:
        value, problem = value_problem(field, typed[field.name])
        if problem:
            values = {**problem.values, "label": detail_label(ui, field)}
            errors[field.name] = ui.text(f"details.problem.{problem.key}", **values)
        else:
            changes[field.name] = None if value == base.get(field.name) else value
    if errors:
        return _details(site, request, scope, council, typed, errors, status=400)
    store.save(scope, changes, username)
    return RedirectResponse(f"/details/{scope}?saved=1", status_code=303)


def _details(
    site: StaffSite,
    request: Request,
    scope: str,
    council: Council,
    typed: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    store = DetailStore(site.book.store.engine)
    overrides = store.overrides(scope)
    base = original_values(council)
    fields = detail_fields(council)
    ui = interface_of(request)
    labels = {field.name: detail_label(ui, field) for field in fields}
    groups: dict[str, list[DetailRow]] = {}
    for field in fields:
        groups.setdefault(field.group, []).append(
            DetailRow(
                field,
                typed.get(field.name, overrides.get(field.name, base.get(field.name, ""))),
                base.get(field.name, ""),
                field.name in overrides,
                errors.get(field.name),
            )
        )
    return site.page(
        request,
        "details.html",
        {
            "scope": scope,
            "groups": groups,
            "errors": [(name, message) for name, message in errors.items()],
            "labels": labels,
            "has_languages": any(field.language for field in fields),
            "saved": request.query_params.get("saved") is not None and not errors,
            "changes": store.history(scope, limit=50),
        },
        status=status,
    )


async def notices_page(site: StaffSite, request: Request) -> Response:
    _, scope, _ = _council_scope(site, request)
    return _notices(site, request, scope, typed={}, errors={})


async def notices_post(site: StaffSite, request: Request) -> Response:
    username, scope, _ = _council_scope(site, request)
    session = signed_in(site, request)
    form = await request.form()
    await form_of(request, session)
    typed = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    responses = [str(value) for value in form.getlist("responses") if isinstance(value, str)]
    errors: dict[str, str] = {}
    t = interface_of(request).text
    text = " ".join(typed.get("text", "").split())
    if not text:
        errors["text"] = t("notices.enter_text")
    elif len(text) > MAX_NOTICE_CHARS:
        errors["text"] = t("notices.too_long", max=MAX_NOTICE_CHARS)
    elif any(mark in text for mark in "{}<>"):
        errors["text"] = t("notices.no_marks")
    starts = _date(typed, "starts", t("notices.real_date", label=t("notices.start_label")), errors)
    ends = _date(typed, "ends", t("notices.real_date", label=t("notices.end_label")), errors)
    if starts and ends and ends < starts:
        errors["ends-day"] = t("notices.end_before_start")
    known = set(site.book.names())
    chosen = [name for name in responses if name in known]
    if not chosen:
        errors["responses"] = t("notices.choose_answers")
    if errors or starts is None or ends is None:
        return _notices(site, request, scope, typed | {"chosen": chosen}, errors, status=400)
    NoticeStore(site.book.store.engine).add(scope, text, starts, ends, chosen, username)
    return RedirectResponse(f"/notices/{scope}?saved=1", status_code=303)


async def notice_remove(site: StaffSite, request: Request) -> Response:
    username, scope, _ = _council_scope(site, request)
    await form_of(request, signed_in(site, request))
    notice_id = int(request.path_params["notice_id"])
    if not NoticeStore(site.book.store.engine).remove(scope, notice_id, username):
        raise HTTPProblem(404, "notice_not_found")
    return RedirectResponse(f"/notices/{scope}?removed=1", status_code=303)


def _date(
    typed: dict[str, str], prefix: str, problem: str, errors: dict[str, str]
) -> dt.date | None:
    """The date of a GOV.UK date input (`<prefix>-day`, `-month`, `-year`), or None and
    `problem` in `errors`."""
    try:
        return dt.date(
            int(typed.get(f"{prefix}-year", "")),
            int(typed.get(f"{prefix}-month", "")),
            int(typed.get(f"{prefix}-day", "")),
        )
    except ValueError:
        errors[f"{prefix}-day"] = problem
        return None


def _notices(
    site: StaffSite,
    request: Request,
    scope: str,
    typed: dict[str, object],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    answers = site.catalogue_for(request)
    entries = [(name, answers.entry(name).title) for name in site.book.names()]
    return site.page(
        request,
        "notices.html",
        {
            "scope": scope,
            "notices": NoticeStore(site.book.store.engine).listed(scope),
            "today": london_today(),
            "answers": sorted(entries, key=lambda pair: pair[1].lower()),
            "titles": dict(entries),
            "typed": typed,
            "chosen": set(typed.get("chosen", []) or []),  # type: ignore[call-overload]
            "errors": errors,
            "saved": request.query_params.get("saved") is not None,
            "removed": request.query_params.get("removed") is not None,
        },
        status=status,
    )
