"""One QUndoStack over the core's commands: label edits and review decisions alike.

A command is performed first (so a refused one never reaches the stack), then pushed; undo and
redo perform the inverse the core returned / the original command, each in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.core.commands import Changes, Command
from app.core.errors import TawsimError
from app.store.core import Tawsim

Applied = Callable[[Changes], None]
Failed = Callable[[TawsimError], None]
Told = Callable[[str], None]
Shown = Callable[[int], int | None]
"""The version of the document's set the view shows (None: the document is not shown)."""


class CoreUndoCommand(QUndoCommand):
    def __init__(
        self,
        core: Tawsim,
        command: Command,
        changes: Changes,
        applied: Applied,
        failed: Failed,
        told: Told | None = None,
        shown: Shown | None = None,
    ):
        super().__init__(command.describe())
        self._core = core
        self._command = command
        self._inverse = changes.inverse
        self._applied = applied
        self._failed = failed
        self._told = told
        self._shown = shown
        self._first_redo = True

    def _run(self, command: Command | None, done: str) -> None:
        if command is None:
            return
        document = getattr(command, "document_id", None)
        seen = self._shown(document) if self._shown is not None and document else None
        try:
            # An undo made on a view that is no longer current is refused, like any change.
            changes = self._core.perform(command, seen=seen)
        except TawsimError as exc:
            # The database no longer matches this step (e.g. the set was submitted meanwhile).
            self.setObsolete(True)
            # Said once the stack has finished with this step: what hears it may clear the
            # stack (a stale view reloads), which must not delete a step while it runs.
            QTimer.singleShot(0, lambda refused=exc: self._failed(refused))
            return
        self._applied(changes)
        if self._told is not None:
            self._told(done.format(step=self.text()))

    def redo(self) -> None:
        if self._first_redo:  # already performed by push_command
            self._first_redo = False
            return
        self._run(self._command, QCoreApplication.translate("undo", "Redone: {step}"))

    def undo(self) -> None:
        self._run(self._inverse, QCoreApplication.translate("undo", "Undone: {step}"))


def push_command(
    stack: QUndoStack,
    core: Tawsim,
    command: Command,
    applied: Applied,
    failed: Failed,
    *,
    seen: int | None = None,
    told: Told | None = None,
    shown: Shown | None = None,
) -> Changes | None:
    """Perform ``command`` now and put it on ``stack``; report refusals through ``failed``.
    ``seen``: the version of the set the view showed (a stale view's change is refused);
    ``told`` hears what an undo or redo did ("Undone: add PER"); ``shown`` gives the version
    an undo or redo is made on (so a stale one is refused too)."""
    try:
        changes = core.perform(command, seen=seen)
    except TawsimError as exc:
        failed(exc)
        return None
    if changes.inverse is not None:
        stack.push(CoreUndoCommand(core, command, changes, applied, failed, told, shown))
    applied(changes)
    return changes
