"""A pothole report to Wealdshire's Open311 server (XML only, token answers, easting
and northing required) from the action: filed with the resident's reference, refused
with a clear reason before any call, or received with its reference to follow (issue 12)."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actions.backoffice_write import tell_earlier_outcomes
from actions.streets import make_report, tell_notice
from assistant.backoffice.pending import FAILED, UNKNOWN, PendingWrites, pending_writes
from assistant.backoffice.registry import BackOffice
from assistant.councils import default_registry
from assistant.postcodes import Place
from devtools.demo_backoffice import models
from tests.backoffice.conftest import DemoBackOfficeServer
from tests.conftest import make_tracker, run

WEALDSHIRE = default_registry().get("wealdshire")
assert WEALDSHIRE is not None
PLACE = Place(
    "MQ3 7ZD", "E07000991", latitude=51.2, longitude=-0.9, easting=478000, northing=151000
)


def filed(demo: DemoBackOfficeServer) -> list[Any]:
    with Session(demo.app.engine) as session:
        return list(session.execute(select(models.ServiceRequest)).scalars())


def report(tracker: Any, place: Place | None = PLACE) -> tuple[Any, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    assert WEALDSHIRE is not None
    made = run(
        make_report(
            dispatcher, tracker, WEALDSHIRE, "pothole", "Deep pothole", "Station Road", place=place
        )
    )
    if made is not None:
        tell_notice(dispatcher, WEALDSHIRE, made)
    return made, dispatcher.messages


def test_filed_with_the_point_and_the_councils_notice(
    demo: DemoBackOfficeServer, wealdshire: BackOffice, pending_store: PendingWrites
) -> None:
    made, said = report(make_tracker())
    assert made is not None and made.reference.startswith("WCR")
    [notice] = said
    assert notice["response"] == "utter_report_service_notice"
    assert "made safe" in notice["service_notice"]
    [record] = filed(demo)
    assert (record.easting, record.northing) == (478000, 151000)
    assert record.client_reference.startswith("AST-")


def test_no_postcode_is_refused_clearly_and_nothing_is_filed(
    demo: DemoBackOfficeServer, wealdshire: BackOffice, pending_store: PendingWrites
) -> None:
    tracker = make_tracker()
    made, said = report(tracker, place=None)
    assert made is None
    assert [m["response"] for m in said] == ["utter_report_needs_postcode"]  # not "not made"
    assert filed(demo) == []
    with pending_store.engine.connect() as connection:
        [state] = connection.execute(select(pending_writes.c.state)).scalars()
    assert state == FAILED


def test_a_token_without_an_id_is_received_with_the_reference_to_follow(
    demo: DemoBackOfficeServer, wealdshire: BackOffice, pending_store: PendingWrites
) -> None:
    mode = demo.app.settings["wealdshire"]["open311"]
    mode["token_delay_seconds"] = 3600  # the server has not processed it yet
    tracker = make_tracker()
    made, said = report(tracker)
    assert made is None
    assert [m["response"] for m in said] == ["utter_report_reference_to_follow"]
    [record] = pending_store.untold(tracker.sender_id)
    assert record.state == UNKNOWN and record.lookup  # the token, kept to ask again
    again, said = report(tracker)  # the resident says yes again: never a second report
    assert again is None and len(filed(demo)) == 1
    mode["token_delay_seconds"] = 0  # now processed
    dispatcher = CollectingDispatcher()
    run(tell_earlier_outcomes(dispatcher, tracker, WEALDSHIRE))
    [told] = dispatcher.messages
    assert told["response"] == "utter_write_made_later"
    assert told["reference"] == filed(demo)[0].reference
    assert len(filed(demo)) == 1
    with Session(demo.app.engine) as session:
        assert session.execute(select(func.count(models.ServiceRequest.id))).scalar_one() == 1
