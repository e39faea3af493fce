"""The header's language switch (issue 13): `/language/cy?next=/answers/abercoed`
keeps the choice in a cookie for the session and goes back to the page, on this site
only. Open to everyone, signed in or not (the sign-in page has the switch too)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from assistant.staff.interface import INTERFACE_LANGUAGES, LANGUAGE_COOKIE, safe_return
from assistant.staff.site import HTTPProblem, StaffSite


async def switch(site: StaffSite, request: Request) -> Response:
    language = request.path_params["language"]
    if language not in INTERFACE_LANGUAGES:
        raise HTTPProblem(404, "language_not_found", language=language)
    response = RedirectResponse(safe_return(request.query_params.get("next")), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        httponly=True,
        samesite="lax",
        secure=site.secure_cookies,
        path="/",
    )
    return response
