"""The shared default answers: the `responses` of the project's domain.yml.

Loaded at start and reloaded when domain.yml changes (checked at most once a
second), so responses other engineers add are served without a code change.
Staff edit the first variant of each response (plus a variant with a
`channel: sms...` key as the SMS version); every variant, with its `channel` and
`condition`, is kept and chosen among as Rasa does (`variations.py`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.answers.sms import is_sms_channel
from assistant.answers.variations import Variation, parse_variation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """One answer's content before rendering."""

    text: str
    sms_text: str | None = None
    buttons: tuple[Mapping[str, str], ...] = ()
    image: str | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)
    # Every variation in domain.yml, chosen among as Rasa does (assistant.answers.variations);
    # empty once staff have replaced the text, which then applies everywhere.
    variations: tuple[Variation, ...] = ()


@dataclass(frozen=True)
class Domain:
    """What the answer system needs from domain.yml."""

    answers: Mapping[str, Answer]
    slots: tuple[str, ...]
    forms: Mapping[str, tuple[str, ...]]


def parse_domain(path: Path) -> Domain:
    """Read the responses, slot names and forms of a domain file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    answers: dict[str, Answer] = {}
    for name, variants in (raw.get("responses") or {}).items():
        answer = _answer_from_variants(variants)
        if answer is None:
            log.warning("%s: response %s has no usable variant; ignored", path, name)
            continue
        answers[str(name)] = answer
    # Only slots holding text a resident could be shown (not flags or counters).
    slots = tuple(
        str(name)
        for name, spec in (raw.get("slots") or {}).items()
        if isinstance(spec, dict) and spec.get("type") in ("text", "categorical")
    )
    forms = {
        str(name): tuple(str(slot) for slot in (spec or {}).get("required_slots") or [])
        for name, spec in (raw.get("forms") or {}).items()
    }
    return Domain(answers=answers, slots=slots, forms=forms)


def _answer_from_variants(variants: object) -> Answer | None:
    """The answer staff see and edit (the first variation for any channel and no
    condition, and the first such SMS one), with every variation kept for choosing
    as Rasa does."""
    if not isinstance(variants, list):
        return None
    parsed = [v for v in (parse_variation(raw) for raw in variants) if v is not None]
    plain = [v for v in parsed if v.channel is None]
    main = next((v for v in plain if not v.conditions), plain[0] if plain else None)
    if main is None:
        return None
    sms = next(
        (
            v.text
            for v in parsed
            if v.channel and is_sms_channel(v.channel) and not v.conditions and v.text
        ),
        None,
    )
    image, custom = main.rich.get("image"), main.rich.get("custom")
    return Answer(
        text=main.text,
        sms_text=sms,
        buttons=main.buttons,
        image=image if isinstance(image, str) else None,
        custom=custom if isinstance(custom, dict) else {},
        variations=tuple(parsed),
    )


class DomainDefaults:
    """The domain's answers, reloaded when the file changes."""

    def __init__(self, path: Path, check_every: float = 1.0) -> None:
        self.path = path
        self.check_every = check_every
        self._mtime = path.stat().st_mtime_ns
        self._domain = parse_domain(path)
        self._checked = time.monotonic()

    @property
    def domain(self) -> Domain:
        """The current domain, re-read if domain.yml changed since the last check."""
        now = time.monotonic()
        if now - self._checked >= self.check_every:
            self._checked = now
            try:
                mtime = self.path.stat().st_mtime_ns
                if mtime != self._mtime:
                    self._domain = parse_domain(self.path)
                    self._mtime = mtime
                    log.info("reloaded default answers from %s", self.path)
            except (OSError, yaml.YAMLError) as error:
                log.error("cannot reload %s (keeping the previous answers): %s", self.path, error)
        return self._domain
