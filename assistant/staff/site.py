"""What the staff site's app and its views share: the site itself, its cookies and
error, and the access checks every page starts with.

`signed_in` and `scope_of` enforce on the server that staff see and change only their
own council's answers (administrators: only the shared defaults).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from assistant.answers.book import AnswerBook
from assistant.answers.catalogue import BASE_LANGUAGE, Catalogue, load_catalogue
from assistant.answers.language import language_scope, settings, split_scope
from assistant.answers.store import SHARED_SCOPE
from assistant.answers.usage import Usage, where_used
from assistant.insight.summary import InsightSummary
from assistant.review.audit import AuditLog
from assistant.review.suggestions import SuggestionQueue
from assistant.review.transcripts import Transcripts
from assistant.staff.accounts import Accounts, StaffSession
from assistant.staff.interface import (
    INTERFACE_LANGUAGES,
    LANGUAGE_COOKIE,
    Interface,
    chosen_language,
)
from assistant.staff.throttle import SignInThrottle

SESSION_COOKIE = "staff_session"
SIGN_IN_CSRF_COOKIE = "staff_sign_in_csrf"
SHARED_SLUG = "shared"
# The name of each language, in that language, for the staff site's language tabs.
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}


class HTTPProblem(Exception):
    """Stops a request with an error page: its title and message are the texts of
    `problem.<key>.title` and `.message` in the interface's language."""

    def __init__(self, status: int, key: str, **values: object) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.values = values

    def texts(self, ui: Interface) -> tuple[str, str]:
        """(title, message) in `ui`'s language; a value may be a function of `ui`."""
        values = {key: v(ui) if callable(v) else v for key, v in self.values.items()}
        return (
            ui.text(f"problem.{self.key}.title"),
            ui.text(f"problem.{self.key}.message", **values),
        )


@dataclass
class StaffSite:
    """What the views need: the answer book, accounts, templates and usage."""

    book: AnswerBook
    accounts: Accounts
    templates: Environment
    secure_cookies: bool
    project_root: Path
    throttle: SignInThrottle = field(default_factory=SignInThrottle)
    catalogue: Catalogue = field(default_factory=load_catalogue)
    insight: InsightSummary | None = None  # None: no tracker store to summarise
    suggestions: SuggestionQueue | None = None
    audit: AuditLog | None = None
    transcripts: Transcripts | None = None  # None: no tracker store to read
    translations: dict[str, Catalogue] = field(default_factory=dict)

    def catalogue_for(self, request: Request) -> Catalogue:
        """The answers catalogue (titles, groups, where used) in the page's language."""
        language = interface_of(request).language
        if language == BASE_LANGUAGE:
            return self.catalogue
        if language not in self.translations:
            self.translations[language] = load_catalogue(language=language)
        return self.translations[language]

    def usage(self) -> dict[str, Usage]:
        domain = self.book.defaults.domain
        return where_used(self.project_root, domain.answers, domain.forms)

    def page(
        self, request: Request, template: str, context: Mapping[str, Any], status: int = 200
    ) -> HTMLResponse:
        session = getattr(request.state, "staff", None)
        ui = interface_of(request)
        query = request.url.query
        html = self.templates.get_template(template).render(
            request=request,
            staff=session,
            csrf_token=session.csrf_token if session else "",
            ui=ui,
            t=ui.text,
            date=ui.date,
            return_to=request.url.path + (f"?{query}" if query else ""),
            scope_label=lambda scope: self.scope_label(scope, ui),
            scope_languages=self.scope_languages,
            is_shared=lambda scope: split_scope(scope)[0] == SHARED_SCOPE,
            **context,
        )
        return HTMLResponse(html, status_code=status)

    def scope_label(self, scope: str, ui: Interface | None = None) -> str:
        """A human name for a scope: the council's name (its Welsh name on Welsh
        pages), or "Shared defaults"; with the language for answers in another
        language than English."""
        ui = ui or Interface(INTERFACE_LANGUAGES[0])
        scope, language = split_scope(scope)
        if scope == SHARED_SCOPE:
            label = ui.text("scope.shared")
        else:
            council = self.book.registry.get(scope)
            label = council.name if council else scope
            if council is not None and ui.language == "cy" and council.welsh.name:
                label = council.welsh.name
        if language != settings().default:
            label = ui.text(f"scope.in.{language}", scope=label)
        return label

    def languages_of(self, scope: str) -> tuple[str, ...]:
        """The languages a scope's answers are in (shared defaults: every language)."""
        council = self.book.registry.get(split_scope(scope)[0])
        return council.languages if council is not None else settings().languages

    def scope_languages(self, scope: str) -> list[tuple[str, str, str, bool]]:
        """(language, its name, the scope's slug in it, is it `scope`'s) for each
        language of a scope with more than one; [] otherwise."""
        base, current = split_scope(scope)
        codes = sorted(self.languages_of(base), key=lambda code: code != settings().default)
        if len(codes) < 2:
            return []
        return [
            (
                code,
                LANGUAGE_NAMES.get(code, code),
                scope_slug(language_scope(base, code)),
                code == current,
            )
            for code in codes
        ]

    def set_session_cookie(self, response: Response, token: str) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=self.secure_cookies,
            path="/",
        )


def scope_slug(scope: str) -> str:
    """The URL form of a scope (`shared` for the shared defaults; `abercoed@cy` for
    Abercoed's answers in Welsh)."""
    base, language = split_scope(scope)
    slug = SHARED_SLUG if base == SHARED_SCOPE else base
    return slug if language == settings().default else f"{slug}@{language}"


def interface_of(request: Request) -> Interface:
    """The interface in the language this member of staff chose (cookie), else English."""
    return Interface(chosen_language(request.cookies.get(LANGUAGE_COOKIE)))


def current_session(site: StaffSite, request: Request) -> StaffSession | None:
    session = site.accounts.session(request.cookies.get(SESSION_COOKIE))
    request.state.staff = session
    return session


def signed_in(site: StaffSite, request: Request) -> StaffSession:
    """The request's session; HTTPProblem 401 (sign-in page) without one."""
    session = current_session(site, request)
    if session is None:
        raise HTTPProblem(401, "sign_in")
    return session


def administrator(site: StaffSite, request: Request) -> StaffSession:
    """The signed-in administrator (site-wide role); else HTTPProblem 401 or 403."""
    session = signed_in(site, request)
    if session.user.scope != SHARED_SCOPE:
        raise HTTPProblem(403, "administrators")
    return session


def scope_of(site: StaffSite, session: StaffSession, slug: str) -> str:
    """The scope named in a URL, if this member of staff may use it; else 404/403.
    `<slug>@<language>` is the same scope's answers in a language it has."""
    slug, _, language = slug.partition("@")
    scope = SHARED_SCOPE if slug == SHARED_SLUG else slug
    council = site.book.registry.get(scope)
    if scope != SHARED_SCOPE and (council is None or council.id != scope):
        raise HTTPProblem(404, "council_not_found", name=slug)
    if scope != session.user.scope:
        raise HTTPProblem(
            403, "other_scope", scope=lambda ui: site.scope_label(session.user.scope, ui)
        )
    if language and (language == settings().default or language not in site.languages_of(scope)):
        raise HTTPProblem(404, "language_not_found", language=language)
    return language_scope(scope, language or settings().default)


async def form_of(request: Request, session: StaffSession) -> dict[str, str]:
    """A POSTed form, after checking its CSRF token against the session's."""
    form = await request.form()
    values = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    if not secrets.compare_digest(values.get("csrf_token", ""), session.csrf_token):
        raise HTTPProblem(403, "form_expired")
    return values
