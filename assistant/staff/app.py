"""The staff site's ASGI app: routes, security headers, templates and static files.
The pages are in `views`; what both use is in `site`."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from assistant.answers.book import AnswerBook
from assistant.insight.summary import InsightSummary
from assistant.privacy.trackers import TrackerEvents
from assistant.review.audit import AuditLog
from assistant.review.suggestions import SuggestionQueue
from assistant.review.transcripts import Transcripts
from assistant.settings import PROJECT_ROOT
from assistant.staff import (
    account_views,
    conversation_views,
    details_views,
    insight_views,
    language_views,
    review_views,
    views,
)
from assistant.staff.accounts import Accounts
from assistant.staff.site import HTTPProblem, StaffSite, interface_of, scope_slug
from assistant.staff.throttle import SignInThrottle

log = logging.getLogger("assistant.staff")

GOVUK_DIST = PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
TEMPLATES = Path(__file__).parent / "templates"
# The web chat's modules: previews render answers with its render.mjs.
CHAT_RENDERER = Path(__file__).parent.parent / "web" / "static" / "chat"
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)]")


def linkify(text: str) -> Markup:
    """HTML for an answer: web addresses become links, everything else is escaped."""
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        parts.append(str(escape(text[position : match.start()])))
        url = escape(match.group(0))
        parts.append(f'<a class="govuk-link" href="{url}" rel="noreferrer">{url}</a>')
        position = match.end()
    parts.append(str(escape(text[position:])))
    return Markup("".join(parts).replace("\n", "<br>"))


def make_templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["linkify"] = linkify
    env.globals["scope_slug"] = scope_slug
    return env


Handler = Callable[[StaffSite, Request], Awaitable[Response]]

# Sent with every page: nothing cached, never framed, and a strict CSP (no inline script).
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
}


def create_app(
    book: AnswerBook,
    accounts: Accounts,
    secure_cookies: bool = True,
    project_root: Path = PROJECT_ROOT,
    throttle: SignInThrottle | None = None,
    insight: InsightSummary | None = None,
) -> Starlette:
    """The staff site; without a `throttle`, sign-ins are counted in this process only;
    without `insight`, it has no insight pages."""
    site = StaffSite(
        book, accounts, make_templates(), secure_cookies, project_root, throttle or SignInThrottle()
    )
    site.insight = insight
    site.suggestions = SuggestionQueue(book.store.engine)
    site.audit = AuditLog(book.store.engine)
    if insight is not None:
        site.transcripts = Transcripts(TrackerEvents(insight.trackers), book.registry)

    def bind(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                response = await handler(site, request)
            except HTTPProblem as problem:
                if problem.status == 401:
                    return RedirectResponse("/sign-in", status_code=303)
                title, message = problem.texts(interface_of(request))
                response = site.page(
                    request,
                    "error.html",
                    {"title": title, "message": message},
                    status=problem.status,
                )
            for name, value in PAGE_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return endpoint

    routes = _routes(bind)
    routes.append(Mount("/static", StaticFiles(directory=Path(__file__).parent / "static")))
    routes.append(Mount("/chat", StaticFiles(directory=CHAT_RENDERER)))
    if GOVUK_DIST.is_dir():
        routes.append(Mount("/assets", StaticFiles(directory=GOVUK_DIST / "assets")))
        routes.append(Mount("/govuk", StaticFiles(directory=GOVUK_DIST)))
    else:
        log.warning("govuk-frontend not installed (%s): run `make setup`", GOVUK_DIST)
    return Starlette(routes=routes)


def _routes(
    bind: Callable[[Handler], Callable[[Request], Awaitable[Response]]],
) -> list[Route | Mount]:
    """The site's pages, each bound to the site."""
    routes: list[Route | Mount] = [
        Route("/health", bind(views.health)),
        Route("/", bind(views.home)),
        Route("/language/{language}", bind(language_views.switch), methods=["GET"]),
        Route("/sign-in", bind(views.sign_in_page), methods=["GET"]),
        Route("/sign-in", bind(views.sign_in), methods=["POST"]),
        Route("/sign-out", bind(views.sign_out), methods=["POST"]),
        Route("/answers/{scope}", bind(views.answer_list), methods=["GET"]),
        Route("/answers/{scope}/history", bind(views.history), methods=["GET"]),
        Route("/answers/{scope}/{response}", bind(views.answer_page), methods=["GET"]),
        Route("/answers/{scope}/{response}", bind(views.answer_post), methods=["POST"]),
        Route(
            "/answers/{scope}/{response}/revert/{change_id:int}",
            bind(views.revert),
            methods=["POST"],
        ),
        Route("/insight/{scope}", bind(insight_views.insight_page), methods=["GET"]),
        Route("/insight/{scope}/export.csv", bind(insight_views.insight_csv), methods=["GET"]),
        Route("/insight/{scope}/failed", bind(insight_views.failed_page), methods=["GET"]),
        *_review_routes(bind),
    ]
    return routes + _account_routes(bind)


def _review_routes(
    bind: Callable[[Handler], Callable[[Request], Awaitable[Response]]],
) -> list[Route]:
    """The review queue and conversation review pages (issue 15, items 3 and 4)."""
    review, conversations = review_views, conversation_views
    routes = [
        Route("/insight/{scope}/failed/suggest", bind(review.suggest), methods=["POST"]),
        Route("/review/suggestions", bind(review.suggestions_page), methods=["GET"]),
        Route("/review/suggestions/export.yml", bind(review.export_yaml), methods=["GET"]),
        Route(
            "/review/suggestions/{suggestion_id:int}/{decision}",
            bind(review.decide),
            methods=["POST"],
        ),
        Route("/conversations/{scope}", bind(conversations.days_page), methods=["GET"]),
        Route("/conversations/{scope}/c/{key}", bind(conversations.transcript_page)),
        Route("/conversations/{scope}/{day}", bind(conversations.day_page), methods=["GET"]),
    ]
    return routes


def _account_routes(
    bind: Callable[[Handler], Callable[[Request], Awaitable[Response]]],
) -> list[Route | Mount]:
    """Council details, notices, accounts, one-time links and sessions (issue 15, 5-6)."""
    d, a = details_views, account_views
    return [
        Route("/details/{scope}", bind(d.details_page), methods=["GET"]),
        Route("/details/{scope}", bind(d.details_post), methods=["POST"]),
        Route("/notices/{scope}", bind(d.notices_page), methods=["GET"]),
        Route("/notices/{scope}", bind(d.notices_post), methods=["POST"]),
        Route("/notices/{scope}/{notice_id:int}/remove", bind(d.notice_remove), methods=["POST"]),
        Route("/accounts/{scope}", bind(a.accounts_page), methods=["GET"]),
        Route("/accounts/{scope}/invite", bind(a.invite), methods=["POST"]),
        Route("/accounts/{scope}/{user_id:int}/deactivate", bind(a.deactivate), methods=["POST"]),
        Route("/accounts/{scope}/{user_id:int}/reset", bind(a.reset), methods=["POST"]),
        Route("/setup/{token}", bind(a.setup_page), methods=["GET"], name="setup"),
        Route("/setup/{token}", bind(a.setup_post), methods=["POST"]),
        Route("/sessions", bind(a.sessions_page), methods=["GET"]),
        Route("/sessions/{session_id:int}/end", bind(a.end_session), methods=["POST"]),
    ]
