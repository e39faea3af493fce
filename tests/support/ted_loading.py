"""Load the trained model's TED policy three times in one process: Rasa's way, then
through `model_loading.load_for_prediction`, then predicting through
`prediction_graph` as well; print the three as JSON: every weight's checksum and the
action probabilities predicted for a few conversations.

Run as a script (tests/rasa_plugins/test_model_loading.py), so that the loader
installed here never reaches the test process.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.rasa_plugins import model_loading, prediction_graph

CONVERSATIONS = [
    ["greet"],
    ["bin_collection_day"],
    ["greet", "council_tax_pay"],
    ["report_pothole", "goodbye"],
]


def tracker(intents: list[str], domain: Domain) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen")]
    for intent in intents:
        events += [UserUttered(intent, {"name": intent}), ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events("ted-loading", events[:-1], domain.slots)


def ted_figures(archive: Path) -> dict:
    with tempfile.TemporaryDirectory() as storage_dir:
        storage, metadata = LocalModelStorage.from_model_archive(Path(storage_dir), archive)
        node = next(n for n in metadata.predict_schema.nodes.values() if n.uses is TEDPolicy)
        context = ExecutionContext(metadata.predict_schema, metadata.model_id)
        config = {**TEDPolicy.get_default_config(), **node.config}
        ted = TEDPolicy.load(config, storage, node.resource, context)
        domain = metadata.domain
        predictions = [
            ted.predict_action_probabilities(tracker(conversation, domain), domain).probabilities
            for conversation in CONVERSATIONS
        ]
        return {
            "weights": [float(abs(w.numpy()).sum()) for w in ted.model.weights],
            "predictions": predictions,
            # Models whose traced graph prediction_graph has called directly.
            "direct_graphs": len(prediction_graph._graphs),
        }


def main(archive: str) -> None:
    rasa_way = ted_figures(Path(archive))
    model_loading.install()
    for_prediction = ted_figures(Path(archive))
    prediction_graph.install()
    direct = ted_figures(Path(archive))
    print(json.dumps({"rasa": rasa_way, "for_prediction": for_prediction, "direct": direct}))


if __name__ == "__main__":
    main(sys.argv[1])
