"""The staff site's own words in Welsh and English (issue 13): every interface string
comes from a message catalogue kept as data (languages/<code>.yml, keys shared by all
languages), in the language the member of staff chose with the switch in the header
(kept in a cookie for the session), with dates in that language's forms.

Answer content (the answers, council names) is not interface text: it is shown as it
is stored; the answers' titles come from answers/catalogue.yml or its Welsh beside it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.answers.welsh import welsh_date

CATALOGUES = Path(__file__).with_name("languages")
INTERFACE_LANGUAGES = ("en", "cy")  # the first is the default
LANGUAGE_COOKIE = "staff_language"
# Each language's name in itself, for the switch.
NATIVE_NAMES = {"en": "English", "cy": "Cymraeg"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Date styles: (English strftime format, Welsh: weekday?, then a time format or "").
_DATE_STYLES = {
    "day": ("%-d %B %Y", False, ""),
    "weekday": ("%A %-d %B %Y", True, ""),
    "minute": ("%-d %b %Y %H:%M", False, " %H:%M"),
    "second": ("%-d %b %Y %H:%M:%S", False, " %H:%M:%S"),
}


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(key, str):  # YAML 1.1 reads on/off/yes/no keys as booleans
            raise ValueError(f"message key {prefix}{key!r} must be a string: quote it")
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found.update(_flatten(value, f"{name}."))
        else:
            found[name] = str(value)
    return found


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """key -> text, for one interface language (nested YAML keys joined with dots)."""
    data = yaml.safe_load((CATALOGUES / f"{language}.yml").read_text(encoding="utf-8"))
    return _flatten(data or {})


def chosen_language(cookie: str | None) -> str:
    """The interface language a cookie asks for, if the site has it; else the default."""
    return cookie if cookie in INTERFACE_LANGUAGES else INTERFACE_LANGUAGES[0]


def safe_return(path: str | None) -> str:
    """Where the switch goes back to: a path on this site only, else the home page."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    if any(char.isspace() or not char.isprintable() for char in path):
        return "/"  # browsers drop tabs and newlines: "/\t/evil" would become "//evil"
    return path


@dataclass(frozen=True)
class Interface:
    """The interface in one language: its texts and date forms, and the other language."""

    language: str

    def text(self, key: str, **values: object) -> str:
        """The text of `key`, its `{name}` placeholders filled in from `values`."""
        found = catalogue(self.language).get(key)
        if found is None:
            found = catalogue(INTERFACE_LANGUAGES[0]).get(key, key)
        return _PLACEHOLDER.sub(
            lambda match: str(values.get(match.group(1), match.group(0))), found
        )

    def date(self, value: dt.date, style: str = "day") -> str:
        """A date (or date and time) in this language's form; style is one of
        day, weekday, minute and second."""
        english, weekday, time = _DATE_STYLES[style]
        if self.language != "cy":
            return value.strftime(english)
        day = value.date() if isinstance(value, dt.datetime) else value
        return welsh_date(day, weekday=weekday, year=True) + (value.strftime(time) if time else "")

    @property
    def switch(self) -> tuple[str, str]:
        """(code, name in itself) of the language the header's switch offers."""
        other = next(code for code in INTERFACE_LANGUAGES if code != self.language)
        return other, NATIVE_NAMES[other]
