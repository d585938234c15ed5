"""Done-when of issue 8: a project with a trained run survives save → reopen exactly."""
import numpy as np
import pytest

from desktop_dl.core.project import DatasetRef, Project, RunRecord, load_project, save_project
from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec

pytestmark = pytest.mark.slow


def test_save_and_reopen_a_trained_run_exactly(tmp_path):
    import keras

    from desktop_dl.engine.keras_build import build_model
    from desktop_dl.engine.project_weights import keras_bytes, model_from_keras_bytes

    spec = ModelSpec((6,), [LayerSpec("Dense", {"units": 8, "activation": "relu"}),
                            LayerSpec("Dense", {"units": 3, "activation": "softmax"})],
                     CompileSpec("rmsprop", 0.01))
    keras.utils.set_random_seed(1)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 6)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int32) + (x[:, 1] > 1)
    model = build_model(spec)
    model.compile(optimizer=keras.optimizers.RMSprop(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0).history
    run = RunRecord("run-1", "Run 1", "2026-11-23T11:00:00+00:00", spec.to_dict(),
                    {"epochs": 3, "batch_size": 16, "optimizer": "rmsprop"},
                    {k: [float(v) for v in vals] for k, vals in history.items()},
                    {"test_accuracy": float(model.evaluate(x, y, verbose=0)[1])},
                    kept=True, weights=keras_bytes(model))
    path = tmp_path / "trained.ddl"
    save_project(Project(spec=spec, dataset=DatasetRef("table"), training={"epochs": 3}, runs=[run]), path)

    back = load_project(path)
    assert back.spec.to_dict() == spec.to_dict()
    assert back.runs[0].history == run.history and back.runs[0].metrics == run.metrics
    assert back.runs[0].spec == spec.to_dict() and back.runs[0].settings == run.settings
    reloaded = model_from_keras_bytes(back.runs[0].weights, "Run 1")
    np.testing.assert_array_equal(np.asarray(reloaded(x, training=False)), np.asarray(model(x, training=False)))
