"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) as UK councils run it.

Endpoints, in the council's format (`json` or `xml`, the spec's required one):
`GET services.{fmt}`, `GET services/{code}.{fmt}` (a definition), `POST requests.{fmt}`
(form-encoded; `api_key` here only), `GET tokens/{token}.{fmt}`, `GET
requests/{id}.{fmt}`. `jurisdiction_id` goes on every call; the key never goes in a
URL. Error arrays (`<errors><error><code/><description/>`) are logged (codes and the
server's descriptions, never the request) and mapped to typed errors.

Our client reference travels as an attribute (`attribute[client_reference]`, and any
attribute the service definition maps to it, e.g. open311-adapter's
`fixmystreet_id`); `GET requests.{fmt}?attribute[client_reference]=...` finds a
request by it on servers that keep it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import requests

from assistant.backoffice.client import BaseClient, field, text_field, unanswered
from assistant.backoffice.errors import (
    BackOfficeBadInput,
    BackOfficeBadKey,
    BackOfficeError,
    BackOfficeMalformed,
    BackOfficeRejected,
    BackOfficeUnavailable,
    NotFound,
    ReferenceToFollow,
)
from assistant.backoffice.street_reports import FiledReport, NewReport, ReportStatus
from assistant.backoffice.vendors.open311_services import (
    ATTRIBUTE_SOURCES,
    ServiceCatalogue,
    fill,
    needs_point,
)
from assistant.backoffice.vendors.open311_wire import FORMATS, decode, errors_in

log = logging.getLogger(__name__)

CLIENT_REFERENCE = "attribute[client_reference]"
TOKEN_WAIT_SECONDS = 2.0
TOKEN_POLL_SECONDS = 0.25
REQUESTS_BEFORE_TOKEN = 3  # the service list, the definition and the POST


class Open311Client(BaseClient):
    """Raw GeoReport v2 client for one endpoint, format and jurisdiction."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        timeout: float = 3.0,
        session: requests.Session | None = None,
        fmt: str = "json",
        jurisdiction_id: str | None = None,
    ) -> None:
        super().__init__(base_url, api_key, timeout, session)
        if fmt not in FORMATS:
            raise ValueError(f"Open311 format must be one of {FORMATS}")
        self.fmt = fmt
        self.jurisdiction_id = jurisdiction_id

    def _jurisdiction(self) -> dict[str, str]:
        return {"jurisdiction_id": self.jurisdiction_id} if self.jurisdiction_id else {}

    def services(self) -> Any:
        """GET services.{fmt}: the service list."""
        return self.call("GET", "services")

    def definition(self, service_code: str) -> Any:
        """GET services/{code}.{fmt}: a service definition."""
        return self.call("GET", f"services/{quote(service_code, safe='')}")

    def create_request(self, form: Mapping[str, str]) -> Any:
        """POST requests.{fmt}: a new service request (the key in the form)."""
        return self.call("POST", "requests", data={**form, "api_key": self._api_key})

    def token(self, token: str) -> Any:
        """GET tokens/{token}.{fmt}: the request id a token became, once it has one."""
        return self.call("GET", f"tokens/{quote(token, safe='')}")

    def requests_with(self, client_reference: str) -> Any:
        """GET requests.{fmt} filtered by our client reference: a list of requests."""
        return self.call("GET", "requests", params={CLIENT_REFERENCE: client_reference})

    def service_request(self, service_request_id: str) -> Any:
        """GET requests/{id}.{fmt}: one service request (a one-item list)."""
        return self.call("GET", f"requests/{quote(service_request_id, safe='')}")

    def call(self, method: str, stem: str, **kwargs: Any) -> Any:
        """One GeoReport call; the decoded body, or a typed error."""
        url = f"{self.base_url}/{stem}.{self.fmt}"
        if method == "GET":
            kwargs["params"] = {**kwargs.get("params", {}), **self._jurisdiction()}
        else:
            kwargs["data"] = {**kwargs.get("data", {}), **self._jurisdiction()}
        accept = "application/json" if self.fmt == "json" else "text/xml"
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, url, headers={"Accept": accept}, timeout=self.timeout, **kwargs
            )
        except requests.RequestException as error:
            failure = unanswered(error)
            raise failure(f"{method} {url} failed: {type(error).__name__}") from error
        finally:
            log.debug("%s %s took %.1f ms", method, url, (time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            raise self._failure(method, url, response)
        return decode(response.content, self.fmt)

    def _failure(self, method: str, url: str, response: requests.Response) -> BackOfficeError:
        status = response.status_code
        try:
            errors = errors_in(decode(response.content, self.fmt))
        except BackOfficeMalformed:
            errors = []
        log.warning("Open311 %s %s: HTTP %s, errors %s", method, url, status, errors)
        what = f"{method} {url}: HTTP {status} {errors}"
        failures: dict[int, Callable[[str], BackOfficeError]] = {
            400: BackOfficeBadInput,
            401: BackOfficeBadKey,
            403: BackOfficeBadKey,
            404: NotFound,
        }
        if status >= 500 or status == 429:
            return BackOfficeUnavailable(what)
        return failures.get(status, BackOfficeRejected)(what)


class Open311StreetReports:
    """StreetReportService over an Open311 GeoReport v2 endpoint."""

    def __init__(
        self,
        client: Open311Client,
        attribute_sources: Mapping[str, str] | None = None,
        cache_seconds: float | None = None,
        token_wait: float = TOKEN_WAIT_SECONDS,
    ) -> None:
        self.client = client
        self.sources = {**ATTRIBUTE_SOURCES, **(attribute_sources or {})}
        self.catalogue = ServiceCatalogue(client.services, client.definition)
        if cache_seconds is not None:
            self.catalogue.ttl = cache_seconds
        self.token_wait = token_wait

    def write_seconds(self) -> float:
        """One report's bound: the service list and definition, the POST, then
        following a token for `token_wait` and the poll under way then."""
        return self.client.timeout * REQUESTS_BEFORE_TOKEN + self.token_wait + self.client.timeout

    def service_codes(self) -> list[str]:
        return list(self.catalogue.services(refresh=True))

    def needs_point(self, service_code: str) -> bool:
        return needs_point(self.catalogue.attributes(service_code), self.sources)

    def create(self, report: NewReport) -> FiledReport:
        attributes = self.catalogue.attributes(report.service_code)
        form = {
            "service_code": report.service_code,
            "description": report.description,
            **fill(attributes, report, self.sources),
        }
        if report.address_string:
            form["address_string"] = report.address_string
        if report.address_id:
            form["address_id"] = report.address_id
        if report.client_reference:
            form[CLIENT_REFERENCE] = report.client_reference
        if report.latitude is not None and report.longitude is not None:
            form["lat"], form["long"] = f"{report.latitude:.6f}", f"{report.longitude:.6f}"
        first = field(self.client.create_request(form), 0)
        if not isinstance(first, dict):
            raise BackOfficeMalformed("the POST answer is not a request")
        notice = _notice(first)
        if first.get("service_request_id") not in (None, ""):
            return FiledReport(text_field(first, "service_request_id"), notice)
        token = text_field(first, "token")  # no id and no token: malformed
        reference = self._await_token(token)
        if reference is None:
            raise ReferenceToFollow(token)
        return FiledReport(reference, notice)

    def _await_token(self, token: str) -> str | None:
        """The id the token became, polling for at most `token_wait` seconds."""
        deadline = time.monotonic() + self.token_wait
        while True:
            reference = self._token_reference(token)
            if reference is not None or time.monotonic() >= deadline:
                return reference
            time.sleep(TOKEN_POLL_SECONDS)

    def _token_reference(self, token: str) -> str | None:
        try:
            answer = self.client.token(token)
        except NotFound:  # not processed yet, on servers that answer so
            return None
        if not isinstance(answer, list) or not answer or not isinstance(answer[0], dict):
            return None
        found = answer[0].get("service_request_id")
        return str(found) if found not in (None, "") else None

    def find(self, client_reference: str, token: str | None = None) -> FiledReport | None:
        if token:
            reference = self._token_reference(token)
            if reference is None:
                raise ReferenceToFollow(token)
            return FiledReport(reference)
        found = self.client.requests_with(client_reference)
        if not isinstance(found, list):
            raise BackOfficeMalformed("requests is not a list")
        return FiledReport(text_field(found, 0, "service_request_id")) if found else None

    def status(self, reference: str) -> ReportStatus:
        if not reference.strip() or len(reference) > 64:
            raise NotFound("not a service request id")
        # 400/403 here are our problem (bad input, bad key), never "no such report".
        record = field(self.client.service_request(reference), 0)
        notes = record.get("status_notes") if isinstance(record, dict) else None
        return ReportStatus(
            reference=text_field(record, "service_request_id"),
            service_name=text_field(record, "service_name"),
            status=text_field(record, "status"),
            status_notes=notes if isinstance(notes, str) and notes else None,
        )


def _notice(answer: Any) -> str | None:
    notice = answer.get("service_notice") if isinstance(answer, dict) else None
    return notice.strip()[:500] if isinstance(notice, str) and notice.strip() else None
