"""Issue 9, items 2 and 3: everyday topics from one data table, street problems filed
as the kind the resident named, and details reused from the first message."""

from __future__ import annotations

import pytest
import yaml
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import council_action_named
from actions.street_problems import council_files, location_in, problem_named
from actions.streets import StreetReport
from actions.topics import TOPIC_ACTIONS, topics
from assistant.councils import default_registry
from assistant.councils.schema import Links
from tests.conftest import make_tracker, run
from tests.test_domain import DOMAIN

COUNCILS = default_registry()


def test_every_topic_row_has_an_intent_action_response_and_a_known_link() -> None:
    for name, row in topics().items():
        assert row["intent"] in DOMAIN["intents"], name
        assert f"action_{row['intent']}" in DOMAIN["actions"], name
        assert row["response"] in DOMAIN["responses"], name
        assert row["link"] in Links.__fields__, name
        assert row.get("service"), f"{name} names no service (two-tier mapping)"
        assert council_action_named(f"action_{row['intent']}") is not None


@pytest.mark.parametrize("council_id", ["brackenbury", "millbrook"])
@pytest.mark.parametrize("topic", [t for t, row in topics().items() if "report" not in row])
def test_a_topic_answers_with_the_councils_own_page(council_id: str, topic: str) -> None:
    council = COUNCILS.get(council_id)
    assert council is not None
    dispatcher = CollectingDispatcher()
    run(TOPIC_ACTIONS[topic]().run(dispatcher, make_tracker(slots={"council": council_id}), {}))
    *before, message = dispatcher.messages
    # In a two-tier area the council providing the topic's service answers (Millbrook's
    # residents are told Wealdshire County Council looks after school places).
    serving = COUNCILS.serving(council, topics()[topic]["service"])
    assert serving is not None
    if serving is not council:
        assert [m["response"] for m in before] == ["utter_service_handled_by"]
    else:
        assert before == []
    assert message["response"] == topics()[topic]["response"]
    assert message["topic_link"] == serving.links[topics()[topic]["link"]]
    assert message["council_name"] == serving.name


def test_a_street_problem_the_council_does_not_file_gets_the_link_answer() -> None:
    millbrook = COUNCILS.get("millbrook")
    assert millbrook is not None and not council_files(millbrook, "graffiti")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"council": "millbrook"}, text="graffiti on the bus shelter")
    events = run(TOPIC_ACTIONS["graffiti"]().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_report_graffiti"]
    assert FollowupAction("details_form") not in events


def test_a_street_problem_the_council_files_asks_where_then_confirms() -> None:
    brackenbury = COUNCILS.get("brackenbury")
    assert brackenbury is not None and council_files(brackenbury, "graffiti")
    tracker = make_tracker(
        slots={"council": "brackenbury"}, text="graffiti all over the bus shelter"
    )
    events = run(TOPIC_ACTIONS["graffiti"]().run(CollectingDispatcher(), tracker, {}))
    assert FollowupAction("details_form") in events
    assert SlotSet("report_description", "graffiti all over the bus shelter") in events


def test_a_fallen_tree_told_as_a_pothole_is_handed_to_the_tree_report() -> None:
    pothole = council_action_named("action_report_pothole")
    assert isinstance(pothole, StreetReport)
    tracker = make_tracker(
        slots={"council": "brackenbury"},
        text="there's a fallen tree blocking the road",
        intent="report_pothole",
    )
    events = run(pothole.run(CollectingDispatcher(), tracker, {}))
    assert FollowupAction("action_report_tree") in events
    assert FollowupAction("details_form") not in events


def test_a_pothole_stays_a_pothole() -> None:
    pothole = council_action_named("action_report_pothole")
    assert pothole is not None
    tracker = make_tracker(
        slots={"council": "brackenbury"},
        text="massive pothole on Church Lane near the Old Forge",
        intent="report_pothole",
    )
    events = run(pothole.run(CollectingDispatcher(), tracker, {}))
    assert FollowupAction("details_form") in events
    assert SlotSet("report_location", "Church Lane near the Old Forge") in events


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("there's a fallen tree blocking the road", "tree"),
        ("a tree has come down across the lane", "tree"),
        ("massive pothole on the high street", "pothole"),
        ("abandoned car dumped on Mill Lane", "abandoned_vehicle"),
        ("someone dumped a sofa outside my house", "fly_tipping"),
        ("dog poo all over the path", "dog_fouling"),
        ("the drains are blocked and the road floods", "drain"),
        ("street light out by the school", "street_light"),
        ("graffiti on the bridge", "graffiti"),
        ("the footpath is lifting because of tree roots", None),
        ("pothole next to a fallen tree", None),  # two kinds: keep the intent's
    ],
)
def test_the_kind_comes_from_what_was_said(text: str, kind: str | None) -> None:
    assert problem_named(text) == kind


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("massive pothole on Church Lane near the Old Forge", "Church Lane near the Old Forge"),
        ("pothole outside 14 High Street, by the bus stop", "14 High Street, by the bus stop"),
        ("hole in the road on station rd", "station rd"),
        ("there's a pothole on my road", None),
        ("pothole in the road", None),
        ("a fallen tree", None),
    ],
)
def test_a_location_in_the_first_message_is_found(text: str, location: str | None) -> None:
    assert location_in(text) == location


def test_every_code_mapped_in_a_council_is_offered_by_the_demo_open311() -> None:
    from devtools.demo_backoffice.models import fixtures

    offered = fixtures()
    for council in COUNCILS:
        assert council.backoffice is not None
        codes = council.backoffice.service("street_reports").dict()["service_codes"]
        listed = {s["service_code"] for s in offered[council.id]["services"]}
        assert set(codes.values()) <= listed, council.id


def test_the_kinds_table_only_names_kinds_an_action_files() -> None:
    from actions.street_problems import KINDS_FILE
    from actions.streets import report_action_for

    kinds = yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8"))["kinds"]
    assert all(report_action_for(kind) is not None for kind in kinds)


@pytest.mark.parametrize(
    ("text", "prefilled"),
    [
        ("my kitchen tap is leaking", "my kitchen tap is leaking"),
        ("the bathroom window won't close", "the bathroom window won't close"),
        ("I need to report a repair", None),
        ("can i book a repair for my council flat please", None),
    ],
)
def test_the_repair_problem_in_the_first_message_is_not_asked_again(
    text: str, prefilled: str | None
) -> None:
    repair = council_action_named("action_housing_repair")
    assert repair is not None
    tracker = make_tracker(slots={"council": "brackenbury"}, text=text, intent="housing_repair")
    council = COUNCILS.get("brackenbury")
    assert council is not None
    events = repair.prefill(tracker, council)
    assert (SlotSet("repair_description", prefilled) in events) == (prefilled is not None)
    assert events == [] or prefilled is not None


def test_a_pothole_form_told_it_is_a_fallen_tree_files_a_tree_report() -> None:
    from actions.details_form import ValidateDetailsForm

    slots = {"council": "brackenbury", "pending_action": "action_report_pothole"}
    said = "it's not a pothole, it's a fallen tree on Mill Lane"
    tracker = make_tracker(slots=slots, text=said)
    dispatcher = CollectingDispatcher()
    result = run(ValidateDetailsForm().validate_report_location(said, dispatcher, tracker, {}))
    assert result["pending_action"] == "action_report_tree"
    assert result["report_location"] == "Mill Lane" and result["report_description"] == said


def test_a_pothole_form_told_it_is_graffiti_where_graffiti_is_a_link_stops() -> None:
    from actions.details_form import ValidateDetailsForm

    slots = {"council": "millbrook", "pending_action": "action_report_pothole"}
    said = "actually it's graffiti on the bridge"
    tracker = make_tracker(slots=slots, text=said)
    dispatcher = CollectingDispatcher()
    result = run(ValidateDetailsForm().validate_report_location(said, dispatcher, tracker, {}))
    assert result["details_stopped"] is True and result["report_location"] is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_report_graffiti"]
