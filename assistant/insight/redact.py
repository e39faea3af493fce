"""Residents' messages made safe to show staff (issue 15, item 3): postcodes,
references, phone numbers, email addresses and card-like numbers are masked."""

from __future__ import annotations

import re

from assistant.identifiers import find_entities

MASKS = {
    "postcode": "[postcode]",
    "council_tax_ref": "[reference]",
    "planning_ref": "[reference]",
    "pcn": "[reference]",
}
_EMAIL = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}")
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?(?:\d[ ()-]?){9,13}\d(?!\d)")
_DIGITS = re.compile(r"\b[A-Za-z]*\d[\w/-]*\d[\w/-]*")  # any other code with 2+ digits
MAX_CHARS = 200


def redact(text: str, limit: int = MAX_CHARS) -> str:
    """`text` with personal details masked, on one line, at most `limit` characters."""
    text = " ".join(text.split())[: limit * 2]
    text = _EMAIL.sub("[email]", text)
    text = _CARD.sub("[card number]", text)
    text = _PHONE.sub("[phone number]", text)
    parts: list[str] = []
    position = 0
    for entity in find_entities(text):
        parts.append(text[position : entity.start])
        parts.append(MASKS.get(entity.entity, "[reference]"))
        position = entity.end
    parts.append(text[position:])
    text = _DIGITS.sub("[number]", "".join(parts))
    return text[:limit]
