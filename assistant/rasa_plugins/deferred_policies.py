"""Compute TED's and memoization's predictions only when they could be chosen (issue 14).

Rasa 3.6 runs every policy at every prediction, then its ensemble
(`DefaultPolicyPredictionEnsemble`) picks one: a "no user" prediction first, then
end-to-end ones, then the highest confidence, a tie going to the higher priority.
On this model the RulePolicy (priority 6) decides most predictions with confidence
1.0. TED (priority 1) and memoization (priority 3) cannot then be chosen:
- their confidences are at most 1.0 (a softmax; memoization's 1.0 or the NLU's);
- they never make a "no user" prediction, and an end-to-end one only from a model
  trained on story text (TED's, when its data has text features);
- they add no events unless chosen (TED's entity events are optional events, which
  the ensemble takes from the winner only).
Yet TED was a fifth of the Rasa server's time per message (py-spy, one serial
client, `make run`), two to four predictions per message, nearly all decided by a
rule.

`install()` makes those two policies return a `DeferredPrediction`, computed when
first read, and has the ensemble ask first whether the predictions it already holds
decide the winner whatever the deferred ones would say (`decided_without`). Only if
not are they computed. Rasa then combines as it always does, so the chosen action,
policy, confidence and events are Rasa's: tests/rasa_plugins/test_deferred_policies.py
replays every story and test story both ways.

Installed when Rasa loads this project's channels or NLG client (installed.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.memoization import AugmentedMemoizationPolicy, MemoizationPolicy
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

_INSTALLED_MARK = "_council_assistant_deferred"
# The most confident a deferred policy can be (see the module's docstring).
MAX_CONFIDENCE = 1.0
_rasa_combine = DefaultPolicyPredictionEnsemble.combine_predictions
# Deferred exactly these (not their subclasses: RulePolicy is a MemoizationPolicy).
DEFERRED_POLICIES = (TEDPolicy, MemoizationPolicy, AugmentedMemoizationPolicy)


class DeferredPrediction(PolicyPrediction):
    """A policy's prediction, computed when any of its attributes is first read."""

    def __init__(
        self, compute: Callable[[], PolicyPrediction], priority: int, may_be_end_to_end: bool
    ) -> None:
        # No PolicyPrediction.__init__: every attribute of one comes from `compute`.
        self._deferred_compute: Callable[[], PolicyPrediction] | None = compute
        self.deferred_priority = priority
        self.may_be_end_to_end = may_be_end_to_end

    @property
    def computed(self) -> bool:
        return self._deferred_compute is None

    def compute(self) -> None:
        """Compute the prediction now (once)."""
        if self._deferred_compute is not None:
            prediction, self._deferred_compute = self._deferred_compute(), None
            self.__dict__.update(vars(prediction))

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not set yet: those of the prediction itself.
        if name.startswith("__") or name == "_deferred_compute":
            raise AttributeError(name)
        self.compute()
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None


def may_predict_end_to_end(policy: Policy) -> bool:
    """Whether `policy` can make an end-to-end prediction (TED trained on story text)."""
    return isinstance(policy, TEDPolicy) and TEXT in policy.fake_features


def deferred(predict: Callable[..., PolicyPrediction]) -> Callable[..., PolicyPrediction]:
    """`predict_action_probabilities`, returning its prediction deferred."""

    @functools.wraps(predict)
    def deferred_predict(self: Policy, *args: Any, **kwargs: Any) -> PolicyPrediction:
        if type(self) not in DEFERRED_POLICIES:
            return predict(self, *args, **kwargs)
        return DeferredPrediction(
            functools.partial(predict, self, *args, **kwargs),
            self.priority,
            may_predict_end_to_end(self),
        )

    return deferred_predict


def rejected_action_index(tracker: DialogueStateTracker, domain: Domain) -> int | None:
    """The action whose confidence the ensemble sets to 0 (as Rasa: the latest action
    event, if its execution was rejected)."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecutionRejected) and event.action_name:
            return domain.index_for_action(event.action_name)
        if isinstance(event, (ActionExecutionRejected, ActionExecuted)):
            return None
    return None


def confidence(prediction: PolicyPrediction, rejected: int | None) -> float:
    """`prediction.max_confidence` once the rejected action is set to 0."""
    values = enumerate(prediction.probabilities)
    return max((0.0 if index == rejected else value for index, value in values), default=0.0)


def decided_without(
    known: Sequence[PolicyPrediction],
    pending: Sequence[DeferredPrediction],
    tracker: DialogueStateTracker,
    domain: Domain,
) -> bool:
    """Whether Rasa's ensemble picks the same prediction from `known` alone as from
    `known` and `pending` together, whatever `pending` would predict."""
    if not known:
        return False
    if any(prediction.is_no_user_prediction for prediction in known):
        return True  # "no user" predictions overrule the rest; pending ones never are
    if any(prediction.may_be_end_to_end for prediction in pending):
        return False
    if any(prediction.is_end_to_end_prediction for prediction in known):
        return True  # end-to-end ones overrule the rest; pending ones are not
    rejected = rejected_action_index(tracker, domain)
    best = max((confidence(p, rejected), p.policy_priority) for p in known)
    return all((MAX_CONFIDENCE, p.deferred_priority) < best for p in pending)


def combine_predictions(
    self: DefaultPolicyPredictionEnsemble,
    predictions: list[PolicyPrediction],
    tracker: DialogueStateTracker,
    domain: Domain,
) -> PolicyPrediction:
    """Rasa's `combine_predictions`, computing deferred predictions only when they
    could change its choice."""
    pending = [p for p in predictions if isinstance(p, DeferredPrediction) and not p.computed]
    if pending:
        pending_ids = {id(p) for p in pending}
        known = [p for p in predictions if id(p) not in pending_ids]
        if decided_without(known, pending, tracker, domain):
            predictions = known
        else:
            for prediction in pending:
                prediction.compute()
    return _rasa_combine(self, predictions, tracker, domain)


def install() -> None:
    """Defer TED's and memoization's predictions (idempotent)."""
    if getattr(DefaultPolicyPredictionEnsemble, _INSTALLED_MARK, False):
        return
    for policy in (TEDPolicy, MemoizationPolicy):  # the augmented kind inherits it
        policy.predict_action_probabilities = deferred(policy.predict_action_probabilities)
    DefaultPolicyPredictionEnsemble.combine_predictions = combine_predictions
    setattr(DefaultPolicyPredictionEnsemble, _INSTALLED_MARK, True)
