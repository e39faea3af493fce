"""Open311 contract tests: answers recorded from the GeoReport v2 specification and
mySociety's open311-adapter (fixtures/open311_contract.yml names each source),
replayed by a small local HTTP server against the real client."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from assistant.backoffice.errors import (
    BackOfficeBadInput,
    BackOfficeBadKey,
    BackOfficeUnavailable,
    NotFound,
    NotSent,
    ReferenceToFollow,
)
from assistant.backoffice.street_reports import NewReport
from assistant.backoffice.vendors.open311 import Open311Client, Open311StreetReports

FIXTURES = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "open311_contract.yml").read_text(encoding="utf-8")
)
KEY = "contract-secret-key"
JURISDICTION = "council.example.gov.uk"
RESIDENT_TEXT = "Deep hole outside number 14, my car tyre burst"


@dataclass
class Replay:
    """(method, path) -> fixture name (or (status, body)); every request recorded."""

    routes: dict[tuple[str, str], Any] = field(default_factory=dict)
    seen: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def paths(self, method: str) -> list[str]:
        return [r["path"] for r in self.seen if r["method"] == method]


def _handler(replay: Replay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            replay.seen.append(
                {
                    "method": method,
                    "path": parts.path,
                    "raw_path": self.path,
                    "query": parse_qs(parts.query),
                    "form": parse_qs(body),
                }
            )
            route = replay.routes.get((method, parts.path))
            if route is None:
                status, content_type, text = 404, "text/plain", "no route"
            elif isinstance(route, tuple):
                status, text = route
                content_type = "text/xml"
            else:
                fixture = FIXTURES[route]
                status, content_type, text = (
                    fixture["status"],
                    fixture["content_type"],
                    fixture["body"],
                )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.end_headers()
            self.wfile.write(text.encode("utf-8"))

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def replay() -> Iterator[Replay]:
    state = Replay()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}/open311/v2"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def reports(replay: Replay, fmt: str = "xml", **options: Any) -> Open311StreetReports:
    client = Open311Client(replay.url, KEY, 2.0, fmt=fmt, jurisdiction_id=JURISDICTION)
    return Open311StreetReports(client, **options)


def pothole(**values: Any) -> NewReport:
    given: dict[str, Any] = {
        "service_code": "001",
        "description": RESIDENT_TEXT,
        "address_string": "14 Mill Street",
        "client_reference": "AST-0123456789ABCDEF0123",
        "latitude": 51.41,
        "longitude": -0.83,
        "easting": 478123,
        "northing": 168456,
    }
    return NewReport(**{**given, **values})


def serve_adapter(replay: Replay, definition: str = "definition_adapter_xml") -> None:
    """An XML server like open311-adapter: the spec's service list, a definition."""
    replay.routes[("GET", "/open311/v2/services.xml")] = "services_xml"
    replay.routes[("GET", "/open311/v2/services/001.xml")] = definition


def test_service_list_from_the_spec_is_read(replay: Replay) -> None:
    serve_adapter(replay)
    assert reports(replay).service_codes() == ["001", "002", "003"]


def test_required_attributes_are_filled_and_the_id_and_notice_kept(replay: Replay) -> None:
    serve_adapter(replay)
    replay.routes[("POST", "/open311/v2/requests.xml")] = "post_id_xml"
    filed = reports(replay).create(pothole())
    assert filed.reference == "293944"
    assert filed.service_notice is not None and filed.service_notice.startswith("The City")
    form = replay.seen[-1]["form"]
    assert form["attribute[easting]"] == ["478123"]
    assert form["attribute[northing]"] == ["168456"]
    assert form["attribute[fixmystreet_id]"] == ["AST-0123456789ABCDEF0123"]
    assert (form["lat"], form["long"]) == (["51.410000"], ["-0.830000"])
    assert form["service_code"] == ["001"] and form["description"] == [RESIDENT_TEXT]


def test_missing_coordinates_are_refused_before_any_post(replay: Replay) -> None:
    serve_adapter(replay)
    with pytest.raises(NotSent) as refused:
        reports(replay).create(pothole(easting=None, northing=None))
    assert refused.value.reason == "location"
    assert replay.paths("POST") == []  # nothing filed


def test_a_required_attribute_we_cannot_fill_is_refused_before_any_post(
    replay: Replay,
) -> None:
    serve_adapter(replay, "definition_report_url_xml")
    with pytest.raises(NotSent) as refused:
        reports(replay).create(pothole())
    assert refused.value.reason == "details"
    assert replay.paths("POST") == []


def test_json_post_with_a_numeric_id(replay: Replay) -> None:
    replay.routes[("GET", "/open311/v2/services.json")] = (
        200,
        '[{"service_code": "001", "service_name": "Pothole", "metadata": false}]',
    )
    replay.routes[("POST", "/open311/v2/requests.json")] = "post_id_json"
    filed = reports(replay, "json").create(pothole())
    assert filed.reference == "293944"  # a JSON number, kept as text
    assert replay.paths("GET") == ["/open311/v2/services.json"]  # no definition: metadata false


def test_a_token_answer_is_followed_to_its_id(replay: Replay) -> None:
    serve_adapter(replay)
    replay.routes[("POST", "/open311/v2/requests.xml")] = "post_token_xml"
    replay.routes[("GET", "/open311/v2/tokens/12345.xml")] = "token_xml"
    filed = reports(replay).create(pothole())
    assert filed.reference == "638344"
    assert replay.paths("POST") == ["/open311/v2/requests.xml"]  # posted once


def test_a_token_with_no_id_yet_is_received_not_failed(replay: Replay) -> None:
    serve_adapter(replay)
    replay.routes[("POST", "/open311/v2/requests.xml")] = "post_token_xml"
    replay.routes[("GET", "/open311/v2/tokens/12345.xml")] = "token_pending_xml"
    service = reports(replay, token_wait=0.3)
    with pytest.raises(ReferenceToFollow) as pending:
        service.create(pothole())
    assert pending.value.token == "12345"
    assert len(replay.paths("GET")) >= 4  # the list, the definition, and at least two polls
    with pytest.raises(ReferenceToFollow):  # later, still no id: still unsure, never "none"
        service.find("AST-0123456789ABCDEF0123", "12345")
    replay.routes[("GET", "/open311/v2/tokens/12345.xml")] = "token_xml"
    found = service.find("AST-0123456789ABCDEF0123", "12345")
    assert found is not None and found.reference == "638344"


def test_the_key_travels_on_post_only_and_the_jurisdiction_on_every_call(
    replay: Replay,
) -> None:
    serve_adapter(replay)
    replay.routes[("POST", "/open311/v2/requests.xml")] = "post_token_xml"
    replay.routes[("GET", "/open311/v2/tokens/12345.xml")] = "token_xml"
    replay.routes[("GET", "/open311/v2/requests/638344.xml")] = "request_xml"
    service = reports(replay)
    service.status(service.create(pothole()).reference)
    for request in replay.seen:
        assert KEY not in request["raw_path"]
        where = request["form"] if request["method"] == "POST" else request["query"]
        assert where["jurisdiction_id"] == [JURISDICTION], request["path"]
    posts = [r for r in replay.seen if r["method"] == "POST"]
    assert [p["form"]["api_key"] for p in posts] == [[KEY]]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BackOfficeBadInput),
        (401, BackOfficeBadKey),
        (403, BackOfficeBadKey),
        (404, NotFound),
        (500, BackOfficeUnavailable),
        (503, BackOfficeUnavailable),
    ],
)
def test_error_arrays_are_mapped_and_logged_without_resident_text(
    replay: Replay, caplog: pytest.LogCaptureFixture, status: int, error: type
) -> None:
    serve_adapter(replay)
    body = FIXTURES["errors_xml"]["body"]
    replay.routes[("POST", "/open311/v2/requests.xml")] = (status, body)
    with caplog.at_level(logging.WARNING), pytest.raises(error):
        reports(replay).create(pothole())
    assert "Invalid api_key received" in caplog.text  # the server's own description
    assert RESIDENT_TEXT not in caplog.text and KEY not in caplog.text


def test_status_from_the_spec_example(replay: Replay) -> None:
    replay.routes[("GET", "/open311/v2/requests/638344.xml")] = "request_xml"
    status = reports(replay).status("638344")
    assert (status.reference, status.status) == ("638344", "closed")
    assert (status.service_name, status.status_notes) == (
        "Sidewalk and Curb Issues",
        "Duplicate request.",
    )


@pytest.mark.parametrize(("status", "error"), [(400, BackOfficeBadInput), (403, BackOfficeBadKey)])
def test_a_refused_status_lookup_is_not_no_such_report(
    replay: Replay, status: int, error: type
) -> None:
    replay.routes[("GET", "/open311/v2/requests/638344.xml")] = (
        status,
        FIXTURES["errors_xml"]["body"],
    )
    with pytest.raises(error) as raised:
        reports(replay).status("638344")
    assert not isinstance(raised.value, NotFound)


def test_ids_with_hyphens_are_kept_intact(replay: Replay) -> None:
    body = FIXTURES["request_xml"]["body"].replace("638344", "SRQ-0123-4567")
    replay.routes[("GET", "/open311/v2/requests/SRQ-0123-4567.xml")] = (200, body)
    assert reports(replay).status("SRQ-0123-4567").reference == "SRQ-0123-4567"


def test_the_service_list_is_cached_and_refreshed_on_a_miss_and_after_its_time(
    replay: Replay,
) -> None:
    serve_adapter(replay)
    replay.routes[("POST", "/open311/v2/requests.xml")] = "post_id_xml"
    now = [0.0]
    service = reports(replay)
    service.catalogue._clock = lambda: now[0]
    service.create(pothole())
    service.create(pothole())
    assert replay.paths("GET").count("/open311/v2/services.xml") == 1
    assert replay.paths("GET").count("/open311/v2/services/001.xml") == 1
    now[0] = service.catalogue.ttl + 1
    service.create(pothole())
    assert replay.paths("GET").count("/open311/v2/services.xml") == 2
    with pytest.raises(NotFound):  # a code not in the list: fetched again once, then 404
        service.create(pothole(service_code="999"))
    assert replay.paths("GET").count("/open311/v2/services.xml") == 3
    assert replay.paths("POST").count("/open311/v2/requests.xml") == 3


def test_an_xml_answer_with_entities_is_refused(replay: Replay) -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><services>&a;</services>'
    replay.routes[("GET", "/open311/v2/services.xml")] = (200, bomb)
    with pytest.raises(Exception, match="DTD"):
        reports(replay).service_codes()
