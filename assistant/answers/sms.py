"""SMS renderings of answers.

Contract with the SMS channels: an output channel whose name starts with `sms`
(`sms_twilio`, `sms_notify`...) gets SMS text. An answer's own SMS version is used
when it has one; otherwise the SMS text is derived from the web text: plain text,
no buttons (their titles become a "Reply with" list), links kept whole, trimmed to
whole sentences within the limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.rasa_plugins.channels.sms_text import count_segments

SMS_CHANNEL_PREFIX = "sms"
# Two concatenated GSM-7 text messages (153 characters each once split).
SMS_MAX_CHARS = 306
SEGMENT_CHARS = 153
SINGLE_SMS_CHARS = 160
UCS2_SEGMENT_CHARS = 67  # once split; 70 in a single message

_URL = re.compile(r"https?://\S+|www\.\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_ESSENTIAL = re.compile(r"https?://|www\.|\b\d{3,}[\d ]{4,}\b")


def is_sms_channel(name: object) -> bool:
    """True for output channels that deliver SMS (named `sms...`)."""
    return isinstance(name, str) and name.lower().startswith(SMS_CHANNEL_PREFIX)


def segments(text: str) -> int:
    """How many text messages `text` takes: GSM-7 (160, or 153 each once split), or
    UCS-2 (70, or 67 each) as soon as one character is outside GSM-7, such as the Welsh
    ŵ, ŷ, â or ô."""
    return max(1, count_segments(text).segments)


def fits_segments(text: str, max_segments: int) -> bool:
    """True when `text` takes at most `max_segments` text messages."""
    return segments(text) <= max_segments


def segment_limit(text: str, max_segments: int) -> int:
    """The most characters `max_segments` messages hold in `text`'s encoding."""
    encoding = count_segments(text).encoding
    per_segment = UCS2_SEGMENT_CHARS if encoding == "UCS-2" else SEGMENT_CHARS
    return max_segments * per_segment


def derive_sms(text: str, button_titles: Sequence[str] = (), limit: int | None = None) -> str:
    """A plain SMS version of a web answer, at most `limit` characters (by default
    two text messages in the text's own encoding: GSM-7, or UCS-2 for Welsh ŵ, ŷ...)."""
    body = " ".join(text.split())
    if limit is None:
        limit = segment_limit(body, SMS_MAX_CHARS // SEGMENT_CHARS)
    if button_titles:
        options = "; ".join(" ".join(title.split()) for title in button_titles if title.strip())
        if options:
            body = f"{body} Reply with: {options}."
    if len(body) <= limit:
        return body
    return _trim(body, limit)


def _trim(body: str, limit: int) -> str:
    """Keep whole sentences: every sentence with a link or phone number first, then
    the others in order while they fit; cut at a word (never inside a link) if even
    the essential sentences are too long."""
    sentences = _SENTENCE_END.split(body)
    keep = [bool(_ESSENTIAL.search(sentence)) for sentence in sentences]
    if not any(keep):
        keep[0] = True
    if len(_joined(sentences, keep)) > limit:
        return _cut_words(_joined(sentences, keep), limit)
    for index in range(len(sentences)):
        if not keep[index]:
            keep[index] = True
            if len(_joined(sentences, keep)) > limit:
                keep[index] = False
    return _joined(sentences, keep)


def _joined(sentences: list[str], keep: list[bool]) -> str:
    return " ".join(sentence for sentence, kept in zip(sentences, keep, strict=True) if kept)


def _cut_words(text: str, limit: int) -> str:
    out = ""
    for word in text.split(" "):
        candidate = f"{out} {word}" if out else word
        if len(candidate) + 1 > limit:
            break
        out = candidate
    return out.rstrip(",;:") + "…"
