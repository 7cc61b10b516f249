"""Indexing for search in the background, with its progress in the status bar.

Documents are usable as soon as an import commits; the word index behind search follows in
batches (:meth:`~app.store.core.Tawsim.build_search_index`). Until it is complete the status bar
says how many documents search cannot see yet, and when it is, the list's search is run again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from app.gui.worker import Job, run_in_background
from app.store.core import Tawsim


class SearchIndexer(QObject):
    """Keeps ``core``'s search index complete while ``window`` is open."""

    completed = Signal()  # the index holds every document again

    def __init__(self, core: Tawsim, window: QMainWindow):
        super().__init__(window)
        self.core = core
        self.label = QLabel()
        self.label.setObjectName("search-indexing")
        self.label.hide()
        window.statusBar().addPermanentWidget(self.label)
        self._job: Job | None = None
        self._total = 0

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(self) -> None:
        """Index whatever is pending (nothing to do: nothing happens)."""
        if self._job is not None:
            return
        self._total = self.core.search_index_pending()
        if not self._total:
            self.label.hide()
            return
        self._show(0)
        if not self.core.may_index:  # a team's annotator: a reviewer's or admin's Tawsim does
            return
        core = self.core
        self._job = run_in_background(
            lambda progress: core.build_search_index(lambda done, _total: progress(done)),
            on_success=self._finished,
            on_failure=self._failed,
            on_cancel=self._stopped,
            on_progress=self._show,
        )

    def stop(self) -> None:
        """Stop between batches and wait for the batch under way (what it did is kept)."""
        if self._job is not None:
            self._job.cancel()
            QThreadPool.globalInstance().waitForDone()
            self._job = None

    def _show(self, done: int) -> None:
        left = max(self._total - done, 0)
        self.label.setText(
            self.tr("Indexing for search: {left:,} document(s) not searchable yet").format(
                left=left
            )
        )
        self.label.show()

    def _finished(self, _indexed: int) -> None:
        self._job = None
        if self.core.search_index_pending():  # imported meanwhile
            self.start()
            return
        self.label.hide()
        self.completed.emit()

    def _failed(self, exc: BaseException) -> None:
        self._job = None
        self.label.setText(self.tr("Search index not complete: {error}").format(error=exc))

    def _stopped(self) -> None:
        self._job = None
