"""Long core operations from the GUI, off the GUI thread (Anki's ``CollectionOp``).

:func:`run_op` runs ``work(progress)`` on a pool thread with a progress dialog that can cancel
it (the core rolls the transaction back), then calls ``done(result)`` on the GUI thread, which
refreshes only what the result says changed. Quick label edits run directly
(:mod:`app.gui.undo`): they take milliseconds and go on the undo stack in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressDialog

from app.core.errors import TawsimError, resource_failure
from app.gui.messages import notify
from app.gui.worker import Job, run_in_background

T = TypeVar("T")
Work = Callable[[Callable[[int], None]], T]


def run_op(window: QMainWindow, title: str, work: Work[Any], done: Callable[[Any], None]) -> Job:
    """Run ``work`` in the background with a cancellable progress dialog over ``window``."""
    dialog = QProgressDialog(
        title, QCoreApplication.translate("operations", "Cancel"), 0, 0, window
    )
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)

    def succeeded(result: Any) -> None:
        dialog.reset()
        done(result)

    def failed(exc: BaseException) -> None:
        dialog.reset()
        text = (
            str(exc)
            if isinstance(exc, TawsimError)
            else resource_failure(exc) or f"{type(exc).__name__}: {exc}"
        )
        notify(window, title, text, QMessageBox.Icon.Warning)

    def cancelled() -> None:
        dialog.reset()
        message = QCoreApplication.translate("operations", "cancelled: nothing was changed.")
        window.statusBar().showMessage(f"{title} {message}", 10000)

    job = run_in_background(
        work,
        on_success=succeeded,
        on_failure=failed,
        on_cancel=cancelled,
        on_progress=lambda n: dialog.setLabelText(f"{title} — {n}"),
    )
    dialog.canceled.connect(job.cancel)
    return job
