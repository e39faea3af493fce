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

Base: Any = declarative_base()
FIXTURES = Path(__file__).with_name("fixtures.yml")


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
    status = Column(String(10), nullable=False, default="open")
    status_notes = Column(Text, nullable=True)
    requested = Column(DateTime, nullable=False)
    updated = Column(DateTime, nullable=False)
    client_reference = Column(String(64), nullable=True, index=True)


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


def open_database(path: Path) -> Engine:
    """Create the tables if needed and seed an empty database from fixtures.yml."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", future=True)
    Base.metadata.create_all(engine)
    _add_missing_columns(engine)
    with Session(engine) as session, session.begin():
        if session.execute(select(Address.uprn).limit(1)).first() is None:
            seed(session, fixtures())
        if session.execute(select(Tenancy.reference).limit(1)).first() is None:
            seed_tenancies(session, fixtures())  # a database made before there were any
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


def fixtures() -> dict[str, Any]:
    """The seed data, per council (also the demo's per-council settings)."""
    return yaml.safe_load(FIXTURES.read_text(encoding="utf-8"))


def seed(session: Session, data: dict[str, Any]) -> None:
    """Insert every fixture record."""
    for council, records in data.items():
        for row in records["addresses"]:
            session.add(
                Address(
                    uprn=row["uprn"],
                    council=council,
                    postcode=row["postcode"],
                    address=row["address"],
                    collection_day=row["day"],
                )
            )
        for row in records["council_tax"]:
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
        for row in records["planning"]:
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
