"""The "What is this?" panel shows the selected layer with its real figures, in the UI language."""
from PySide6.QtWidgets import QApplication

from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.ui.base import i18n
from desktop_dl.ui.editor.explanation_panel import ExplanationPanel

SPEC = ModelSpec((28, 28, 1), [LayerSpec("Flatten"), LayerSpec("Dense", {"units": 512}),
                               LayerSpec("Dense", {"units": 10, "activation": "softmax"})])


def test_panel_shows_dense_figures_and_parameters(qtbot):
    panel = ExplanationPanel()
    qtbot.addWidget(panel)
    assert "Select a layer" in panel.plain_text()
    panel.show_layer(SPEC, 1)
    text = panel.plain_text()
    assert "Dense(512, relu)" in text
    assert "784 inputs × 512 units = 401,408 weights, + 512 biases = 401,920 parameters" in text
    assert "units" in text and "fully connected" in text
    panel.show_layer(SPEC, None)
    assert "(batch, 28, 28, 1)" in panel.plain_text()
    panel.show_layer(SPEC, 7)
    assert panel.explanation is None


def test_panel_follows_the_interface_language(qtbot):
    i18n.install_translators(QApplication.instance(), "zh_CN")
    try:
        panel = ExplanationPanel()
        qtbot.addWidget(panel)
        assert panel.heading.text() == "这是什么？"
        panel.show_layer(SPEC, 1)
        assert "784 个输入 × 512 个单元 = 401,408 个权重" in panel.plain_text()
    finally:
        i18n.remove_translators()


def test_layer_editor_explains_the_selected_row(main_window):
    editor = main_window.editor
    editor.set_spec(SPEC)
    panel = editor.explanation
    editor.view.setCurrentIndex(editor.model.index(editor.model.row_of_layer(1), 0))
    assert "401,920 parameters" in panel.plain_text()
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    assert "(batch, 28, 28, 1)" in panel.plain_text()
    # An edit of the selected layer updates the figures at once.
    editor.view.setCurrentIndex(editor.model.index(editor.model.row_of_layer(2), 0))
    assert "512 inputs × 10 units = 5,120 weights" in panel.plain_text()
