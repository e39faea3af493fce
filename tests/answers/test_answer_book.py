"""Answers through their layers on a real SQLite database: defaults from the
project's domain.yml, shared edits, council overrides, versions, audit, seeding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answers.book import AnswerBook
from assistant.answers.seed import AnswersConfigError, open_book, seed_overrides
from assistant.answers.store import SHARED_SCOPE, EditConflict
from assistant.councils import default_registry
from assistant.settings import PROJECT_ROOT

RESPONSE = "utter_bin_collection_day"


@pytest.fixture()
def book(tmp_path: Path) -> AnswerBook:
    return open_book(
        f"sqlite:///{tmp_path}/answers.db", PROJECT_ROOT / "domain.yml", default_registry()
    )


def render(book: AnswerBook, council_id: str | None, sms: bool = False) -> str:
    council = book.registry.get(council_id)
    values = dict(council.template_vars()) if council else {}
    rendered = book.render(RESPONSE, council, values, sms)
    assert rendered is not None
    return rendered.text


def test_every_domain_response_is_an_answer(book: AnswerBook) -> None:
    import yaml

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert set(book.names()) == set(domain["responses"])


def test_default_is_rendered_with_the_councils_details(book: AnswerBook) -> None:
    council = book.registry.get("brackenbury")
    assert council is not None
    assert council.links["bins"] in render(book, "brackenbury")


def test_council_override_wins_only_for_that_council(book: AnswerBook) -> None:
    book.store.save("millbrook", RESPONSE, "Millbrook bins: {link_bins}", None, 0, "alice")
    assert render(book, "millbrook").startswith("Millbrook bins: https://")
    assert not render(book, "brackenbury").startswith("Millbrook bins")


def test_shared_edit_reaches_councils_without_their_own(book: AnswerBook) -> None:
    book.store.save(SHARED_SCOPE, RESPONSE, "Shared: {link_bins}", None, 0, "admin")
    book.store.save("millbrook", RESPONSE, "Own: {link_bins}", None, 0, "alice")
    assert render(book, "brackenbury").startswith("Shared: ")
    assert render(book, "millbrook").startswith("Own: ")


def test_sms_variant_and_derived_sms(book: AnswerBook) -> None:
    book.store.save("millbrook", RESPONSE, "Web text {link_bins}.", "Text {council_phone}", 0, "a")
    assert render(book, "millbrook", sms=True) == "Text 01632 960 500"
    # No SMS variant: derived from the web text, link kept.
    assert "https://www.brackenbury.example.gov.uk/bins" in render(book, "brackenbury", sms=True)


def test_removing_an_override_goes_back_to_the_default(book: AnswerBook) -> None:
    saved = book.store.save("millbrook", RESPONSE, "Own {link_bins}", None, 0, "alice")
    book.store.save("millbrook", RESPONSE, None, None, saved.version, "alice", kind="remove")
    assert not render(book, "millbrook").startswith("Own")


def test_a_stale_save_is_refused_and_nothing_is_overwritten(book: AnswerBook) -> None:
    book.store.save("millbrook", RESPONSE, "First {link_bins}", None, 0, "alice")
    book.store.save("millbrook", RESPONSE, "Second {link_bins}", None, 1, "bob")
    with pytest.raises(EditConflict) as conflict:
        book.store.save("millbrook", RESPONSE, "Alice again", None, 1, "alice")
    assert conflict.value.current is not None
    assert conflict.value.current.text == "Second {link_bins}"
    assert conflict.value.current.updated_by == "bob"
    assert render(book, "millbrook").startswith("Second")


def test_every_change_is_recorded_with_before_and_after(book: AnswerBook) -> None:
    book.store.save("millbrook", RESPONSE, "One", None, 0, "alice")
    book.store.save("millbrook", RESPONSE, "Two", "Two SMS", 1, "bob")
    latest, first = book.store.history("millbrook", RESPONSE)
    assert (latest.changed_by, latest.before_text, latest.after_text) == ("bob", "One", "Two")
    assert latest.after_sms == "Two SMS"
    assert (first.changed_by, first.before_text, first.after_text) == ("alice", None, "One")
    assert book.store.history("brackenbury") == []


def test_check_edit_messages(book: AnswerBook) -> None:
    errors = book.check_edit("millbrook", RESPONSE, "Call {council_fone}", "x" * 400)
    by_field = {error.field: error.message for error in errors}
    assert "{council_fone}" in by_field["text"]
    assert "400 characters" in by_field["sms_text"] and "306" in by_field["sms_text"]
    assert book.check_edit("millbrook", RESPONSE, "Call {council_phone}", "") == []
    # What the default already uses (values actions pass) is allowed.
    assert book.check_edit("millbrook", "utter_postcode_not_served", "{postcode}?", "") == []


def test_sms_length_is_checked_once_filled_in(book: AnswerBook) -> None:
    # Short as typed, too long once the council's long opening hours are filled in.
    template = "x" * 250 + " {council_opening_hours}"
    errors = book.check_edit("millbrook", RESPONSE, "", template)
    assert errors and "Millbrook District Council" in errors[0].message


def test_seeding_from_council_files_never_overwrites_staff_edits(
    book: AnswerBook, tmp_path: Path
) -> None:
    councils = tmp_path / "councils"
    (councils / "millbrook").mkdir(parents=True)
    (councils / "millbrook" / "answers.yml").write_text(
        f"responses:\n  {RESPONSE}:\n    text: 'Seeded {{link_bins}}'\n"
    )
    assert seed_overrides(book, councils) == 1
    assert render(book, "millbrook").startswith("Seeded")
    stored = book.store.get("millbrook", RESPONSE)
    assert stored is not None
    book.store.save("millbrook", RESPONSE, "Staff edit", None, stored.version, "alice")
    assert seed_overrides(book, councils) == 0
    assert render(book, "millbrook") == "Staff edit"


@pytest.mark.parametrize(
    ("folder", "content", "message"),
    [
        ("atlantis", "responses:\n  utter_greet:\n    text: hi\n", "no council 'atlantis'"),
        ("millbrook", "responses:\n  utter_nothing:\n    text: hi\n", "not a response"),
        ("millbrook", "responses:\n  utter_greet:\n    text: 'hi {nope}'\n", "{nope}"),
        ("millbrook", "responses: [1]\n", "expected a `responses:` mapping"),
    ],
)
def test_invalid_council_answer_files_are_clear_errors(
    book: AnswerBook, tmp_path: Path, folder: str, content: str, message: str
) -> None:
    councils = tmp_path / "councils"
    (councils / folder).mkdir(parents=True)
    (councils / folder / "answers.yml").write_text(content)
    with pytest.raises(AnswersConfigError, match=re.escape(message)):
        seed_overrides(book, councils)


def test_the_projects_council_answer_files_are_valid(book: AnswerBook) -> None:
    assert seed_overrides(book, PROJECT_ROOT / "councils") >= 2
    assert render(book, "millbrook") != render(book, "brackenbury")


def test_responses_added_to_domain_yml_are_served_without_a_restart(tmp_path: Path) -> None:
    import os

    from assistant.answers.defaults import DomainDefaults

    domain = tmp_path / "domain.yml"
    domain.write_text("responses:\n  utter_a:\n    - text: A\n")
    defaults = DomainDefaults(domain, check_every=0)
    assert set(defaults.domain.answers) == {"utter_a"}
    domain.write_text("responses:\n  utter_a:\n    - text: A\n  utter_b:\n    - text: B\n")
    os.utime(domain, ns=(1, 10**18))  # a different modification time, whatever the clock
    assert set(defaults.domain.answers) == {"utter_a", "utter_b"}
    domain.write_text("responses: [broken\n")
    os.utime(domain, ns=(1, 2 * 10**18))
    assert set(defaults.domain.answers) == {"utter_a", "utter_b"}  # kept, error logged


def test_sms_limit_follows_each_councils_max_segments(book: AnswerBook) -> None:
    # council.yml: Brackenbury allows 3 text messages, Millbrook 2.
    assert book.sms_limit("brackenbury") == 3 * 153
    assert book.sms_limit("millbrook") == 2 * 153
    assert book.sms_limit(SHARED_SCOPE) == 2 * 153  # the defaults must fit every council
    assert book.check_edit("brackenbury", RESPONSE, "", "s" * 400) == []
    assert book.check_edit("millbrook", RESPONSE, "", "s" * 400)
    assert book.check_edit(SHARED_SCOPE, RESPONSE, "", "s" * 400)
