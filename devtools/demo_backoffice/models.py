"""The demo back-office's records (SQLAlchemy 1.4, SQLite by default)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    create_engine,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from assistant.settings import Settings

Base: Any = declarative_base()
DEMO_FILE = "demo.yml"  # councils/<id>/demo.yml: the council's demo records


class SeededCouncil(Base):
    """A council whose demo records are in: seeded once, never again."""

    __tablename__ = "seeded_councils"
    council = Column(String(40), primary_key=True)


class Address(Base):
    __tablename__ = "addresses"
    uprn = Column(String(12), primary_key=True)
    council = Column(String(40), nullable=False, index=True)
    postcode = Column(String(8), nullable=False, index=True)
    address = Column(Text, nullable=False)
    collection_day = Column(String(10), nullable=False)


class CouncilTaxAccount(Base):
    __tablename__ = "council_tax_accounts"
    reference = Column(String(12), primary_key=True)
    council = Column(String(40), nullable=False, index=True)
    uprn = Column(String(12), nullable=False)
    balance_pence = Column(Integer, nullable=False)
    next_due = Column(Date, nullable=True)
    next_amount_pence = Column(Integer, nullable=True)
    discounts = Column(Text, nullable=False, default="")  # one per line


class PlanningApplication(Base):
    __tablename__ = "planning_applications"
    reference = Column(String(30), primary_key=True)
    council = Column(String(40), nullable=False, index=True)
    site_address = Column(Text, nullable=False)
    proposal = Column(Text, nullable=False)
    status = Column(String(40), nullable=False)
    decision_date = Column(Date, nullable=True)
    target_date = Column(Date, nullable=True)


class ServiceRequest(Base):
    """An Open311 service request (a street report or a missed bin)."""

    __tablename__ = "service_requests"
    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(20), unique=True, nullable=True)
    council = Column(String(40), nullable=False, index=True)
    service_code = Column(String(40), nullable=False)
    service_name = Column(Text, nullable=False)
    description = Column(Text, nullable=False)
    address_string = Column(Text, nullable=True)
    address_id = Column(String(40), nullable=True)
    lat = Column(Float, nullable=True)  # WGS84, when the report gave a point
    long = Column(Float, nullable=True)
    status = Column(String(10), nullable=False, default="open")
    status_notes = Column(Text, nullable=True)
    requested = Column(DateTime, nullable=False)
    updated = Column(DateTime, nullable=False)
    client_reference = Column(String(64), nullable=True, index=True)
    easting = Column(Float, nullable=True)  # British National Grid, when sent
    northing = Column(Float, nullable=True)
    token = Column(String(40), nullable=True, index=True)  # a token-mode POST's answer


class Tenancy(Base):
    """A council tenancy: the reference only the tenant holds, and the home."""

    __tablename__ = "tenancies"
    reference = Column(String(20), primary_key=True)
    council = Column(String(40), nullable=False, index=True)
    uprn = Column(String(12), nullable=False)


class Repair(Base):
    __tablename__ = "repairs"
    id = Column(Integer, primary_key=True, autoincrement=True)
    council = Column(String(40), nullable=False, index=True)
    uprn = Column(String(12), nullable=False)
    description = Column(Text, nullable=False)
    priority = Column(String(20), nullable=False)
    created = Column(DateTime, nullable=False)
    target_date = Column(Date, nullable=False)
    client_reference = Column(String(64), nullable=True, index=True)


class Payment(Base):
    """A GOV.UK Pay-style payment."""

    __tablename__ = "payments"
    payment_id = Column(String(32), primary_key=True)
    council = Column(String(40), nullable=False, index=True)
    amount = Column(Integer, nullable=False)
    reference = Column(String(255), nullable=False)
    description = Column(Text, nullable=False)
    return_url = Column(Text, nullable=False)
    status = Column(String(20), nullable=False)
    created = Column(DateTime, nullable=False)
    # GOV.UK Pay's `metadata` (JSON) and the create's `Idempotency-Key`.
    metadata_json = Column(Text, nullable=True)
    idempotency_key = Column(String(255), nullable=True, index=True)


def open_database(path: Path, councils_dir: Path | None = None) -> Engine:
    """Create the tables if needed and seed each configured council not seeded yet
    (a council added later is seeded on the next start; others' records are kept)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", future=True)
    Base.metadata.create_all(engine)
    _add_missing_columns(engine)
    with Session(engine) as session, session.begin():
        done = set(session.execute(select(SeededCouncil.council)).scalars())
        # Databases from before seeded_councils: a council with addresses is seeded.
        done |= set(session.execute(select(Address.council).distinct()).scalars())
        every = fixtures(councils_dir)
        new = {c: r for c, r in every.items() if c not in done}
        has_tenancies = session.execute(select(Tenancy.reference).limit(1)).first() is not None
        seed(session, new)
        seed_tenancies(session, new if has_tenancies else every)  # also databases made before
        session.add_all(SeededCouncil(council=council) for council in new)
    return engine


def _add_missing_columns(engine: Engine) -> None:
    """Columns added since a demo database was made (it is never migrated otherwise)."""
    found = inspect(engine)
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            have = {column["name"] for column in found.get_columns(table.name)}
            for column in table.columns:
                if column.name not in have:
                    kind = column.type.compile(dialect=engine.dialect)
                    connection.execute(
                        text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}")
                    )


def fixtures(councils_dir: Path | None = None) -> dict[str, Any]:
    """The demo records and settings of every council with a `demo.yml`, by id."""
    root = councils_dir or Settings.from_env().councils_dir
    found: dict[str, Any] = {}
    for path in sorted(root.glob(f"*/{DEMO_FILE}")):
        found[path.parent.name] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return found


def seed(session: Session, data: dict[str, Any]) -> None:
    """Insert every demo record of these councils."""
    for council, records in data.items():
        for row in records.get("addresses") or []:
            session.add(
                Address(
                    uprn=row["uprn"],
                    council=council,
                    postcode=row["postcode"],
                    address=row["address"],
                    collection_day=row["day"],
                )
            )
        for row in records.get("council_tax") or []:
            instalment = row.get("next_instalment") or {}
            session.add(
                CouncilTaxAccount(
                    reference=row["reference"],
                    council=council,
                    uprn=row["uprn"],
                    balance_pence=row["balance_pence"],
                    next_due=_date(instalment.get("due_date")),
                    next_amount_pence=instalment.get("amount_pence"),
                    discounts="\n".join(row.get("discounts") or []),
                )
            )
        for row in records.get("planning") or []:
            session.add(
                PlanningApplication(
                    reference=row["reference"],
                    council=council,
                    site_address=row["site_address"],
                    proposal=row["proposal"],
                    status=row["status"],
                    decision_date=_date(row.get("decision_date")),
                    target_date=_date(row.get("target_date")),
                )
            )


def seed_tenancies(session: Session, data: dict[str, Any]) -> None:
    """Insert every fixture tenancy."""
    for council, records in data.items():
        for row in records.get("tenancies") or []:
            session.add(Tenancy(reference=row["reference"], council=council, uprn=row["uprn"]))


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None
