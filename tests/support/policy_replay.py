"""Replay every story and test story through the trained model's prediction graph,
first Rasa's way and then with `deferred_policies` installed; print as JSON each
prediction both ways and how often the deferred policies were computed.

Every prefix of every story that ends before an action is one prediction: the
conversation as the Rasa server holds it when it chooses that action. Run as a
script (tests/rasa_plugins/test_deferred_policies.py), so that what is installed
here never reaches the test process.
"""

from __future__ import annotations

import json
import logging
import random
import sys
from pathlib import Path
from typing import Any

from rasa.core.agent import Agent
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.utils.log_utils import configure_structlog

from assistant.rasa_plugins import deferred_policies, model_loading, prediction_graph

STORIES = ["data/stories", "tests/stories"]
# Conversations no story tells, where no rule decides: intents and actions in a
# random (seeded) order, so that TED and memoization are chosen too.
UNTOLD = 120
TURNS = 3


def conversations(agent: Agent) -> list[DialogueStateTracker]:
    """Each story's conversation up to each of its actions."""
    domain = agent.domain
    importer = TrainingDataImporter.load_from_dict(
        domain_path="domain.yml", training_data_paths=STORIES
    )
    stories = TrainingDataGenerator(
        importer.get_stories(),
        domain,
        remove_duplicates=False,
        augmentation_factor=0,
        use_story_concatenation=False,
    ).generate()  # stories and rules
    prefixes = []
    for story in stories:
        events = list(story.events)
        for index, event in enumerate(events):
            if index and isinstance(event, ActionExecuted):
                prefixes.append(
                    DialogueStateTracker.from_events(story.sender_id, events[:index], domain.slots)
                )
    return prefixes


def untold(agent: Agent) -> list[DialogueStateTracker]:
    """Random conversations, each ending where the next action is to be chosen."""
    domain = agent.domain
    chance = random.Random(14)
    actions = [a for a in domain.action_names_or_texts if a != ACTION_LISTEN_NAME]
    trackers = []
    for number in range(UNTOLD):
        events: list[Event] = [ActionExecuted(ACTION_LISTEN_NAME)]
        for _ in range(TURNS):
            intent = chance.choice(domain.intents)
            events.append(UserUttered(intent, {"name": intent, "confidence": 1.0}))
            events += [ActionExecuted(chance.choice(actions)), ActionExecuted(ACTION_LISTEN_NAME)]
        # The next action after the resident's message, or after a bot action.
        events = events[: -2 if number % 2 else -1]
        trackers.append(DialogueStateTracker.from_events(f"untold-{number}", events, domain.slots))
    return trackers


def without_timestamp(event: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in event.items() if key != "timestamp"}


def described(prediction: PolicyPrediction) -> dict[str, Any]:
    return {
        "policy": prediction.policy_name,
        "action": prediction.max_confidence_index,
        "probabilities": prediction.probabilities,
        "events": [without_timestamp(event.as_dict()) for event in prediction.events],
        "end_to_end": prediction.is_end_to_end_prediction,
        "no_user": prediction.is_no_user_prediction,
        "hide_rule_turn": prediction.hide_rule_turn,
    }


def predictions(agent: Agent, trackers: list[DialogueStateTracker]) -> list[dict[str, Any]]:
    processor = agent.processor
    assert processor is not None
    return [described(processor._predict_next_with_tracker(t.copy())) for t in trackers]


def main(model: str) -> None:
    configure_structlog(logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)
    model_loading.install()  # as the Rasa server loads and predicts
    prediction_graph.install()
    agent = Agent.load(model)
    trackers = conversations(agent) + untold(agent)
    rasa_way = predictions(agent, trackers)

    decisions = {"decided": 0, "computed": 0}
    decide = deferred_policies.decided_without

    def counted(*args: Any) -> bool:
        decided = decide(*args)
        decisions["decided" if decided else "computed"] += 1
        return decided

    deferred_policies.decided_without = counted  # type: ignore[assignment]
    deferred_policies.install()
    # Loaded again: the graph binds each policy's method when the model is loaded.
    deferred = predictions(Agent.load(model), trackers)
    print(json.dumps({"rasa": rasa_way, "deferred": deferred, **decisions}))


if __name__ == "__main__":
    main(str(Path(sys.argv[1])))
