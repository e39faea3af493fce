"""The shared domain: the intent contract, and actions and responses that match up."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import yaml
from rasa_sdk import Action
from rasa_sdk.utils import all_subclasses

from actions.base import _import_all_actions
from devtools.validation import responses_named_in_code

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))

# The public contract between councils (issue 2): renaming one breaks every council.
CONTRACT_INTENTS = """greet goodbye thank affirm deny bot_challenge help human_handoff emergency
inform council_tax_pay council_tax_balance council_tax_discount council_tax_move
bin_collection_day bin_missed bulky_waste report_pothole report_fly_tipping report_street_light
planning_status planning_comment housing_repair parking_permit parking_fine register_to_vote
register_birth register_death library_info""".split()
# Responses Rasa sends by convention: forms ask with utter_ask_<slot>, and the
# core fallback (action_default_fallback) sends utter_default.
CONVENTIONAL = re.compile(r"^utter_(ask_[a-z0-9_]+|default)$")


def implemented_actions() -> set[str]:
    _import_all_actions()
    names = set()
    for action_class in all_subclasses(Action):
        if action_class.__module__.startswith("actions.") and not inspect.isabstract(action_class):
            names.add(action_class().name())
    return names


def source_texts() -> str:
    folders = ["actions", "assistant", "data/stories"]
    files = [path for folder in folders for path in (ROOT / folder).rglob("*") if path.is_file()]
    return "\n".join(
        path.read_text(encoding="utf-8", errors="ignore")
        for path in files
        if path.suffix in {".py", ".yml", ".yaml"}
    )


def test_every_contract_intent_is_in_the_domain() -> None:
    missing = sorted(set(CONTRACT_INTENTS) - set(DOMAIN["intents"]))
    assert missing == [], f"contract intents missing from domain.yml: {missing}"


def test_every_custom_action_in_the_domain_is_implemented() -> None:
    implemented = implemented_actions()
    declared = set(DOMAIN["actions"])
    forms = {f"validate_{form}" for form in DOMAIN.get("forms", {})}
    missing = sorted(
        name
        for name in declared
        if name not in implemented
        and not (name in forms and name in implemented)
        and not name.startswith("utter_")
    )
    assert missing == [], f"declared in domain.yml but not implemented: {missing}"


def test_every_implemented_action_is_declared() -> None:
    undeclared = sorted(implemented_actions() - set(DOMAIN["actions"]))
    assert undeclared == [], f"implemented but not in domain.yml actions: {undeclared}"


def test_every_response_named_in_code_exists() -> None:
    used = responses_named_in_code()
    used |= set(re.findall(r"action: (utter_[a-z0-9_]+)", source_texts()))
    missing = sorted(used - set(DOMAIN["responses"]))
    assert missing == [], f"responses used but not defined in domain.yml: {missing}"


def test_every_response_is_used_somewhere() -> None:
    text = source_texts()
    unused = sorted(
        name for name in DOMAIN["responses"] if name not in text and not CONVENTIONAL.match(name)
    )
    assert unused == [], f"responses in domain.yml that nothing sends: {unused}"
