"""New from template: pick one of the tutorials' networks, seeing what it is and how big it is."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QVBoxLayout, QWidget)

from desktop_dl.core.errors import SpecError
from desktop_dl.core.shapes import analyse
from desktop_dl.core.templates import list_templates, load_template
from desktop_dl.ui.editor.layer_stack_model import format_count, format_shape, layer_settings_text

NameRole = Qt.ItemDataRole.UserRole + 1


class TemplateDialog(QDialog):
    def __init__(self, parent=None, current: str | None = None):
        super().__init__(parent)
        self.setObjectName("templateDialog")
        self.setWindowTitle(self.tr("New from template"))
        self.resize(760, 440)
        self._details: dict[str, tuple] = {}

        self._build_template_list()
        detail = self._build_detail()
        self._build_buttons()
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addWidget(detail, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)

        self.list.currentItemChanged.connect(self._show)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        names = [self.list.item(i).data(NameRole) for i in range(self.list.count())]
        self.list.setCurrentRow(names.index(current) if current in names else 0)

    def _build_template_list(self) -> None:
        """One item per bundled template, with its parameter count; a damaged one is listed too."""
        self.list = QListWidget(self)
        self.list.setObjectName("templateList")
        self.list.setMinimumWidth(250)
        self.list.setSpacing(2)
        self.list.setAccessibleName(self.tr("Templates"))
        for info in list_templates():
            try:
                spec = load_template(info.name)
            except SpecError as exc:       # a damaged template file: list it, explain, disallow
                self._details[info.name] = (info, None, str(exc))
                item = QListWidgetItem(info.title)
            else:
                self._details[info.name] = (info, spec, "")
                item = QListWidgetItem(self.tr("%s\n%s parameters") % (info.title, format_count(analyse(spec).total)))
            item.setToolTip(info.description)
            item.setData(NameRole, info.name)
            self.list.addItem(item)

    def _build_detail(self) -> QWidget:
        """The selected template's title, description and facts."""
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.description = QLabel(self)
        self.description.setObjectName("templateDescription")
        self.description.setWordWrap(True)
        self.facts = QLabel(self)
        self.facts.setObjectName("templateFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(12, 0, 0, 0)
        detail_layout.addWidget(self.title)
        detail_layout.addWidget(self.description)
        detail_layout.addSpacing(8)
        detail_layout.addWidget(self.facts, 1)
        return detail

    def _build_buttons(self) -> None:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Use template"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def selected_name(self) -> str | None:
        item = self.list.currentItem()
        return item.data(NameRole) if item is not None else None

    def selected_spec(self):
        name = self.selected_name()
        return self._details[name][1] if name in self._details else None

    def _show(self, item, _previous=None) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if item is None:
            ok.setEnabled(False)
            return
        info, spec, error = self._details[item.data(NameRole)]
        self.title.setText(info.title)                # core gives them in the interface language
        self.description.setText(info.description)
        ok.setEnabled(spec is not None)
        if spec is None:
            self.facts.setText(f"<span style='color:#c62828'>{_html(error)}</span>")
            return
        analysis = analyse(spec)
        steps = ["Input " + format_shape(tuple(spec.input_shape))]
        for layer in spec.layers:
            settings = layer_settings_text(layer)
            steps.append(f"{layer.type}({settings})" if settings else layer.type)
        rows = [(self.tr("Parameters"), f"<b>{format_count(analysis.total)}</b>"),
                (self.tr("Layers"), _html(" → ".join(steps))),
                (self.tr("Output"), format_shape(analysis.output_shape)),
                (self.tr("Optimizer"), _html(self.tr("%s, learning rate %s") % (
                    spec.compile.optimizer, f"{spec.compile.learning_rate:g}")))]
        if info.dataset:
            rows.append((self.tr("Made for"), _html(info.dataset)))
        self.facts.setText("<table cellspacing='4'>" + "".join(
            f"<tr><td style='color:gray; padding-right:10px'>{k}</td><td>{v}</td></tr>" for k, v in rows)
            + "</table>")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
