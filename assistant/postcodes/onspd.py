"""The ONS Postcode Directory (ONSPD) or NSPL CSV, loaded once into an SQL table.

The national file is streamed and inserted in batches; loading is idempotent (the
table is rebuilt only when the file changed). The table is a cache of the ONS file,
rebuilt from it at any time, so it has its own metadata rather than a migration.
"""

from __future__ import annotations

import csv
import logging
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from assistant.identifiers import normalise_postcode
from assistant.postcodes.place import Place, gss_code

log = logging.getLogger(__name__)

BATCH = 5000
tables = MetaData()
postcodes = Table(
    "onspd_postcodes",
    tables,
    Column("postcode", String(8), primary_key=True),
    Column("district", String(9)),
    Column("county", String(9)),
    Column("ward", String(9)),
    Column("terminated", String(6)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("easting", Integer),
    Column("northing", Integer),
)
sources = Table(
    "onspd_source",
    tables,
    Column("path", String(500), primary_key=True),
    Column("signature", String(100), nullable=False),
)
# ONSPD column -> NSPL's name for it (the other columns share their names).
ALIASES = {"oslaua": "laua", "oscty": "cty", "osward": "ward"}


def _column(row: Mapping[str, str], name: str) -> str:
    return (row.get(name) or row.get(ALIASES.get(name, ""), "") or "").strip()


def _number(text: str, kind: type[float] | type[int]) -> float | int | None:
    try:
        value = kind(float(text)) if text else None
    except ValueError:
        return None
    # ONSPD gives 99.999999 / 0.000000 for postcodes with no grid reference.
    return None if value is None or (kind is float and value == 99.999999) else value


def place_of(row: Mapping[str, str]) -> Place | None:
    """One ONSPD/NSPL row as a Place (None when it has no valid postcode)."""
    postcode = normalise_postcode(_column(row, "pcds") or _column(row, "pcd"))
    if postcode is None:
        return None
    easting = _number(_column(row, "oseast1m"), int)
    return Place(
        postcode=postcode,
        district=gss_code(_column(row, "oslaua")),
        county=gss_code(_column(row, "oscty")),
        ward=gss_code(_column(row, "osward")),
        terminated=_column(row, "doterm") or None,
        latitude=_number(_column(row, "lat"), float),
        longitude=_number(_column(row, "long"), float),
        easting=easting,  # type: ignore[arg-type]
        northing=_number(_column(row, "osnrth1m"), int),  # type: ignore[arg-type]
    )


def read_places(path: Path) -> Iterator[Place]:
    """Every postcode in an ONSPD/NSPL CSV, streamed."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            place = place_of(row)
            if place is not None:
                yield place


def load(engine: Engine, path: Path) -> int:
    """Load `path` into the table unless already loaded; the number of rows loaded."""
    tables.create_all(engine)
    stat = path.stat()
    signature = f"{stat.st_size}:{stat.st_mtime_ns}"
    with engine.begin() as connection:
        loaded = connection.execute(
            select(sources.c.signature).where(sources.c.path == str(path.resolve()))
        ).scalar()
        if loaded == signature:
            return 0
        connection.execute(delete(postcodes))
        connection.execute(delete(sources))
        count = 0
        batch: list[dict[str, object]] = []
        upsert = insert(postcodes).prefix_with("OR REPLACE", dialect="sqlite")
        for place in read_places(path):
            batch.append(place.__dict__.copy())
            if len(batch) >= BATCH:
                connection.execute(upsert, batch)
                count, batch = count + len(batch), []
        if batch:
            connection.execute(upsert, batch)
            count += len(batch)
        connection.execute(insert(sources), {"path": str(path.resolve()), "signature": signature})
    log.info("loaded %d postcodes from %s", count, path.name)
    return count


class OnspdLookup:
    """Postcode lookup in the table loaded from an ONSPD/NSPL file."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        for attempt in range(10):  # processes starting together: one loads, others wait
            try:
                if path is not None:
                    load(engine, path)
                break
            except OperationalError:
                if attempt == 9:
                    raise
                time.sleep(1)

    def __repr__(self) -> str:
        return f"OnspdLookup({self.engine.url!r})"

    def find(self, postcode: str) -> Place | None:
        canonical = normalise_postcode(postcode)
        if canonical is None:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(
                select(postcodes).where(postcodes.c.postcode == canonical)
            ).first()
        return Place(**row._mapping) if row is not None else None
