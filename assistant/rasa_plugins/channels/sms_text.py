"""Fitting the assistant's replies into text messages.

Pure functions, no I/O: how many segments a text costs (GSM-7 or UCS-2), turning
buttons into numbered choices and a numbered reply back into a choice, and
shortening a long answer to a council's segment cap without cutting a link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# The GSM 03.38 default alphabet (one septet each) and its extension table
# (an escape plus one septet, so two each). Anything else needs UCS-2.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67

URL = re.compile(r"https?://\S+")
CHOICE_REPLY = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
ELLIPSIS = "..."


@dataclass(frozen=True)
class SegmentCount:
    """What a text costs to send."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int


def is_gsm7(text: str) -> bool:
    """True when every character of `text` is in the GSM-7 alphabet or its extension."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def count_segments(text: str) -> SegmentCount:
    """Segments needed to send `text` as one (concatenated) SMS."""
    if is_gsm7(text):
        units = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        single, multi, encoding = GSM7_SINGLE, GSM7_MULTI, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = UCS2_SINGLE, UCS2_MULTI, "UCS-2"
    if units <= single:
        segments = 1 if units else 0
    else:
        segments = -(-units // multi)
    return SegmentCount(encoding, units, segments)


def fits(text: str, max_segments: int, max_chars: int | None = None) -> bool:
    """True when `text` can be sent in at most `max_segments` segments (and, given a
    gateway's own limit, at most `max_chars` characters, counted as septets or UTF-16
    units so an extension or astral character never slips past it)."""
    count = count_segments(text)
    return count.segments <= max_segments and (max_chars is None or count.units <= max_chars)


@dataclass(frozen=True)
class Choice:
    """A button the resident can pick by replying with its number."""

    title: str
    payload: str


@dataclass(frozen=True)
class SmsReply:
    """One turn's reply as a single text, and the choices it offers (if any)."""

    text: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Reply:
    """One text back to the resident; a `notice` (a STOP confirmation) goes even to
    an opted-out number."""

    text: str
    notice: bool = False


def plain_text(markdown: str) -> str:
    """The assistant's light markdown as plain SMS text: `[label](url)` keeps the URL."""
    text = re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r"\1: \2", markdown)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def compose(messages: Sequence[dict[str, Any]], choice_prompt: str) -> SmsReply:
    """Join the bot's messages for one turn into one SMS; buttons become numbered
    choices (the last message with buttons wins, as only its choices can be picked)."""
    parts: list[str] = []
    choices: tuple[Choice, ...] = ()
    for message in messages:
        text = plain_text(str(message.get("text") or ""))
        if text:
            parts.append(text)
        buttons = message.get("buttons") or message.get("quick_replies") or []
        offered = tuple(
            Choice(str(button.get("title") or button.get("payload")), str(button["payload"]))
            for button in buttons
            if isinstance(button, dict) and button.get("payload")
        )
        if offered:
            choices = offered
            lines = [f"{number}. {choice.title}" for number, choice in enumerate(offered, 1)]
            parts.append("\n".join(lines) + "\n" + choice_prompt)
    return SmsReply("\n\n".join(parts), choices)


def picked_choice(body: str, choices: Sequence[Choice]) -> Choice | None:
    """The choice a reply like "2" (or "2." / " 2 ") picks, or None."""
    match = CHOICE_REPLY.match(body)
    if match is None:
        return None
    number = int(match.group(1))
    if 1 <= number <= len(choices):
        return choices[number - 1]
    return None


def shorten(
    text: str, max_segments: int, fallback_link: str | None = None, max_chars: int | None = None
) -> str:
    """`text` unchanged when it fits `max_segments`; otherwise cut after the last whole
    sentence (else word) that fits, never inside a link, and end with "..." plus a
    link: the first one the cut dropped, else `fallback_link` (say, the council's
    page for the topic), so the resident can always read the rest. `max_chars` is
    the gateway's own limit (Notify: 918), if any."""
    limit = Limit(max_segments, max_chars)
    if limit.fits(text):
        return text
    plain_cut = _longest_prefix(text, limit, ELLIPSIS)
    links: list[str] = []
    if plain_cut is not None:
        links += [url for url in URL.findall(text[len(plain_cut) :]) if url not in plain_cut][:1]
    if fallback_link and fallback_link not in (plain_cut or ""):
        links.append(fallback_link)
    for link in links:
        more = f"\nMore: {link}"
        cut = _longest_prefix(text, limit, ELLIPSIS + more)
        if cut is not None:
            return _ending(cut) + more
    if plain_cut is not None:
        return _ending(plain_cut)
    return _hard_cut(text, limit)


def _ending(cut: str) -> str:
    """A cut that ends a sentence stays as it is; one mid-sentence gets "..."."""
    return cut if cut[-1] in ".!?" else cut + ELLIPSIS


@dataclass(frozen=True)
class Limit:
    """A council's segment cap and a gateway's character limit together."""

    max_segments: int
    max_chars: int | None = None

    def fits(self, text: str) -> bool:
        return fits(text, self.max_segments, self.max_chars)


def _longest_prefix(text: str, limit: Limit, tail: str) -> str | None:
    """The longest prefix of `text` ending at a sentence end (else at a space, so
    never inside a link) such that prefix + tail fits; None when nothing fits."""
    best_sentence: str | None = None
    best_word: str | None = None
    for match in re.finditer(r"\s+", text):
        prefix = text[: match.start()].rstrip()
        if not prefix or not limit.fits(prefix + tail):
            continue
        if prefix[-1] in ".!?:" or "\n" in match.group():
            best_sentence = prefix
        best_word = prefix
    if best_sentence is not None and best_word is not None:
        # Prefer a whole sentence unless that throws away more than half the room.
        if len(best_sentence) * 2 >= len(best_word):
            return best_sentence
    return best_word


def _hard_cut(text: str, limit: Limit) -> str:
    """One unbroken run of characters (no spaces): cut it where it stops fitting."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if limit.fits(text[:middle] + ELLIPSIS):
            low = middle
        else:
            high = middle - 1
    return text[:low] + ELLIPSIS if low else ""
