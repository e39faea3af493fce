"""The demo back-office seeds each council from its own councils/<id>/demo.yml, and a
council added later is seeded on the next start without wiping the others' records."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.councils.registry import DEFAULT_COUNCILS_DIR
from devtools.demo_backoffice.models import Address, ServiceRequest, fixtures, open_database


def test_every_configured_council_with_demo_data_is_seeded(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "demo.db", DEFAULT_COUNCILS_DIR)
    with Session(engine) as session:
        councils = set(session.execute(select(Address.council).distinct()).scalars())
    with_addresses = {c for c, r in fixtures(DEFAULT_COUNCILS_DIR).items() if r.get("addresses")}
    assert councils == with_addresses and "wealdshire" in fixtures(DEFAULT_COUNCILS_DIR)


def test_a_council_added_later_is_seeded_and_nothing_else_is_lost(tmp_path: Path) -> None:
    root = tmp_path / "councils"
    root.mkdir()
    shutil.copytree(DEFAULT_COUNCILS_DIR / "brackenbury", root / "brackenbury")
    db = tmp_path / "demo.db"
    engine = open_database(db, root)
    now = dt.datetime(2026, 11, 30, 9, 0)
    with Session(engine) as session, session.begin():
        session.add(
            ServiceRequest(
                council="brackenbury",
                service_code="POTHOLE",
                service_name="Pothole",
                description="kept",
                requested=now,
                updated=now,
            )
        )
    shutil.copytree(DEFAULT_COUNCILS_DIR / "millbrook", root / "millbrook")
    engine = open_database(db, root)  # the restart
    engine = open_database(db, root)  # and another: nothing seeded twice
    with Session(engine) as session:
        kept = session.execute(select(ServiceRequest.description)).scalars().all()
        addresses = session.execute(select(Address.council)).scalars().all()
    assert kept == ["kept"]
    expected = {
        council: len(fixtures(root)[council]["addresses"])
        for council in ("brackenbury", "millbrook")
    }
    assert {council: addresses.count(council) for council in expected} == expected
