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
from assistant.answers.catalogue import Catalogue, load_catalogue
from assistant.answers.store import SHARED_SCOPE
from assistant.answers.usage import Usage, where_used
from assistant.insight.summary import InsightSummary
from assistant.review.audit import AuditLog
from assistant.review.suggestions import SuggestionQueue
from assistant.review.transcripts import Transcripts
from assistant.staff.accounts import Accounts, StaffSession
from assistant.staff.throttle import SignInThrottle

SESSION_COOKIE = "staff_session"
SIGN_IN_CSRF_COOKIE = "staff_sign_in_csrf"
SHARED_SLUG = "shared"


class HTTPProblem(Exception):
    """Stops a request with an error page."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


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

    def usage(self) -> dict[str, Usage]:
        domain = self.book.defaults.domain
        return where_used(self.project_root, domain.answers, domain.forms)

    def page(
        self, request: Request, template: str, context: Mapping[str, Any], status: int = 200
    ) -> HTMLResponse:
        session = getattr(request.state, "staff", None)
        html = self.templates.get_template(template).render(
            request=request,
            staff=session,
            csrf_token=session.csrf_token if session else "",
            scope_label=self.scope_label,
            **context,
        )
        return HTMLResponse(html, status_code=status)

    def scope_label(self, scope: str) -> str:
        """A human name for a scope: the council's name, or "Shared defaults"."""
        if scope == SHARED_SCOPE:
            return "Shared defaults (all councils)"
        council = self.book.registry.get(scope)
        return council.name if council else scope

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
    """The URL form of a scope (`shared` for the shared defaults)."""
    return SHARED_SLUG if scope == SHARED_SCOPE else scope


def current_session(site: StaffSite, request: Request) -> StaffSession | None:
    session = site.accounts.session(request.cookies.get(SESSION_COOKIE))
    request.state.staff = session
    return session


def signed_in(site: StaffSite, request: Request) -> StaffSession:
    """The request's session; HTTPProblem 401 (sign-in page) without one."""
    session = current_session(site, request)
    if session is None:
        raise HTTPProblem(401, "Sign in", "Sign in to see and change answers.")
    return session


def administrator(site: StaffSite, request: Request) -> StaffSession:
    """The signed-in administrator (site-wide role); else HTTPProblem 401 or 403."""
    session = signed_in(site, request)
    if session.user.scope != SHARED_SCOPE:
        raise HTTPProblem(
            403, "Only for administrators", "Only administrators of the shared model can do this."
        )
    return session


def scope_of(site: StaffSite, session: StaffSession, slug: str) -> str:
    """The scope named in a URL, if this member of staff may use it; else 404/403."""
    scope = SHARED_SCOPE if slug == SHARED_SLUG else slug
    council = site.book.registry.get(scope)
    if scope != SHARED_SCOPE and (council is None or council.id != scope):
        raise HTTPProblem(404, "Council not found", f"There is no council called '{slug}'.")
    if scope != session.user.scope:
        raise HTTPProblem(
            403,
            "You cannot see these answers",
            f"Your account can only see and change the answers of "
            f"{site.scope_label(session.user.scope)}.",
        )
    return scope


async def form_of(request: Request, session: StaffSession) -> dict[str, str]:
    """A POSTed form, after checking its CSRF token against the session's."""
    form = await request.form()
    values = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    if not secrets.compare_digest(values.get("csrf_token", ""), session.csrf_token):
        raise HTTPProblem(
            403,
            "This form has expired",
            "The form was not sent from this site or your session changed. Go back, reload "
            "the page and try again.",
        )
    return values
