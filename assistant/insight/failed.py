"""Questions the assistant failed (issue 15, item 3): a council's messages understood
as a fallback (not understood, or not the council's business) in a period, redacted
and grouped by similar wording, most asked first.

Read from the tracker store when the page is viewed, so only what is still within
the retention period is shown; at most MAX_MESSAGES of the newest are read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine

from assistant.insight.redact import redact
from assistant.insight.report import Period
from assistant.insight.rules import Rules
from assistant.privacy.trackers import events

MAX_MESSAGES = 2000
SIMILAR = 0.5  # share of words in common for two messages to be one group
_WORD = re.compile(r"\[[a-z ]+\]|[a-z0-9']+")
_STOP = frozenset("a an the i my me to is it of on in for and or do can you how what".split())


@dataclass
class FailedGroup:
    """Similar failed questions: the most common wording, how many, and the others."""

    example: str
    count: int = 0
    wordings: Counter[str] = field(default_factory=Counter)
    words: frozenset[str] = frozenset()


def words_of(text: str) -> frozenset[str]:
    found = {word for word in _WORD.findall(text.lower()) if word not in _STOP}
    return frozenset(found) or frozenset(_WORD.findall(text.lower()))


def similarity(one: frozenset[str], other: frozenset[str]) -> float:
    """Jaccard similarity of two word sets."""
    if not one and not other:
        return 1.0
    return len(one & other) / len(one | other)


def group_questions(texts: Iterable[str]) -> list[FailedGroup]:
    """Redacted texts grouped by similar wording, the largest group first."""
    groups: list[FailedGroup] = []
    for text, count in Counter(texts).most_common():
        words = words_of(text)
        best = max(groups, key=lambda g: similarity(words, g.words), default=None)
        if best is None or similarity(words, best.words) < SIMILAR:
            best = FailedGroup(example=text, words=words)
            groups.append(best)
        best.count += count
        best.wordings[text] += count
    for group in groups:
        group.example = group.wordings.most_common(1)[0][0]
    return sorted(groups, key=lambda g: (-g.count, g.example))


def failed_questions(
    trackers: Engine, rules: Rules, council: str | None, period: Period
) -> list[FailedGroup]:
    """The council's (None: every council's) failed questions in `period`, grouped."""
    if not inspect(trackers).has_table(events.name):
        return []
    start = dt.datetime.combine(period.start, dt.time(), dt.timezone.utc).timestamp()
    end = start + ((period.end - period.start).days + 1) * 86400
    query = (
        select(events.c.data)
        .where(
            events.c.type_name == "user",
            events.c.intent_name.in_(sorted(rules.fallback_intents)),
            events.c.timestamp >= start,
            events.c.timestamp < end,
        )
        .order_by(events.c.id.desc())
        .limit(MAX_MESSAGES)
    )
    with trackers.connect() as connection:
        texts = [
            redact(text)
            for text, owner in map(_text_and_council, connection.execute(query).scalars())
            if text and (council is None or owner == council)
        ]
    return group_questions(texts)


def _text_and_council(data: str | None) -> tuple[str, str | None]:
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return "", None
    metadata = event.get("metadata") if isinstance(event, dict) else None
    owner = metadata.get("council") if isinstance(metadata, dict) else None
    text = event.get("text") if isinstance(event, dict) else None
    return (text if isinstance(text, str) else ""), (owner if isinstance(owner, str) else None)
