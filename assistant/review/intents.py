"""The shared model's intents with plain-English names, from `intents.yml`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

INTENTS_FILE = Path(__file__).with_name("intents.yml")


@lru_cache(maxsize=4)
def intent_titles(path: Path = INTENTS_FILE) -> dict[str, str]:
    """Intent name -> plain-English title, sorted by title."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict(sorted(((str(k), str(v)) for k, v in raw.items()), key=lambda kv: kv[1]))
