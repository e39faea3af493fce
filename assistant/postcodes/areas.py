"""Names of councils by GSS code, for places no configured council serves.

A small table shipped as data (`data/gss_names.csv`: code, name); a deployment may
replace it with the ONS "LAD and county names and codes" file in the same shape.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

NAMES_FILE = Path(__file__).with_name("data") / "gss_names.csv"


@functools.lru_cache(maxsize=4)
def council_names(path: Path = NAMES_FILE) -> dict[str, str]:
    """GSS code -> the council's name."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["code"].strip().upper(): row["name"].strip() for row in csv.DictReader(handle)}


def council_name(code: str | None, path: Path = NAMES_FILE) -> str | None:
    """The council named for this GSS code in the table, or None."""
    return council_names(path).get(code.upper()) if code else None
