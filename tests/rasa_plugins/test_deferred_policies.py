"""TED's and memoization's predictions are computed only when they could be chosen,
and Rasa's ensemble chooses what it always chose."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.memoization import AugmentedMemoizationPolicy, MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.rasa_plugins import deferred_policies
from assistant.rasa_plugins.deferred_policies import DeferredPrediction, decided_without
from assistant.settings import PROJECT_ROOT
from tests.rasa_plugins.conftest import trained_model

DOMAIN = Domain.from_dict(
    {"intents": ["greet"], "actions": ["action_a", "action_b"], "responses": {}}
)
A = DOMAIN.index_for_action("action_a")
B = DOMAIN.index_for_action("action_b")
RULE, MEMO, TED = 6, 3, 1  # Rasa's default priorities


def scores(**confidences: float) -> list[float]:
    probabilities = [0.0] * len(DOMAIN.action_names_or_texts)
    for name, value in confidences.items():
        probabilities[DOMAIN.index_for_action(name)] = value
    return probabilities


def prediction(priority: int, name: str = "RulePolicy", **kwargs: object) -> PolicyPrediction:
    probabilities = kwargs.pop("probabilities", scores(action_a=1.0))
    return PolicyPrediction(probabilities, name, priority, **kwargs)  # type: ignore[arg-type]


def deferred(
    real: PolicyPrediction, priority: int = TED, end_to_end: bool = False
) -> tuple[DeferredPrediction, list[int]]:
    calls: list[int] = []

    def compute() -> PolicyPrediction:
        calls.append(1)
        return real

    return DeferredPrediction(compute, priority, end_to_end), calls


def tracker(*events: object) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("t", [ActionExecuted("action_listen"), *events])


LISTENED = tracker(UserUttered("hi", {"name": "greet"}))


def test_a_deferred_prediction_is_computed_once_and_only_when_read() -> None:
    real = prediction(TED, "TEDPolicy", probabilities=scores(action_b=0.7))
    late, calls = deferred(real)
    assert calls == [] and not late.computed
    assert late.max_confidence == 0.7
    assert late.policy_name == "TEDPolicy" and late.events == []
    assert late == real
    assert calls == [1] and late.computed


def test_a_rule_at_full_confidence_decides_without_ted_or_memoization() -> None:
    ted, _ = deferred(prediction(TED, "TEDPolicy"))
    memo, _ = deferred(prediction(MEMO, "MemoizationPolicy"), MEMO)
    assert decided_without([prediction(RULE)], [ted, memo], LISTENED, DOMAIN)


@pytest.mark.parametrize(
    ("known", "pending_priority"),
    [
        ([prediction(RULE, probabilities=scores(action_a=0.3))], TED),  # a rule's fallback
        ([prediction(TED)], RULE),  # a deferred policy of higher priority
        ([prediction(RULE)], RULE),  # equal priority: the order decides
        ([], TED),  # nothing known
    ],
)
def test_the_deferred_are_needed_when_they_could_win(
    known: list[PolicyPrediction], pending_priority: int
) -> None:
    pending, _ = deferred(prediction(TED, "TEDPolicy"), pending_priority)
    assert not decided_without(known, [pending], LISTENED, DOMAIN)


def test_a_rejected_action_does_not_decide() -> None:
    rejected = tracker(UserUttered("hi", {"name": "greet"}), ActionExecutionRejected("action_a"))
    pending, _ = deferred(prediction(TED, "TEDPolicy"))
    assert not decided_without([prediction(RULE)], [pending], rejected, DOMAIN)
    # An action executed since: the rejection no longer counts.
    later = tracker(ActionExecutionRejected("action_a"), ActionExecuted("action_b"))
    assert decided_without([prediction(RULE)], [pending], later, DOMAIN)


def test_no_user_and_end_to_end_predictions() -> None:
    low = scores(action_a=0.2)
    no_user = prediction(RULE, probabilities=low, is_no_user_prediction=True)
    end_to_end = prediction(RULE, probabilities=low, is_end_to_end_prediction=True)
    plain, _ = deferred(prediction(TED, "TEDPolicy"))
    may_be_e2e, _ = deferred(prediction(TED, "TEDPolicy"), end_to_end=True)
    assert decided_without([no_user], [plain, may_be_e2e], LISTENED, DOMAIN)
    assert decided_without([end_to_end], [plain], LISTENED, DOMAIN)
    assert not decided_without([end_to_end], [may_be_e2e], LISTENED, DOMAIN)
    assert not decided_without([prediction(RULE)], [may_be_e2e], LISTENED, DOMAIN)


def combine(predictions: list[PolicyPrediction]) -> PolicyPrediction:
    ensemble = DefaultPolicyPredictionEnsemble()
    return deferred_policies.combine_predictions(ensemble, predictions, LISTENED, DOMAIN)


def test_the_ensemble_skips_what_cannot_win_and_computes_what_can() -> None:
    ted_says_b = prediction(TED, "TEDPolicy", probabilities=scores(action_b=0.9))
    skipped, skipped_calls = deferred(ted_says_b)
    chosen = combine([prediction(RULE), skipped])
    assert (chosen.policy_name, chosen.max_confidence_index) == ("RulePolicy", A)
    assert skipped_calls == []

    needed, needed_calls = deferred(ted_says_b)
    fallback = prediction(RULE, probabilities=scores(action_a=0.3))
    chosen = combine([fallback, needed])
    assert (chosen.policy_name, chosen.max_confidence_index) == ("TEDPolicy", B)
    assert needed_calls == [1]


def test_only_ted_and_memoization_are_deferred() -> None:
    predict = deferred_policies.deferred(lambda policy, *args: prediction(TED, "TEDPolicy"))
    for kind in (TEDPolicy, MemoizationPolicy, AugmentedMemoizationPolicy):
        policy = object.__new__(kind)
        policy.priority = TED
        policy.fake_features = {}  # what TED's own init sets; memoization has none
        assert isinstance(predict(policy, LISTENED, DOMAIN), DeferredPrediction)
    rule = object.__new__(RulePolicy)
    assert not isinstance(predict(rule, LISTENED, DOMAIN), DeferredPrediction)


def test_every_story_is_predicted_as_rasa_predicts_it() -> None:
    """The trained model, every story's and rule's conversation up to each action and
    random conversations no story tells: Rasa's way, then deferred."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.policy_replay", str(trained_model())],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    replay = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(replay["rasa"]) > 500
    for rasa_way, ours in zip(replay["rasa"], replay["deferred"], strict=True):
        assert ours == rasa_way
    # Both ways of the ensemble were taken: decided by a rule, and computed.
    assert replay["decided"] > 0 and replay["computed"] > 0
