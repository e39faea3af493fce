"""assistant.answers.usage: where each response is used, from the project's files."""

from __future__ import annotations

from pathlib import Path

from assistant.answers.defaults import parse_domain
from assistant.answers.usage import where_used
from assistant.settings import PROJECT_ROOT


def test_usage_from_actions_rules_and_forms() -> None:
    domain = parse_domain(PROJECT_ROOT / "domain.yml")
    usage = where_used(PROJECT_ROOT, domain.answers, domain.forms)
    assert "bin_collection_day" in usage["utter_bin_collection_day"].intents
    assert "action_bin_collection_day" in usage["utter_bin_collection_day"].actions
    assert "goodbye" in usage["utter_goodbye"].intents  # a rule answering with utter_
    assert "council_form" in usage["utter_ask_postcode"].forms


def test_usage_on_a_small_project(tmp_path: Path) -> None:
    (tmp_path / "actions").mkdir()
    (tmp_path / "data" / "stories").mkdir(parents=True)
    (tmp_path / "actions" / "x.py").write_text(
        "class A:\n    def name(self):\n        return 'action_a'\n"
        "    def run(self, d):\n        d.utter_message(response='utter_a')\n"
    )
    (tmp_path / "data" / "stories" / "r.yml").write_text(
        "rules:\n- rule: r\n  steps:\n  - intent: ask_a\n  - action: action_a\n"
    )
    usage = where_used(tmp_path, ["utter_a", "utter_b"], {})
    assert usage["utter_a"].intents == {"ask_a"}
    assert usage["utter_a"].actions == {"action_a"}
    assert usage["utter_b"].describe() == ""
