"""What a resident's words say about a street problem: its kind and its location."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from assistant.backoffice.errors import BackOfficeConfigError
from assistant.backoffice.registry import report_codes
from assistant.councils import Council

KINDS_FILE = Path(__file__).with_name("street_problems.yml")
_STREET_WORDS = (
    r"road|rd|lane|ln|street|st|avenue|ave|way|close|drive|crescent|place|hill|grove|"
    r"gardens|terrace|walk|parade|square|row|green|court|mews|park|bridge|estate|"
    r"roundabout"
)
_NOT_A_NAME = frozenset(
    "my our the a an this that your their his her on in at outside near by opposite along "
    "down up off of to and".split()
)
_PREPOSITION = re.compile(r"\b(?:on|in|at|outside|near|by|opposite|along|down|up|off)\s+", re.I)
# After a preposition: up to three words of a name ending in a street word ("Church
# Lane", "14 High Street"), then the rest of the clause ("near the Old Forge").
_PLACE = re.compile(
    rf"(?:the\s+)?(?:\d+[a-z]?\s+)?((?:[a-z][\w'-]*\s+){{1,3}})(?:{_STREET_WORDS})\b[^.?!;]*",
    re.IGNORECASE,
)


# "it's not a pothole, it's a fallen tree": a kind the resident says it is not.
_DENIED = re.compile(r"\b(?:not|isn'?t|wasn'?t|aren'?t)\s+(?:(?:a|an|the|really)\s+)?[\w-]+", re.I)


@functools.lru_cache(maxsize=1)
def _kinds() -> dict[str, list[re.Pattern[str]]]:
    data = yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8"))
    return {
        kind: [re.compile(pattern, re.IGNORECASE) for pattern in patterns]
        for kind, patterns in data["kinds"].items()
    }


def problem_named(text: object) -> str | None:
    """The one kind of street problem `text` names, or None (none, or several)."""
    if not isinstance(text, str):
        return None
    text = _DENIED.sub(" ", text)
    named = [kind for kind, patterns in _kinds().items() if any(p.search(text) for p in patterns)]
    return named[0] if len(named) == 1 else None


def location_in(text: object) -> str | None:
    """Where the problem is, when the message says so with a street name."""
    if not isinstance(text, str):
        return None
    for preposition in _PREPOSITION.finditer(text):
        place = _PLACE.match(text, preposition.end())
        if place is None:
            continue
        if any(word.lower() in _NOT_A_NAME for word in place.group(1).split()):
            continue
        return " ".join(place.group(0).split()).rstrip(" ,")[:300]
    return None


def council_files(council: Council, kind: str) -> bool:
    """Whether the council's Open311 service has a code for `kind` reports."""
    if council.backoffice is None:
        return False
    try:
        return kind in report_codes(council)
    except BackOfficeConfigError:
        return False
