"""Welsh forms of the values answers carry (issue 13, item 4).

Actions format dates, money and back-office values in English ("Tuesday 3 December",
"£382.50", "Rubbish (black wheelie bin)"). An answer in Welsh gets them in Welsh
forms: dates as "dydd Mawrth 3 Rhagfyr", money and numbers as Welsh writes them (the
pound sign, a decimal point and comma thousands, as in English), and back-office values
through the glossary (languages/glossary_cy.yml).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

GLOSSARY_FILE = Path(__file__).with_name("languages") / "glossary_cy.yml"

DAYS = ("Llun", "Mawrth", "Mercher", "Iau", "Gwener", "Sadwrn", "Sul")  # Monday first
MONTHS = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# "Tuesday 3 December", "3 December 2026", "Tuesday 3 December 2026"
_ENGLISH_DATE = re.compile(
    rf"\b(?:(?P<day>{'|'.join(_EN_DAYS)}),? )?(?P<number>\d{{1,2}}) "
    rf"(?P<month>{'|'.join(_EN_MONTHS)})(?: (?P<year>\d{{4}}))?\b"
)


def welsh_date(date: dt.date, weekday: bool = True, year: bool = False) -> str:
    """2026-12-01 -> "dydd Mawrth 1 Rhagfyr" (with `year`: "... 1 Rhagfyr 2026")."""
    text = f"{date.day} {MONTHS[date.month - 1]}"
    if weekday:
        text = f"dydd {DAYS[date.weekday()]} {text}"
    return f"{text} {date.year}" if year else text


def welsh_money(pence: int) -> str:
    """38250 -> "£382.50": Welsh writes sums of money as English does."""
    sign = "-" if pence < 0 else ""
    return f"{sign}£{abs(pence) / 100:,.2f}"


def welsh_number(number: int | float) -> str:
    """1234 -> "1,234"; 2.5 -> "2.5" (a decimal point and comma thousands)."""
    if isinstance(number, int) or float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,}"


def dates_in_welsh(text: str) -> str:
    """Every English date in `text` ("Tuesday 3 December") in Welsh form."""

    def welsh(match: re.Match[str]) -> str:
        out = f"{match['number']} {MONTHS[_EN_MONTHS.index(match['month'])]}"
        if match["day"]:
            out = f"dydd {DAYS[_EN_DAYS.index(match['day'])]} {out}"
        return f"{out} {match['year']}" if match["year"] else out

    return _ENGLISH_DATE.sub(welsh, text)


@dataclass(frozen=True)
class Glossary:
    """Back-office values and the Welsh for them."""

    values: Mapping[str, str]  # casefolded whole value -> Welsh
    phrases: tuple[tuple[re.Pattern[str], str], ...]  # longest first
    patterns: tuple[tuple[re.Pattern[str], str], ...] = ()  # whole values with a part kept

    def translate(self, text: str) -> str:
        """`text` as a known pattern or whole value, else with every known phrase, in Welsh."""
        for pattern, welsh in self.patterns:
            if pattern.fullmatch(text.strip()):
                return pattern.sub(welsh, text.strip())
        whole = self.values.get(text.strip().casefold())
        if whole is not None:
            return whole
        for pattern, welsh in self.phrases:
            text = pattern.sub(welsh.replace("\\", "\\\\"), text)
        return text


def load_glossary(path: Path) -> Glossary:
    """The glossary in `path` (`values:`, `phrases:` and `patterns:` mappings)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    values = {str(k).casefold(): str(v) for k, v in (raw.get("values") or {}).items()}
    phrases = sorted((raw.get("phrases") or {}).items(), key=lambda item: -len(str(item[0])))
    return Glossary(
        values=values,
        phrases=tuple(
            (re.compile(rf"(?<!\w){re.escape(str(en))}(?!\w)", re.IGNORECASE), str(cy))
            for en, cy in phrases
        ),
        patterns=tuple(
            (re.compile(str(en), re.IGNORECASE), str(cy))
            for en, cy in (raw.get("patterns") or {}).items()
        ),
    )


@functools.lru_cache(maxsize=1)
def glossary() -> Glossary:
    """The shipped Welsh glossary."""
    return load_glossary(GLOSSARY_FILE)


def in_welsh(value: object) -> object:
    """A value an action passed, in Welsh form (text only; anything else as it is)."""
    if not isinstance(value, str):
        return value
    return dates_in_welsh(glossary().translate(value))
