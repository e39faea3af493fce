"""What this project changes in the Rasa server's own process.

Installed once, when Rasa loads this project's channels or NLG client (whichever it
loads first), so it applies wherever Rasa serves this project's model: under
`make run`, under a deployment's `rasa run`, and in the tests.
"""

from __future__ import annotations

from assistant.rasa_plugins import (
    deferred_policies,
    event_types,
    log_privacy,
    model_loading,
    prediction_graph,
    speedups,
    sqlite_trackers,
    tracker_events,
)


def install() -> None:
    """Every change below; each is idempotent."""
    speedups.install()  # the remote-action hot path
    log_privacy.install()  # no resident text in Rasa's log
    sqlite_trackers.install()  # pooled SQLite tracker store
    tracker_events.install()  # a conversation's events read and saved with less work
    event_types.install()  # each event's class found by name once
    model_loading.install()  # models loaded for prediction only
    prediction_graph.install()  # TED's traced graph called directly
    deferred_policies.install()  # TED and memoization only when they could be chosen
