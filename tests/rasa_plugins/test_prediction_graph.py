"""Predicting through TED's traced graph directly gives Rasa's predictions, and
whatever that path does not expect goes Rasa's way."""

from __future__ import annotations

import pytest
from rasa.utils.tensorflow.models import RasaModel

from assistant.rasa_plugins import prediction_graph


def test_the_direct_path_predicts_what_rasa_predicts(ted_loaded_three_ways: dict) -> None:
    rasa_way, direct = ted_loaded_three_ways["rasa"], ted_loaded_three_ways["direct"]
    assert direct["weights"] == rasa_way["weights"]
    assert (rasa_way["direct_graphs"], direct["direct_graphs"]) == (0, 1)  # the path was taken
    for theirs, ours in zip(rasa_way["predictions"], direct["predictions"], strict=True):
        assert max(theirs) > 0.0
        assert ours == pytest.approx(theirs, abs=1e-6)


class Untraced:
    """A model before its first prediction (nothing traced yet)."""

    _run_eagerly = False
    _tf_predict_step = None
    prepared_for_prediction = False


def test_an_untraced_model_goes_rasas_way(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(prediction_graph, "_rasa_predict", lambda model, batch: calls.append(1))
    prediction_graph.predict(Untraced(), ("batch",))  # type: ignore[arg-type]
    assert calls == [1]
    assert prediction_graph.traced_graph(Untraced()) is None  # type: ignore[arg-type]


class Graph:
    """A concrete function's input signature: two int64 vectors."""

    def __init__(self) -> None:
        import tensorflow as tf

        spec = tf.TensorSpec([None], tf.int64)
        self.structured_input_signature = (([spec, spec],), {})


def test_inputs_that_do_not_fit_the_signature_are_refused() -> None:
    import numpy as np

    graph = Graph()
    assert prediction_graph.graph_inputs(graph, (np.array([1]),)) is None  # too few
    assert prediction_graph.graph_inputs(graph, [np.array([1]), np.array([2])]) is None
    assert prediction_graph.graph_inputs(graph, (np.zeros((2, 2)), np.array([1]))) is None
    fitting = prediction_graph.graph_inputs(graph, (np.array([1, 2]), np.array([3])))
    assert fitting is not None
    assert [t.numpy().tolist() for t in fitting] == [[1, 2], [3]]


def test_install_is_idempotent() -> None:
    prediction_graph.install()
    prediction_graph.install()
    assert RasaModel._rasa_predict is prediction_graph.predict
