"""Shape rules for UK identifiers: postcodes, council tax, planning and PCN refs.

This module is the single place that knows what these identifiers look like.
It has no Rasa dependency. Every function is total on ``str`` input: malformed
or hostile text gives ``None`` (or ``[]``) rather than raising, and all patterns
are written to run in linear time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_ToValue = Callable[[str], str | None]

# Longest input a normaliser will look at; anything longer is not an identifier.
_MAX_NORMALISE_LEN = 64

# Letter rules from the published UK postcode format.
_POS1 = "A-PR-UWYZ"  # never Q, V, X
_POS2 = "A-HK-Y"  # never I, J, Z
_POS3 = "A-HJKPSTUW"  # third position of A9A outward codes
_POS4 = "ABEHMNPRVWXY"  # fourth position of AA9A outward codes
_INWARD_LETTERS = "ABD-HJLNP-UW-Z"  # never C, I, K, M, O, V

_OUTWARD = f"[{_POS1}](?:[0-9][0-9]?|[{_POS2}][0-9][0-9]?|[0-9][{_POS3}]|[{_POS2}][0-9][{_POS4}])"
_INWARD = f"[0-9][{_INWARD_LETTERS}]{{2}}"
_FLAGS = re.ASCII | re.IGNORECASE

_POSTCODE_COMPACT_RE = re.compile(f"(?:GIR0AA|{_OUTWARD}{_INWARD})", _FLAGS)
_POSTCODE_IN_TEXT_RE = re.compile(
    f"(?<![A-Za-z0-9])(?:GIR[ \\t]{{0,3}}0AA|{_OUTWARD}[ \\t]{{0,3}}{_INWARD})(?![A-Za-z0-9])",
    _FLAGS,
)

# Candidate finders. Each matches a maximal run and never fails after it, so
# there is no backtracking; boundaries and counts are checked in Python.
_DIGIT_RUN_RE = re.compile(r"[0-9]+(?:[ -][0-9]+)*")
_PCN_RUN_RE = re.compile(r"[A-Za-z]{2}[ \t]?[0-9]+(?:[ \t][0-9]+)*")
_SLASH_CHAIN_RE = re.compile(r"[A-Za-z0-9]+(?:[ \t]*/[ \t]*[A-Za-z0-9]+)*")

_PCN_RE = re.compile(r"[A-Z]{2}[0-9]{7,10}", re.ASCII)
_PLANNING_PART_RE = re.compile(r"[A-Za-z0-9]{1,10}", re.ASCII)
_DIGITS_SEPARATED_RE = re.compile(r"[0-9][0-9 \-]*[0-9]", re.ASCII)

# Characters that, touching a candidate, show it is part of a bigger token
# (a word, URL, e-mail address, decimal number or +44 phone number).
_BEFORE_JOINERS = frozenset("/\\.,_@+£$€")
_AFTER_JOINERS = frozenset("/\\_@%")
_AFTER_IF_DIGIT_FOLLOWS = frozenset(".,:")

# Two-letter words that precede a number in ordinary speech ("ref no 1234567");
# with a space after them they are not read as a PCN prefix.
_PCN_STOPWORDS = frozenset(
    "AM AN AS AT BE BY DO GO HE HI ID IF IN IS IT ME MY NO NR OF OH OK ON OR "
    "RE SO TO UP US WE".split()
)
_MONTHS = frozenset(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP SEPT OCT NOV DEC JANUARY FEBRUARY "
    "MARCH APRIL JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER".split()
)


@dataclass(frozen=True)
class FoundEntity:
    """An identifier found in text: type, normalised value and span."""

    entity: str
    value: str
    start: int
    end: int
    text: str


def _collapse_whitespace(text: str) -> str:
    return "".join(text.split())


def normalise_postcode(text: str) -> str | None:
    """Return the canonical form ("SW1A 1AA") of a UK postcode, else None."""
    if len(text) > _MAX_NORMALISE_LEN:
        return None
    compact = _collapse_whitespace(text).upper()
    if not _POSTCODE_COMPACT_RE.fullmatch(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def outward_code(postcode: str) -> str:
    """Return the outward code ("BK1") of a postcode; ValueError if invalid."""
    canonical = normalise_postcode(postcode)
    if canonical is None:
        raise ValueError("not a valid UK postcode")
    return canonical.split(" ")[0]


def normalise_council_tax_ref(text: str) -> str | None:
    """Return the digits of a 7-10 digit council tax reference, else None."""
    if len(text) > _MAX_NORMALISE_LEN:
        return None
    stripped = text.strip()
    if not _DIGITS_SEPARATED_RE.fullmatch(stripped):
        return None
    digits = stripped.replace(" ", "").replace("-", "")
    return digits if 7 <= len(digits) <= 10 else None


def _looks_like_date(parts: list[str]) -> bool:
    """True for "12/MAR/2024"-style dates, which share a planning ref's shape."""
    return (
        len(parts) == 3
        and parts[0].isdigit()
        and len(parts[0]) <= 2
        and parts[1] in _MONTHS
        and parts[2].isdigit()
    )


def normalise_planning_ref(text: str) -> str | None:
    """Return an upper-cased planning reference ("BK/24/0123/FUL"), else None."""
    if len(text) > _MAX_NORMALISE_LEN:
        return None
    parts = [part.strip().upper() for part in text.split("/")]
    if not 3 <= len(parts) <= 4:
        return None
    if not all(_PLANNING_PART_RE.fullmatch(part) for part in parts):
        return None
    has_digits = any(part.isdigit() for part in parts)
    has_letters = any(part.isalpha() for part in parts)
    if not (has_digits and has_letters) or _looks_like_date(parts):
        return None
    return "/".join(parts)


def normalise_pcn(text: str) -> str | None:
    """Return a penalty charge notice number ("BK12345678"), else None."""
    if len(text) > _MAX_NORMALISE_LEN:
        return None
    compact = _collapse_whitespace(text).upper()
    return compact if _PCN_RE.fullmatch(compact) else None


def mask_reference(ref: str, visible: int = 3) -> str:
    """A reference shown by its last ``visible`` characters only ("30012345" ->
    "ending 345"): plain words, so neither the web chat's Markdown nor an SMS can
    change it ("*****345" lost its asterisks on the web), and it stays GSM-7 text in an
    SMS. "(hidden)" when none can be shown."""
    shown = max(visible, 0)
    if shown == 0 or len(ref) <= shown:
        return "(hidden)"
    return f"ending {ref[-shown:]}"


def _is_isolated(text: str, start: int, end: int) -> bool:
    """True if the span is not glued to surrounding letters, digits or joiners."""
    if start > 0:
        before = text[start - 1]
        if before.isalnum() or before in _BEFORE_JOINERS:
            return False
    if end < len(text):
        after = text[end]
        if after.isalnum() or after in _AFTER_JOINERS:
            return False
        following = text[end + 1] if end + 1 < len(text) else ""
        if after in _AFTER_IF_DIGIT_FOLLOWS and following.isdigit():
            return False
    return True


def _scan(
    text: str, pattern: re.Pattern[str], entity: str, to_value: _ToValue
) -> list[FoundEntity]:
    """Turn isolated matches of ``pattern`` with a valid value into entities."""
    found = []
    for match in pattern.finditer(text):
        if not _is_isolated(text, match.start(), match.end()):
            continue
        value = to_value(match.group())
        if value is not None:
            found.append(FoundEntity(entity, value, match.start(), match.end(), match.group()))
    return found


def _council_tax_value(run: str) -> str | None:
    """Digits of a run if it reads as one council tax reference."""
    groups = re.split("[ -]", run)
    digits = "".join(groups)
    if not 7 <= len(digits) <= 10:
        return None
    if len(groups) > 1:
        # "3001 2345" is a grouped ref; "12-03-2024" is a date and
        # "01632 96010" a phone number.
        if any(len(group) < 3 for group in groups) or digits.startswith("0"):
            return None
    return digits


def _pcn_value(run: str) -> str | None:
    """Normalised PCN for a run, refusing "no 1234567"-style phrases."""
    prefix_is_word = run[2] in " \t" and run[:2].upper() in _PCN_STOPWORDS
    return None if prefix_is_word else normalise_pcn(run)


def _without_overlaps(candidates: list[FoundEntity], size: int) -> list[FoundEntity]:
    """Keep the longest candidates that do not overlap, in text order."""
    taken = bytearray(size)
    kept: list[FoundEntity] = []
    for candidate in sorted(candidates, key=lambda f: (f.start - f.end, f.start)):
        if not any(taken[candidate.start : candidate.end]):
            taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
            kept.append(candidate)
    return sorted(kept, key=lambda f: f.start)


def find_entities(text: str) -> list[FoundEntity]:
    """Find every postcode, council tax ref, planning ref and PCN in ``text``."""
    candidates = (
        _scan(text, _POSTCODE_IN_TEXT_RE, "postcode", normalise_postcode)
        + _scan(text, _DIGIT_RUN_RE, "council_tax_ref", _council_tax_value)
        + _scan(text, _SLASH_CHAIN_RE, "planning_ref", normalise_planning_ref)
        + _scan(text, _PCN_RUN_RE, "pcn", _pcn_value)
    )
    return _without_overlaps(candidates, len(text))


def postcode_in(value: object) -> str | None:
    """The postcode a resident typed, on its own or inside a sentence, normalised."""
    if not isinstance(value, str):
        return None
    direct = normalise_postcode(value)
    if direct is not None:
        return direct
    found = [entity.value for entity in find_entities(value) if entity.entity == "postcode"]
    return found[0] if found else None


def normalise_number(raw: object) -> str | None:
    """A phone number in E.164 form (`+447700900123`), or None when it isn't one.
    UK national numbers (`07700 900123`) and `44...`/`0044...` forms are accepted."""
    if not isinstance(raw, str):
        return None
    text = re.sub(r"[\s().-]", "", raw)
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("0"):
        text = "+44" + text[1:]
    elif not text.startswith("+"):
        text = "+" + text
    if not re.fullmatch(r"\+[1-9]\d{7,14}", text):
        return None
    return text
