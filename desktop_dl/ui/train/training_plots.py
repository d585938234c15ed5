"""Live training curves: batch loss (raw and smoothed), epoch loss and the main metric.

Curves are created once; incoming metrics go into buffers and a QTimer redraws them with
`setData` at most 20 times a second, however fast batches arrive (STYLE.md §4). A crosshair shows
the values under the mouse; a checkbox switches the loss axis to a log scale. Past runs can be
overlaid (dashed) to compare them with the current one.
"""
from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

REDRAW_MS = 50                  # 20 Hz at most
MAX_REDRAW_MS = 500             # and at least 2 Hz, however slow painting is
PAINT_SHARE = 0.05              # painting may take at most ~5% of the GUI thread's time
SMOOTHING = 0.9                 # EMA weight of the smoothed batch loss (debiased like TensorBoard)
OVERLAY_COLOURS = ("#8e44ad", "#16a085", "#c0392b", "#7f8c8d", "#d35400", "#2c3e50")
BLUE, ORANGE, GREEN = "#1f77b4", "#ff7f0e", "#2ca02c"


class _Series:
    """Growing x/y buffers; the numpy copy is only made when the plot redraws."""

    def __init__(self):
        self.x: list[float] = []
        self.y: list[float] = []

    def clear(self):
        self.x.clear()
        self.y.clear()

    def arrays(self):
        return np.asarray(self.x, dtype=np.float64), np.asarray(self.y, dtype=np.float64)


class _TimedPlotWidget(pg.PlotWidget):
    """A PlotWidget that measures how long it takes to paint (an exponential average, seconds)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.paint_seconds = 0.0

    def paintEvent(self, event):
        started = time.perf_counter()
        super().paintEvent(event)
        cost = time.perf_counter() - started
        self.paint_seconds = cost if not self.paint_seconds else 0.8 * self.paint_seconds + 0.2 * cost


class TrainingPlots(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        pg.setConfigOptions(antialias=True)
        background = self.palette().color(QPalette.ColorRole.Base)
        foreground = self.palette().color(QPalette.ColorRole.Text)
        self._build_plots(background, foreground)
        self._build_curves()
        self._series = {name: _Series() for name in ("raw", "smooth", "train_loss", "val_loss",
                                                     "train_metric", "val_metric")}
        self._curves = {"raw": self.raw_curve, "smooth": self.smooth_curve,
                        "train_loss": self.train_loss_curve, "val_loss": self.val_loss_curve,
                        "train_metric": self.train_metric_curve, "val_metric": self.val_metric_curve}
        self._overlay_items: list = []
        self.metric_name = "accuracy"   # not `metric`: QWidget.metric() is a virtual Qt calls
        self._steps = 1
        self._ema = 0.0
        self._ema_n = 0
        self._stale: set[str] = set()   # series changed since the last redraw
        self.redraws = 0            # how many times the curves were redrawn (tests, benchmarks)

        self.log_check = QCheckBox(self.tr("Log scale"))
        self.log_check.setObjectName("logScaleCheck")
        self.log_check.toggled.connect(self.set_log_scale)
        self.readout = QLabel(" ")
        self.readout.setObjectName("plotReadout")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = QHBoxLayout()
        bar.addWidget(self.readout, 1)
        bar.addWidget(self.log_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.loss_plot, 3)
        layout.addWidget(self.metric_plot, 2)

        self._build_crosshairs(foreground)
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.redraw)
        self.timer.start()

    def _build_plots(self, background: QColor, foreground: QColor) -> None:
        """The loss and metric PlotWidgets in the palette's colours, x axes linked, with legends."""
        self.loss_plot = _TimedPlotWidget(background=background)
        self.loss_plot.setObjectName("lossPlot")
        self.metric_plot = _TimedPlotWidget(background=background)
        self.metric_plot.setObjectName("metricPlot")
        for plot, title in ((self.loss_plot, self.tr("Loss")), (self.metric_plot, self.tr("Metric"))):
            item = plot.getPlotItem()
            item.setTitle(title, color=foreground.name(), size="11pt")
            item.showGrid(x=True, y=True, alpha=0.15)
            item.setLabel("bottom", self.tr("epoch"), color=foreground.name())
            for axis in ("left", "bottom"):
                item.getAxis(axis).setPen(pg.mkPen(foreground.name()))
                item.getAxis(axis).setTextPen(pg.mkPen(foreground.name()))
                # Grid lines at major ticks only: the minor grid doubled the cost of each paint.
                item.getAxis(axis).setStyle(maxTickLevel=0)
            plot.setMinimumHeight(110)
        self.metric_plot.setXLink(self.loss_plot)
        legend_brush = pg.mkBrush(background.red(), background.green(), background.blue(), 210)
        self.loss_plot.addLegend(offset=(-10, 10), brush=legend_brush, labelTextColor=foreground.name())
        self.metric_plot.addLegend(offset=(-10, -10), brush=legend_brush, labelTextColor=foreground.name())

    def _build_curves(self) -> None:
        """The six live curves, created once (redraws only call setData)."""
        raw_colour = QColor(BLUE)
        raw_colour.setAlpha(70)
        self.raw_curve = self.loss_plot.plot(pen=pg.mkPen(raw_colour, width=1), name=self.tr("batch loss"))
        self.raw_curve.setDownsampling(auto=True, method="peak")
        self.raw_curve.setClipToView(True)
        self.smooth_curve = self.loss_plot.plot(pen=pg.mkPen(BLUE, width=2), name=self.tr("batch loss (smoothed)"))
        self.smooth_curve.setDownsampling(auto=True, method="mean")
        self.smooth_curve.setClipToView(True)
        self.train_loss_curve = self.loss_plot.plot(
            pen=pg.mkPen(ORANGE, width=2), symbol="o", symbolSize=6, symbolBrush=ORANGE,
            symbolPen=None, name=self.tr("train loss (epoch)"))
        self.val_loss_curve = self.loss_plot.plot(
            pen=pg.mkPen(GREEN, width=2), symbol="s", symbolSize=6, symbolBrush=GREEN,
            symbolPen=None, name=self.tr("validation loss"))
        self.train_metric_curve = self.metric_plot.plot(
            pen=pg.mkPen(ORANGE, width=2), symbol="o", symbolSize=6, symbolBrush=ORANGE,
            symbolPen=None, name=self.tr("train"))
        self.val_metric_curve = self.metric_plot.plot(
            pen=pg.mkPen(GREEN, width=2), symbol="s", symbolSize=6, symbolBrush=GREEN,
            symbolPen=None, name=self.tr("validation"))

    def _build_crosshairs(self, foreground: QColor) -> None:
        """A dotted vertical line per plot that follows the mouse (rate-limited to 30 Hz)."""
        self._crosshairs = []
        for plot in (self.loss_plot, self.metric_plot):
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(foreground.name(), width=1,
                                                                         style=Qt.PenStyle.DotLine))
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
            self._crosshairs.append(line)
        self._mouse_proxies = [
            pg.SignalProxy(plot.scene().sigMouseMoved, rateLimit=30,
                           slot=lambda evt, p=plot: self._mouse_moved(p, evt[0]))
            for plot in (self.loss_plot, self.metric_plot)]

    # -- feeding ----------------------------------------------------------------------------------
    def reset(self, steps_per_epoch: int, metric: str | None, epochs: int | None = None) -> None:
        for series in self._series.values():
            series.clear()
        if epochs:
            # A fixed epoch axis during a run: the x axis is not re-laid out on every redraw.
            self.loss_plot.setXRange(0, epochs, padding=0.02)
        else:
            self.loss_plot.enableAutoRange(x=True)
        self._steps = max(1, int(steps_per_epoch))
        self._ema, self._ema_n = 0.0, 0
        self.metric_name = metric or ""
        self.metric_plot.getPlotItem().setTitle(metric or self.tr("Metric"))
        self._stale.update(self._series)
        self.redraw()

    def set_metric(self, metric: str) -> None:
        """Change the metric shown below (before its first epoch point arrives)."""
        self.metric_name = metric
        self.metric_plot.getPlotItem().setTitle(metric)
        self._series["train_metric"].clear()
        self._series["val_metric"].clear()
        self._stale.update(("train_metric", "val_metric"))

    def add_batches(self, chunk) -> None:
        """chunk: tuples (epoch, batch, running loss, batch loss, samples, seconds)."""
        raw, smooth = self._series["raw"], self._series["smooth"]
        for epoch, batch, _mean, loss, _samples, _seconds in chunk:
            x = epoch + (batch + 1) / self._steps
            if not math.isfinite(loss):
                continue
            raw.x.append(x)
            raw.y.append(loss)
            self._ema_n += 1
            self._ema = SMOOTHING * self._ema + (1 - SMOOTHING) * loss
            smooth.x.append(x)
            smooth.y.append(self._ema / (1 - SMOOTHING ** self._ema_n))
        # Only the loss plot repaints for batches; the metric plot waits for the epoch's end.
        self._stale.update(("raw", "smooth"))

    def add_epoch(self, epoch: int, logs: dict) -> None:
        x = epoch + 1
        for key, name in (("loss", "train_loss"), ("val_loss", "val_loss"),
                          (self.metric_name, "train_metric"), ("val_" + self.metric_name, "val_metric")):
            value = logs.get(key)
            if key and value is not None and math.isfinite(value):
                self._series[name].x.append(x)
                self._series[name].y.append(value)
                self._stale.add(name)

    def point_counts(self) -> dict[str, int]:
        return {name: len(s.x) for name, s in self._series.items()}

    def set_curves(self, history: dict, batch_x=None, batch_loss=None, metric: str | None = None) -> None:
        """Show a finished run's curves (a run chosen in the history, or a restored project)."""
        self.metric_name = metric or self.metric_name
        self.metric_plot.getPlotItem().setTitle(self.metric_name or self.tr("Metric"))
        self.loss_plot.enableAutoRange(x=True)
        for series in self._series.values():
            series.clear()
        epochs = list(range(1, len(history.get("loss", [])) + 1))
        for key, name in (("loss", "train_loss"), ("val_loss", "val_loss"),
                          (self.metric_name, "train_metric"), ("val_" + self.metric_name, "val_metric")):
            values = history.get(key) or []
            pairs = [(x, v) for x, v in zip(epochs, values) if v is not None and math.isfinite(v)]
            self._series[name].x.extend(p[0] for p in pairs)
            self._series[name].y.extend(p[1] for p in pairs)
        if batch_x is not None and batch_loss is not None:
            self._series["raw"].x.extend(float(v) for v in batch_x)
            self._series["raw"].y.extend(float(v) for v in batch_loss)
            ema, n = 0.0, 0
            for x, v in zip(batch_x, batch_loss):
                n += 1
                ema = SMOOTHING * ema + (1 - SMOOTHING) * v
                self._series["smooth"].x.append(float(x))
                self._series["smooth"].y.append(ema / (1 - SMOOTHING ** n))
        self._stale.update(self._series)
        self.redraw()

    def batch_curve(self) -> tuple[list[float], list[float]]:
        s = self._series["raw"]
        return list(s.x), list(s.y)

    # -- drawing ----------------------------------------------------------------------------------
    def redraw(self) -> None:
        if not self._stale:
            return
        stale, self._stale = self._stale, set()
        # Redraw less often when painting is slow (a busy CPU, a software renderer), so the
        # plots never take more than ~PAINT_SHARE of the GUI thread however fast batches arrive.
        paint_ms = 1000 * (self.loss_plot.paint_seconds + self.metric_plot.paint_seconds)
        self.timer.setInterval(int(min(MAX_REDRAW_MS, max(REDRAW_MS, paint_ms / PAINT_SHARE))))
        for name in stale:
            curve = self._curves[name]
            x, y = self._series[name].arrays()
            if self.log_check.isChecked() and name in ("raw", "smooth", "train_loss", "val_loss"):
                keep = y > 0        # a log axis cannot show zero or negative losses
                x, y = x[keep], y[keep]
            curve.setData(x, y)
        self.redraws += 1

    def set_log_scale(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=bool(on))
        self._stale.update(self._series)
        self.redraw()

    def set_overlays(self, runs) -> None:
        """Dashed epoch curves of past runs (RunRecord objects) for comparison."""
        for plot, item in self._overlay_items:
            plot.removeItem(item)
        self._overlay_items = []
        for i, run in enumerate(runs):
            colour = OVERLAY_COLOURS[i % len(OVERLAY_COLOURS)]
            pen = pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine)
            history = run.history
            key = "val_loss" if history.get("val_loss") else "loss"
            self._add_overlay(self.loss_plot, history.get(key), pen, f"{run.name} · {key}")
            metric = "val_" + self.metric_name if history.get("val_" + self.metric_name) else self.metric_name
            self._add_overlay(self.metric_plot, history.get(metric), pen, f"{run.name} · {metric}")

    def _add_overlay(self, plot, values, pen, name) -> None:
        if not values:
            return
        y = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        x = np.arange(1, len(y) + 1, dtype=np.float64)
        keep = np.isfinite(y)
        item = plot.plot(x[keep], y[keep], pen=pen, name=name)
        self._overlay_items.append((plot, item))

    def overlay_count(self) -> int:
        return len(self._overlay_items)

    # -- crosshair --------------------------------------------------------------------------------
    def _mouse_moved(self, plot, pos) -> None:
        if not plot.sceneBoundingRect().contains(pos):
            for line in self._crosshairs:
                line.setVisible(False)
            return
        x = plot.getPlotItem().vb.mapSceneToView(pos).x()
        self.show_values_at(x)

    def show_values_at(self, x: float) -> str:
        """Move the crosshair to epoch position x and show the nearest values; returns the text."""
        for line in self._crosshairs:
            line.setPos(x)
            line.setVisible(True)
        parts = [self.tr("epoch %.2f") % x]
        labels = {"smooth": self.tr("batch loss"), "train_loss": self.tr("loss"),
                  "val_loss": self.tr("val loss"), "train_metric": self.metric_name,
                  "val_metric": "val " + self.metric_name}
        for name, label in labels.items():
            s = self._series[name]
            if not s.x:
                continue
            xs = np.asarray(s.x)
            i = int(np.argmin(np.abs(xs - x)))
            tolerance = 1.0 / self._steps if name == "smooth" else 0.5
            if abs(xs[i] - x) <= max(tolerance, 0.5):
                parts.append(f"{label} {s.y[i]:.4g}")
        text = "   ".join(parts)
        self.readout.setText(text)
        return text
