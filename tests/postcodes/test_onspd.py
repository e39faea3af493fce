"""The ONSPD/NSPL loader: the real column names, terminated and unknown postcodes,
loading once (idempotent), and a national-sized file streamed in batches."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from assistant.database import make_engine
from assistant.postcodes import onspd
from assistant.postcodes.onspd import OnspdLookup, load, postcodes
from assistant.settings import Settings

DEMO = Settings.from_env({}).postcodes_file


def engine_in(tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_engine(f"sqlite:///{tmp_path / 'postcodes.db'}")


def test_the_shipped_extract_has_the_onspd_header() -> None:
    header = DEMO.read_text(encoding="utf-8").splitlines()[0].split(",")
    for column in ("pcd", "pcd2", "pcds", "dointr", "doterm", "oscty", "oslaua", "osward"):
        assert column in header
    assert {"lat", "long", "oseast1m", "osnrth1m"} <= set(header)


def test_a_postcode_gives_its_district_county_and_coordinates(tmp_path: Path) -> None:
    lookup = OnspdLookup(engine_in(tmp_path), DEMO)
    place = lookup.find("mq37zd")
    assert place is not None
    assert (place.postcode, place.district, place.county) == ("MQ3 7ZD", "E07000991", "E10000991")
    assert place.terminated is None
    assert place.latitude is not None and place.easting is not None
    assert set(place.coordinates()) == {"latitude", "longitude", "easting", "northing"}


def test_a_unitary_postcode_has_no_county(tmp_path: Path) -> None:
    # ONSPD's oscty is the pseudo code E99999999 outside two-tier areas.
    place = OnspdLookup(engine_in(tmp_path), DEMO).find("SW1A 1AA")
    assert place is not None and place.district == "E09000033" and place.county is None


def test_terminated_and_unknown_postcodes(tmp_path: Path) -> None:
    lookup = OnspdLookup(engine_in(tmp_path), DEMO)
    terminated = lookup.find("MQ5 9XX")
    assert terminated is not None and terminated.terminated == "201906"
    assert lookup.find("MQ6 1AA") is None
    assert lookup.find("not a postcode") is None


def test_loading_twice_loads_once_and_a_changed_file_reloads(tmp_path: Path) -> None:
    engine = engine_in(tmp_path)
    copy = tmp_path / "onspd.csv"
    copy.write_text(DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    assert load(engine, copy) > 20
    assert load(engine, copy) == 0  # unchanged: nothing done
    with copy.open("a", encoding="utf-8") as handle:
        handle.write(DEMO.read_text(encoding="utf-8").splitlines()[1].replace("BK1", "BK8") + "\n")
    assert load(engine, copy) > 20
    assert OnspdLookup(engine).find("BK8 1AA") is not None


def test_nspl_column_names_load_too(tmp_path: Path) -> None:
    path = tmp_path / "nspl.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["pcd", "pcd2", "pcds", "dointr", "doterm", "laua", "cty", "ward", "lat", "long"]
        )
        writer.writerow(
            [
                "TS1 1AA",
                "TS1  1AA",
                "TS1 1AA",
                "198001",
                "",
                "E06000993",
                "E99999999",
                "",
                "54.5",
                "-1.2",
            ]
        )
    place = OnspdLookup(engine_in(tmp_path), path).find("TS1 1AA")
    assert place is not None and place.district == "E06000993" and place.county is None


def test_a_large_file_is_streamed_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(onspd, "BATCH", 1000)
    path = tmp_path / "national.csv"
    header = DEMO.read_text(encoding="utf-8").splitlines()[0].split(",")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for n in range(10_000):
            outward, inward = (
                f"TS{n // 1000 % 10}{n // 100 % 10}",
                f"{n // 10 % 10}{'ABDEFGHJLN'[n % 10]}{'PQRSTUWXYZ'[n // 10 % 10]}",
            )
            writer.writerow(
                {"pcds": f"{outward} {inward}", "oslaua": "E07000111", "oscty": "E10000016"}
            )
    engine = engine_in(tmp_path)
    loaded = load(engine, path)
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(postcodes)).scalar()
    assert loaded == stored == 10_000  # 10 batches of 1000
