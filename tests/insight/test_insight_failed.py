"""Failed questions: personal details masked, similar wordings grouped with counts,
and only the council's own, within the period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.database import make_engine
from assistant.insight.failed import failed_questions, group_questions
from assistant.insight.redact import redact
from assistant.insight.report import Period
from assistant.insight.rules import load_rules
from tests.support.trackers import DAY1, DAY2, Tracker


@pytest.mark.parametrize(
    ("typed", "secret", "mask"),
    [
        ("I live at SW1A 1AA", "SW1A 1AA", "[postcode]"),
        ("my postcode is bk12ab", "bk12ab", "[postcode]"),
        ("email me at jo.bloggs+x@example.co.uk", "jo.bloggs", "[email]"),
        ("call 07700 900123 now", "900123", "[phone number]"),
        ("ring +44 7700 900123", "7700", "[phone number]"),
        ("card 4111 1111 1111 1111 exp 12/27", "4111", "[card number]"),
        ("card 4111-1111-1111-1111", "1111", "[card number]"),
        ("account CT12345678", "12345678", "[reference]"),
        ("fine AB12345678", "AB12345678", "[reference]"),
        ("planning 24/01234/FUL", "01234", "[reference]"),
    ],
)
def test_personal_details_are_masked(typed: str, secret: str, mask: str) -> None:
    shown = redact(typed)
    assert secret not in shown, shown
    assert mask in shown, shown


def test_ordinary_words_are_kept() -> None:
    assert redact("Can I get a dog licence?") == "Can I get a dog licence?"


def test_similar_wordings_are_grouped_with_counts() -> None:
    groups = group_questions(
        [
            "can I get a dog licence",
            "dog licence please",
            "can I get a dog licence",
            "where do I recycle batteries",
            "recycle batteries where",
            "hello there",
        ]
    )
    assert [(g.example, g.count) for g in groups] == [
        ("can I get a dog licence", 3),
        ("where do I recycle batteries", 2),
        ("hello there", 1),
    ]
    assert groups[0].wordings["dog licence please"] == 1


def test_only_the_councils_failed_questions_in_the_period(tmp_path: Path) -> None:
    tracker = Tracker(make_engine(f"sqlite:///{tmp_path}/trackers.db"))
    tracker.user("a", "nlu_fallback", DAY1, "millbrook", "dog licence SW1A 1AA")
    tracker.user("b", "out_of_scope", DAY1 + 5, "millbrook", "a dog licence")
    tracker.user("c", "nlu_fallback", DAY1, "brackenbury", "brackenbury secret question")
    tracker.user("d", "bin_collection_day", DAY1, "millbrook", "when are bins")
    tracker.user("e", "nlu_fallback", DAY2 + 86_400, "millbrook", "too late question")
    day = dt.datetime.fromtimestamp(DAY1, dt.timezone.utc).date()
    period = Period(day, day + dt.timedelta(days=1))
    groups = failed_questions(tracker.engine, load_rules(), "millbrook", period)
    assert [g.count for g in groups] == [2]
    assert set(groups[0].wordings) == {"dog licence [postcode]", "a dog licence"}
    shown = " ".join(w for g in groups for w in g.wordings)
    assert "SW1A" not in shown and "brackenbury" not in shown
    assert "when are bins" not in shown and "too late" not in shown
