"""Load models for prediction only, and give freed memory back (issue 14).

Rasa 3.6 loads TED (and DIET and response selectors, all `RasaModel`s) by
compiling the model with an Adam optimiser and training it for one step on a saved
example, only to create its variables, before reading the trained weights over
them (`RasaModel.load`). That step traces the whole training graph, gradients and
optimiser included, which a server never runs. Measured on the shared model,
loading the Rasa server's model added 337 MiB (PSS) to the process; loaded with
`load_for_prediction` it added 154.

`load_for_prediction` creates the same variables by computing the model's loss
once, eagerly (no gradient, no optimiser step), then reads the same trained weights
and traces the prediction graph as Rasa does: the same weights and the same
predictions (tests/rasa_plugins/test_model_loading.py). A model loaded to be
fine-tuned (`rasa train --finetune`) still goes Rasa's way, as it needs the
optimiser's saved state.

The intent classifier (scikit-learn's logistic regression) computes each message's
scores as `X @ coef_.T`; with `coef_` in C order, SciPy first copied the transposed
weights (53 intents x 15,423 features) on every message: 5.6 ms of `predict_proba`,
0.02 ms with the same numbers stored in Fortran order, so `load_classifier` stores
them that way (the same values; the same scores, tested).

Once the server has loaded its model, `release_free_memory` hands the heap that
loading freed back to the system (glibc's `malloc_trim`): about 30 MiB more.
"""

from __future__ import annotations

import ctypes
import gc
import logging
from typing import Any

import numpy as np
import rasa.core.run
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.models import RasaModel

log = logging.getLogger(__name__)

_INSTALLED_MARK = "_council_assistant_prediction_loading"
_rasa_load = RasaModel.load.__func__
_rasa_load_agent_on_start = rasa.core.run.load_agent_on_start
_rasa_load_classifier = LogisticRegressionClassifier.load.__func__


def load_for_prediction(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """`RasaModel.load` without tracing a training step (see the module's docstring)."""
    if finetune_mode:
        return _rasa_load(
            cls, model_file_name, model_data_example, predict_data_example, True, *args, **kwargs
        )
    model = cls(*args, **kwargs)
    # As Rasa does, minus the training step: compiling traces nothing.
    model.compile(run_eagerly=kwargs.get("config", {}).get("run_eagerly"))
    first_batch, _ = RasaBatchDataGenerator(model_data_example, batch_size=1)[0]
    model._training = False
    model.batch_loss(first_batch)  # eager: creates every variable, computes no gradient
    # The checkpoint also holds the optimiser's slots, which prediction never reads.
    model.load_weights(model_file_name).expect_partial()
    if predict_data_example:
        model.run_inference(predict_data_example)  # traces the prediction graph, as Rasa
    return model


def load_classifier(
    cls: type[LogisticRegressionClassifier], *args: Any, **kwargs: Any
) -> LogisticRegressionClassifier:
    """Rasa's loading, with the weights laid out for one message at a time."""
    component = _rasa_load_classifier(cls, *args, **kwargs)
    classifier = getattr(component, "clf", None)
    if classifier is not None and hasattr(classifier, "coef_"):
        classifier.coef_ = np.asfortranarray(classifier.coef_)
    return component


def release_free_memory() -> None:
    """Collect garbage, then return free heap pages to the system where the C
    library can (glibc's `malloc_trim`; a no-op elsewhere)."""
    gc.collect()
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # this process's C library
    if trim is not None:
        trim(0)


async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
    """Rasa's own start-up loading, then `release_free_memory`."""
    agent = await _rasa_load_agent_on_start(*args, **kwargs)
    release_free_memory()
    return agent


def install() -> None:
    """Load models for prediction only, and release memory once the server's model
    is loaded (idempotent; before the server starts, as Rasa loads our channels)."""
    if getattr(RasaModel, _INSTALLED_MARK, False):
        return
    RasaModel.load = classmethod(load_for_prediction)
    LogisticRegressionClassifier.load = classmethod(load_classifier)
    rasa.core.run.load_agent_on_start = load_agent_on_start
    setattr(RasaModel, _INSTALLED_MARK, True)
    log.debug("models load for prediction only")
