"""The answers catalogue: every response has a group, title and where it is used;
search and the "changed by us" filter."""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.answers.catalogue import (
    CATALOGUE_FILE,
    OTHER_GROUP,
    Catalogue,
    Entry,
    Row,
    grouped,
    load_catalogue,
    read_translation,
    translation_file,
)
from assistant.settings import PROJECT_ROOT


def test_every_domain_response_is_catalogued_in_a_declared_group() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    catalogue = load_catalogue()
    assert catalogue.missing(domain["responses"]) == []
    for entry in catalogue.entries.values():
        assert entry.title.strip() and entry.where.strip(), entry.name


def test_every_entry_and_group_has_its_welsh() -> None:
    english = load_catalogue()
    groups, entries = read_translation(translation_file(CATALOGUE_FILE, "cy"))
    assert set(groups) == set(english.groups) | {OTHER_GROUP}
    assert set(entries) == set(english.entries)
    for name, (title, where) in entries.items():
        assert title.strip() and where.strip(), name
    assert all(title.strip() for title in groups.values())


def test_the_welsh_catalogue_keeps_the_groups_and_order(tmp_path: Path) -> None:
    (tmp_path / "c.yml").write_text(
        "groups:\n  bins: {title: Bins}\nanswers:\n"
        "  utter_a: {group: bins, title: Bin day, where: When asked}\n"
        "  utter_b: {group: bins, title: Missed bin, where: When reported}\n",
        encoding="utf-8",
    )
    (tmp_path / "c.cy.yml").write_text(
        "groups: {bins: Biniau, other: Atebion eraill}\n"
        "answers: {utter_a: [Diwrnod biniau, Pan ofynnir]}\n",
        encoding="utf-8",
    )
    welsh = load_catalogue(tmp_path / "c.yml", language="cy")
    assert welsh.groups == {"bins": "Biniau"} and welsh.other_title == "Atebion eraill"
    assert welsh.entry("utter_a") == Entry("utter_a", "bins", "Diwrnod biniau", "Pan ofynnir")
    assert welsh.entry("utter_b").title == "Missed bin"  # no Welsh yet: the English
    assert welsh.group_title("nope") == "Atebion eraill"
    assert load_catalogue(tmp_path / "c.yml").entry("utter_a").title == "Bin day"


def test_catalogue_names_only_responses_that_exist() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(load_catalogue().entries) <= set(domain["responses"])


def test_missing_reports_uncatalogued_and_undeclared_group() -> None:
    catalogue = Catalogue(
        {"bins": "Bins"},
        {
            "utter_a": Entry("utter_a", "bins", "A", ""),
            "utter_b": Entry("utter_b", "nope", "B", ""),
        },
    )
    assert catalogue.missing(["utter_a", "utter_b", "utter_c"]) == ["utter_b", "utter_c"]


def _catalogue() -> tuple[Catalogue, list[Row]]:
    catalogue = Catalogue(
        {"bins": "Bins and waste", "tax": "Council tax"},
        {
            "utter_bin_day": Entry("utter_bin_day", "bins", "Bin collection day", "bin day"),
            "utter_missed": Entry("utter_missed", "bins", "Missed bin", "missed collection"),
            "utter_pay": Entry("utter_pay", "tax", "Pay council tax", "paying"),
        },
    )
    rows = [
        Row(catalogue.entry("utter_bin_day"), "Your bins go out on Monday."),
        Row(catalogue.entry("utter_missed"), "Sorry about that.", override_text="We will call."),
        Row(catalogue.entry("utter_pay"), "Pay online at {link_pay}."),
        Row(catalogue.entry("utter_new"), "Something new."),
    ]
    return catalogue, rows


def test_grouped_keeps_catalogue_order_and_puts_unknown_in_other() -> None:
    catalogue, rows = _catalogue()
    groups = grouped(catalogue, rows)
    assert [group.key for group in groups] == ["bins", "tax", "other"]
    assert [row.entry.name for row in groups[0].rows] == ["utter_bin_day", "utter_missed"]
    assert groups[0].changed_count == 1


def test_search_matches_every_word_in_title_where_or_wording() -> None:
    catalogue, rows = _catalogue()
    assert [r.entry.name for g in grouped(catalogue, rows, "MONDAY") for r in g.rows] == [
        "utter_bin_day"
    ]
    assert [r.entry.name for g in grouped(catalogue, rows, "we call") for r in g.rows] == [
        "utter_missed"
    ]
    assert [r.entry.name for g in grouped(catalogue, rows, "council tax") for r in g.rows] == [
        "utter_pay"
    ]
    assert grouped(catalogue, rows, "bin tax") == []


def test_changed_filter_keeps_only_overridden_answers() -> None:
    catalogue, rows = _catalogue()
    groups = grouped(catalogue, rows, changed_only=True)
    assert [(g.key, [r.entry.name for r in g.rows]) for g in groups] == [("bins", ["utter_missed"])]
