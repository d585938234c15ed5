"""Open ONNX models for the Draw tab in a job: ONNX Runtime builds its session (graph optimisation,
tens to hundreds of ms for a CNN, seconds for a big file) on a worker thread, never on the GUI thread.

    opener = ModelOpener(not_image_text, parent)
    opener.open(path, allow_ir_downgrade=False, with_activations=True, then=callback)
    # later, on the GUI thread: callback(OpenedModel)

The newest request wins: a result that arrives after a newer `open()` is dropped (its callback gets
`OpenedModel(..., superseded=True)`), so a slow file never replaces the model chosen after it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject

from desktop_dl.core.errors import UserError

# Jobs have no Qt parent (the panel may go first while a session opens); kept alive until done.
_RUNNING: set = set()


@dataclass
class OpenedModel:
    """What one open() gave: `recognizer` (engine.recognizer.Recognizer) or `error` (a UserError,
    with its `details` and `downgrade_ir_to` when ONNX Runtime gave them); `activation_model`
    when asked for and openable, else `activation_error`."""
    path: Path
    recognizer: Any = None
    error: UserError | None = None
    activation_model: Any = None
    activation_error: str = ""
    superseded: bool = False

    @property
    def ok(self) -> bool:
        return self.recognizer is not None and not self.superseded


def open_model_files(path: Path, allow_ir_downgrade: bool, with_activations: bool,
                     not_image_text: str) -> OpenedModel:
    """Plain Python (any thread): open the recognizer and, if asked, the activation model.
    `not_image_text` % (file name, input shape) is the message for a model that takes no image."""
    from desktop_dl.engine.recognizer import Recognizer
    try:
        recognizer = Recognizer.open(path, allow_ir_downgrade=allow_ir_downgrade)
        if not recognizer.is_image_model:
            raise UserError(not_image_text % (path.name, shape_text(recognizer.input_shape)))
    except UserError as exc:
        return OpenedModel(path, error=exc)
    opened = OpenedModel(path, recognizer)
    if with_activations:
        opened.activation_model, opened.activation_error = open_activation_model(path)
    return opened


def open_activation_model(path: Path) -> tuple[Any, str]:
    """(ActivationModel, "") or (None, the reason it cannot be opened)."""
    from desktop_dl.engine.activation_model import ActivationModel
    try:
        return ActivationModel.open(path), ""
    except UserError as exc:
        return None, str(exc)


class ModelOpener(QObject):
    def __init__(self, not_image_text: str, parent: QObject | None = None):
        super().__init__(parent)
        self._not_image_text = not_image_text
        self._serial = 0

    def open(self, path, *, allow_ir_downgrade: bool = False, with_activations: bool = False,
             then: Callable[[OpenedModel], None]) -> None:
        path = Path(path)
        text = self._not_image_text
        self._start(lambda: open_model_files(path, allow_ir_downgrade, with_activations, text),
                    lambda message: OpenedModel(path, error=UserError(message)), then)

    def open_activations(self, path, then: Callable[[OpenedModel], None]) -> None:
        """Only the activation model of `path` (the toggle turned on for the model in use)."""
        path = Path(path)

        def work():
            model, error = open_activation_model(path)
            return OpenedModel(path, activation_model=model, activation_error=error)
        self._start(work, lambda message: OpenedModel(path, activation_error=message), then,
                    counts=False)

    @property
    def serial(self) -> int:
        """Counts open() requests: unchanged since a request means no newer one was made."""
        return self._serial

    def is_busy(self) -> bool:
        return any(job.is_running() for job in _RUNNING if getattr(job, "opener", None) is self)

    def _start(self, work, on_crash, then, counts: bool = True) -> None:
        from desktop_dl.ui.base.jobs import Job
        if counts:
            self._serial += 1
        serial = self._serial

        def deliver(opened: OpenedModel) -> None:
            opened.superseded = serial != self._serial
            then(opened)
        job = Job(lambda _report, _cancelled: work(), None, name="open-model")
        job.opener = self
        job.result.connect(deliver)
        job.error.connect(lambda message, _details: deliver(on_crash(message)))
        _RUNNING.add(job)
        job.finished.connect(lambda j=job: _RUNNING.discard(j))
        job.start()


def wait_for_model_jobs(msecs: int = 10000) -> None:
    """Let sessions still opening finish (at exit: a running QThread must not be destroyed)."""
    for job in list(_RUNNING):
        job.wait(msecs)


def shape_text(shape) -> str:
    """(batch, 30) rather than ONNX's ('unk__20', 30): named or free dimensions are the batch or "?"."""
    from desktop_dl.core.shape_rules import batch_shape
    dims = [str(d) if isinstance(d, int) and d > 0 else "?" for d in shape]
    if not dims or dims[0] != "?":         # a model made for one fixed batch size
        return "(" + ", ".join(dims) + ")"
    return batch_shape(dims[1:])


__all__ = ["ModelOpener", "OpenedModel", "open_model_files", "shape_text", "wait_for_model_jobs"]
