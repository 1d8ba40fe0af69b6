"""Loading the trained intent and entity network (DIET) without tracing its training step.

To rebuild a trained TensorFlow model, Rasa 3.6 (`RasaModel.load`) compiles it, trains it on
one example so that every weight gets its shape, loads the trained weights over them, and
predicts once to trace the prediction graph. The one training step runs as a traced
TensorFlow graph, and tracing DIET's training graph is most of the time a model load takes:
measured with cProfile on this repository's model, 35 s of a 38 s `Assistant.load`, on every
start of the server, the terminal chat, and each test process.

The weights are overwritten at once, so nothing is gained by tracing that step. Here it runs
eagerly instead (the same arithmetic, once, without building a graph), and only then is the
model switched back to graphs, so prediction is traced exactly as Rasa traces it. Measured:
`Assistant.load` 8 s instead of 38 s, the same parse per message (about 12 ms), and the same
intents, confidences and entities as Rasa's own load (`tests/test_model_loading.py` compares
them). Fine-tuning (`rasa train --finetune`) is left to Rasa's own load.
"""
from __future__ import annotations

import contextlib
from typing import Any, Iterator, Optional, Text

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

_RASAS_OWN_LOAD = RasaModel.load.__func__


def _load_building_weights_eagerly(cls, model_file_name: Text, model_data_example: RasaModelData,
                                   predict_data_example: Optional[RasaModelData] = None,
                                   finetune_mode: bool = False, *args: Any, **kwargs: Any) -> RasaModel:
    """`RasaModel.load`, with the one weight-shaping training step run eagerly."""
    if finetune_mode:  # training goes on from here: keep Rasa's graphs
        return _RASAS_OWN_LOAD(cls, model_file_name, model_data_example, predict_data_example,
                               finetune_mode, *args, **kwargs)
    config = kwargs.get("config", {})
    model = cls(*args, **kwargs)
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
    # One training step called directly, not through Keras's `fit`: `fit` feeds the step from a
    # tf.data pipeline whose worker threads wait on timed condition variables, and under a moved
    # system clock (libfaketime, `make test-calendar`) one load in four hung there. The step
    # itself is the same arithmetic `fit` would run.
    batch, _ = RasaBatchDataGenerator(model_data_example, batch_size=1)[0]
    model.train_step(tf.nest.map_structure(tf.convert_to_tensor, batch))
    model.load_weights(model_file_name)
    model.run_eagerly = bool(config.get(RUN_EAGERLY))  # predictions as the model was trained to run
    if predict_data_example:
        model.run_inference(predict_data_example)  # trace the prediction graph now, not on the first message
    return model


@contextlib.contextmanager
def networks_loaded_without_tracing_training() -> Iterator[None]:
    """While this is open, Rasa's model loads shape the network's weights eagerly."""
    RasaModel.load = classmethod(_load_building_weights_eagerly)
    try:
        yield
    finally:
        RasaModel.load = classmethod(_RASAS_OWN_LOAD)
