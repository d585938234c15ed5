"""The project's "modified" mark from counters, never from the project's content.

A panel with an undo stack (the model editor) is modified while its `QUndoStack` is not clean:
undoing back to the saved state clears the mark, as in every Qt editor. A panel without one keeps a
version counter here, bumped by its own change signals (`projectStateChanged`, `runFinished`, and
`specChanged` for a spec panel without a stack); it is modified while its counter differs from the
one recorded at the last save. Deciding the mark costs a few integer compares however many runs
or how big a dataset the project holds (issue 17: hashing the project on every edit cost ~110 ms
with 20 kept runs).

Panels report only the changes a user makes: a load or a restore the app starts itself (the
start-up dataset, a project being opened) does not emit those signals, so a fresh window is not
marked modified.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

COUNTED_SIGNALS = ("projectStateChanged", "runFinished")
UNSAVED = "*project*"


@dataclass(frozen=True)
class Versions:
    """Where every panel stood at one moment (a save's snapshot): panel name → the number of
    changes it reported (an undo stack's every move included)."""
    counters: dict = field(default_factory=dict)

    def key(self) -> tuple:
        """Hashable and different after any change (autosave writes only when it moved on)."""
        return tuple(sorted(self.counters.items()))


class ChangeTracker(QObject):
    """Counts the changes of a window's panels; `changed` after each one."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._counters: dict[str, int] = {}
        self._saved: dict[str, int] = {}
        self._stacks: dict = {}

    def watch(self, name: str, panel: QObject, *, spec_source: bool = False) -> None:
        """Follow `panel`'s change signals under `name`. With `spec_source`, its `specChanged`
        counts too unless it has an undo stack (then the stack says what changed)."""
        self._counters.setdefault(name, 0)
        self._saved.setdefault(name, 0)
        stack = getattr(panel, "undo_stack", None)
        if stack is not None and hasattr(stack, "cleanChanged"):
            self._stacks[name] = stack
            # every index move counts for autosave; the mark itself follows isClean()
            stack.indexChanged.connect(lambda _i, n=name: self.bump(n))
            stack.cleanChanged.connect(lambda _clean: self.changed.emit())
        names = COUNTED_SIGNALS + (("specChanged",) if spec_source and stack is None else ())
        for signal_name in names:
            signal = getattr(panel, signal_name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(lambda *_args, n=name: self.bump(n))

    def bump(self, name: str) -> None:
        if not isValid(self):       # a panel's undo stack may signal while the window goes
            return
        self._counters[name] = self._counters.get(name, 0) + 1
        self.changed.emit()

    def versions(self) -> Versions:
        return Versions(dict(self._counters))

    def is_modified(self) -> bool:
        if any(not stack.isClean() for stack in self._stacks.values()):
            return True
        return any(count != self._saved.get(name, 0) for name, count in self._counters.items()
                   if name not in self._stacks)

    def mark_saved(self, versions: Versions | None = None) -> None:
        """The state at `versions` (default: now) is what the file holds. Changes made after the
        snapshot was taken (while a save ran in the background) stay unsaved."""
        versions = versions or self.versions()
        self._saved = dict(versions.counters)
        for name, stack in self._stacks.items():
            # untouched since the snapshot (its count, not just its index: undo + a new edit
            # lands on the same index with other content)
            if self._counters.get(name) == versions.counters.get(name, self._counters.get(name)):
                stack.setClean()
        self.changed.emit()

    def mark_unsaved(self) -> None:
        """Modified until the next save, whatever changes come (recovered or relocated work):
        a change of the project itself, counted under UNSAVED."""
        self.bump(UNSAVED)


__all__ = ["ChangeTracker", "Versions"]
