"""The pending-write records (issue 10, finding 7): one record per write, reused when
the same write is asked again, and what the resident has not heard yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from assistant.backoffice.pending import (
    CONFIRMED,
    FAILED,
    PENDING,
    REUSE_WINDOW,
    UNKNOWN,
    PendingWrites,
    pending_writes,
)
from assistant.database import make_engine
from assistant.migrations import migrate


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[PendingWrites]:
    engine = make_engine(f"sqlite:///{tmp_path / 'writes.db'}")
    migrate(engine)
    yield PendingWrites(engine)
    engine.dispose()


def test_a_new_write_is_pending_with_a_fresh_client_reference(store: PendingWrites) -> None:
    first, new = store.open("conv-1", "millbrook", "report", "pothole on Church Lane")
    other, other_new = store.open("conv-1", "millbrook", "report", "pothole on Mill Road")
    assert new and other_new
    assert first.state == PENDING and not first.told
    assert first.client_reference.startswith("AST-")
    assert first.client_reference != other.client_reference


def test_the_same_write_asked_again_reuses_its_record(store: PendingWrites) -> None:
    first, _ = store.open("conv-1", "millbrook", "report", "pothole on Church Lane")
    store.confirm(first.client_reference, "MQR100001", None, told=True)
    again, new = store.open("conv-1", "millbrook", "report", "pothole on Church Lane")
    assert not new
    assert again.client_reference == first.client_reference
    assert (again.state, again.backoffice_reference) == (CONFIRMED, "MQR100001")


def test_another_conversation_or_kind_is_another_write(store: PendingWrites) -> None:
    first, _ = store.open("conv-1", "millbrook", "report", "same words")
    elsewhere, new_elsewhere = store.open("conv-2", "millbrook", "report", "same words")
    repair, new_repair = store.open("conv-1", "millbrook", "repair", "same words")
    assert new_elsewhere and new_repair
    assert len({first.client_reference, elsewhere.client_reference, repair.client_reference}) == 3


def test_a_write_older_than_the_window_is_not_reused(store: PendingWrites) -> None:
    first, _ = store.open("conv-1", "millbrook", "payment", "CTAX-1\x1f100")
    old = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - REUSE_WINDOW
    with store.engine.begin() as connection:
        connection.execute(update(pending_writes).values(created_at=old - dt.timedelta(minutes=1)))
    later, new = store.open("conv-1", "millbrook", "payment", "CTAX-1\x1f100")
    assert new and later.client_reference != first.client_reference


def test_untold_lists_what_the_resident_has_not_heard(store: PendingWrites) -> None:
    told, _ = store.open("conv-1", "millbrook", "report", "a")
    unknown, _ = store.open("conv-1", "millbrook", "report", "b")
    failed, _ = store.open("conv-1", "millbrook", "report", "c")
    interrupted, _ = store.open("conv-1", "millbrook", "report", "d")
    store.open("conv-2", "millbrook", "report", "e")
    store.confirm(told.client_reference, "MQR1", None, told=True)
    store.mark(unknown.client_reference, UNKNOWN, told=False)
    store.mark(failed.client_reference, FAILED, told=True)
    untold = [record.client_reference for record in store.untold("conv-1")]
    assert untold == [unknown.client_reference, interrupted.client_reference]


def test_the_record_holds_no_resident_text(store: PendingWrites) -> None:
    record, _ = store.open("conv-1", "millbrook", "report", "deep pothole outside number 12")
    with store.engine.connect() as connection:
        row = connection.execute(select(pending_writes)).one()
    assert not any("pothole" in str(value) for value in row)
    assert row._mapping["client_reference"] == record.client_reference
