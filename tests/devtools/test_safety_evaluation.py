"""Crisis recall and precision on held-out predictions."""

from __future__ import annotations

import pytest

from devtools.evaluation import Prediction
from devtools.safety_evaluation import score_crisis


def p(expected: str, predicted: str) -> Prediction:
    return Prediction(text=f"{expected}?", expected=expected, predicted=predicted, confidence=1.0)


def test_recall_counts_only_the_right_crisis_route() -> None:
    score = score_crisis(
        [
            p("crisis_suicide", "crisis_suicide"),
            p("crisis_suicide", "emergency"),  # safe, but not its own route
            p("crisis_homeless", "crisis_homeless"),
            p("crisis_homeless", "out_of_scope"),
        ]
    )
    assert score.recall == 0.5 and score.safe_recall == 0.75 and score.total == 4
    assert {s.intent: s.recall for s in score.per_intent} == {
        "crisis_homeless": 0.5,
        "crisis_suicide": 0.5,
    }
    assert ("crisis_homeless?", "crisis_homeless", "out_of_scope") in score.misses


def test_precision_counts_every_message_sent_to_a_crisis_route() -> None:
    score = score_crisis(
        [
            p("crisis_suicide", "crisis_suicide"),
            p("report_pothole", "crisis_adult_at_risk"),
            p("crisis_homeless", "crisis_child_at_risk"),
            p("out_of_scope", "out_of_scope"),
        ]
    )
    assert score.precision == pytest.approx(1 / 3)
    assert [alarm[1] for alarm in score.false_alarms] == ["report_pothole", "crisis_homeless"]


def test_no_crisis_prediction_is_full_precision() -> None:
    assert score_crisis([p("greet", "greet")]).precision == 1.0
