"""Project validation: Rasa's own validator, with no warning left unexplained.

Rasa warns about every response that no story or rule names. In this project
custom actions send most responses by name (so the NLG server can give each
council its own words), so those warnings are expected exactly when the
response is named in the code; every other warning is a problem.
"""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

from assistant.settings import PROJECT_ROOT

UNUSED_RESPONSE = re.compile(r"The utterance '(utter_[a-z0-9_]+)' is not used in any story or rule")
RESPONSE_NAME = re.compile(r"utter_[a-z0-9_]*[a-z0-9]")  # not f-string fragments
CONVENTIONAL_RESPONSE = re.compile(r"^utter_(ask_[a-z0-9_]+|default)$")
CODE_FOLDERS = ("actions", "assistant")
# Strings shaped like response names that are not: Rasa's metadata key for the response
# a bot message came from (read by assistant/insight).
NOT_RESPONSES = frozenset({"utter_action"})
# Data tables the actions read (actions/topics.yml, escapes.yml): `key: utter_...` rows.
TABLE_RESPONSE = re.compile(r"^\s*[\w-]+:\s*(utter_[a-z0-9_]*[a-z0-9])\s*$", re.MULTILINE)
# Rasa 3.6 raises this on every domain load, whatever the domain says.
ALWAYS_RAISED = ("Slot auto-fill has been removed in 3.0",)


def responses_named_in_code(root: Path = PROJECT_ROOT) -> set[str]:
    """Response names that the project's Python code uses as string constants."""
    names: set[str] = set()
    for folder in CODE_FOLDERS:
        for path in (root / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            names.update(
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and RESPONSE_NAME.fullmatch(node.value)
            )
        for path in (root / folder).rglob("*.yml"):
            names.update(TABLE_RESPONSE.findall(path.read_text(encoding="utf-8")))
    return names - NOT_RESPONSES


def validate_project(root: Path = PROJECT_ROOT) -> list[str]:
    """Every problem Rasa's validator reports, minus the expected unused-response warnings."""
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    importer = TrainingDataImporter.load_from_config(
        str(root / "config.yml"), str(root / "domain.yml"), [str(root / "data")]
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validator = Validator.from_importer(importer)
        checks = [
            validator.verify_domain_validity(),
            validator.verify_actions_in_stories_rules(),
            validator.verify_forms_in_stories_rules(),
            validator.verify_form_slots(),
            validator.verify_slot_mappings(),
            validator.verify_nlu(ignore_warnings=False),
            validator.verify_story_structure(ignore_warnings=False),
        ]
    sent_by_code = responses_named_in_code(root)
    problems = []
    for warning in caught:
        if not issubclass(warning.category, UserWarning):
            continue  # deprecation notices from Rasa's dependencies
        message = str(warning.message)
        if message.startswith(ALWAYS_RAISED):
            continue
        unused = UNUSED_RESPONSE.search(message)
        if unused and (
            unused.group(1) in sent_by_code or CONVENTIONAL_RESPONSE.match(unused.group(1))
        ):
            continue
        problems.append(message)
    if not all(checks) and not problems:
        problems.append("Rasa's validator reported errors (see the log above)")
    return problems
