"""Scoring and gates of the NLU evaluation (the model run itself is `make test-nlu`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.evaluation import (
    Prediction,
    Report,
    confusions,
    failures,
    load_examples,
    load_gates,
    score,
    write_report,
)
from devtools.safety_evaluation import score_crisis


def p(expected: str, predicted: str) -> Prediction:
    return Prediction(
        text=f"{expected}->{predicted}", expected=expected, predicted=predicted, confidence=0.9
    )


def test_scores_per_intent_and_macro_f1() -> None:
    predictions = [p("a", "a"), p("a", "b"), p("b", "b"), p("b", "b")]
    per_intent, macro_f1, accuracy = score(predictions)
    by_name = {s.intent: s for s in per_intent}
    assert by_name["a"].precision == 1.0 and by_name["a"].recall == 0.5
    assert by_name["b"].precision == pytest.approx(2 / 3) and by_name["b"].recall == 1.0
    assert macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)
    assert accuracy == 0.75


def test_fallback_counts_as_a_miss() -> None:
    _, macro_f1, accuracy = score([p("a", "nlu_fallback"), p("a", "a")])
    assert accuracy == 0.5 and macro_f1 == pytest.approx(2 / 3)


def test_confusions_are_counted_most_frequent_first() -> None:
    predictions = [p("a", "b"), p("a", "b"), p("c", "d"), p("a", "a")]
    assert confusions(predictions) == [("a", "b", 2), ("c", "d", 1)]


def report(macro_f1: float, false_accepts: int, crisis_missed: int = 0) -> Report:
    crises = [p("crisis_suicide", "crisis_suicide")] * (10 - crisis_missed)
    crises += [p("crisis_suicide", "out_of_scope")] * crisis_missed
    return Report(macro_f1, 0.9, [], [], 100, false_accepts, [], score_crisis(crises))


def test_gates_pass_and_fail() -> None:
    gates = {
        "min_macro_f1": 0.8,
        "max_oos_false_accept_rate": 0.1,
        "min_crisis_recall": 0.95,
        "min_crisis_precision": 0.9,
    }
    assert failures(report(0.85, 5), gates) == []
    assert "macro-F1" in failures(report(0.79, 5), gates)[0]
    assert "false-accept" in failures(report(0.85, 11), gates)[0]
    assert "crisis recall" in failures(report(0.85, 5, crisis_missed=1), gates)[0]


def test_project_gates_and_heldout_sets_load() -> None:
    gates = load_gates()
    assert 0 < gates["min_macro_f1"] <= 1 and 0 <= gates["max_oos_false_accept_rate"] < 1
    assert gates["min_crisis_recall"] >= 0.98 and gates["max_oos_false_accept_rate"] <= 0.05
    examples = load_examples(Path(__file__).parents[1] / "data" / "nlu_heldout.yml")
    assert len(examples) > 300 and all(text and intent for text, intent in examples)


def test_report_is_written(tmp_path: Path) -> None:
    predictions = [p("a", "a"), p("a", "b")]
    per_intent, macro_f1, accuracy = score(predictions)
    crisis = score_crisis([p("crisis_homeless", "crisis_homeless"), p("a", "crisis_suicide")])
    result = Report(
        macro_f1, accuracy, per_intent, confusions(predictions), 1, 1, [("hi", "x")], crisis
    )
    markdown = write_report(result, predictions, [p("out_of_scope", "x")], tmp_path)
    text = markdown.read_text()
    assert "| a | 1.00 | 0.50 | 0.67 | 2 |" in text and "a -> b: 1" in text
    assert "Precision: **0.500**" in text and "| crisis_homeless | 1.00 | 1 |" in text
    assert (tmp_path / "report.json").exists()
