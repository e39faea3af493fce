"""The answers as staff find them (issue 15, item 1): each response's service group,
plain-English title and where it is used, from `catalogue.yml` beside this module;
and the search and "changed by us" filter of the answers page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yml")
OTHER_GROUP = "other"


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

    def entry(self, name: str) -> Entry:
        """The response's entry; one in the "Other answers" group when not catalogued."""
        found = self.entries.get(name)
        return found or Entry(name, OTHER_GROUP, name, "")

    def missing(self, names: Iterable[str]) -> list[str]:
        """Responses with no entry, or whose group is not declared."""
        return sorted(
            name
            for name in names
            if name not in self.entries or self.entries[name].group not in self.groups
        )


def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    """Read the catalogue file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = {str(key): str(value["title"]) for key, value in (raw.get("groups") or {}).items()}
    entries = {
        str(name): Entry(
            str(name), str(value["group"]), str(value["title"]), str(value.get("where", ""))
        )
        for name, value in (raw.get("answers") or {}).items()
    }
    return Catalogue(groups, entries)


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
    groups.setdefault(OTHER_GROUP, Group(OTHER_GROUP, "Other answers"))
    for row in rows:
        if changed_only and not row.changed:
            continue
        if words and not row.matches(words):
            continue
        groups.get(row.entry.group, groups[OTHER_GROUP]).rows.append(row)
    return [group for group in groups.values() if group.rows]
