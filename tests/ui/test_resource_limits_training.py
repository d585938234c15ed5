"""A training run that would not fit in memory is refused before it starts, with a message."""
from desktop_dl.core import limits
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.engine.trainer import TrainSettings
from desktop_dl.ui.train.training_panel import TrainingPanel


def test_the_panel_refuses_a_run_too_big_for_memory(qtbot, monkeypatch):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    spec = ModelSpec((28, 28, 1), [LayerSpec("Conv2D", {"filters": 512, "kernel_size": 3}),
                                   LayerSpec("Flatten", {}), LayerSpec("Dense", {"units": 10})])
    panel.set_spec_source(lambda: spec)
    panel.settings_form.set_settings(TrainSettings(batch_size=4096, epochs=1))
    monkeypatch.setattr(limits, "available_memory", lambda: 2 * 1024 ** 3)
    panel.start()
    assert not panel.is_running()
    assert "but only 2.0 GB is free" in panel.message.text()
    assert "smaller batch size" in panel.message.text()
