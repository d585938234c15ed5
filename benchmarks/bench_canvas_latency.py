"""Draw tab latency: mouse move event → prediction shown, and whether 1,000 Hz input is kept.

Offscreen, real time: mouse move events are delivered at a fixed rate (1,000 Hz like a gaming
mouse or a pen, 125 Hz like an office mouse) while the event loop runs in between, exactly as Qt
would deliver them. For every event we record when it was delivered and when a prediction that
includes its point was shown (the panel's predictionShown: preprocessing, ONNX Runtime, label,
bars and 28×28 view updated), and when the probability bars were next painted (adds Qt's own
update pacing: the offscreen platform, like xcb, coalesces repaints on a ~5 ms idle timer).
Between events the loop sleeps, so the benchmark uses only the CPU the app itself needs.

    python benchmarks/bench_canvas_latency.py [--model digit.onnx] [--seconds 4] [--pause 0.4]

Between strokes the pen is lifted for --pause seconds with the drawing left on the canvas, long
enough for the "How sure is it?" strip (computed once drawing pauses, ui/draw/robustness_strip.py)
to run; its cost then lands just before the next stroke's first moves, which are measured.

Without --model it uses the default digit model (training it first if needed, ~30 s).
"""
from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Private settings: the benchmark never touches the user's preferences.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bench-canvas-config-")

import numpy as np  # noqa: E402

import desktop_dl.ui  # noqa: E402,F401  (PySide6 guard first)
from PySide6.QtCore import QEvent, QObject, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def percentile(values, q):
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


class PaintWatch(QObject):
    def __init__(self):
        super().__init__()
        self.painted_at: list[float] = []

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            self.painted_at.append(time.perf_counter())
        return False


def digit_path(t: float) -> tuple[float, float]:
    """A looping figure-of-eight-ish path over the middle of the square, t in seconds."""
    a = 2 * math.pi * t / 1.2
    return 0.5 + 0.22 * math.sin(a), 0.5 + 0.3 * math.sin(2 * a) / 2 + 0.1 * math.cos(a)


def run(panel, app, rate_hz: float, seconds: float, stroke_seconds: float = 0.8, pause: float = 0.0):
    """Deliver moves at `rate_hz` for `seconds`, new stroke every `stroke_seconds`, the pen
    lifted for `pause` seconds between strokes."""
    canvas = panel.canvas
    square = canvas._square()
    shown_at: list[tuple[float, int]] = []   # (time, points delivered when recognition started)
    delivered = [0]
    started_with = [0]

    def on_shown(_prediction):
        shown_at.append((time.perf_counter(), started_with[0]))

    original = panel.recognize_now

    def recognize_now():
        started_with[0] = delivered[0]
        original()
    panel._timer.timeout.disconnect()
    panel._timer.timeout.connect(recognize_now)
    panel.predictionShown.connect(on_shown)
    watch = PaintWatch()
    panel.bars.installEventFilter(watch)

    send_times: list[float] = []
    period = 1.0 / rate_hz
    t0 = time.perf_counter()
    next_t = t0
    stroke_start = t0
    pressed = False
    sent_points = 0
    canvas.clear()
    stored = 0
    while True:
        now = time.perf_counter()
        if now - t0 >= seconds:
            break
        # Every move that is due is delivered before the loop runs again, as a platform
        # delivers the moves queued while the app was busy.
        while now >= next_t:
            if pressed and now - stroke_start >= stroke_seconds:
                pos = QPointF(*last_pos)
                canvas.mouseReleaseEvent(QMouseEvent(QEvent.Type.MouseButtonRelease, pos, pos,
                                                     Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton,
                                                     Qt.KeyboardModifier.NoModifier))
                pressed = False
                if pause > 0:       # pen lifted, drawing kept: the strip computes in here
                    pause_end = time.perf_counter() + pause
                    while time.perf_counter() < pause_end:
                        app.processEvents()
                        time.sleep(0.001)
                    now = next_t = time.perf_counter()    # no moves were due while lifted
                stored += canvas.point_count()
                canvas.clear()
                app.processEvents()
                stroke_start = now
            u, v = digit_path(now - t0)
            last_pos = (square.x() + u * square.width(), square.y() + v * square.height())
            pos = QPointF(*last_pos)
            kind = QEvent.Type.MouseMove if pressed else QEvent.Type.MouseButtonPress
            event = QMouseEvent(kind, pos, canvas.mapToGlobal(pos), Qt.MouseButton.LeftButton if not pressed
                                else Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
            # Latency counts from when the move was due (the pen reported it), so time spent
            # waiting behind a busy event loop is included.
            send_times.append(next_t)
            QApplication.sendEvent(canvas, event)
            delivered[0] = len(send_times)
            sent_points += 1
            pressed = True
            next_t += period
            if next_t < now - 0.05:        # fell far behind: say so rather than hide it
                next_t = now
            now = time.perf_counter()
        app.processEvents()
        idle = next_t - time.perf_counter()
        if idle > 0.0003:
            time.sleep(min(idle - 0.0002, 0.002))
    if pressed:
        pos = QPointF(*last_pos)
        canvas.mouseReleaseEvent(QMouseEvent(QEvent.Type.MouseButtonRelease, pos, pos, Qt.MouseButton.LeftButton,
                                             Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    stored += canvas.point_count()
    end = time.perf_counter() + 0.05
    while time.perf_counter() < end:
        app.processEvents()
    panel.predictionShown.disconnect(on_shown)
    panel._timer.timeout.disconnect()
    panel._timer.timeout.connect(original)
    panel.bars.removeEventFilter(watch)

    # event i is shown by the first recognition that started after it was delivered
    latencies, paint_latencies = [], []
    j = 0
    paints = watch.painted_at
    k = 0
    for i, sent in enumerate(send_times, start=1):
        while j < len(shown_at) and shown_at[j][1] < i:
            j += 1
        if j == len(shown_at):
            break
        shown = shown_at[j][0]
        latencies.append((shown - send_times[i - 1]) * 1000)
        while k < len(paints) and paints[k] < shown:
            k += 1
        if k < len(paints):
            paint_latencies.append((paints[k] - send_times[i - 1]) * 1000)
    achieved = len(send_times) / seconds
    return {"events": len(send_times), "stored": stored, "achieved_hz": achieved, "recognitions": len(shown_at),
            "p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
            "max": max(latencies) if latencies else float("nan"),
            "paint_p50": percentile(paint_latencies, 50), "paint_p99": percentile(paint_latencies, 99)}


def points_kept(panel, app, count: int = 5000) -> tuple[int, int, float]:
    """A burst of `count` moves in one stroke as fast as they come: are they all stored?"""
    canvas = panel.canvas
    canvas.clear()
    square = canvas._square()
    t = time.perf_counter()
    cpu = time.process_time()
    for i in range(count):
        u, v = digit_path(i / 1000.0)
        pos = QPointF(square.x() + u * square.width(), square.y() + v * square.height())
        kind = QEvent.Type.MouseButtonPress if i == 0 else QEvent.Type.MouseMove
        QApplication.sendEvent(canvas, QMouseEvent(kind, pos, canvas.mapToGlobal(pos),
                                                   Qt.MouseButton.LeftButton if i == 0 else Qt.MouseButton.NoButton,
                                                   Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
        if i % 16 == 0:
            app.processEvents()
    per_event_ms = (time.perf_counter() - t) * 1000 / count
    per_event_cpu_ms = (time.process_time() - cpu) * 1000 / count
    stored = canvas.point_count()
    canvas.clear()
    app.processEvents()
    return count, stored, per_event_ms, per_event_cpu_ms


def component_costs(panel, repeat: int = 300) -> dict:
    """CPU milliseconds per call (process time: unaffected by other processes on the machine)."""
    from desktop_dl.core.stroke_raster import rasterize_strokes
    canvas = panel.canvas
    strokes = canvas.strokes()
    image = rasterize_strokes(strokes)
    steps = {"rasterize_strokes": lambda: rasterize_strokes(strokes),
             "predict_digit": lambda: panel.recognizer.predict_digit(image)}
    if panel.activation_model is not None and panel.activation_toggle.isChecked():
        steps["activations (ORT)"] = lambda: panel.activation_model.run(image)
        steps["activation view update"] = lambda: panel.activation_view.show_activations(
            panel.activation_model.run(image))
    steps["whole recognition (recognize_now)"] = panel.recognize_now
    strip = getattr(panel, "robustness", None)
    if strip is not None:
        steps["'How sure is it?' strip, on pause (compute_now)"] = strip.compute_now
    out = {}
    for name, fn in steps.items():
        t = time.process_time()
        for _ in range(repeat):
            fn()
        out[name] = (time.process_time() - t) * 1000 / repeat
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="an ONNX digit model (default: the default digit model)")
    parser.add_argument("--seconds", type=float, default=4.0, help="seconds per measurement")
    parser.add_argument("--pause", type=float, default=0.4,
                        help="seconds the pen is lifted between strokes (0: none)")
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication([])
    from desktop_dl.ui.draw import canvas_panel
    from desktop_dl.ui.draw.canvas_panel import CanvasPanel

    model = args.model
    if not model:
        from desktop_dl.engine.default_digit_model import default_digit_model_path, train_default_digit_model
        model = default_digit_model_path()
        if not model.exists():
            print("training the default digit model first ...", flush=True)
            train_default_digit_model()
    panel = CanvasPanel()
    panel.resize(1400, 800)
    panel.show()
    app.processEvents()
    if not panel.set_model_path(model):
        print(panel.model_message.text())
        return 1
    print(f"model: {model} on {panel.recognizer.provider}; canvas {panel.canvas.display_size().width()} px square "
          f"on screen, {panel.canvas.image_size().width()} px for the model; throttle "
          f"{canvas_panel.MIN_INTERVAL_MS}..{canvas_panel.MAX_INTERVAL_MS} ms (3 × the last recognition's cost)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall-clock figures grow with it; CPU ms do not)")
    sent, stored, per_event, per_event_cpu = points_kept(panel, app)
    print(f"burst of {sent} moves in one stroke: {stored}/{sent} points stored; per event "
          f"{per_event:.3f} ms wall, {per_event_cpu:.3f} ms CPU (storing, incremental painting, repaints, "
          f"and the recognitions the throttle lets through)")

    print(f"{'activation view':>16} {'rate':>8} {'events':>7} {'got Hz':>7} {'recogn.':>7} "
          f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'paint p50':>9} {'paint p99':>9} {'stored':>7}")
    for view in (False, True):
        panel.set_activations_visible(view)
        app.processEvents()
        for rate in (1000.0, 125.0):
            computed = [0]
            strip = getattr(panel, "robustness", None)
            counter = (lambda: computed.__setitem__(0, computed[0] + 1))
            if strip is not None:
                strip.computed.connect(counter)
            r = run(panel, app, rate, args.seconds, pause=args.pause)
            if strip is not None:
                strip.computed.disconnect(counter)
            print(f"{'open' if view else 'closed':>16} {rate:>6.0f}Hz {r['events']:>7} {r['achieved_hz']:>7.0f} "
                  f"{r['recognitions']:>7} {r['p50']:>7.2f} {r['p99']:>7.2f} {r['max']:>7.2f} "
                  f"{r['paint_p50']:>9.2f} {r['paint_p99']:>9.2f} {r['stored']:>7}"
                  f"   strip computed {computed[0]}×")
        # components on the drawing left by the last run
        draw_once(panel, app)
        costs = component_costs(panel)
        print("   CPU per recognition: " + ", ".join(f"{k} {v:.3f} ms" for k, v in costs.items()))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    panel.close()
    return 0


def draw_once(panel, app):
    canvas = panel.canvas
    canvas.clear()
    square = canvas._square()
    for i in range(200):
        u, v = digit_path(i / 200 * 1.2)
        pos = QPointF(square.x() + u * square.width(), square.y() + v * square.height())
        kind = QEvent.Type.MouseButtonPress if i == 0 else QEvent.Type.MouseMove
        QApplication.sendEvent(canvas, QMouseEvent(kind, pos, pos, Qt.MouseButton.LeftButton if i == 0 else Qt.MouseButton.NoButton,
                                                   Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    app.processEvents()


if __name__ == "__main__":
    sys.exit(main())
