"""Undo commands for every edit of the model spec.

Each command changes the spec only through the `LayerStackModel` methods (insert_layer,
remove_layer, move_layer, set_param, set_input, set_compile, replace_spec), so the views learn of
the change through the model's own signals and the analysis is redone once per step. Commands
find layers by uid where they can, so a merged or replayed command never edits the wrong row.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec

_SET_PARAM_ID = 0x5e7_0001   # QUndoCommand.id() for merging consecutive edits of one parameter
_SET_COMPILE_ID = 0x5e7_0002


class InsertLayerCommand(QUndoCommand):
    """Insert `layer` at position `index` of the layer list (0 = right after the input)."""

    def __init__(self, model, index: int, layer: LayerSpec, text: str | None = None):
        super().__init__(text or QCoreApplication.translate("LayerCommands", "Add %s") % layer.type)
        self._model = model
        self._index = index
        self._layer = layer.copy()

    def redo(self) -> None:
        self._model.insert_layer(self._index, self._layer.copy())

    def undo(self) -> None:
        self._model.remove_layer(self._index)


def duplicate_command(model, index: int) -> InsertLayerCommand:
    original = model.layer(index)
    return InsertLayerCommand(model, index + 1, original.copy(fresh_uid=True),
                              QCoreApplication.translate("LayerCommands", "Duplicate %s") % original.type)


class RemoveLayerCommand(QUndoCommand):
    def __init__(self, model, index: int):
        layer = model.layer(index)
        super().__init__(QCoreApplication.translate("LayerCommands", "Delete %s") % layer.type)
        self._model = model
        self._index = index
        self._layer = layer.copy()

    def redo(self) -> None:
        self._model.remove_layer(self._index)

    def undo(self) -> None:
        self._model.insert_layer(self._index, self._layer.copy())


class MoveLayerCommand(QUndoCommand):
    """Move the layer at `source` so that it ends up at position `target` of the layer list."""

    def __init__(self, model, source: int, target: int):
        super().__init__(QCoreApplication.translate("LayerCommands", "Move %s") % model.layer(source).type)
        self._model = model
        self._source = source
        self._target = target

    def redo(self) -> None:
        self._model.move_layer(self._source, self._target)

    def undo(self) -> None:
        self._model.move_layer(self._target, self._source)


class SetParamCommand(QUndoCommand):
    """Set one parameter of one layer. Consecutive edits of the same parameter merge into one
    step, so spinning a value from 32 to 64 is one undo, not thirty-two."""

    def __init__(self, model, uid: str, name: str, value):
        layer = model.layer_by_uid(uid)
        super().__init__(QCoreApplication.translate("LayerCommands", "Set %s of %s") % (name, layer.type))
        self._model = model
        self._uid = uid
        self._name = name
        self._old = layer.params.get(name, MISSING)
        self._new = value

    def id(self) -> int:
        return _SET_PARAM_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetParamCommand) or (other._uid, other._name) != (self._uid, self._name):
            return False
        self._new = other._new
        if self._new == self._old:
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        self._model.set_param(self._uid, self._name, self._new)

    def undo(self) -> None:
        self._model.set_param(self._uid, self._name, self._old)


class SetInputCommand(QUndoCommand):
    def __init__(self, model, shape: tuple, dtype: str | None = None, text: str | None = None):
        super().__init__(text or QCoreApplication.translate("LayerCommands", "Set input shape"))
        self._model = model
        spec = model.spec_ref()
        self._old = (tuple(spec.input_shape), spec.input_dtype)
        self._new = (tuple(shape), dtype or spec.input_dtype)

    def redo(self) -> None:
        self._model.set_input(*self._new)

    def undo(self) -> None:
        self._model.set_input(*self._old)


class SetCompileCommand(QUndoCommand):
    """Change the compile settings (optimizer, learning rate, loss, metrics); merges like
    SetParamCommand when the same field is edited repeatedly."""

    def __init__(self, model, compile_spec: CompileSpec, field: str = ""):
        super().__init__(QCoreApplication.translate("LayerCommands", "Change training settings"))
        self._model = model
        self._old = CompileSpec(**model.spec_ref().compile.to_dict())
        self._new = CompileSpec(**compile_spec.to_dict())
        self._field = field

    def id(self) -> int:
        return _SET_COMPILE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetCompileCommand) or not self._field or other._field != self._field:
            return False
        self._new = other._new
        if self._new.to_dict() == self._old.to_dict():
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        self._model.set_compile(CompileSpec(**self._new.to_dict()))

    def undo(self) -> None:
        self._model.set_compile(CompileSpec(**self._old.to_dict()))


class ReplaceSpecCommand(QUndoCommand):
    """Replace the whole spec (a template, an opened file, "Fix output layer")."""

    def __init__(self, model, spec: ModelSpec, text: str | None = None):
        super().__init__(text or QCoreApplication.translate("LayerCommands", "Replace model"))
        self._model = model
        self._old = model.spec_ref().copy()
        self._new = spec.copy()

    def redo(self) -> None:
        self._model.replace_spec(self._new.copy())

    def undo(self) -> None:
        self._model.replace_spec(self._old.copy())


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()
