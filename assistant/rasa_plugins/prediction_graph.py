"""Call a TensorFlow model's traced prediction graph directly (issue 14: serial latency).

Rasa 3.6 predicts with TED (and DIET) through a `tf.function` with an input
signature (`RasaModel._rasa_predict`). Each call goes through TensorFlow's
polymorphic-function machinery first: it binds the arguments, casts every input to
the signature, and builds a cache key to find the graph it traced at load. Profiled
with py-spy on this stack, that was more than half of TED's prediction time. The
graph never changes once traced, so `predict` converts the inputs to tensors of the
signature's types and calls the concrete function's graph itself: measured on the
shared model, 3.6 ms per TED prediction instead of 5.7 (with the Rasa server's
one-thread TensorFlow settings), two to four predictions per message.

The outputs are the graph's own, so the predictions are the same
(tests/rasa_plugins/test_prediction_graph.py). Anything this path does not expect
(eager mode, a model not traced yet, inputs that do not match the signature, another
TensorFlow than Rasa 3.6's 2.12 without `_call_flat`) goes Rasa's way.
"""

from __future__ import annotations

import weakref
from typing import Any

import tensorflow as tf
from keras.utils import tf_utils
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.utils.tensorflow.models import RasaModel

_rasa_predict = RasaModel._rasa_predict
_INSTALLED_MARK = "_council_assistant_direct_prediction"
# The concrete graph of each model's prediction function, once found.
_graphs: weakref.WeakKeyDictionary[RasaModel, Any] = weakref.WeakKeyDictionary()


def traced_graph(model: RasaModel) -> Any | None:
    """The concrete function `model` predicts with, if it is traced and callable."""
    graph = _graphs.get(model)
    if graph is None:
        function = model._tf_predict_step
        if model._run_eagerly or function is None or not model.prepared_for_prediction:
            return None
        graph = function.get_concrete_function()
        if not hasattr(graph, "_call_flat"):
            return None
        _graphs[model] = graph
    return graph


def graph_inputs(graph: Any, batch_in: Any) -> list[Any] | None:
    """`batch_in` as tensors of the graph's signature, or None if it does not fit."""
    specs = graph.structured_input_signature[0][0]
    if not isinstance(batch_in, tuple) or len(specs) != len(batch_in):
        return None
    tensors = [
        tf.constant(value, dtype=spec.dtype) for value, spec in zip(batch_in, specs, strict=True)
    ]
    if not all(spec.is_compatible_with(t) for spec, t in zip(specs, tensors, strict=True)):
        return None
    return tensors


def predict(self: RasaModel, batch_in: Any) -> dict[str, Any]:
    """Rasa's `_rasa_predict`, calling the traced graph directly when it can."""
    graph = traced_graph(self)
    tensors = None if graph is None else graph_inputs(graph, batch_in)
    if graph is None or tensors is None:
        return _rasa_predict(self, batch_in)
    self._training = False
    outputs = tf_utils.sync_to_numpy_or_python_type(
        graph._call_flat(tensors, graph.captured_inputs)
    )
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


def install() -> None:
    """Predict through the traced graph directly (idempotent)."""
    if getattr(RasaModel, _INSTALLED_MARK, False):
        return
    RasaModel._rasa_predict = predict
    setattr(RasaModel, _INSTALLED_MARK, True)
