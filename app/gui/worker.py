"""Long work off the GUI thread: a callable runs on a pool thread, callbacks run on the GUI thread.

The callable gets a ``progress(done)`` function; once the job is cancelled, that function raises
:class:`~app.core.errors.Cancelled`, which the import and export code turn into a rollback.
Workers never touch widgets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from app.core.errors import Cancelled

Work = Callable[[Callable[[int], None]], Any]


class _Signals(QObject):
    progress = Signal(int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class Job(QRunnable):
    def __init__(self, work: Work):
        super().__init__()
        self.signals = _Signals()
        self._work = work
        self._cancel = threading.Event()
        self.setAutoDelete(False)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.signals.progress.emit(done)

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # reported on the GUI thread, never swallowed
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


def run_in_background(
    work: Work,
    *,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    on_cancel: Callable[[], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Job:
    """Start ``work`` on the global thread pool; the callbacks are queued to the GUI thread."""
    job = Job(work)
    queued = Qt.ConnectionType.QueuedConnection
    job.signals.succeeded.connect(on_success, queued)
    job.signals.failed.connect(on_failure, queued)
    if on_cancel is not None:
        job.signals.cancelled.connect(on_cancel, queued)
    if on_progress is not None:
        job.signals.progress.connect(on_progress, queued)
    QThreadPool.globalInstance().start(job)
    return job
