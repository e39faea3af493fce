"""Opening the answer book, and seeding council overrides from `councils/<id>/answers.yml`.

answers.yml format (every key optional except `responses`):

    responses:
      utter_bin_collection_day:
        text: "Millbrook's own wording, with {link_bins}"
        sms: "A short SMS version"
    cy:                      # the council's own Welsh wording (any language but English)
      utter_bin_collection_day:
        text: "Geiriad Cymraeg y cyngor, gyda {link_bins}"

Seeding adds an override only where none was ever stored, so staff edits made
on the staff site are never overwritten by a restart.
"""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

from assistant.answers.book import AnswerBook
from assistant.answers.defaults import DomainDefaults
from assistant.answers.language import language_scope, settings
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
        if not isinstance(raw, dict) or not isinstance(raw.get("responses"), dict):
            raise AnswersConfigError(f"{path}: expected a `responses:` mapping")
        for language in settings().languages:
            key = "responses" if language == settings().default else language
            section = raw.get(key) or {}
            if not isinstance(section, dict):
                raise AnswersConfigError(f"{path}: `{key}:` must be a mapping of answers")
            scope = language_scope(council.id, language)
            found[scope] = _section_answers(book, path, scope, section)
    return found


def _section_answers(
    book: AnswerBook, path: Path, scope: str, responses: dict[object, object]
) -> dict[str, tuple[str | None, str | None]]:
    """One language's answers in an answers.yml, each checked like a staff edit."""
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
        errors = book.check_edit(scope, str(name), text, sms)
        if errors:
            raise AnswersConfigError(f"{path}: {name}: " + " ".join(e.message for e in errors))
        answers[str(name)] = (text or None, sms or None)
    return answers


def seed_overrides(book: AnswerBook, councils_dir: Path) -> int:
    """Add the council overrides from answers.yml files that were never stored."""
    added = 0
    for scope, answers in read_council_answers(book, councils_dir).items():
        council_id = scope.partition("@")[0]
        added += book.store.seed(scope, answers, f"councils/{council_id}/{ANSWERS_FILE}")
    if added:
        log.info("seeded %d council answers from councils/*/%s", added, ANSWERS_FILE)
    return added
