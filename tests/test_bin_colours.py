"""Issue 9, item 7: a council's bin answers name its bins the way its collection
schedule does (Millbrook said "green bin (general waste)" beside "General waste
(grey bin)" from the back-office)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from devtools.demo_backoffice.models import fixtures

ROOT = Path(__file__).resolve().parents[1]
COLOURS = "black|blue|green|grey|gray|brown|purple|red|white|yellow|orange"
# "green box", "grey bin (general waste)", "Recycling (green box)"
_CONTAINER = re.compile(rf"\b({COLOURS}) (bin|box|bag|sack|caddy)\b", re.IGNORECASE)


def containers(text: str) -> set[str]:
    return {f"{c.lower()} {kind.lower()}" for c, kind in _CONTAINER.findall(text)}


@pytest.mark.parametrize("council", sorted(c for c, demo in fixtures().items() if "bins" in demo))
def test_bin_answers_name_only_the_bins_the_schedule_names(council: str) -> None:
    scheduled = containers(" ".join(b["name"] for b in fixtures()[council]["bins"]))
    answers_file = ROOT / "councils" / council / "answers.yml"
    answers = yaml.safe_load(answers_file.read_text(encoding="utf-8")).get("responses", {})
    for name, answer in answers.items():
        if not name.startswith("utter_bin"):
            continue
        for text in answer.values():
            named = containers(str(text))
            assert named <= scheduled, f"{council} {name} names {named - scheduled}"
