"""Opening the answer book, and seeding council overrides from `councils/<id>/answers.yml`.

answers.yml format (every key optional except `responses`):

    responses:
      utter_bin_collection_day:
        text: "Millbrook's own wording, with {link_bins}"
        sms: "A short SMS version"

Seeding adds an override only where none was ever stored, so staff edits made
on the staff site are never overwritten by a restart.
"""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

from assistant.answers.book import AnswerBook
from assistant.answers.defaults import DomainDefaults
from assistant.answers.store import AnswerStore
from assistant.councils import CouncilRegistry
from assistant.database import make_engine
from assistant.migrations import migrate

log = logging.getLogger(__name__)
ANSWERS_FILE = "answers.yml"


class AnswersConfigError(ValueError):
    """A council's answers.yml is invalid; the message says where and why."""


def open_book(db_url: str, domain_path: Path, registry: CouncilRegistry) -> AnswerBook:
    """An answer book on the database at `db_url`, migrated to the newest schema."""
    engine = make_engine(db_url)
    migrate(engine)
    return AnswerBook(DomainDefaults(domain_path), AnswerStore(engine), registry)


def read_council_answers(
    book: AnswerBook, councils_dir: Path
) -> dict[str, dict[str, tuple[str | None, str | None]]]:
    """Every council's answers.yml, checked like a staff edit; AnswersConfigError if not valid."""
    found: dict[str, dict[str, tuple[str | None, str | None]]] = {}
    for path in sorted(councils_dir.glob(f"*/{ANSWERS_FILE}")):
        council = book.registry.get(path.parent.name)
        if council is None or council.id != path.parent.name:
            raise AnswersConfigError(
                f"{path}: there is no council {path.parent.name!r} (no council.yml beside it)"
            )
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise AnswersConfigError(f"{path}: cannot read answers: {error}") from error
        responses = raw.get("responses") if isinstance(raw, dict) else None
        if not isinstance(responses, dict):
            raise AnswersConfigError(f"{path}: expected a `responses:` mapping")
        answers: dict[str, tuple[str | None, str | None]] = {}
        for name, spec in responses.items():
            if book.default(str(name)) is None:
                raise AnswersConfigError(f"{path}: {name} is not a response in domain.yml")
            if not isinstance(spec, dict):
                raise AnswersConfigError(f"{path}: {name} must have `text:` and/or `sms:`")
            text = spec.get("text") or ""
            sms = spec.get("sms") or ""
            if not isinstance(text, str) or not isinstance(sms, str) or not (text or sms):
                raise AnswersConfigError(f"{path}: {name} needs a `text:` or `sms:` string")
            errors = book.check_edit(council.id, str(name), text, sms)
            if errors:
                raise AnswersConfigError(
                    f"{path}: {name}: " + " ".join(error.message for error in errors)
                )
            answers[str(name)] = (text or None, sms or None)
        found[council.id] = answers
    return found


def seed_overrides(book: AnswerBook, councils_dir: Path) -> int:
    """Add the council overrides from answers.yml files that were never stored."""
    added = 0
    for council_id, answers in read_council_answers(book, councils_dir).items():
        added += book.store.seed(council_id, answers, f"councils/{council_id}/{ANSWERS_FILE}")
    if added:
        log.info("seeded %d council answers from councils/*/%s", added, ANSWERS_FILE)
    return added
