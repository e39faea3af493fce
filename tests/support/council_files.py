"""Copies of the demo councils' council.yml under a temporary directory, changed as a
test needs, for tests of validation and of the rules across councils."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from assistant.settings import PROJECT_ROOT

DEMO_COUNCILS = ("brackenbury", "millbrook")


def demo_config(council_id: str) -> dict[str, Any]:
    """The demo council's council.yml as data."""
    path = PROJECT_ROOT / "councils" / council_id / "council.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_demo_councils(
    root: Path, change: Callable[[dict[str, dict[str, Any]]], None] | None = None
) -> dict[str, Path]:
    """Write both demo councils under `root` after `change(configs)`; their paths by id."""
    configs = {council_id: demo_config(council_id) for council_id in DEMO_COUNCILS}
    if change is not None:
        change(configs)
    paths = {}
    for council_id, config in configs.items():
        folder = root / council_id
        folder.mkdir(parents=True, exist_ok=True)
        paths[council_id] = folder / "council.yml"
        paths[council_id].write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return paths
