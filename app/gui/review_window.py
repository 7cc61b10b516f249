"""The reviewer's window: the queue, every annotator's work overlaid, decisions, a gold set.

Disagreements (missing span, boundary, label, stance) are listed and outlined in the text.
Accepting an annotator's version copies it into the reviewer's gold draft (undoable);
approving the draft, or one annotator's set as it is, makes the document's one gold set.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.commands import (
    AddSpan,
    Approve,
    ApproveDraft,
    Batch,
    Changes,
    Command,
    LabelCommand,
    Reject,
    RemoveSpan,
    Reopen,
    SetStance,
)
from app.core.disagreement import Comparison, Kind, compare
from app.core.domain import EntitySpan, SetStatus
from app.core.errors import TawsimError
from app.gui.appearance import leading_dock_area, trailing_dock_area
from app.gui.dashboard import show_dashboard
from app.gui.document_view import DocumentView, Highlight
from app.gui.elided_label import ElidedLabel
from app.gui.layout_memory import restore_layout, save_layout
from app.gui.messages import notify
from app.gui.operations import run_op
from app.gui.review_queue_model import ReviewQueueModel, kind_name, status_name
from app.gui.review_queue_panel import ReviewQueuePanel
from app.gui.selection import select_row
from app.gui.undo import push_command
from app.gui.worker import Job
from app.store.core import Tawsim
from app.store.values import BatchResult, QueueFilter, ReviewSet


class ReviewWindow(QMainWindow):
    def __init__(self, core: Tawsim):
        super().__init__()
        self.core = core
        self.schema = core.schema()
        user = core.actor
        self.setWindowTitle(
            self.tr("Tawsim review — {name} ({role})").format(name=user.name, role=user.role.value)
        )
        self.undo_stack = QUndoStack(self)
        self.queue_model = ReviewQueueModel(core, self)
        self.document_id: int | None = None
        self.sets: list[ReviewSet] = []
        self.comparison: Comparison | None = None

        self.view = DocumentView()
        self.view.setObjectName("review-view")
        self.title = ElidedLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        self.title.setStyleSheet("font-weight: bold; font-size: 13pt;")
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.addWidget(self.title)
        column.addWidget(self.view, 1)
        self.setCentralWidget(centre)
        self._build_queue_dock()
        self._build_decision_dock()
        undo = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z")])
        self.menuBar().addMenu(self.tr("&Edit")).addActions([undo, redo])
        edit_menu = self.menuBar().addMenu(self.tr("&Gold"))
        for label in self.schema.entities:
            if label.hotkey:
                action = edit_menu.addAction(self.tr("Gold span: {name}").format(name=label.name))
                action.setShortcut(QKeySequence(label.hotkey))
                action.triggered.connect(lambda _=False, n=label.name: self.add_gold_span(n))
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        agreement = view_menu.addAction(self.tr("&Agreement between annotators…"))
        agreement.setShortcut(QKeySequence("Ctrl+G"))
        agreement.triggered.connect(self.show_agreement)
        view_menu.addAction(
            self.tr("&Dashboard…"), "Ctrl+D", lambda: show_dashboard(self, self.core)
        )
        self.agreement_view: QWidget | None = None
        self.job: Job | None = None
        self.refresh_queue()
        # Live: work handed in from another window, laptop or command shows without a restart.
        self._build_window_keys(view_menu)
        self.resize(1500, 900)
        restore_layout(self, "review")
        self.changes = self.core.change_feed()
        self._poll = QTimer(self, interval=self.changes.interval_ms)
        self._poll.timeout.connect(self._poll_changes)
        self._poll.start()

    def _build_window_keys(self, view_menu: QMenu) -> None:
        """The docks in the View menu (a closed one comes back from there); Ctrl+W and Esc
        close the window."""
        view_menu.addSeparator()
        view_menu.addActions(
            [self.queue_dock.toggleViewAction(), self.decision_dock.toggleViewAction()]
        )
        close = QAction(self.tr("&Close review"), self)
        keys = {QKeySequence("Ctrl+W"), QKeySequence(QKeySequence.StandardKey.Close)}
        close.setShortcuts([*keys, QKeySequence("Escape")])
        close.triggered.connect(self.close)
        view_menu.addAction(close)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._poll.stop()
        self.changes.close()
        save_layout(self, "review")
        super().closeEvent(event)

    def _poll_changes(self) -> None:
        if self.job is not None or not self.isVisible():
            return  # a batch decision is running; or nobody is looking
        if self.changes.changed():
            shown, row = self.document_id, self.marks.currentRow()
            self.refresh_queue(keep=self.document_id)
            if self.document_id == shown and 0 <= row < self.marks.rowCount():
                self.marks.selectRow(row)  # the reviewer's place among the marks stays
            self.statusBar().showMessage(self.tr("The queue was updated"), 4000)

    def show_agreement(self) -> None:
        """Agreement figures (table and per-label chart), computed in the background."""
        from app.gui.agreement_view import AgreementView

        if self.agreement_view is None:
            self.agreement_view = AgreementView(self.core)
            self.agreement_view.setWindowTitle(self.tr("Tawsim — agreement"))
            self.agreement_view.resize(1000, 640)
        self.agreement_view.show()
        self.agreement_view.raise_()

    # -- layout ------------------------------------------------------------------------------

    def _build_queue_dock(self) -> None:
        self.queue_panel = panel = ReviewQueuePanel(self.schema.label_names, self.queue_model)
        self.queue_table, self.annotator_filter = panel.table, panel.annotator_filter
        self.min_agree = panel.min_agree
        panel.annotator_filter.editingFinished.connect(self.refresh_queue)
        panel.label_filter.currentIndexChanged.connect(lambda _i: self.refresh_queue())
        panel.level_filter.currentIndexChanged.connect(lambda _i: self.refresh_queue())
        panel.view_choice.currentIndexChanged.connect(lambda _i: self.refresh_queue())
        panel.table.selectionModel().selectionChanged.connect(self._queue_row_changed)
        panel.auto_button.clicked.connect(self.auto_approve)
        panel.batch_button.clicked.connect(self.approve_batch)
        self.queue_dock = dock = QDockWidget(self.tr("Review queue"), self)
        dock.setObjectName("review-queue-dock")
        dock.setWidget(panel)
        self.addDockWidget(leading_dock_area(), dock)

    def _build_decision_dock(self) -> None:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.addWidget(QLabel(self.tr("Disagreements (select a row, accept a version)")))
        self.marks = QTableWidget(0, 0)
        self.marks.setObjectName("disagreements")
        self.marks.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.marks.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        column.addWidget(self.marks, 1)
        self.accept_row = QHBoxLayout()
        column.addLayout(self.accept_row)
        edit_row = QHBoxLayout()
        leave_out = QPushButton(self.tr("Leave out (no gold span here)"))
        leave_out.setObjectName("leave-out")
        leave_out.clicked.connect(self.leave_out)
        edit_row.addWidget(leave_out)
        edit_row.addWidget(QLabel(self.tr("Edit: select text, press a label key")))
        column.addLayout(edit_row)
        column.addWidget(QLabel(self.tr("Decide per set")))
        self.comment = QLineEdit()
        self.comment.setObjectName("reject-comment")
        self.comment.setPlaceholderText(self.tr("Comment for the annotator (needed to reject)"))
        column.addWidget(self.comment)
        self.set_rows = QVBoxLayout()
        column.addLayout(self.set_rows)
        self.gold_button = QPushButton(self.tr("Approve my gold version"))
        self.gold_button.setObjectName("approve-gold")
        self.gold_button.clicked.connect(self.approve_gold)
        column.addWidget(self.gold_button)
        self.decision_dock = dock = QDockWidget(self.tr("Decisions"), self)
        dock.setObjectName("decisions-dock")
        dock.setWidget(panel)
        panel.setMinimumWidth(420)
        self.addDockWidget(trailing_dock_area(), dock)

    # -- queue -------------------------------------------------------------------------------

    def refresh_queue(self, keep: int | None = None) -> None:
        """Reload the queue; select document ``keep`` if it is (back) in it, else the first."""
        approved = self.queue_panel.approved
        self.queue_model.set_filter(QueueFilter(**self.queue_panel.filters(), approved=approved))
        self.queue_panel.show_count()
        row = self.queue_model.row_of(keep) if keep is not None else None
        if self.queue_model.rowCount():
            select_row(self.queue_table, row if row is not None else 0)
        else:
            self.show_document(None)

    def _queue_row_changed(self) -> None:
        rows = self.queue_table.selectionModel().selectedRows()
        if rows:
            self.show_document(self.queue_model.item(rows[0].row()).document_id)

    # -- one document ------------------------------------------------------------------------

    def show_document(self, document_id: int | None) -> None:
        self.document_id = document_id
        if document_id is None:
            self.view.set_document("")
            self.title.clear()
            self.sets, self.comparison = [], None
            self._fill_marks()
            self._fill_set_buttons()
            return
        state = self.core.document(document_id)
        if self.view.text() != state.text:
            self.view.set_document(state.text)
        self.title.setText(state.title)
        self.sets = self.core.review_sets(document_id)
        self.gold = state
        self.comparison = compare(
            {
                s.annotator: tuple(EntitySpan(x.start, x.end, x.label) for x in s.spans)
                for s in self.sets
            },
            {s.annotator: s.stances for s in self.sets},
        )
        self.view.set_highlights(
            [
                Highlight(x.start, x.end, self._colour(x.label), f"{s.uuid}/{x.uuid}")
                for s in self.sets
                for x in s.spans
            ]
        )
        self.view.set_evidence(
            [(c.start, c.end) for c in self.comparison.clusters if c.kind is not Kind.AGREED]
        )
        self._fill_marks()
        self._fill_set_buttons()

    def _colour(self, label: str) -> QColor:
        entity = self.schema.label(label)
        return QColor(entity.color if entity else "#888888")

    def _fill_marks(self) -> None:
        names = [s.annotator for s in self.sets]
        headers = [self.tr("Kind"), self.tr("Text"), *names, self.tr("Gold")]
        self.marks.clear()
        self.marks.setColumnCount(len(headers))
        self.marks.setHorizontalHeaderLabels(headers)
        c = self.comparison
        if c is None:
            self.marks.setRowCount(0)
            return
        text = self.view.text()
        gold_spans = self.gold.spans
        gold_stance = {s.judgement.target: s.judgement.value for s in self.gold.stances}
        rows: list[list[str]] = []
        for cluster in c.clusters:
            cells = [kind_name(cluster.kind.value), text[cluster.start : cluster.end]]
            cells += [
                " ".join(x.label for x in cluster.by_annotator.get(n, ())) or "—" for n in names
            ]
            inside = [
                g.label for g in gold_spans if g.start < cluster.end and cluster.start < g.end
            ]
            rows.append([*cells, " ".join(inside)])
        for stance in c.stance:
            values = [stance.values.get(n) or "—" for n in names]
            kind = kind_name("stance" if not stance.agreed else "stance (agreed)")
            rows.append([kind, stance.target, *values, gold_stance.get(stance.target, "")])
        self.marks.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for col, value in enumerate(cells):
                self.marks.setItem(r, col, QTableWidgetItem(value))

    def _fill_set_buttons(self) -> None:
        for layout in (self.accept_row, self.set_rows):
            while layout.count():
                item = layout.takeAt(0)
                if item.widget():
                    item.widget().deleteLater()
                elif item.layout():
                    while item.layout().count():
                        inner = item.layout().takeAt(0)
                        if inner.widget():
                            inner.widget().deleteLater()
        for index, s in enumerate(self.sets):
            accept = QPushButton(self.tr("Accept {name}").format(name=s.annotator))
            accept.setObjectName(f"accept-{s.annotator}")
            accept.clicked.connect(lambda _=False, i=index: self.accept_version(i))
            self.accept_row.addWidget(accept)
            row = QHBoxLayout()
            row.addWidget(QLabel(f"{s.annotator}: {status_name(s.status.value)}"))
            if s.status is SetStatus.APPROVED:  # the gold set: looked back at, reopened
                reopen = QPushButton(self.tr("Reopen (back to the queue)"))
                reopen.setObjectName(f"reopen-{s.annotator}")
                reopen.clicked.connect(lambda _=False, u=s.uuid: self.reopen(u))
                row.addWidget(reopen)
                self.set_rows.addLayout(row)
                continue
            approve = QPushButton(self.tr("Approve as is"))
            approve.setObjectName(f"approve-{s.annotator}")
            approve.clicked.connect(lambda _=False, u=s.uuid: self.decide(u, approve=True))
            reject = QPushButton(self.tr("Reject with comment"))
            reject.setObjectName(f"reject-{s.annotator}")
            reject.clicked.connect(lambda _=False, u=s.uuid: self.decide(u, approve=False))
            row.addWidget(approve)
            row.addWidget(reject)
            self.set_rows.addLayout(row)

    # -- decisions ---------------------------------------------------------------------------

    def _push(self, command: Command) -> bool:
        return (
            push_command(
                self.undo_stack,
                self.core,
                command,
                self._applied,
                self._refused,
                told=lambda text: self.statusBar().showMessage(text, 8000),
            )
            is not None
        )

    def _applied(self, changes: Changes) -> None:
        if changes.status:  # a decision (or its undo): the queue changed
            self.refresh_queue(keep=changes.document_id)
        elif changes.document_id is not None:
            self.show_document(changes.document_id)

    def _refused(self, exc: TawsimError) -> None:
        notify(self, self.tr("Not done"), str(exc))

    def _gold_overlapping(self, start: int, end: int) -> list[LabelCommand]:
        assert self.document_id is not None
        return [
            RemoveSpan(self.document_id, g.uuid)
            for g in self.gold.spans
            if g.start < end and start < g.end
        ]

    def accept_version(self, index: int) -> None:
        """Copy annotator ``index``'s version of the selected row into the gold draft: one
        step on the undo stack, however many spans it replaces."""
        rows = self.marks.selectionModel().selectedRows()
        if not rows or self.comparison is None or self.document_id is None:
            return
        row, doc = rows[0].row(), self.document_id
        name = self.sets[index].annotator
        clusters = self.comparison.clusters
        steps: list[LabelCommand] = []
        if row < len(clusters):
            cluster = clusters[row]
            steps += self._gold_overlapping(cluster.start, cluster.end)
            steps += [
                AddSpan(doc, s, str(uuid.uuid4())) for s in cluster.by_annotator.get(name, ())
            ]
        else:
            stance = self.comparison.stance[row - len(clusters)]
            theirs = next(
                (j for j in self.sets[index].judgements if j.target == stance.target), None
            )
            if theirs is not None:  # the value with its evidence and holder
                existing = next(
                    (s for s in self.gold.stances if s.judgement.target == stance.target), None
                )
                key = existing.uuid if existing else str(uuid.uuid4())
                steps.append(SetStance(doc, theirs, key))
        if steps:
            step = self.tr("accept {name}'s version").format(name=name)
            self._push(Batch(doc, tuple(steps), step))
        select_row(self.marks, row)

    def _selected_cluster(self) -> int | None:
        rows = self.marks.selectionModel().selectedRows()
        if not rows or self.comparison is None:
            return None
        row = rows[0].row()
        return row if row < len(self.comparison.clusters) else None

    def leave_out(self) -> None:
        """Reject every version of the selected span: no gold span there (one undo step)."""
        row = self._selected_cluster()
        if row is None or self.comparison is None or self.document_id is None:
            return
        cluster = self.comparison.clusters[row]
        steps = self._gold_overlapping(cluster.start, cluster.end)
        if steps:
            self._push(Batch(self.document_id, tuple(steps), self.tr("leave out")))
        select_row(self.marks, row)

    def add_gold_span(self, label: str) -> None:
        """Edit the gold draft: the selected text (snapped to words) becomes a gold span."""
        chosen = self.view.snapped_selection()
        if chosen is None or chosen[0] == chosen[1] or self.document_id is None:
            self.statusBar().showMessage(self.tr("Select text first, then press a label key."))
            return
        self._push(
            AddSpan(self.document_id, EntitySpan(chosen[0], chosen[1], label), str(uuid.uuid4()))
        )

    def decide(self, set_uuid: str, *, approve: bool) -> None:
        """Approve one annotator's set as it is, or reject it with the comment (undoable:
        undo reopens the set)."""
        decision: Command = Approve(set_uuid) if approve else Reject(set_uuid, self.comment.text())
        if self._push(decision):
            self.comment.clear()
            verb = self.tr("Approved") if approve else self.tr("Rejected")
            self.statusBar().showMessage(verb + self.tr(" — Ctrl+Z reopens it."), 8000)

    def reopen(self, set_uuid: str) -> None:
        """Take a gold set back: submitted again, the document back in the queue (a decision,
        in the audit log; undo approves it again)."""
        if self._push(Reopen(set_uuid)):
            self.statusBar().showMessage(
                self.tr("Reopened: the document is back in the queue — Ctrl+Z approves it again."),
                8000,
            )

    def approve_batch(self) -> None:
        """What ``tawsim review approve --annotator/--label/--level`` does: on every queued
        document the filters select, its set by the filtered annotator (or its only set); one
        transaction. Documents with several candidates are skipped and counted."""
        core, flt = self.core, QueueFilter(**self.queue_panel.filters())
        if flt.empty:
            self.statusBar().showMessage(
                self.tr("Filter the queue first (annotator, label or level)."), 8000
            )
            return
        self.job = run_op(
            self, self.tr("Approving"), lambda _progress: core.approve_many(flt=flt), self._approved
        )

    def approve_gold(self) -> None:
        if self.document_id is not None and self._push(ApproveDraft(self.document_id)):
            self.statusBar().showMessage(self.tr("Gold set approved — Ctrl+Z reopens it."), 8000)

    def auto_approve(self) -> None:
        """Approve where enough annotators agree: one transaction, in the background."""
        core, min_agree = self.core, self.min_agree.value()
        self.job = run_op(
            self,
            self.tr("Approving"),
            lambda _progress: core.auto_approve(min_agree),
            self._approved,
        )

    def _approved(self, result: BatchResult) -> None:
        text = self.tr("Approved {n} set(s); each can be reopened (tawsim review reopen).").format(
            n=len(result.approved)
        )
        if result.skipped:
            text += " " + self.tr(
                "Skipped {n} document(s) with several candidates: filter by annotator."
            ).format(n=len(result.skipped))
        self.statusBar().showMessage(text, 8000)
        self.refresh_queue()
