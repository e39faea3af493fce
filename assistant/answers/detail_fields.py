"""Which of a council's details its staff may change on the staff site, and the rules
each kind of value must pass: UK phone numbers, https:// links, opening hours.

A field is named by its answer placeholder (`council_phone`, `link_bins`,
`crisis_children_out_of_hours_phone`...), so an override replaces exactly the value
answers read. `effective_values` gives a council's placeholders with its overrides
applied, crisis lines that council.yml leaves to the main numbers following them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.councils import Council
from assistant.councils.crisis import CRISIS_KEYS, CRISIS_SERVICES

MAX_HOURS_CHARS = 200
MAX_LINK_CHARS = 300
CONTACT_FIELDS = {
    "council_phone": ("phone", "Main phone number"),
    "council_out_of_hours_phone": ("phone", "Out-of-hours phone number"),
    "council_opening_hours": ("hours", "Opening hours"),
}
CRISIS_TITLES = {
    "homelessness": "Homelessness (housing options)",
    "children": "Children's social care",
    "adults": "Adult social care",
}
# UK numbers: 10 or 11 digits starting 0 (or +44 for the 0), or a national short code.
_SHORT_CODES = re.compile(r"^(999|112|111|101|105|116\d{3}|118\d{3})$")
_PHONE_CHARS = re.compile(r"^[0-9+() -]+$")
# Details in words (not numbers or links): these have a value per language.
TEXT_KINDS = frozenset({"hours"})
ENGLISH = "en"  # council.yml's own values are English; `welsh:` gives the Welsh ones
_LINK = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d{1,5})?(/[^\s<>\"'{}]*)?$")


@dataclass(frozen=True)
class DetailField:
    """One editable detail: its placeholder name, kind, label and group."""

    name: str
    kind: str  # phone | hours | link
    label: str
    group: str
    language: str | None = None  # a text detail's value in another language ("cy")
    base: str = ""  # the detail it is the translation of (language set)


def detail_fields(council: Council) -> list[DetailField]:
    """Every detail this council's staff may change, in page order."""
    fields = []
    for name, (kind, label) in CONTACT_FIELDS.items():
        fields.append(DetailField(name, kind, label, "Contact"))
        if kind in TEXT_KINDS:
            fields.extend(
                DetailField(language_key(name, code), kind, label, "Contact", code, name)
                for code in council.languages
                if code != ENGLISH
            )
    for service in CRISIS_SERVICES:
        for key in CRISIS_KEYS:
            when = "daytime" if key == "phone" else "out of hours"
            fields.append(
                DetailField(
                    f"crisis_{service}_{key}",
                    "phone",
                    f"{CRISIS_TITLES[service]}: {when}",
                    "Crisis lines",
                )
            )
    for key in sorted(council.links):
        label = key.replace("_", " ").capitalize()
        fields.append(DetailField(f"link_{key}", "link", label, "Links"))
    return fields


# What can be wrong with a value: key -> the English message ({name}s filled in). The
# staff site shows the message of the same key from its own catalogue, in its language.
PROBLEMS = {
    "enter": "Enter the {label}.",
    "link_long": "A link must be {max} characters or fewer.",
    "link_form": "Enter a full web address starting https://, like https://www.example.gov.uk/bins",
    "hours_long": "Opening hours must be {max} characters or fewer.",
    "hours_marks": "Opening hours cannot contain { } < or >.",
    "phone_chars": "Enter a UK phone number using digits, spaces and brackets only, "
    "like 01632 960 100",
    "phone_international": "Enter a UK phone number: international numbers start +44",
    "phone_start": "Enter a UK phone number starting 0 or +44, like 01632 960 100",
    "phone_digits": "A UK phone number has 10 or 11 digits; this has {count}",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Problem:
    """What is wrong with a value: a key of PROBLEMS and the values its message names."""

    key: str
    values: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def english(self) -> str:
        return _PLACEHOLDER.sub(
            lambda match: str(self.values.get(match.group(1), match.group(0))),
            PROBLEMS[self.key],
        )


def value_problem(field: DetailField, value: str) -> tuple[str, Problem | None]:
    """(the value as stored, None) when it is acceptable, else (value, its problem)."""
    value = " ".join(value.split())
    if not value:
        return value, Problem("enter", {"label": field.label.lower()})
    if field.kind == "phone":
        return value, _phone_problem(value)
    if field.kind == "link":
        if len(value) > MAX_LINK_CHARS:
            return value, Problem("link_long", {"max": MAX_LINK_CHARS})
        return value, None if _LINK.match(value) else Problem("link_form")
    if len(value) > MAX_HOURS_CHARS:
        return value, Problem("hours_long", {"max": MAX_HOURS_CHARS})
    if "{" in value or "}" in value or "<" in value or ">" in value:
        return value, Problem("hours_marks")
    return value, None


def check_value(field: DetailField, value: str) -> tuple[str, str | None]:
    """(the value as stored, None) when it is acceptable, else (value, the problem)."""
    value, problem = value_problem(field, value)
    return value, problem.english() if problem else None


def _phone_problem(value: str) -> Problem | None:
    if not _PHONE_CHARS.match(value):
        return Problem("phone_chars")
    digits = re.sub(r"\D", "", value)
    if value.startswith("+"):
        if not digits.startswith("44"):
            return Problem("phone_international")
        digits = "0" + digits[2:]
    if _SHORT_CODES.match(digits):
        return None
    if not digits.startswith("0") or digits.startswith("00"):
        return Problem("phone_start")
    if len(digits) not in (10, 11):
        return Problem("phone_digits", {"count": len(digits)})
    return None


def effective_council(council: Council, overrides: Mapping[str, str]) -> Council:
    """`council` with its staff's overrides in place of council.yml's values."""
    if not overrides:
        return council
    contact = dict(council.contact)
    for name in CONTACT_FIELDS:
        if name in overrides:
            contact[name.removeprefix("council_")] = overrides[name]
    links = {key: overrides.get(f"link_{key}", value) for key, value in council.links.items()}
    crisis_updates = {}
    for service in CRISIS_SERVICES:
        line = getattr(council.crisis, service)
        changed = {
            key: overrides[f"crisis_{service}_{key}"]
            for key in CRISIS_KEYS
            if f"crisis_{service}_{key}" in overrides
        }
        crisis_updates[service] = line.copy(update=changed) if changed else line
    crisis = council.crisis.copy(update=crisis_updates)
    return dataclasses.replace(council, contact=contact, links=links, crisis=crisis)


def effective_values(council: Council, overrides: Mapping[str, str]) -> dict[str, str]:
    """The council's answer placeholders with its (English) overrides applied."""
    return effective_council(council, overrides).template_vars()


def language_key(name: str, language: str) -> str:
    """How a text detail's value in another language is stored: `name@cy`."""
    return f"{name}@{language}"


def file_values(council: Council, language: str) -> dict[str, str]:
    """council.yml's detail values for answers in `language` (its `welsh:` ones for cy)."""
    return council.template_vars_in(language)


def original_values(council: Council) -> dict[str, str]:
    """council.yml's value of each detail field (a translation: `welsh:`'s, else the
    English)."""
    english = council.template_vars()
    found = {}
    for field in detail_fields(council):
        if field.language:
            found[field.name] = file_values(council, field.language).get(field.base, "")
        else:
            found[field.name] = english.get(field.name, "")
    return found


def overrides_in(council: Council, overrides: Mapping[str, str], language: str) -> dict[str, str]:
    """The overrides for answers in `language`, by placeholder name. A text detail in
    another language: staff's edit in it, else council.yml's value in it (no
    override), else the English edit. Numbers and links are one value."""
    chosen = {name: value for name, value in overrides.items() if "@" not in name}
    if language == ENGLISH:
        return chosen
    english, own = council.template_vars(), file_values(council, language)
    for name, (kind, _) in CONTACT_FIELDS.items():
        if kind not in TEXT_KINDS:
            continue
        edited = overrides.get(language_key(name, language))
        if edited is not None:
            chosen[name] = edited
        elif own.get(name) != english.get(name):
            chosen.pop(name, None)
    return chosen


def changed_values(council: Council, overrides: Mapping[str, str], language: str) -> dict[str, str]:
    """The placeholders staff changed, with their values for answers in `language`."""
    english = council.template_vars()
    applied = effective_values(council, overrides_in(council, overrides, language))
    return {key: value for key, value in applied.items() if english.get(key) != value}


def council_values(council: Council, overrides: Mapping[str, str], language: str) -> dict[str, str]:
    """The council's placeholders for answers in `language`, staff's changes applied."""
    return file_values(council, language) | changed_values(council, overrides, language)
