"""The answers as staff find them (issue 15, item 1): each response's service group,
plain-English title and where it is used, from `catalogue.yml` beside this module
(in Welsh from `catalogue.cy.yml`, issue 13); and the search and "changed by us"
filter of the answers page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yml")
OTHER_GROUP = "other"
BASE_LANGUAGE = "en"


@dataclass(frozen=True)
class Entry:
    """One response as staff see it."""

    name: str
    group: str
    title: str
    where: str


@dataclass(frozen=True)
class Catalogue:
    """The groups (in page order) and every catalogued response."""

    groups: dict[str, str]  # key -> title
    entries: dict[str, Entry]
    other_title: str = "Other answers"

    def entry(self, name: str) -> Entry:
        """The response's entry; one in the "Other answers" group when not catalogued."""
        found = self.entries.get(name)
        return found or Entry(name, OTHER_GROUP, name, "")

    def group_title(self, key: str) -> str:
        """A group's title; the "Other answers" title for an undeclared group."""
        return self.groups.get(key, self.other_title)

    def missing(self, names: Iterable[str]) -> list[str]:
        """Responses with no entry, or whose group is not declared."""
        return sorted(
            name
            for name in names
            if name not in self.entries or self.entries[name].group not in self.groups
        )


def load_catalogue(path: Path = CATALOGUE_FILE, language: str = BASE_LANGUAGE) -> Catalogue:
    """Read the catalogue file; in another language, its titles and where texts from
    `<name>.<language>.yml` beside it (the English where one lacks its translation)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = {str(key): str(value["title"]) for key, value in (raw.get("groups") or {}).items()}
    entries = {
        str(name): Entry(
            str(name), str(value["group"]), str(value["title"]), str(value.get("where", ""))
        )
        for name, value in (raw.get("answers") or {}).items()
    }
    base = Catalogue(groups, entries)
    if language == BASE_LANGUAGE:
        return base
    return _translated(base, translation_file(path, language))


def translation_file(path: Path, language: str) -> Path:
    """Where a catalogue's translation into `language` is kept."""
    return path.with_name(f"{path.stem}.{language}{path.suffix}")


def read_translation(path: Path) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """A translation file's group titles (key -> title) and entries (name -> title, where)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = {str(key): str(value) for key, value in (raw.get("groups") or {}).items()}
    entries = {
        str(name): (str(value[0]), str(value[1]))
        for name, value in (raw.get("answers") or {}).items()
    }
    return groups, entries


def _translated(base: Catalogue, path: Path) -> Catalogue:
    groups, entries = read_translation(path)
    translated = {
        name: Entry(name, entry.group, *entries.get(name, (entry.title, entry.where)))
        for name, entry in base.entries.items()
    }
    return Catalogue(
        {key: groups.get(key, title) for key, title in base.groups.items()},
        translated,
        groups.get(OTHER_GROUP, base.other_title),
    )


@dataclass
class Row:
    """One answer on the answers page."""

    entry: Entry
    default_text: str
    override_text: str = ""
    override_sms: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.override_text or self.override_sms)

    def matches(self, words: Sequence[str]) -> bool:
        """True when every word is in the name, title, where or either text."""
        haystack = " ".join(
            (
                self.entry.name.replace("_", " "),
                self.entry.title,
                self.entry.where,
                self.default_text,
                self.override_text,
                self.override_sms,
            )
        ).lower()
        return all(word in haystack for word in words)


@dataclass
class Group:
    """A service group and its answers on the page."""

    key: str
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def changed_count(self) -> int:
        return sum(1 for row in self.rows if row.changed)


def search_words(query: str) -> list[str]:
    """The lower-cased words of a search, at most 10, each at most 50 characters."""
    return [word[:50] for word in query.lower().split()][:10]


def grouped(
    catalogue: Catalogue, rows: Iterable[Row], query: str = "", changed_only: bool = False
) -> list[Group]:
    """The rows that match the search and filter, in catalogue group order; empty
    groups left out."""
    words = search_words(query)
    groups = {key: Group(key, title) for key, title in catalogue.groups.items()}
    groups.setdefault(OTHER_GROUP, Group(OTHER_GROUP, catalogue.other_title))
    for row in rows:
        if changed_only and not row.changed:
            continue
        if words and not row.matches(words):
            continue
        groups.get(row.entry.group, groups[OTHER_GROUP]).rows.append(row)
    return [group for group in groups.values() if group.rows]
