"""One QUndoStack over the workspace's label commands.

A change is executed first (so a refused change never reaches the stack), then pushed; undo and
redo execute the stored inverse / original command, each in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from app.core.commands import Change, Command
from app.core.errors import TawsimError
from app.store.workspace import Workspace

Applied = Callable[[Change], None]
Failed = Callable[[TawsimError], None]


class LabelUndoCommand(QUndoCommand):
    def __init__(
        self,
        workspace: Workspace,
        command: Command,
        change: Change,
        applied: Applied,
        failed: Failed,
    ):
        super().__init__(command.describe())
        self._workspace = workspace
        self._command = command
        self._inverse = change.inverse
        self._applied = applied
        self._failed = failed
        self._first_redo = True

    def _run(self, command: Command) -> None:
        try:
            change = self._workspace.execute(command)
        except TawsimError as exc:
            # The database no longer matches this step (e.g. the set was submitted meanwhile).
            self.setObsolete(True)
            self._failed(exc)
            return
        self._applied(change)

    def redo(self) -> None:
        if self._first_redo:  # already executed by push_change
            self._first_redo = False
            return
        self._run(self._command)

    def undo(self) -> None:
        self._run(self._inverse)


def push_change(
    stack: QUndoStack, workspace: Workspace, command: Command, applied: Applied, failed: Failed
) -> Change | None:
    """Execute ``command`` now and put it on ``stack``; report refusals through ``failed``."""
    try:
        change = workspace.execute(command)
    except TawsimError as exc:
        failed(exc)
        return None
    stack.push(LabelUndoCommand(workspace, command, change, applied, failed))
    applied(change)
    return change
