"""Issue 15, item 5: council details staff change (checked, audited, revertible)
replace council.yml's in the next NLG reply, and dated notices go before answers
between their two dates (Europe/London)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from assistant.answers import server
from assistant.answers.book import AnswerBook
from assistant.answers.detail_fields import check_value, detail_fields, effective_values
from assistant.answers.details_store import DetailStore
from assistant.answers.notices import NoticeStore, london_today
from assistant.answers.seed import open_book
from assistant.councils import default_registry
from assistant.councils.schema import Crisis
from assistant.settings import PROJECT_ROOT

NEW_PHONE = "01632 961 234"


@pytest.fixture()
def book(tmp_path: Path) -> AnswerBook:
    return open_book(
        f"sqlite:///{tmp_path}/answers.db", PROJECT_ROOT / "domain.yml", default_registry()
    )


def field(name: str) -> object:
    council = default_registry().get("millbrook")
    assert council is not None
    return next(f for f in detail_fields(council) if f.name == name)


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("council_phone", "01632 961 234", None),
        ("council_phone", "+44 1632 961234", None),
        ("council_phone", "0800 123 4567", None),
        ("council_phone", "999", None),
        ("council_phone", "+33 1 23 45 67 89", "+44"),
        ("council_phone", "01632 96", "10 or 11 digits"),
        ("council_phone", "call 01632 961234", "digits, spaces and brackets"),
        ("council_phone", "", "Enter the"),
        ("crisis_children_out_of_hours_phone", "1632961234", "starting 0"),
        ("link_bins", "https://www.millbrook.example.gov.uk/bins/xmas", None),
        ("link_bins", "http://www.millbrook.example.gov.uk/bins", "https://"),
        ("link_bins", "javascript:alert(1)", "https://"),
        ("link_bins", "https://" + "a" * 300 + ".uk", "300 characters"),
        ("council_opening_hours", "Monday to Friday, 9am to 4pm", None),
        ("council_opening_hours", "x" * 201, "200 characters"),
        ("council_opening_hours", "9 to 5 {council_phone}", "cannot contain"),
    ],
)
def test_each_detail_is_checked(name: str, value: str, problem: str | None) -> None:
    _, found = check_value(field(name), value)  # type: ignore[arg-type]
    assert (found is None) if problem is None else (found is not None and problem in found)


def request(council: str, response: str, arguments: dict[str, object] | None = None) -> dict:
    return {
        "response": response,
        "arguments": arguments or {},
        "tracker": {"slots": {"council": council}, "latest_input_channel": "rest"},
        "channel": {"name": "rest"},
    }


def test_a_changed_phone_is_in_the_next_reply_even_when_the_action_passed_the_old(
    book: AnswerBook,
) -> None:
    millbrook = default_registry().get("millbrook")
    assert millbrook is not None
    old = millbrook.contact["phone"]
    passed = {**millbrook.template_vars()}  # as council actions pass them
    assert (
        old in server.answer_request(book, request("millbrook", "utter_bin_missed", passed))["text"]
    )
    DetailStore(book.store.engine).save("millbrook", {"council_phone": NEW_PHONE}, "mill-staff")
    for arguments in ({}, passed):
        text = server.answer_request(book, request("millbrook", "utter_bin_missed", arguments))[
            "text"
        ]
        assert NEW_PHONE in text and old not in text
    # Another council's reply is untouched.
    brack = server.answer_request(book, request("brackenbury", "utter_bin_missed"))["text"]
    assert NEW_PHONE not in brack
    # Reverted: council.yml's number again, and both changes are in the audit.
    DetailStore(book.store.engine).save("millbrook", {"council_phone": None}, "mill-staff")
    assert old in server.answer_request(book, request("millbrook", "utter_bin_missed"))["text"]
    history = DetailStore(book.store.engine).history("millbrook")
    assert [(c.before, c.after) for c in history] == [(NEW_PHONE, None), (None, NEW_PHONE)]


def test_crisis_lines_left_to_the_main_numbers_follow_a_changed_main_number() -> None:
    millbrook = default_registry().get("millbrook")
    assert millbrook is not None
    bare = dataclasses.replace(millbrook, crisis=Crisis())
    values = effective_values(bare, {"council_phone": NEW_PHONE})
    assert values["crisis_children_phone"] == NEW_PHONE
    assert values["council_phone"] == NEW_PHONE
    # One given in council.yml stays unless changed itself.
    values = effective_values(millbrook, {"council_phone": NEW_PHONE})
    assert values["crisis_children_phone"] == millbrook.crisis.children.phone


def test_notices_show_between_their_dates_inclusive(book: AnswerBook) -> None:
    notices = NoticeStore(book.store.engine)
    start, end = dt.date(2026, 12, 24), dt.date(2026, 12, 27)
    notices.add("millbrook", "Bins are a day late.", start, end, ["utter_bin_missed"], "mill")
    for day, shown in [
        (start - dt.timedelta(days=1), False),
        (start, True),
        (end, True),
        (end + dt.timedelta(days=1), False),
    ]:
        assert (notices.showing("millbrook", "utter_bin_missed", day) != []) is shown, day
    assert notices.showing("millbrook", "utter_library_info", start) == []
    assert notices.showing("brackenbury", "utter_bin_missed", start) == []


def test_a_notice_in_force_goes_before_the_answer(book: AnswerBook) -> None:
    today = london_today()
    NoticeStore(book.store.engine).add(
        "millbrook", "Christmas: bins a day late.", today, today, ["utter_bin_missed"], "mill"
    )
    text = server.answer_request(book, request("millbrook", "utter_bin_missed"))["text"]
    assert text.startswith("Christmas: bins a day late.\n\n")
    other = server.answer_request(book, request("millbrook", "utter_library_info"))["text"]
    assert "Christmas" not in other


def test_london_today_is_the_uk_date_not_utc() -> None:
    summer_late = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.timezone.utc)  # BST: 00:30
    winter_late = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.timezone.utc)  # GMT
    assert london_today(summer_late) == dt.date(2026, 7, 1)
    assert london_today(winter_late) == dt.date(2026, 12, 31)
