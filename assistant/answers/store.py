"""Answer overrides in the database, with a version per answer and an audit trail.

A row per (scope, response): scope is a council id, or SHARED_SCOPE for edits to
the shared defaults. A row whose text and SMS text are both empty means "no
override" (kept so that versions only ever go up). Every change is recorded in
`answer_changes` with who, when, before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from assistant.database import metadata

SHARED_SCOPE = "_shared"
SYSTEM_USER = "system"

overrides_table = Table(
    "answer_overrides",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scope", String(64), nullable=False),
    Column("response", String(200), nullable=False),
    Column("text", Text, nullable=True),
    Column("sms_text", Text, nullable=True),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("updated_by", String(120), nullable=False),
    UniqueConstraint("scope", "response", name="uq_answer_scope_response"),
)

changes_table = Table(
    "answer_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scope", String(64), nullable=False, index=True),
    Column("response", String(200), nullable=False),
    Column("changed_at", DateTime, nullable=False),
    Column("changed_by", String(120), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("before_text", Text, nullable=True),
    Column("before_sms", Text, nullable=True),
    Column("after_text", Text, nullable=True),
    Column("after_sms", Text, nullable=True),
    Column("version", Integer, nullable=False),
)


@dataclass(frozen=True)
class Override:
    """A scope's own version of one answer (text and/or SMS text)."""

    scope: str
    response: str
    text: str | None
    sms_text: str | None
    version: int
    updated_at: dt.datetime | None = None
    updated_by: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.text) or bool(self.sms_text)


@dataclass(frozen=True)
class Change:
    """One recorded change to an answer."""

    id: int
    scope: str
    response: str
    changed_at: dt.datetime
    changed_by: str
    kind: str
    before_text: str | None
    before_sms: str | None
    after_text: str | None
    after_sms: str | None
    version: int


class EditConflict(Exception):
    """The answer changed since the editor loaded it; `current` is what is saved now."""

    def __init__(self, current: Override | None) -> None:
        super().__init__("the answer was changed by someone else")
        self.current = current


class AnswerStore:
    """Reads and writes overrides; every write is versioned and audited."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def layers(self, scopes: Iterable[str], response: str) -> dict[str, Override]:
        """The overrides of `response` in any of `scopes`, keyed by scope (one query)."""
        wanted = list(scopes)
        query = select(overrides_table).where(
            and_(overrides_table.c.response == response, overrides_table.c.scope.in_(wanted))
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return {row["scope"]: _override(row) for row in rows}

    def get(self, scope: str, response: str) -> Override | None:
        """The row for (scope, response), active or not."""
        return self.layers([scope], response).get(scope)

    def all_for(self, scope: str) -> dict[str, Override]:
        """Every row of a scope, keyed by response name."""
        query = select(overrides_table).where(overrides_table.c.scope == scope)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return {row["response"]: _override(row) for row in rows}

    def scopes_overriding(self, response: str) -> list[str]:
        """The scopes (councils, shared) with an active override of `response`."""
        query = select(overrides_table).where(overrides_table.c.response == response)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return sorted(row["scope"] for row in rows if _override(row).active)

    def save(
        self,
        scope: str,
        response: str,
        text: str | None,
        sms_text: str | None,
        expected_version: int,
        user: str,
        kind: str = "edit",
    ) -> Override:
        """Store a new version if the stored one is still `expected_version` (0: none yet);
        raise EditConflict otherwise. Empty strings are stored as "no override"."""
        saved = Override(
            scope, response, text or None, sms_text or None, expected_version + 1, _now(), user
        )
        try:
            with self.engine.begin() as connection:
                before = _stored(connection, scope, response)
                if (before.version if before else 0) != expected_version:
                    raise EditConflict(before)
                if not _write(connection, saved, is_new=before is None):
                    raise EditConflict(self.get(scope, response))
                connection.execute(
                    insert(changes_table).values(**_change_values(before, saved, kind))
                )
        except IntegrityError:
            # Another writer inserted the first version at the same moment.
            raise EditConflict(self.get(scope, response)) from None
        return saved

    def seed(
        self, scope: str, answers: Mapping[str, tuple[str | None, str | None]], source: str
    ) -> int:
        """Add overrides that have never been stored (staff edits are never overwritten);
        returns how many were added."""
        added = 0
        for response, (text, sms_text) in answers.items():
            if self.get(scope, response) is not None:
                continue
            try:
                self.save(scope, response, text, sms_text, 0, f"{SYSTEM_USER} ({source})", "seed")
                added += 1
            except EditConflict:
                continue  # another process seeded it first
        return added

    def history(self, scope: str, response: str | None = None, limit: int = 200) -> list[Change]:
        """Changes in a scope (optionally to one answer), newest first."""
        query = select(changes_table).where(changes_table.c.scope == scope)
        if response is not None:
            query = query.where(changes_table.c.response == response)
        query = query.order_by(changes_table.c.id.desc()).limit(limit)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [Change(**dict(row)) for row in rows]

    def change(self, change_id: int) -> Change | None:
        """One recorded change by id."""
        query = select(changes_table).where(changes_table.c.id == change_id)
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return Change(**dict(row)) if row is not None else None


def _stored(connection: Connection, scope: str, response: str) -> Override | None:
    """The stored row for (scope, response), read inside the saving transaction."""
    row = (
        connection.execute(
            select(overrides_table).where(
                and_(overrides_table.c.scope == scope, overrides_table.c.response == response)
            )
        )
        .mappings()
        .first()
    )
    return _override(row) if row is not None else None


def _write(connection: Connection, saved: Override, is_new: bool) -> bool:
    """Insert the first version or update the previous one; False if that version
    was replaced in the meantime."""
    values = {
        "text": saved.text,
        "sms_text": saved.sms_text,
        "version": saved.version,
        "updated_at": saved.updated_at,
        "updated_by": saved.updated_by,
    }
    if is_new:
        connection.execute(
            insert(overrides_table).values(scope=saved.scope, response=saved.response, **values)
        )
        return True
    result = connection.execute(
        update(overrides_table)
        .where(
            and_(
                overrides_table.c.scope == saved.scope,
                overrides_table.c.response == saved.response,
                overrides_table.c.version == saved.version - 1,
            )
        )
        .values(**values)
    )
    return result.rowcount == 1


def _change_values(before: Override | None, saved: Override, kind: str) -> dict[str, object]:
    """The audit row of the change from `before` to `saved`."""
    return {
        "scope": saved.scope,
        "response": saved.response,
        "changed_at": saved.updated_at,
        "changed_by": saved.updated_by,
        "kind": kind,
        "before_text": before.text if before else None,
        "before_sms": before.sms_text if before else None,
        "after_text": saved.text,
        "after_sms": saved.sms_text,
        "version": saved.version,
    }


def _override(row: Mapping[str, object]) -> Override:
    return Override(
        scope=str(row["scope"]),
        response=str(row["response"]),
        text=row["text"],  # type: ignore[arg-type]
        sms_text=row["sms_text"],  # type: ignore[arg-type]
        version=int(row["version"]),  # type: ignore[call-overload]
        updated_at=row["updated_at"],  # type: ignore[arg-type]
        updated_by=row["updated_by"],  # type: ignore[arg-type]
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
