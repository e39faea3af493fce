"""Where each response is used, derived from the project itself.

- actions/*.py: a class whose `name()` returns "action_x" and which mentions
  "utter_y" (a `response = "utter_y"` attribute or `utter_message(response=...)`)
  uses utter_y; module-level functions' responses are attributed to the module.
- data/stories/*.yml and data/rules: the intents a rule or story step answers
  with an action (directly an `utter_` action, or an action found above).
- domain.yml forms: `utter_ask_<slot>` asks for a form's slot.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

UTTER_PREFIX = "utter_"


@dataclass
class Usage:
    """Where one response is used."""

    intents: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)

    def describe(self) -> str:
        parts = []
        if self.intents:
            parts.append("intents: " + ", ".join(sorted(self.intents)))
        if self.actions:
            parts.append("actions: " + ", ".join(sorted(self.actions)))
        if self.forms:
            parts.append("forms: " + ", ".join(sorted(self.forms)))
        return "; ".join(parts)


def responses_by_action(actions_dir: Path) -> dict[str, set[str]]:
    """For each action name (or module), the response names its code mentions."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted(actions_dir.glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                name = _action_name(node)
                responses = _utter_strings(node)
                if name and responses:
                    found[name] |= responses
                elif responses:
                    found[f"{path.stem}.{node.name}"] |= responses
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                responses = _utter_strings(node)
                if responses:
                    found[f"{path.stem}.{node.name}"] |= responses
    return dict(found)


def intents_by_action(stories_dir: Path) -> dict[str, set[str]]:
    """For each action, the intents it answers in rules and stories."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted(stories_dir.glob("*.yml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for section in ("rules", "stories"):
            for flow in raw.get(section) or []:
                _collect_steps(flow.get("steps") or [], found)
    return dict(found)


def _collect_steps(steps: Iterable[object], found: dict[str, set[str]]) -> None:
    intent: str | None = None
    for step in steps:
        if not isinstance(step, dict):
            continue
        if isinstance(step.get("intent"), str):
            intent = step["intent"]
        elif isinstance(step.get("action"), str) and intent is not None:
            found[step["action"]].add(intent)
        elif "or" in step:
            for option in step["or"] or []:
                if isinstance(option, dict) and isinstance(option.get("intent"), str):
                    intent = option["intent"]


def where_used(
    project_root: Path, responses: Iterable[str], forms: Mapping[str, tuple[str, ...]]
) -> dict[str, Usage]:
    """Usage of every response in `responses`."""
    usage = {name: Usage() for name in responses}
    by_action = responses_by_action(project_root / "actions")
    intents = intents_by_action(project_root / "data" / "stories")
    for action, names in by_action.items():
        for name in names:
            if name in usage:
                usage[name].actions.add(action)
                usage[name].intents |= intents.get(action, set())
    for name in usage:
        usage[name].intents |= intents.get(name, set())
    for form, slots in forms.items():
        for slot in slots:
            for name in (f"utter_ask_{slot}", f"utter_ask_{form}_{slot}"):
                if name in usage:
                    usage[name].forms.add(form)
    return usage


def _action_name(node: ast.ClassDef) -> str | None:
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == "name":
            for sub in ast.walk(item):
                if isinstance(sub, ast.Return) and isinstance(sub.value, ast.Constant):
                    if isinstance(sub.value.value, str):
                        return sub.value.value
    return None


def _utter_strings(node: ast.AST) -> set[str]:
    return {
        sub.value
        for sub in ast.walk(node)
        if isinstance(sub, ast.Constant)
        and isinstance(sub.value, str)
        and sub.value.startswith(UTTER_PREFIX)
        and sub.value.isidentifier()
    }
