"""Sanity checks for the Welsh training data and the Welsh held-out sets (issue 13).

Plain Python + PyYAML only (no Rasa import), so it runs fast in CI.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.test_nlu_data import KNOWN_INTENTS, load_nlu_file, merge, normalise, training_files

ROOT: Path = Path(__file__).resolve().parents[1]
WELSH_DIR: Path = ROOT / "data" / "nlu" / "cy"
WELSH_HELDOUT: Path = ROOT / "tests" / "data" / "cy_nlu_heldout.yml"
LANGUAGE_HELDOUT: Path = ROOT / "tests" / "data" / "language_heldout.yml"
# inform is mostly postcodes and references, the same in both languages.
MIN_WELSH_EXAMPLES = 6
MIN_LANGUAGE_MESSAGES = 150


def welsh_training() -> dict[str, list[str]]:
    return merge(*(load_nlu_file(path) for path in sorted(WELSH_DIR.glob("*.yml"))))


def test_every_intent_has_welsh_training_examples() -> None:
    welsh = welsh_training()
    thin = [i for i in sorted(KNOWN_INTENTS) if len(welsh.get(i, [])) < MIN_WELSH_EXAMPLES]
    assert not thin, f"intents with fewer than {MIN_WELSH_EXAMPLES} Welsh examples: {thin}"


def test_welsh_examples_are_marked_welsh_for_the_detector() -> None:
    unmarked = []
    for path in sorted(WELSH_DIR.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if (item.get("metadata") or {}).get("language") != "cy":
                unmarked.append(f"{path.name}: {item.get('intent')}")
    assert not unmarked, f"Welsh intents without metadata language: cy: {unmarked}"


def test_welsh_heldout_covers_every_intent_and_is_not_trained_on() -> None:
    heldout = load_nlu_file(WELSH_HELDOUT)
    trained = {
        normalise(t) for path in training_files() for ts in load_nlu_file(path).values() for t in ts
    }
    missing = sorted(KNOWN_INTENTS - {"inform"} - set(heldout))
    leaks = [t for texts in heldout.values() for t in texts if normalise(t) in trained]
    assert not missing, f"Welsh held-out set has no examples for: {missing}"
    assert set(heldout) <= KNOWN_INTENTS
    assert not leaks, f"Welsh held-out examples found in training data: {leaks}"


def test_language_set_is_big_and_has_short_mixed_and_neutral_messages() -> None:
    raw = yaml.safe_load(LANGUAGE_HELDOUT.read_text(encoding="utf-8"))
    assert set(raw) == {"cy", "en", "none"}
    texts = [str(t) for label in raw for t in raw[label]]
    assert len(texts) >= MIN_LANGUAGE_MESSAGES
    assert sum(len(t.split()) <= 3 for t in texts) >= 60, "too few 1-3 word messages"
    assert any(re.match(r"bore da,", t, re.IGNORECASE) for t in raw["en"]), "no mixed message"
    assert any(re.fullmatch(r"[A-Z]{1,2}\d{1,2} ?\d[A-Z]{2}", str(t)) for t in raw["none"])
