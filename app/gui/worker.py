"""Long work off the GUI thread: a callable runs on a pool thread, callbacks run on the GUI thread.

The callable gets a ``progress(done)`` function; once the job is cancelled, that function raises
:class:`~app.core.errors.Cancelled`, which the import and export code turn into a rollback.
Workers never touch widgets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal

from app.core.errors import Cancelled

Work = Callable[[Callable[[int], None]], Any]
_running: set[Job] = set()


class _Signals(QObject):
    progress = Signal(int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class Job:
    """A handle on background work: its signals (GUI thread) and a way to cancel it.

    The work runs through ``QThreadPool.start(callable)``, so Qt owns and frees the runnable;
    the signals object stays alive as long as the closure that emits from it.
    """

    def __init__(self, work: Work):
        self.signals = _Signals()
        self._work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def runner(self) -> Callable[[], None]:
        signals, work, cancel = self.signals, self._work, self._cancel

        def progress(done: int) -> None:
            if cancel.is_set():
                raise Cancelled
            _emit(signals.progress, done)

        def run() -> None:
            try:
                result = work(progress)
            except Cancelled:
                _emit(signals.cancelled)
            except Exception as exc:  # reported on the GUI thread, never swallowed
                _emit(signals.failed, exc)
            else:
                _emit(signals.succeeded, result)

        return run


def _emit(signal: Any, *args: Any) -> None:
    """Emit from the worker thread; when the application has already gone (the process is
    exiting and Qt deleted the signals' object), there is nobody left to tell."""
    try:
        signal.emit(*args)
    except RuntimeError:  # "Signal source has been deleted"
        if QCoreApplication.instance() is not None and not QCoreApplication.closingDown():
            raise


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
    # Keep the job (and its signals object) alive until its last signal reached the GUI
    # thread; were the worker thread to drop the last reference, the queued calls would be lost.
    _running.add(job)
    for signal in (job.signals.succeeded, job.signals.failed, job.signals.cancelled):
        signal.connect(lambda *_args: _running.discard(job), queued)
    QThreadPool.globalInstance().start(job.runner())
    return job


class LatestJob:
    """The background job of a view that recomputes on demand (the dashboard, agreement):
    starting one cancels the one running, and only the latest job's result or failure reaches
    the callbacks, so a slow old job never overwrites what a newer one shows."""

    def __init__(self) -> None:
        self._job: Job | None = None
        self._generation = 0

    @property
    def running(self) -> bool:
        return self._job is not None

    def start(
        self,
        work: Work,
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        if self._job is not None:
            self._job.cancel()
        self._generation += 1
        generation = self._generation

        def latest(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                if generation == self._generation:  # else a newer job is running
                    self._job = None
                    callback(value)

            return call

        self._job = run_in_background(
            work,
            on_success=latest(on_success),
            on_failure=latest(on_failure),
            on_cancel=lambda: None,
        )
