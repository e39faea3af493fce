"""Councils for tests: the ids found in a councils folder, and a new council scaffolded
from an existing one (what a council adding itself would do, in a temporary folder)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from assistant.councils.schema import TIER_PREFIXES


def council_ids(root: Path) -> list[str]:
    """Every council in `root`: the folders holding a council.yml, sorted."""
    return sorted(path.parent.name for path in root.glob("*/council.yml"))


def scaffold_council(
    source: Path,
    council_id: str,
    gss_code: str,
    action_port: int,
    first_number: int,
) -> Path:
    """Copy the council folder `source` beside it as `council_id`, renamed throughout
    (names, variable names), for the area with ONS code `gss_code`, with its own action
    server port and SMS numbers from +44 7700 `first_number` on. Returns the new folder."""
    old_id = source.name
    text = (source / "council.yml").read_text(encoding="utf-8")
    for old, new in ((old_id, council_id), (old_id.upper(), council_id.upper())):
        text = text.replace(old, new)
    text = text.replace(old_id.title(), council_id.title())
    data: dict[str, Any] = yaml.safe_load(text)
    data["gss_code"] = gss_code
    # The tier that code is for (the source may be of another tier, e.g. Welsh).
    data["tier"] = next(tier for tier, codes in TIER_PREFIXES.items() if gss_code[:3] in codes)
    data["action_server"]["url"] = f"http://localhost:{action_port}"
    number = first_number
    for gateway in (data.get("sms") or {}).values():
        if isinstance(gateway, dict) and "numbers" in gateway:
            gateway["numbers"] = [f"+44 7700 {number + i}" for i in range(len(gateway["numbers"]))]
            number += len(gateway["numbers"])
    target = source.parent / council_id
    target.mkdir()
    (target / "council.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    for extra in source.iterdir():
        if extra.name != "council.yml" and extra.is_file():
            shutil.copy(extra, target / extra.name)
    return target
