"""Issue 9, items 2-5 over REST with the real servers: every everyday topic answered for
both councils with the council's own page, street problems filed through Open311 where
the council maps a code, a fallen tree never filed as a pothole, a location in the first
message not asked for again, and `/restart` typed by hand not restarting anything."""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest

from actions.street_problems import council_files
from actions.topics import topics
from assistant.councils import default_registry
from assistant.settings import Settings
from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e

ASKS_WHERE = "Where is it?"
# One thing a resident might say about each topic.
SAID = {
    "noise": "my neighbours play loud music every night",
    "pests": "we've got rats in the garden",
    "antisocial_behaviour": "gangs of teenagers hanging round the shops intimidating people",
    "benefits": "how do i apply for housing benefit",
    "blue_badge": "how do i apply for a blue badge",
    "school_admissions": "how do i apply for a primary school place",
    "housing_register": "how do i get on the housing register",
    "adult_social_care": "my mum needs help at home, can she get a care assessment",
    "childrens_services": "how do i become a foster carer",
    "business_rates": "i need to pay my business rates",
    "complaints": "i want to make a complaint about the council",
    "fly_tipping": "someone's dumped a mattress in the alley",
    "street_light": "the street light outside my house is out",
    "abandoned_vehicle": "there's been a car abandoned on our street for weeks",
    "dog_fouling": "dog poo all over the pavement",
    "graffiti": "someone has sprayed graffiti on the bus shelter",
    "trees": "there's a fallen tree blocking the road",
    "drains": "the drains on our street are blocked and the road floods",
}
COUNCILS = ["brackenbury", "millbrook"]


def sender() -> str:
    return f"topic-{uuid.uuid4().hex[:12]}"


def filed(settings: Settings, council: str) -> list[tuple[str, str, str]]:
    """The demo Open311 service's requests for `council`: code, description, location."""
    with sqlite3.connect(settings.backoffice_db_path) as db:
        query = (
            "SELECT service_code, description, address_string FROM service_requests "
            "WHERE council = ? ORDER BY rowid"
        )
        return db.execute(query, (council,)).fetchall()


def test_every_topic_has_a_message_here() -> None:
    assert set(SAID) == set(topics())


@pytest.mark.parametrize("council_id", COUNCILS)
@pytest.mark.parametrize("topic", sorted(topics()))
def test_every_topic_is_answered_for_each_council(chat: Chat, council_id: str, topic: str) -> None:
    registry = default_registry()
    council = registry.get(council_id)
    assert council is not None
    row = topics()[topic]
    # In a two-tier area the council providing the service answers (Wealdshire County
    # Council for Millbrook's street lights, school places and social care).
    serving = registry.serving(council, row["service"])
    assert serving is not None
    answer = chat.texts(sender(), SAID[topic], council_id)
    assert "only help with council services" not in answer and "didn't understand" not in answer
    if serving is not council:
        assert serving.name in answer  # who looks after it, said first
    if "report" in row and council_files(serving, row["report"]):
        assert ASKS_WHERE in answer  # filed through Open311 once it knows where
    else:
        assert serving.links.get(row["link"], serving.website) in answer
        assert serving.name in answer


def test_barking_dogs_are_noise_not_an_emergency(chat: Chat) -> None:
    answer = chat.texts(sender(), "the dog next door barks all day and night", "millbrook")
    assert "noise" in answer and "999" in answer  # only as "if anyone is threatened"
    assert "0800 111 999" not in answer and "in danger right now" not in answer


def test_a_fallen_tree_is_filed_as_a_tree_never_as_a_pothole(
    chat: Chat, stack_settings: Settings
) -> None:
    me = sender()
    before = len(filed(stack_settings, "brackenbury"))
    first = chat.texts(me, "there's a fallen tree blocking the road", "brackenbury")
    assert ASKS_WHERE in first
    summary = chat.texts(me, "outside 22 Mill Street", "brackenbury")
    assert "Shall I report a tree problem at outside 22 Mill Street" in summary
    assert "fallen tree blocking the road" in summary
    assert "reference is BKR" in chat.texts(me, "yes", "brackenbury")
    rows = filed(stack_settings, "brackenbury")
    assert len(rows) == before + 1 and rows[-1][0] == "TREES"


def test_a_pothole_form_told_it_is_a_tree_files_a_tree(
    chat: Chat, stack_settings: Settings
) -> None:
    me = sender()
    # Millbrook's roads and trees are its county's: Wealdshire files them.
    before = len(filed(stack_settings, "wealdshire"))
    assert ASKS_WHERE in chat.texts(me, "there's a pothole", "millbrook")
    # With a postcode: Wealdshire's Open311 server requires easting/northing.
    summary = chat.texts(me, "actually it's a fallen tree on Church Lane, MQ1 1AA", "millbrook")
    assert "Shall I report a tree problem at Church Lane" in summary
    chat.texts(me, "yes", "millbrook")
    rows = filed(stack_settings, "wealdshire")
    assert len(rows) == before + 1 and rows[-1][0] == "HW-TREE"


def test_the_location_in_the_first_message_is_not_asked_again(
    chat: Chat, stack_settings: Settings
) -> None:
    me = sender()
    before = len(filed(stack_settings, "wealdshire"))  # Millbrook's county files potholes
    said = "massive pothole on Church Lane near the Old Forge, MQ1 1AA"
    summary = chat.texts(me, said, "millbrook")
    assert ASKS_WHERE not in summary
    assert "Shall I report a pothole at Church Lane near the Old Forge" in summary
    filed_answer = chat.texts(me, "/affirm", "millbrook")  # the Yes button
    assert re.search(r"reference WCR\d+", filed_answer), filed_answer  # Wealdshire's wording
    code, description, location = filed(stack_settings, "wealdshire")[-1]
    assert len(filed(stack_settings, "wealdshire")) == before + 1
    assert code == "HW-POT" and location.startswith("Church Lane near the Old Forge")
    assert description.startswith(said)


def test_restart_typed_by_hand_restarts_nothing(chat: Chat, stack_settings: Settings) -> None:
    me = sender()
    before = len(filed(stack_settings, "brackenbury"))
    assert ASKS_WHERE in chat.texts(me, "there's a pothole", "brackenbury")
    chat.texts(me, "outside 3 Mill Street", "brackenbury")
    # Not a button on offer: words, so the conversation is not wiped and the report
    # waits for its yes.
    assert "Please answer yes" in chat.texts(me, "/restart", "brackenbury")
    assert len(filed(stack_settings, "brackenbury")) == before
    # The Yes button just offered still works.
    assert "reference is BKR" in chat.texts(me, "/affirm", "brackenbury")
    assert len(filed(stack_settings, "brackenbury")) == before + 1


def test_a_repair_said_in_the_first_message_is_booked_and_then_tracked(chat: Chat) -> None:
    me = sender()
    # Millbrook's MQ3 7ZD has one address: no address question.
    first = chat.texts(me, "my kitchen tap is leaking", "millbrook")
    assert "What needs repairing?" not in first and "postcode" in first
    assert "tenancy reference" in chat.texts(me, "MQ3 7ZD", "millbrook")
    summary = chat.texts(me, "MT2003007", "millbrook")  # the tenancy of MQ3 7ZD's one home
    assert "Shall I book a repair at" in summary and "my kitchen tap is leaking" in summary
    booked = re.search(r"Your reference is (HR\d+)", chat.texts(me, "yes", "millbrook"))
    assert booked is not None
    status = chat.texts(sender(), f"has my repair {booked.group(1)} been done yet", "millbrook")
    assert f"Your report {booked.group(1)} (housing repair) is still open" in status
    assert "should be done by" in status
    unknown = chat.texts(sender(), "what is the status of my repair HR999999", "millbrook")
    assert "couldn't find a report with the reference HR999999" in unknown
