"""A model loaded for prediction only is the model Rasa loads: the same weights and
the same predictions; and the server's start-up loading is wrapped to release memory."""

from __future__ import annotations

import asyncio

import pytest
import rasa.core.run
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.utils.tensorflow.models import RasaModel

from assistant.rasa_plugins import model_loading


def test_the_weights_are_the_trained_ones(ted_loaded_three_ways: dict) -> None:
    rasa_way, lean = ted_loaded_three_ways["rasa"], ted_loaded_three_ways["for_prediction"]
    assert len(lean["weights"]) == len(rasa_way["weights"]) > 10
    assert lean["weights"] == rasa_way["weights"]


def test_the_predictions_are_the_same(ted_loaded_three_ways: dict) -> None:
    rasa_way, lean = ted_loaded_three_ways["rasa"], ted_loaded_three_ways["for_prediction"]
    assert len(lean["predictions"]) == 4
    for theirs, ours in zip(rasa_way["predictions"], lean["predictions"], strict=True):
        assert max(theirs) > 0.0
        assert ours == pytest.approx(theirs, abs=1e-6)


def test_fine_tuning_still_loads_rasas_way(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(model_loading, "_rasa_load", lambda *args, **kw: calls.append(args))
    model_loading.load_for_prediction(RasaModel, "weights", "example", None, True)
    assert calls == [(RasaModel, "weights", "example", None, True)]


def test_the_server_releases_memory_after_loading_its_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    steps = []

    async def rasa_loading(*args: object) -> str:
        steps.append(("loaded", args))
        return "agent"

    monkeypatch.setattr(model_loading, "_rasa_load_agent_on_start", rasa_loading)
    monkeypatch.setattr(model_loading, "release_free_memory", lambda: steps.append("released"))
    assert asyncio.run(model_loading.load_agent_on_start("models", None)) == "agent"
    assert steps == [("loaded", ("models", None)), "released"]


def test_install_replaces_rasas_loading_once() -> None:
    model_loading.install()
    model_loading.install()
    assert RasaModel.load.__func__ is model_loading.load_for_prediction  # type: ignore[attr-defined]
    assert LogisticRegressionClassifier.load.__func__ is model_loading.load_classifier
    assert rasa.core.run.load_agent_on_start is model_loading.load_agent_on_start


def test_releasing_memory_works_in_this_process() -> None:
    model_loading.release_free_memory()  # glibc here: must not raise


class Component:
    """What Rasa's classifier loading returns: a component holding `clf`."""

    def __init__(self, clf: object) -> None:
        self.clf = clf


def test_the_classifier_is_laid_out_for_prediction_with_the_same_scores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numpy as np
    from scipy.sparse import random as sparse_random
    from sklearn.linear_model import LogisticRegression

    features = sparse_random(60, 400, density=0.05, format="csr", random_state=1)
    intents = np.arange(60) % 5
    classifier = LogisticRegression(max_iter=200).fit(features, intents)
    message = sparse_random(1, 400, density=0.05, format="csr", random_state=2)
    before = classifier.predict_proba(message)
    assert not classifier.coef_.flags["F_CONTIGUOUS"]
    monkeypatch.setattr(
        model_loading, "_rasa_load_classifier", lambda cls, *a, **kw: Component(classifier)
    )
    loaded = model_loading.load_classifier(object, "config", "storage")  # type: ignore[arg-type]
    assert loaded.clf is classifier
    assert classifier.coef_.flags["F_CONTIGUOUS"]
    assert classifier.predict_proba(message) == pytest.approx(before, abs=1e-12)
