"""Sanity checks for the NLU training data and the held-out test sets.

Plain Python + PyYAML only (no Rasa import), so it runs fast in CI.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

ROOT: Path = Path(__file__).resolve().parents[1]
TRAINING_DIR: Path = ROOT / "data" / "nlu"
HELDOUT_FILE: Path = ROOT / "tests" / "data" / "nlu_heldout.yml"
OOS_HELDOUT_FILE: Path = ROOT / "tests" / "data" / "out_of_scope_heldout.yml"
OOS_BROAD_FILE: Path = ROOT / "tests" / "data" / "out_of_scope_broad.yml"
CRISIS_HELDOUT_FILE: Path = ROOT / "tests" / "data" / "crisis_heldout.yml"
LONG_MESSAGES_FILE: Path = ROOT / "tests" / "data" / "long_messages_heldout.yml"

CONTRACT_INTENTS: tuple[str, ...] = (
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "help",
    "human_handoff",
    "emergency",
    "inform",
    "council_tax_pay",
    "council_tax_balance",
    "council_tax_discount",
    "council_tax_move",
    "bin_collection_day",
    "bin_missed",
    "bulky_waste",
    "report_pothole",
    "report_fly_tipping",
    "report_street_light",
    "planning_status",
    "planning_comment",
    "housing_repair",
    "parking_permit",
    "parking_fine",
    "register_to_vote",
    "register_birth",
    "register_death",
    "library_info",
    "out_of_scope",
)
# Intents added where residents need them (never renaming a contract intent):
# report_status (issue 3): "what's happening with my report?", by its reference.
# The crisis routes (issue 9), held out in crisis_heldout.yml.
CRISIS_INTENTS: tuple[str, ...] = (
    "crisis_domestic_abuse",
    "crisis_suicide",
    "crisis_homeless",
    "crisis_child_at_risk",
    "crisis_adult_at_risk",
)
# Everyday council topics (issue 9, item 2; actions/topics.yml).
TOPIC_INTENTS: tuple[str, ...] = tuple(
    """noise_nuisance pest_control antisocial_behaviour benefits blue_badge school_admissions
    housing_application adult_social_care childrens_services business_rates
    report_abandoned_vehicle report_dog_fouling report_graffiti report_tree report_blocked_drain
    complaint""".split()
)
# "Cymraeg", "English please" (issue 13).
ADDED_INTENTS: tuple[str, ...] = (
    "report_status",
    *CRISIS_INTENTS,
    *TOPIC_INTENTS,
    "switch_language",
)
KNOWN_INTENTS: frozenset[str] = frozenset(CONTRACT_INTENTS + ADDED_INTENTS)

MIN_TRAINING_EXAMPLES: int = 25
MIN_OOS_HELDOUT_EXAMPLES: int = 120
MIN_OOS_BROAD_EXAMPLES: int = 300
MIN_CRISIS_HELDOUT_EXAMPLES: int = 20
ALLOWED_ENTITIES: frozenset[str] = frozenset({"house"})

# Rasa inline entity annotation: [text](entity) or [text]{"entity": ...}
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_ENTITY_NAME = re.compile(r"\[[^\]]*\]\(([^)]*)\)")
_PUNCTUATION = re.compile(r"[^\w\s]")
_WHITESPACE = re.compile(r"\s+")

Examples = dict[str, list[str]]


def strip_annotations(text: str) -> str:
    """Replace `[value](entity)` markup with just `value`."""
    return _ANNOTATION.sub(r"\1", text)


def normalise(text: str) -> str:
    """Lower-case, drop entity markup and punctuation, collapse whitespace."""
    text = strip_annotations(text).lower()
    text = _PUNCTUATION.sub("", text).replace("_", "")
    return _WHITESPACE.sub(" ", text).strip()


def parse_examples(block: str) -> list[str]:
    """Turn a Rasa `examples: |` block into a list of example strings."""
    examples: list[str] = []
    for line in block.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            examples.append(stripped[2:].strip())
        elif stripped:
            raise ValueError(f"unexpected line in examples block: {line!r}")
    return examples


def load_nlu_file(path: Path) -> Examples:
    """Load one Rasa 3 NLU YAML file into {intent: [examples]}."""
    with path.open(encoding="utf-8") as handle:
        content = yaml.safe_load(handle) or {}
    result: Examples = defaultdict(list)
    for item in content.get("nlu", []) or []:
        if "intent" not in item:
            continue  # synonyms, regexes and lookups are not examples
        result[item["intent"]].extend(parse_examples(item.get("examples", "")))
    return dict(result)


def merge(*sets: Examples) -> Examples:
    merged: Examples = defaultdict(list)
    for examples in sets:
        for intent, texts in examples.items():
            merged[intent].extend(texts)
    return dict(merged)


def training_files() -> list[Path]:
    return sorted(TRAINING_DIR.rglob("*.yml"))  # data/nlu/cy/ (Welsh) included


@pytest.fixture(scope="module")
def training() -> Examples:
    files = training_files()
    assert files, f"no training files found in {TRAINING_DIR}"
    return merge(*(load_nlu_file(path) for path in files))


@pytest.fixture(scope="module")
def heldout() -> Examples:
    assert HELDOUT_FILE.exists(), f"missing {HELDOUT_FILE}"
    return load_nlu_file(HELDOUT_FILE)


@pytest.fixture(scope="module")
def oos_heldout() -> Examples:
    assert OOS_HELDOUT_FILE.exists(), f"missing {OOS_HELDOUT_FILE}"
    return load_nlu_file(OOS_HELDOUT_FILE)


@pytest.fixture(scope="module")
def oos_broad() -> Examples:
    return load_nlu_file(OOS_BROAD_FILE)


@pytest.fixture(scope="module")
def crisis_heldout() -> Examples:
    return load_nlu_file(CRISIS_HELDOUT_FILE)


def test_training_uses_file_format_version() -> None:
    bad: list[str] = []
    for path in [
        *training_files(),
        HELDOUT_FILE,
        OOS_HELDOUT_FILE,
        OOS_BROAD_FILE,
        CRISIS_HELDOUT_FILE,
        LONG_MESSAGES_FILE,
    ]:
        with path.open(encoding="utf-8") as handle:
            content = yaml.safe_load(handle) or {}
        if str(content.get("version")) != "3.1":
            bad.append(str(path.relative_to(ROOT)))
    assert not bad, f'files without version: "3.1": {bad}'


def test_every_contract_intent_has_enough_training_examples(
    training: Examples,
) -> None:
    problems = [
        f"{intent}: {len(training.get(intent, []))} examples"
        for intent in CONTRACT_INTENTS
        if len(training.get(intent, [])) < MIN_TRAINING_EXAMPLES
    ]
    assert not problems, (
        f"intents with fewer than {MIN_TRAINING_EXAMPLES} training examples:\n"
        + "\n".join(problems)
    )


def test_training_uses_only_contract_intents(training: Examples) -> None:
    unknown = sorted(set(training) - KNOWN_INTENTS)
    assert not unknown, f"intents not in the contract: {unknown}"


def test_heldout_covers_every_contract_intent(heldout: Examples, crisis_heldout: Examples) -> None:
    missing = [
        intent
        for intent in KNOWN_INTENTS
        if not (crisis_heldout if intent in CRISIS_INTENTS else heldout).get(intent)
    ]
    unknown = sorted((set(heldout) | set(crisis_heldout)) - KNOWN_INTENTS)
    assert not missing, f"held-out set has no examples for: {missing}"
    assert not unknown, f"held-out set uses intents not in the contract: {unknown}"


def test_heldout_examples_do_not_appear_in_training(
    training: Examples,
    heldout: Examples,
    oos_heldout: Examples,
    oos_broad: Examples,
    crisis_heldout: Examples,
) -> None:
    trained: dict[str, str] = {}
    for intent, texts in training.items():
        for text in texts:
            trained.setdefault(normalise(text), intent)
    leaks: list[str] = []
    for source, examples in (
        (HELDOUT_FILE.name, heldout),
        (OOS_HELDOUT_FILE.name, oos_heldout),
        (OOS_BROAD_FILE.name, oos_broad),
        (CRISIS_HELDOUT_FILE.name, crisis_heldout),
        (LONG_MESSAGES_FILE.name, load_nlu_file(LONG_MESSAGES_FILE)),
    ):
        for intent, texts in examples.items():
            for text in texts:
                key = normalise(text)
                if key in trained:
                    leaks.append(f"{source} [{intent}] {text!r} is in training as [{trained[key]}]")
    assert not leaks, "held-out examples found in training data:\n" + "\n".join(leaks)


def test_long_messages_are_long_and_name_known_intents() -> None:
    long = load_nlu_file(LONG_MESSAGES_FILE)
    assert sum(len(texts) for texts in long.values()) >= 20
    assert set(long) <= KNOWN_INTENTS
    for texts in long.values():
        assert all(len(re.findall(r"[.?!](\s|$)", text)) >= 2 for text in texts), texts


def test_no_training_example_has_two_intents(training: Examples) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    originals: dict[str, list[str]] = defaultdict(list)
    for intent, texts in training.items():
        for text in texts:
            key = normalise(text)
            seen[key].add(intent)
            originals[key].append(f"{text!r} ({intent})")
    clashes = [
        f"{' / '.join(originals[key])}" for key, intents in sorted(seen.items()) if len(intents) > 1
    ]
    assert not clashes, "examples under more than one intent:\n" + "\n".join(clashes)


def test_out_of_scope_heldout_is_big_enough(oos_heldout: Examples) -> None:
    assert set(oos_heldout) == {"out_of_scope"}, (
        f"{OOS_HELDOUT_FILE.name} must hold only out_of_scope, found {sorted(oos_heldout)}"
    )
    count = len(oos_heldout["out_of_scope"])
    assert count >= MIN_OOS_HELDOUT_EXAMPLES, (
        f"{OOS_HELDOUT_FILE.name} has {count} examples, need at least {MIN_OOS_HELDOUT_EXAMPLES}"
    )


def test_only_house_entity_is_annotated(training: Examples, heldout: Examples) -> None:
    bad: list[str] = []
    for examples in (training, heldout):
        for intent, texts in examples.items():
            for text in texts:
                for entity in _ENTITY_NAME.findall(text):
                    if entity not in ALLOWED_ENTITIES:
                        bad.append(f"[{intent}] {text!r} annotates {entity!r}")
    assert not bad, "unexpected entity annotations:\n" + "\n".join(bad)


def test_broad_out_of_scope_set_is_big_enough(oos_broad: Examples) -> None:
    assert set(oos_broad) == {"out_of_scope"}
    assert len(oos_broad["out_of_scope"]) >= MIN_OOS_BROAD_EXAMPLES


def test_crisis_heldout_covers_every_crisis_route(crisis_heldout: Examples) -> None:
    thin = [
        intent
        for intent in CRISIS_INTENTS
        if len(crisis_heldout.get(intent, [])) < MIN_CRISIS_HELDOUT_EXAMPLES
    ]
    ordinary = [intent for intent in crisis_heldout if intent not in CRISIS_INTENTS]
    assert not thin, f"crisis routes with too few held-out examples: {thin}"
    assert sum(len(crisis_heldout[i]) for i in ordinary) >= 30, "too few must-not-match messages"
