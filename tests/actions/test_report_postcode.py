"""A street report whose council's Open311 service needs a map point: the postcode is
asked before the summary (not after the yes), never asked twice, and when the service
definition cannot be read nothing changes from before. Wealdshire's demo Open311
server requires easting and northing, as mySociety's open311-adapter does."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.confirmation import AskConfirmation
from actions.details_form import ValidateDetailsForm
from actions.streets import ReportPothole
from assistant.backoffice.registry import BackOffice
from assistant.councils import default_registry
from assistant.routing import runtime as action_runtime
from devtools.demo_backoffice import models
from tests.actions.conftest import demo_backoffice
from tests.backoffice.conftest import DemoBackOfficeServer
from tests.conftest import make_tracker, run

POSTCODE = "MQ1 1AA"  # in the postcode data, with easting 486200 and northing 168400
WEALDSHIRE_POTHOLE = {"council": "wealdshire", "pending_action": "action_report_pothole"}
NEEDS = {"report_needs_point": True}


def validate_location(said: str, **slots: Any) -> tuple[dict[str, Any], list[str]]:
    tracker = make_tracker(slots={**WEALDSHIRE_POTHOLE, **slots}, text=said)
    dispatcher = CollectingDispatcher()
    result = run(ValidateDetailsForm().validate_report_location(said, dispatcher, tracker, {}))
    return result, [m["response"] for m in dispatcher.messages]


def validate_postcode(said: str) -> tuple[dict[str, Any], list[str]]:
    slots = {**WEALDSHIRE_POTHOLE, "report_location": "Station Road", "report_needs_point": True}
    tracker = make_tracker(slots=slots, text=said)
    dispatcher = CollectingDispatcher()
    result = run(ValidateDetailsForm().validate_report_postcode(said, dispatcher, tracker, {}))
    return result, [m["response"] for m in dispatcher.messages]


def test_a_location_without_a_postcode_is_followed_by_the_postcode_question(
    wealdshire: BackOffice,
) -> None:
    result, said = validate_location("Station Road, opposite the library")
    assert result == {"report_location": "Station Road, opposite the library", **NEEDS}
    assert said == []
    tracker = make_tracker(slots={**WEALDSHIRE_POTHOLE, **result})
    # Asked after the location and before the yes: the summary waits for it.
    assert ReportPothole().required_details(tracker) == [
        "report_location",
        "report_postcode",
        "confirmation",
    ]


@pytest.mark.parametrize(
    ("location", "slots"),
    [
        (f"outside 3 Mill Street, {POSTCODE}", {}),  # in the location
        ("Station Road", {"postcode": POSTCODE}),  # the conversation's
        ("Station Road", {"report_postcode": POSTCODE}),  # in the first message
    ],
)
def test_a_postcode_already_given_is_not_asked_again(
    wealdshire: BackOffice, location: str, slots: dict[str, Any]
) -> None:
    result, _ = validate_location(location, **slots)
    assert result["report_needs_point"] is False
    tracker = make_tracker(slots={**WEALDSHIRE_POTHOLE, **slots, **result})
    assert "report_postcode" not in ReportPothole().required_details(tracker)


def test_a_service_without_required_coordinates_asks_no_postcode(
    demo: DemoBackOfficeServer,
) -> None:
    action_runtime.configure(demo_backoffice(demo, "brackenbury"))
    try:
        result, said = validate_location("Station Road", council="brackenbury")
    finally:
        action_runtime.configure(None)
    assert result["report_needs_point"] is False and said == []


def test_when_the_definition_cannot_be_read_nothing_is_asked_or_said(
    demo: DemoBackOfficeServer, wealdshire: BackOffice
) -> None:
    demo.fault("wealdshire", "down")
    result, said = validate_location("Station Road, opposite the library")
    # As before: the summary and the yes come next, and the write says what to do.
    assert result["report_needs_point"] is False and said == []


@pytest.mark.parametrize(
    ("answer", "kept", "said"),
    [
        (f"it's {POSTCODE.lower()}", POSTCODE, []),
        ("near the church", None, ["utter_postcode_invalid"]),
        ("MQ9 9ZZ", None, ["utter_report_postcode_unknown"]),  # not in the postcode data
    ],
)
def test_the_postcode_answer_is_checked_against_the_postcode_data(
    wealdshire: BackOffice, answer: str, kept: str | None, said: list[str]
) -> None:
    result, responses = validate_postcode(answer)
    assert result == {"report_postcode": kept} and responses == said


def test_the_summary_names_the_postcode_and_the_yes_files_with_its_point(
    demo: DemoBackOfficeServer, wealdshire: BackOffice
) -> None:
    slots = {
        **WEALDSHIRE_POTHOLE,
        "report_location": "Station Road",
        "report_postcode": POSTCODE,
        "report_needs_point": True,
        "report_description": "deep pothole",
    }
    dispatcher = CollectingDispatcher()
    run(AskConfirmation().run(dispatcher, make_tracker(slots=slots), {}))
    assert dispatcher.messages[0]["location"] == f"Station Road, {POSTCODE}"
    council = default_registry().get("wealdshire")
    assert council is not None
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={**slots, "confirmation": "yes"})
    events = run(ReportPothole().answer(dispatcher, tracker, {}, council))
    assert dispatcher.messages[0]["response"] == "utter_pothole_reported"
    with Session(demo.app.engine) as session:
        [record] = session.execute(select(models.ServiceRequest)).scalars()
    assert (record.easting, record.northing) == (486200, 168400)
    cleared = {e["name"] for e in events if e.get("value") is None}
    assert {"report_postcode", "report_needs_point"} <= cleared
