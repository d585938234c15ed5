"""The layer editor with real widgets: drags, reorders, property edits, undo/redo, keyboard use.

Drags are real Qt drag-and-drop events: the source's own mimeData() for the dragged item, sent to
the stack's viewport as QDragEnterEvent / QDragMoveEvent / QDropEvent (QDrag.exec() cannot run
under the offscreen platform).
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from desktop_dl.core.codegen import layer_code

from desktop_dl.ui.editor.layer_editor import LayerEditor
from desktop_dl.ui.editor.layer_stack_model import COL_LAYER, COL_PARAMS, COL_SETTINGS, COL_SHAPE, ErrorRole


@pytest.fixture
def editor(qtbot):
    widget = LayerEditor()
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.apply_template("mnist-dense")
    widget.undo_stack.clear()
    return widget


def types(editor) -> list[str]:
    return [layer.type for layer in editor.spec().layers]


def cell(editor, row: int, col: int, role=Qt.ItemDataRole.DisplayRole):
    return editor.model.index(row, col).data(role)


def drag_to(view, mime, row: int, above: bool = True, action=Qt.DropAction.CopyAction) -> bool:
    """Drag `mime` over the stack and drop it just above (or below) `row`; True when accepted."""
    rect = view.visualRect(view.model().index(row, 0))
    y = rect.top() + 2 if above else rect.bottom() - 2
    pos = QPointF(rect.left() + 40, y)
    viewport = view.viewport()
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos.toPoint(), action, mime, buttons, mods)   # PySide6 6.11: QPoint
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(pos.toPoint(), action, mime, buttons, mods)
    QApplication.sendEvent(viewport, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(pos, action, mime, buttons, mods)
    QApplication.sendEvent(viewport, drop)
    return drop.isAccepted()


def test_mnist_dense_shows_shapes_counts_and_total(editor):
    assert types(editor) == ["Flatten", "Dense", "Dense"]
    assert cell(editor, 0, COL_LAYER) == "Input"
    assert cell(editor, 0, COL_SHAPE) == "(None, 28, 28, 1)"
    assert [cell(editor, r, COL_SHAPE) for r in (1, 2, 3)] == ["(None, 784)", "(None, 512)", "(None, 10)"]
    assert [cell(editor, r, COL_PARAMS) for r in (1, 2, 3)] == ["0", "401,920", "5,130"]
    assert cell(editor, 2, COL_SETTINGS) == "512, relu"
    assert "407,050" in editor.summary.total_text()
    assert "407,050" in editor.total_badge.text()
    summary = editor.summary.model
    assert summary.index(1, 0).data() == "dense (Dense)"
    assert summary.index(2, 0).data() == "dense_1 (Dense)"
    assert summary.index(2, 2).data() == "5,130"


def test_drag_from_palette_inserts_where_dropped_and_undoes(editor):
    palette = editor.palette_panel
    index = palette.index_of("Dropout")
    assert index.isValid()
    mime = palette.view.model().mimeData([index])       # what the palette's own drag carries
    assert drag_to(editor.view, mime, row=3)              # above the output Dense
    assert types(editor) == ["Flatten", "Dense", "Dropout", "Dense"]
    assert cell(editor, 3, COL_SHAPE) == "(None, 512)"
    assert cell(editor, 3, COL_SETTINGS) == "0.5"
    assert editor.selected_row() == 3                     # the new layer is selected ...
    assert editor.properties.title.text() == "Dropout"    # ... and shown in the properties
    editor.undo_stack.undo()
    assert types(editor) == ["Flatten", "Dense", "Dense"]
    editor.undo_stack.redo()
    assert types(editor) == ["Flatten", "Dense", "Dropout", "Dense"]


def test_drop_below_the_last_row_appends_and_above_input_goes_first(editor):
    mime = editor.palette_panel.view.model().mimeData([editor.palette_panel.index_of("Activation")])
    assert drag_to(editor.view, mime, row=3, above=False)
    assert types(editor)[-1] == "Activation"
    mime = editor.palette_panel.view.model().mimeData([editor.palette_panel.index_of("Reshape")])
    drag_to(editor.view, mime, row=0, above=True)
    assert types(editor)[0] == "Reshape"                  # never before the input row
    assert cell(editor, 0, COL_LAYER) == "Input"


def test_reorder_by_dragging_a_row(editor):
    editor.apply_template("mnist-dropout")
    before = types(editor)
    assert before == ["Flatten", "Dense", "Dropout", "Dense"]
    mime = editor.model.mimeData([editor.model.index(3, 0)])   # the stack's own drag: Dropout
    assert drag_to(editor.view, mime, row=2, action=Qt.DropAction.MoveAction)
    assert types(editor) == ["Flatten", "Dropout", "Dense", "Dense"]
    assert len(editor.spec().layers) == 4                # moved, not copied or lost
    mime = editor.model.mimeData([editor.model.index(1, 0)])   # Flatten, down to the end
    assert drag_to(editor.view, mime, row=4, above=False, action=Qt.DropAction.MoveAction)
    assert types(editor) == ["Dropout", "Dense", "Dense", "Flatten"]
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert types(editor) == before


def test_property_edit_through_the_spin_box_updates_shapes_and_undoes(editor, qtbot):
    editor.view.setCurrentIndex(editor.model.index(2, 0))
    spin = editor.properties.findChild(QSpinBox, "param_units")
    assert spin is not None and spin.value() == 512
    assert spin.toolTip()                                  # the catalogue's help text
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "128")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert editor.spec().layers[1].params["units"] == 128
    assert cell(editor, 2, COL_SHAPE) == "(None, 128)"
    assert cell(editor, 2, COL_PARAMS) == "100,480"
    assert "101,770" in editor.summary.total_text()
    qtbot.keyClick(spin, Qt.Key.Key_Up)                    # 129, merged into the same undo step
    assert editor.spec().layers[1].params["units"] == 129
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert editor.spec().layers[1].params["units"] == 512
    assert spin.value() == 512                             # the panel follows undo
    assert "407,050" in editor.summary.total_text()
    editor.undo_stack.redo()
    assert editor.spec().layers[1].params["units"] == 129


def test_choice_and_flag_editors(editor):
    editor.view.setCurrentIndex(editor.model.index(3, 0))
    combo = editor.properties.findChild(QComboBox, "param_activation")
    combo.setCurrentIndex(combo.findData("sigmoid"))
    assert editor.spec().layers[2].params["activation"] == "sigmoid"
    assert cell(editor, 3, COL_SETTINGS) == "10, sigmoid"
    check = editor.properties.findChild(QCheckBox, "param_use_bias")
    check.click()
    assert editor.spec().layers[2].params["use_bias"] is False
    assert cell(editor, 3, COL_PARAMS) == "5,120"


def test_zoom_factor_editor_writes_a_number_a_range_or_none(editor):
    """RandomZoom's factors: −f..f is written as f, another range as [lower, upper], and the
    width's range of its own is off (None: the height's zoom, proportions kept) until asked for;
    a range never inverts."""
    assert editor.apply_template("digits-drawing")
    index = types(editor).index("RandomZoom")
    editor.view.setCurrentIndex(editor.model.index(index + 1, 0))     # row 0 is the Input
    layer = lambda: editor.spec().layers[index]
    height = editor.properties.findChild(QWidget, "param_height_factor")
    low, up = height.findChildren(QDoubleSpinBox)
    assert (low.value(), up.value()) == (-0.12, 0.12)
    up.setValue(0.3)
    assert layer().params["height_factor"] == [-0.12, 0.3]
    low.setValue(-0.3)
    assert layer().params["height_factor"] == 0.3
    low.setValue(0.5)                                      # above the upper end: it follows
    assert layer().params["height_factor"] == [0.5, 0.5] and up.value() == 0.5

    width = editor.properties.findChild(QWidget, "param_width_factor")
    own = width.findChild(QCheckBox)
    w_low, w_up = width.findChildren(QDoubleSpinBox)
    assert own.isChecked() and (w_low.value(), w_up.value()) == (-0.4, 0.12)
    own.click()
    assert layer().params["width_factor"] is None and not w_low.isEnabled()
    assert "width_factor" not in layer_code(layer())       # Keras's default: not written out
    # unset, the range shows the height's (once the height changes, or a spec comes unset);
    # ticking "own range" alone then keeps the proportions
    up.setValue(0.6)
    assert (w_low.value(), w_up.value()) == (0.5, 0.6)
    own.click()
    assert layer().params["width_factor"] == layer().params["height_factor"] == [0.5, 0.6]
    own.click()
    assert layer().params["width_factor"] is None
    editor.undo_stack.undo()                               # the panel follows undo
    editor.undo_stack.undo()
    assert layer().params["width_factor"] == [-0.4, 0.12]
    assert own.isChecked() and w_low.isEnabled()
    assert "width_factor=(-0.4, 0.12)" in layer_code(layer())


def test_invalid_values_cannot_be_entered(editor, qtbot):
    editor.view.setCurrentIndex(editor.model.index(2, 0))
    spin = editor.properties.findChild(QSpinBox, "param_units")
    assert spin.minimum() == 1
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "0")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert editor.spec().layers[1].params["units"] >= 1
    editor.insert_layer_type("Dropout")
    rate = editor.properties.findChild(QDoubleSpinBox, "param_rate")
    assert rate.maximum() == pytest.approx(0.95)
    rate.setFocus()
    rate.selectAll()
    qtbot.keyClicks(rate, "7")
    qtbot.keyClick(rate, Qt.Key.Key_Return)
    assert 0 <= editor.spec().layers[2].params["rate"] <= 0.95
    editor.view.setCurrentIndex(editor.model.index(0, 0))      # the input row
    shape_edit = editor.properties.findChild(QLineEdit, "param_shape")
    shape_edit.setFocus()
    shape_edit.selectAll()
    qtbot.keyClicks(shape_edit, "abc")
    assert shape_edit.text() == "28, 28, 1"                     # letters are refused
    qtbot.keyClick(shape_edit, Qt.Key.Key_Backspace)            # the selected text goes
    qtbot.keyClicks(shape_edit, "0")
    qtbot.keyClick(shape_edit, Qt.Key.Key_Return)
    assert editor.spec().input_shape == (28, 28, 1)             # a zero size is not accepted


def test_input_shape_edit_reshapes_the_stack(editor, qtbot):
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    shape_edit = editor.properties.findChild(QLineEdit, "param_shape")
    assert shape_edit.text() == "28, 28, 1"
    shape_edit.setFocus()
    shape_edit.selectAll()
    qtbot.keyClicks(shape_edit, "32, 32, 3")
    qtbot.keyClick(shape_edit, Qt.Key.Key_Return)
    assert editor.spec().input_shape == (32, 32, 3)
    assert cell(editor, 1, COL_SHAPE) == "(None, 3072)"
    editor.undo_stack.undo()
    assert editor.spec().input_shape == (28, 28, 1)
    assert shape_edit.text() == "28, 28, 1"


def test_delete_key_duplicate_shortcut_and_alt_arrows(editor, qtbot):
    view = editor.view
    view.setFocus()
    view.setCurrentIndex(editor.model.index(2, 0))
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert types(editor) == ["Flatten", "Dense", "Dense", "Dense"]
    assert editor.selected_row() == 3                         # the copy is selected
    assert editor.spec().layers[2].uid != editor.spec().layers[1].uid
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert types(editor) == ["Flatten", "Dense", "Dense"]
    view.setCurrentIndex(editor.model.index(1, 0))             # Flatten
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert types(editor) == ["Dense", "Flatten", "Dense"]
    assert editor.selected_row() == 2                         # the selection follows the layer
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert types(editor) == ["Flatten", "Dense", "Dense"]
    view.setCurrentIndex(editor.model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Delete)                    # the input cannot be deleted
    assert types(editor) == ["Flatten", "Dense", "Dense"]
    for _ in range(4):
        editor.undo_stack.undo()
    assert types(editor) == ["Flatten", "Dense", "Dense"]
    assert editor.undo_stack.index() == 0


def test_keyboard_insertion_from_the_palette(editor, qtbot):
    editor.view.setCurrentIndex(editor.model.index(2, 0))      # Dense 512
    search = editor.palette_panel.search
    search.setFocus()
    qtbot.keyClicks(search, "dropout")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert types(editor) == ["Flatten", "Dense", "Dropout", "Dense"]
    search.clear()
    qtbot.keyClick(search, Qt.Key.Key_Down)                    # into the list
    palette_view = editor.palette_panel.view
    assert palette_view.hasFocus() or palette_view.currentIndex().isValid()
    palette_view.setCurrentIndex(editor.palette_panel.index_of("BatchNormalization"))
    qtbot.keyClick(palette_view, Qt.Key.Key_Return)
    assert types(editor) == ["Flatten", "Dense", "Dropout", "BatchNormalization", "Dense"]
    assert cell(editor, 4, COL_PARAMS) == "2,048"             # 4 × 512, half of it non-trainable
    assert "1,024" in editor.summary.total_text()              # non-trainable total


def test_search_filters_the_palette_by_name_and_help(editor, qtbot):
    palette = editor.palette_panel
    qtbot.keyClicks(palette.search, "lstm")
    assert palette.index_of("LSTM").isValid()
    assert not palette.index_of("Dense").isValid()
    palette.search.setText("overfitting")                      # words from the help text
    assert palette.index_of("Dropout").isValid()
    palette.search.clear()
    assert palette.index_of("Dense").isValid()


def test_errors_are_marked_listed_and_selectable(editor, qtbot):
    editor.view.setCurrentIndex(editor.model.index(1, 0))      # Flatten: Conv2D after it is wrong
    editor.insert_layer_type("Conv2D")
    assert types(editor) == ["Flatten", "Conv2D", "Dense", "Dense"]
    message = cell(editor, 2, 0, ErrorRole)
    assert "Conv2D" in message and "image" in message
    assert cell(editor, 2, 0, Qt.ItemDataRole.ToolTipRole) == message
    assert cell(editor, 2, COL_SHAPE) == "—"
    assert any("Conv2D" in m for m in editor.problems.messages())
    assert "problem" in editor.total_badge.text()
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    listed = editor.problems.list
    item = next(listed.item(i) for i in range(listed.count()) if "image" in listed.item(i).text())
    qtbot.mouseClick(listed.viewport(), Qt.MouseButton.LeftButton, pos=listed.visualItemRect(item).center())
    assert editor.selected_row() == 2
    assert editor.properties.error.isVisibleTo(editor) and "image" in editor.properties.error.text()
    editor.undo_stack.undo()
    assert editor.problems.messages() == []


def test_compile_settings_are_undoable_and_explain_the_loss_rule(editor):
    panel = editor.compile_panel
    assert "sparse_categorical_crossentropy" in panel.rule.text().replace("\u200b", "")
    panel.loss.setCurrentIndex(panel.loss.findData("mse"))
    assert editor.spec().compile.loss == "mse"
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("sgd"))
    assert editor.spec().compile.optimizer == "sgd"
    panel.learning_rate.setValue(0.01)
    assert editor.spec().compile.learning_rate == pytest.approx(0.01)
    panel.learning_rate.stepBy(1)                              # 1-2-5 steps: 0.01 → 0.02
    assert editor.spec().compile.learning_rate == pytest.approx(0.02)
    assert editor.undo_stack.count() == 3                      # learning-rate edits merge
    editor.undo_stack.undo()
    assert editor.spec().compile.learning_rate == pytest.approx(0.001)
    assert editor.spec().compile.optimizer == "sgd"
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert editor.spec().compile.loss == "auto"
    assert panel.loss.currentData() == "auto"


def test_adapt_to_dataset_sets_input_and_offers_to_fix_the_output(editor, qtbot):
    from desktop_dl.core.datasets import registry

    dataset = registry.load_dataset("breast-cancer")            # 30 features, binary
    editor.adapt_to_dataset(dataset)
    assert editor.spec().input_shape == (30,)
    assert editor.info_bar.isVisibleTo(editor)
    assert "Dense(1, sigmoid)" in editor.info_bar.label.text()
    assert "binary" in editor.info_bar.label.text()
    qtbot.mouseClick(editor.info_bar.button, Qt.MouseButton.LeftButton)
    last = editor.spec().layers[-1]
    assert (last.type, last.params["units"], last.params["activation"]) == ("Dense", 1, "sigmoid")
    assert not editor.info_bar.isVisibleTo(editor)
    assert "binary_crossentropy" in editor.compile_panel.rule.text().replace("\u200b", "")
    editor.undo_stack.undo()                                   # the fix is one step
    assert editor.spec().layers[-1].params["units"] == 10
    assert editor.info_bar.isVisibleTo(editor)
    editor.undo_stack.undo()                                   # then the input shape
    assert editor.spec().input_shape == (28, 28, 1)


def test_adapting_to_mnist_fits_without_a_hint(editor):
    from desktop_dl.core.datasets import registry

    editor.adapt_to_dataset(registry.load_dataset("mnist-5k"))
    assert editor.spec().input_shape == (28, 28, 1)
    assert not editor.info_bar.isVisibleTo(editor)


def test_save_open_export_and_errors_without_tracebacks(editor, tmp_path):
    path = tmp_path / "model.json"
    assert editor.save_spec_file(str(path))
    editor.apply_template("mnist-cnn")
    assert editor.open_spec_file(str(path))
    assert types(editor) == ["Flatten", "Dense", "Dense"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "desktop_dl.model_spec", "version": 99}')
    assert not editor.open_spec_file(str(bad))
    assert "newer" in editor.last_error and "Traceback" not in editor.last_error
    assert types(editor) == ["Flatten", "Dense", "Dense"]     # unchanged
    script = tmp_path / "model.py"
    assert editor.export_script_file(str(script))
    assert "keras.Sequential" in script.read_text()
    editor.insert_layer_type("LSTM")                            # LSTM after a vector: a problem
    assert not editor.export_script_file(str(tmp_path / "broken.py"))
    assert "LSTM" in editor.last_error


def test_project_state_round_trip(editor, qtbot):
    editor.view.setCurrentIndex(editor.model.index(2, 0))
    editor.insert_layer_type("Dropout")
    state = editor.project_state()
    other = LayerEditor()
    qtbot.addWidget(other)
    other.restore_project_state(state)
    assert [l.type for l in other.spec().layers] == ["Flatten", "Dense", "Dropout", "Dense"]
    assert other.undo_stack.count() == 0
    assert "407,050" in other.summary.total_text()


def test_set_spec_is_undoable_and_emits_spec_changed(editor, qtbot):
    from desktop_dl.core.templates import load_template

    with qtbot.waitSignal(editor.specChanged, timeout=1000):
        editor.set_spec(load_template("imdb-binary"))
    assert "160,305" in editor.summary.total_text()
    editor.undo_stack.undo()
    assert "407,050" in editor.summary.total_text()


def test_template_dialog_lists_templates_with_totals(qtbot):
    from desktop_dl.ui.editor.template_dialog import TemplateDialog

    dialog = TemplateDialog(current="mnist-dense")
    qtbot.addWidget(dialog)
    names = [dialog.list.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(dialog.list.count())]
    assert {"mnist-dense", "mnist-cnn", "imdb-binary"} <= set(names)
    assert dialog.selected_name() == "mnist-dense"
    assert "407,050" in dialog.facts.text()
    assert dialog.description.text()
    dialog.list.setCurrentRow(names.index("imdb-binary"))
    assert "160,305" in dialog.facts.text()


def test_main_window_has_editor_file_actions_and_undo(main_window):
    texts = [a.text() for a in main_window.file_menu.actions()]
    for expected in ("New from template…", "Open spec…", "Save spec as…", "Export as Python script…"):
        assert expected in texts
    editor = main_window.editor
    before = [l.type for l in editor.spec().layers]
    editor.insert_layer_type("Activation")
    assert len(editor.spec().layers) == len(before) + 1
    undo = next(a for a in main_window.edit_menu.actions() if "Undo" in a.text())
    undo.trigger()
    assert [l.type for l in editor.spec().layers] == before


def test_a_spec_with_a_number_too_large_for_a_float_opens_with_the_problem_marked(editor, tmp_path):
    """10**400 written out in a hand-edited file: once an OverflowError deep in the undo push,
    which killed the window."""
    import json

    path = tmp_path / "huge.json"
    path.write_text(json.dumps({"format": "desktop_dl.model_spec", "version": 1, "name": "huge",
                                "input": {"shape": [28, 28, 1], "dtype": "float32"},
                                "layers": [{"type": "RandomZoom", "params": {"height_factor": 10**400}},
                                           {"type": "Dropout", "params": {"rate": 10**400}},
                                           {"type": "Flatten", "params": {}},
                                           {"type": "Dense", "params": {"units": 10, "activation": "softmax"}}]}))
    assert editor.open_spec_file(str(path))
    assert cell(editor, 1, COL_LAYER, ErrorRole) and cell(editor, 2, COL_LAYER, ErrorRole)


def test_a_template_brings_its_training_settings_to_the_train_tab(main_window):
    """digits-drawing is made to train 10 epochs with cosine decay (as `desktop-dl train
    --template` does); the next template brings its own again."""
    form = main_window.training.settings_form
    assert main_window.editor.apply_template("digits-drawing")
    settings = form.settings()
    assert (settings.epochs, settings.batch_size, settings.schedule) == (10, 64, "cosine")
    assert main_window.editor.apply_template("mnist-cnn")
    settings = form.settings()
    assert (settings.epochs, settings.batch_size, settings.schedule) == (5, 64, "none")


def test_context_menu_deletes_and_inserts(editor, qtbot):
    view = editor.view
    rect = view.visualRect(editor.model.index(2, 0))
    editor._context_menu(rect.center())
    menu = editor.context_menu
    assert editor.selected_row() == 2                        # right-click selects the row
    texts = [a.text() for a in menu.actions()]
    assert "Delete layer" in texts and "Duplicate layer" in texts
    insert_menu = menu.actions()[0].menu()
    core = next(a.menu() for a in insert_menu.actions() if a.text() == "Core")
    next(a for a in core.actions() if a.text() == "Activation").trigger()
    assert types(editor) == ["Flatten", "Dense", "Activation", "Dense"]
    editor._context_menu(view.visualRect(editor.model.index(3, 0)).center())
    next(a for a in editor.context_menu.actions() if a.text() == "Delete layer").trigger()
    assert types(editor) == ["Flatten", "Dense", "Dense"]
    editor.context_menu.close()


def test_enter_on_a_layer_moves_focus_to_its_settings(editor, qtbot):
    editor.activateWindow()
    qtbot.waitActive(editor)
    view = editor.view
    view.setFocus()
    view.setCurrentIndex(editor.model.index(2, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    spin = editor.properties.findChild(QSpinBox, "param_units")
    assert spin.hasFocus()


def test_a_spec_file_dropped_on_the_stack_opens(editor, tmp_path):
    from PySide6.QtCore import QMimeData, QUrl

    from desktop_dl.core.templates import load_template

    path = tmp_path / "lstm.json"
    load_template("lstm-classifier").save(path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    # The stack refuses files, so the drag goes on to the editor, which opens the spec.
    assert drag_to(editor.view, mime, row=1)
    assert types(editor) == ["Embedding", "LSTM", "LSTM", "Dense"]
    editor.undo_stack.undo()
    assert types(editor) == ["Flatten", "Dense", "Dense"]


def test_ctrl_f_jumps_to_the_palette_search(editor, qtbot):
    editor.activateWindow()
    qtbot.waitActive(editor)
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert editor.palette_panel.search.hasFocus()


def test_restoring_an_empty_or_object_state(editor):
    from desktop_dl.core.errors import SpecError
    from desktop_dl.core.templates import load_template

    editor.restore_project_state({"spec": load_template("imdb-binary")})
    assert "160,305" in editor.summary.total_text()
    editor.restore_project_state({})                            # a new project: the start-up model
    assert editor.spec().name == "mnist-cnn"
    with pytest.raises(SpecError):
        editor.restore_project_state({"spec": {"format": "something else"}})
    assert editor.spec().name == "mnist-cnn"                    # unchanged after the error
