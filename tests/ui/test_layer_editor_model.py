"""The layer stack model and undo commands on their own (no editor window)."""
from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QUndoStack

from desktop_dl.core.templates import load_template
from desktop_dl.ui.editor.layer_commands import MoveLayerCommand, RemoveLayerCommand, SetParamCommand
from desktop_dl.ui.editor.layer_stack_model import (COL_SHAPE, LAYER_ROW_MIME, LAYER_TYPE_MIME, LayerStackModel,
                                             format_shape, layer_settings_text)


def make_model(name="mnist-dropout"):
    stack = QUndoStack()
    return LayerStackModel(load_template(name), stack), stack


def types(model):
    return [layer.type for layer in model.spec_ref().layers]


def test_move_keeps_qt_persistent_indexes_right_both_ways(qtbot):
    model, stack = make_model()            # Flatten, Dense, Dropout, Dense
    dropout = QPersistentModelIndex(model.index(3, 0))
    stack.push(MoveLayerCommand(model, 2, 0))
    assert types(model) == ["Dropout", "Flatten", "Dense", "Dense"]
    assert dropout.row() == 1 and model.index(1, 0).data() == "Dropout"
    stack.push(MoveLayerCommand(model, 0, 3))
    assert types(model) == ["Flatten", "Dense", "Dense", "Dropout"]
    assert dropout.row() == 4
    stack.undo()
    stack.undo()
    assert types(model) == ["Flatten", "Dense", "Dropout", "Dense"]
    assert dropout.row() == 3


def test_input_row_is_fixed(qtbot):
    model, _ = make_model()
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.flags(model.index(1, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert not model.mimeData([model.index(0, 0)]).hasFormat(LAYER_ROW_MIME)
    assert model.drop_layer_index(0, QModelIndex()) == 0      # "above the input" means first layer


def test_drops_of_unknown_or_input_types_are_refused(qtbot):
    model, stack = make_model()
    for payload in ({"type": "Transformer"}, {"type": "Input"}, {}):
        mime = QMimeData()
        mime.setData(LAYER_TYPE_MIME, QByteArray(json.dumps(payload).encode()))
        assert not model.dropMimeData(mime, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    mime = QMimeData()
    mime.setData(LAYER_TYPE_MIME, QByteArray(b"not json"))
    assert not model.dropMimeData(mime, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    assert stack.count() == 0 and len(model.spec_ref().layers) == 4


def test_set_param_merges_and_drops_out_when_back_to_the_start(qtbot):
    model, stack = make_model()
    uid = model.layer(1).uid
    stack.push(SetParamCommand(model, uid, "units", 64))
    stack.push(SetParamCommand(model, uid, "units", 32))
    assert stack.count() == 1
    assert model.index(2, COL_SHAPE).data() == "(None, 32)"
    stack.push(SetParamCommand(model, uid, "units", 128))     # back to the original: no step left
    assert stack.count() == 0
    other = model.layer(2).uid
    stack.push(SetParamCommand(model, uid, "activation", "tanh"))
    stack.push(SetParamCommand(model, other, "rate", 0.25))
    assert stack.count() == 2                                  # different parameters never merge


def test_undo_of_a_param_that_was_not_set_removes_it_again(qtbot):
    model, stack = make_model()
    uid = model.layer(1).uid
    model.spec_ref().layers[1].params.pop("use_bias", None)
    stack.push(SetParamCommand(model, uid, "use_bias", False))
    stack.undo()
    assert "use_bias" not in model.layer(1).params


def test_remove_and_undo_restore_the_same_layer(qtbot):
    model, stack = make_model()
    uid = model.layer(2).uid
    stack.push(RemoveLayerCommand(model, 2))
    assert types(model) == ["Flatten", "Dense", "Dense"]
    stack.undo()
    assert model.layer(2).uid == uid


def test_formatting_helpers():
    assert format_shape((None, 28, 28, 1)) == "(None, 28, 28, 1)"
    assert format_shape((None,)) == "(None,)"
    assert format_shape(None) == "—"
    spec = load_template("lstm-classifier")
    assert layer_settings_text(spec.layers[1]) == "32, tanh, return_sequences"


def test_editor_survives_a_hand_edited_spec_with_wrong_values(qtbot, tmp_path):
    from desktop_dl.ui.editor.layer_editor import LayerEditor

    path = tmp_path / "odd.json"
    path.write_text(json.dumps({
        "format": "desktop_dl.model_spec", "version": 1, "input": {"shape": [28, 28, 1]},
        "layers": [{"type": "Flatten"}, {"type": "Dense", "params": {"units": "many", "activation": "swish"}},
                   {"type": "Conv2D", "params": {"kernel_size": ["a", 3]}},
                   {"type": "Transformer", "params": {}}]}))
    editor = LayerEditor()
    qtbot.addWidget(editor)
    assert editor.open_spec_file(str(path))
    for row in range(1, 5):
        editor.view.setCurrentIndex(editor.model.index(row, 0))     # every row shows, none crashes
        assert editor.model.index(row, 0).data(Qt.ItemDataRole.UserRole + 2) or row == 1
    assert len(editor.problems.messages()) >= 3
    assert any("Transformer" in m for m in editor.problems.messages())
