"""The test samples the model got wrong, the most confident mistakes first.

A run's thumbnails stay in its run folder (engine.training_process.save_mistakes): the gallery asks
for them when it is shown, so selecting runs with the view hidden reads nothing.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

THUMB = 84


def image_to_pixmap(image: np.ndarray, size: int = THUMB) -> QPixmap:
    """uint8 (h, w) grey or (h, w, 3) RGB → a pixmap scaled without smoothing (crisp pixels)."""
    image = np.ascontiguousarray(image, dtype=np.uint8)
    h, w = image.shape[:2]
    if image.ndim == 2:
        qimage = QImage(image.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        qimage = QImage(image.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(qimage.copy()).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                                   Qt.TransformationMode.FastTransformation)


class MisclassifiedGallery(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("misclassifiedGallery")
        self.caption = QLabel(self.tr("After training, the test samples the model got wrong appear "
                                      "here, the most confident mistakes first."))
        self.caption.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("misclassifiedList")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 44, THUMB + 44))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.list, 1)
        self._pending: tuple | None = None

    def show_mistakes(self, evaluation: dict | None, images, class_names) -> None:
        """Show a run's mistakes. `images`: uint8 (n, h, w[, 3]) thumbnails, None, or a callable
        giving them, called when the view is (or next becomes) visible."""
        self._pending = (evaluation, images, class_names)
        if self.isVisible():
            self._render()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._render()

    def _render(self) -> None:
        if self._pending is None:
            return
        evaluation, images, class_names = self._pending
        self._pending = None
        if callable(images):
            images = images()
        self.list.clear()
        mistakes = (evaluation or {}).get("most_confidently_wrong", [])
        names = list(class_names or [])
        counts = (evaluation or {}).get("confusion_matrix")
        if not mistakes:
            self.caption.setText(self.tr("No mistakes on the test set.") if evaluation and counts is not None
                                 else self.tr("No misclassified samples to show for this run."))
            return
        if images is None or len(images) == 0:
            self.caption.setText(self.tr("%d test samples were misclassified (pictures are shown "
                                         "for image datasets only).") % len(mistakes))
            return
        self.caption.setText(self.tr("The %d most confident mistakes on the test set: true class → "
                                     "prediction (confidence).") % min(len(mistakes), len(images)))
        for info, image in zip(mistakes, images):
            predicted = _name(names, info["predicted"])
            true = _name(names, info.get("true")) if info.get("true") is not None else "?"
            item = QListWidgetItem(QIcon(image_to_pixmap(image)),
                                   f"{true} → {predicted}\n{info['confidence']:.0%}")
            item.setToolTip(self.tr("test sample %d: true %s, predicted %s with %.1f%% confidence")
                            % (info["index"], true, predicted, 100 * info["confidence"]))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.list.addItem(item)

    def count(self) -> int:
        self._render()
        return self.list.count()


def _name(names, index) -> str:
    if index is None:
        return "?"
    return str(names[index]) if 0 <= int(index) < len(names) else str(index)
