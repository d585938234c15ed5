"""Real input for a real X server: xdotool moves the X pointer and presses keys, the X server
sends the events to the Qt window like a person's (no QTest, no synthetic Qt events).

xdotool runs as a child process while this process keeps Qt's event loop turning, so a drag's
nested event loop (QDrag.exec) sees the moves and the release as they happen.
"""
from __future__ import annotations

import subprocess
import time

from PySide6.QtCore import QEventLoop, QPoint
from PySide6.QtWidgets import QApplication, QWidget


def pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.002)


def xdotool(*commands, timeout: float = 60.0) -> str:
    """Run `xdotool` with these (chained) commands, turning Qt's event loop until it ends."""
    proc = subprocess.Popen(["xdotool", *[str(c) for c in commands]], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    end = time.monotonic() + timeout
    while proc.poll() is None:
        if time.monotonic() > end:
            proc.kill()
            raise TimeoutError(f"xdotool {' '.join(map(str, commands))} did not finish in {timeout} s")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.002)
    out, err = proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"xdotool failed ({proc.returncode}): {err.strip()}")
    pump(0.05)
    return out


def screen_point(widget: QWidget, point: QPoint | None = None) -> tuple[int, int]:
    """Global X screen coordinates of `point` in `widget` (its centre when None)."""
    point = widget.rect().center() if point is None else point
    global_point = widget.mapToGlobal(point)
    return global_point.x(), global_point.y()


def click(widget: QWidget, point: QPoint | None = None, button: int = 1) -> None:
    x, y = screen_point(widget, point)
    xdotool("mousemove", "--sync", x, y, "sleep", 0.05, "click", button)


def stroke(points: list[tuple[int, int]], button: int = 1, step_s: float = 0.012) -> None:
    """Press at the first screen point, move through the others one X motion event at a time
    (as a hand would, several per segment), release at the last."""
    commands: list = ["mousemove", "--sync", *points[0], "sleep", 0.05, "mousedown", button]
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        steps = max(1, int(max(abs(bx - ax), abs(by - ay)) / 6))
        for i in range(1, steps + 1):
            commands += ["mousemove", round(ax + (bx - ax) * i / steps), round(ay + (by - ay) * i / steps),
                         "sleep", step_s]
    commands += ["sleep", 0.05, "mouseup", button]
    xdotool(*commands)


def key(*keys: str) -> None:
    xdotool("key", "--clearmodifiers", *keys)
