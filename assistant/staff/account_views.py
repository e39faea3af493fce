"""Staff accounts on the staff site: a scope's administrator invites, deactivates
and resets its own accounts (one-time links, shown to the administrator to pass on);
anyone takes up a link to set a password and a TOTP app; everyone lists and ends
their own sessions."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from assistant.staff import totp
from assistant.staff.accounts import AccountError, Member, StaffSession, check_password
from assistant.staff.links import INVITE, RESET, AccountLinks
from assistant.staff.site import (
    SESSION_COOKIE,
    HTTPProblem,
    StaffSite,
    form_of,
    interface_of,
    scope_of,
    scope_slug,
    signed_in,
)

ISSUER = "Council assistant staff"
NO_REFERRER = {"Referrer-Policy": "no-referrer"}


def _admin_of(site: StaffSite, request: Request) -> tuple[StaffSession, str]:
    """The session and scope of an administrator of the scope in the URL; else 403/404."""
    session = signed_in(site, request)
    scope = scope_of(site, session, request.path_params["scope"])
    if not session.user.is_admin:
        raise HTTPProblem(403, "accounts_admin_only")
    return session, scope


def _member_of(site: StaffSite, request: Request, scope: str) -> Member:
    """The account in the URL, if it belongs to `scope`; else 404."""
    member = site.accounts.user(int(request.path_params["user_id"]))
    if member is None or member.id not in {m.id for m in site.accounts.members(scope)}:
        raise HTTPProblem(404, "account_not_found")
    return member


async def accounts_page(site: StaffSite, request: Request) -> Response:
    _, scope = _admin_of(site, request)
    return _accounts(site, request, scope)


def _accounts(
    site: StaffSite,
    request: Request,
    scope: str,
    typed: dict[str, str] | None = None,
    error: str = "",
    link: tuple[str, str, str] | None = None,
    status: int = 200,
) -> Response:
    response = site.page(
        request,
        "accounts.html",
        {
            "scope": scope,
            "members": site.accounts.members(scope),
            "typed": typed or {},
            "errors": [("username", error)] if error else [],
            "error": error,
            "link": link,
            "deactivated": request.query_params.get("deactivated") is not None,
        },
        status=status,
    )
    response.headers.update(NO_REFERRER)
    return response


async def invite(site: StaffSite, request: Request) -> Response:
    session, scope = _admin_of(site, request)
    form = await form_of(request, session)
    typed = {"username": form.get("username", ""), "role": form.get("role", "staff")}
    try:
        user = site.accounts.create_user(typed["username"], None, scope, role=typed["role"])
    except AccountError as problem:
        return _accounts(site, request, scope, typed, _worded(request, problem), status=400)
    token = AccountLinks(site.accounts.engine).issue(user.id, INVITE, session.user.username)
    return _accounts(site, request, scope, link=(INVITE, user.username, _link(request, token)))


async def deactivate(site: StaffSite, request: Request) -> Response:
    session, scope = _admin_of(site, request)
    await form_of(request, session)
    member = _member_of(site, request, scope)
    if member.id == session.user.id:
        raise HTTPProblem(400, "deactivate_self")
    site.accounts.deactivate(member.id)
    return RedirectResponse(f"/accounts/{scope_slug(scope)}?deactivated=1", status_code=303)


async def reset(site: StaffSite, request: Request) -> Response:
    session, scope = _admin_of(site, request)
    await form_of(request, session)
    member = _member_of(site, request, scope)
    if not member.active:
        raise HTTPProblem(400, "account_deactivated")
    token = AccountLinks(site.accounts.engine).issue(member.id, RESET, session.user.username)
    return _accounts(site, request, scope, link=(RESET, member.username, _link(request, token)))


def _link(request: Request, token: str) -> str:
    return str(request.url_for("setup", token=token))


async def setup_page(site: StaffSite, request: Request) -> Response:
    return _setup(site, request, errors=[])


async def setup_post(site: StaffSite, request: Request) -> Response:
    token = request.path_params["token"]
    links = AccountLinks(site.accounts.engine)
    pending = links.pending(token)
    if pending is None:
        return _setup(site, request, errors=[])
    form = await request.form()
    password = str(form.get("password", ""))
    errors: list[tuple[str, str]] = []
    try:
        check_password(password)
    except AccountError as problem:
        errors.append(("password", _worded(request, problem)))
    if password != str(form.get("confirm", "")):
        errors.append(("confirm", interface_of(request).text("setup.not_same")))
    step = totp.verify(pending.totp_secret, str(form.get("code", "")), None)
    if step is None:
        errors.append(("code", interface_of(request).text("setup.wrong_code")))
    if errors or step is None:
        return _setup(site, request, errors=errors, code=str(form.get("code", "")))
    if not links.redeem(token):
        return _setup(site, request, errors=[])
    await run_in_threadpool(
        site.accounts.enrol, pending.user_id, password, pending.totp_secret, step
    )
    response = RedirectResponse("/sign-in?ready=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _setup(
    site: StaffSite, request: Request, errors: list[tuple[str, str]], code: str = ""
) -> Response:
    """The page that sets a password and a TOTP app; 404 for a used or expired link."""
    pending = AccountLinks(site.accounts.engine).pending(request.path_params["token"])
    if pending is None:
        title, message = HTTPProblem(404, "link_expired").texts(interface_of(request))
        response = site.page(
            request, "error.html", {"title": title, "message": message}, status=404
        )
    else:
        response = site.page(
            request,
            "setup.html",
            {
                "pending": pending,
                "secret": totp.grouped(pending.totp_secret),
                "uri": totp.provisioning_uri(pending.totp_secret, pending.username, ISSUER),
                "errors": errors,
                "error_for": dict(errors),
                "code": code,
            },
            status=400 if errors else 200,
        )
    response.headers.update(NO_REFERRER)
    return response


async def sessions_page(site: StaffSite, request: Request) -> Response:
    session = signed_in(site, request)
    return site.page(
        request,
        "sessions.html",
        {
            "sessions": site.accounts.sessions_of(session.user.id),
            "current": session.id,
            "ended": request.query_params.get("ended") is not None,
        },
    )


async def end_session(site: StaffSite, request: Request) -> Response:
    session = signed_in(site, request)
    await form_of(request, session)
    if not site.accounts.end_session_of(session.user.id, int(request.path_params["session_id"])):
        raise HTTPProblem(404, "session_not_found")
    return RedirectResponse("/sessions?ended=1", status_code=303)


def _worded(request: Request, problem: AccountError) -> str:
    """Why an account cannot be changed, in the page's language."""
    return interface_of(request).text(f"account_problem.{problem.key}", **problem.values)
