"""The annotator's main window: document list, annotation view, stance panel, menus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.commands import Changes
from app.core.domain import SetStatus, StanceJudgement
from app.core.preferences import Preferences
from app.core.schema import LabelSchema, guidelines_markdown
from app.gui.annotation_controller import AnnotationController, frozen_hint
from app.gui.appearance import leading_dock_area, trailing_dock_area
from app.gui.dashboard import show_dashboard
from app.gui.document_list_panel import DocumentListPanel
from app.gui.document_view import DocumentView
from app.gui.elided_label import ElidedLabel
from app.gui.help_dialog import SHORTCUTS, show_help
from app.gui.label_palette import LabelPalette
from app.gui.layout_memory import restore_layout, save_layout
from app.gui.messages import notify
from app.gui.profile_dialog import ProfileDialog
from app.gui.search_indexing import SearchIndexer
from app.gui.selection import select_row
from app.gui.settings_dialog import open_settings
from app.gui.stance_panel import MAX_VALUE_KEYS, StancePanel, value_key
from app.gui.transfer import TransferActions
from app.gui.worker import run_in_background
from app.io.training.pipeline import ModelSuggester
from app.store.core import Tawsim
from app.store.values import DocumentState, ListFilter

STATUS_LABELS = {
    None: QT_TRANSLATE_NOOP("MainWindow", "Unlabelled"),
    SetStatus.IN_PROGRESS: QT_TRANSLATE_NOOP("MainWindow", "In progress"),
    SetStatus.SUBMITTED: QT_TRANSLATE_NOOP("MainWindow", "Submitted — waiting for review"),
    SetStatus.APPROVED: QT_TRANSLATE_NOOP("MainWindow", "Approved"),
    SetStatus.REJECTED: QT_TRANSLATE_NOOP("MainWindow", "Rejected — please fix"),
}
MENUS = (
    QT_TRANSLATE_NOOP("MainWindow", "&File"),
    QT_TRANSLATE_NOOP("MainWindow", "&Edit"),
    QT_TRANSLATE_NOOP("MainWindow", "&Annotate"),
    QT_TRANSLATE_NOOP("MainWindow", "&Go"),
    QT_TRANSLATE_NOOP("MainWindow", "&View"),
    QT_TRANSLATE_NOOP("MainWindow", "&Help"),
)


class MainWindow(QMainWindow):
    profileSwitched = Signal()  # the app reopens the window as the new user

    def __init__(self, core: Tawsim, prefs: Preferences, db_label: str = ""):
        super().__init__()
        self.core = core
        self.user = core.actor
        self.prefs = prefs
        self.setWindowTitle(f"Tawsim — {self.user.name} ({self.user.role}) — {db_label}")
        self.undo_stack = QUndoStack(self)

        # Centre: banner, title, palette, document.
        self.view = DocumentView()
        self.view.setObjectName("document-view")
        self.palette_bar = LabelPalette()
        self.banner = QLabel()
        self.banner.setObjectName("rejection-banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fde2e1; color: #7a1212; padding: 6px;")
        self.banner.hide()
        self.problems = QLabel()
        self.problems.setObjectName("span-problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("background: #fff4ce; color: #5c4400; padding: 6px;")
        self.problems.hide()
        self.title = ElidedLabel()
        self.title.setObjectName("document-title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        self.title.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.status_chip = QLabel()
        self.status_chip.setObjectName("document-status")
        self.status_chip.setStyleSheet(
            "background: #eeeeee; border-radius: 8px; padding: 2px 10px; color: #333;"
        )
        centre = QWidget()
        column = QVBoxLayout(centre)
        heading = QHBoxLayout()
        heading.addWidget(self.status_chip)
        heading.addWidget(self.title, 1)
        column.addWidget(self.banner)
        column.addWidget(self.problems)
        column.addLayout(heading)
        column.addWidget(self.palette_bar)
        column.addWidget(self.view, 1)
        self.setCentralWidget(centre)

        self.controller = AnnotationController(core, self.view, self.undo_stack, prefs, self)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._span_menu)
        self.view.set_show_invisible(prefs.show_invisible)
        self.view.set_point_size(prefs.font_size)

        # Left: documents.
        left = DocumentListPanel(core)
        self.model, self.table = left.model, left.table
        self.filter_box, self.search_box = left.filter_box, left.search_box
        self.progress_label = left.progress_label
        self.documents_dock = self._dock(
            "Documents", self.tr("Documents"), left, leading_dock_area()
        )

        # Right: stance.
        # Evidence is what the annotator selected, moved out to whole characters only.
        self.stance_panel = StancePanel(lambda: self.view.snapped_selection(snap=False))
        self.stance_panel.setMinimumWidth(360)
        self.stance_dock = self._dock(
            "Stance", self.tr("Stance"), self.stance_panel, trailing_dock_area()
        )
        # Beside the stance panel: the project's annotation guidelines (the schema's Markdown).
        self.guidelines = QTextBrowser()
        self.guidelines.setObjectName("guidelines")
        self.guidelines.setOpenExternalLinks(True)
        self.guidelines_dock = self._dock(
            "Guidelines",
            self.tr("Guidelines"),
            self.guidelines,
            trailing_dock_area(),
        )
        self.tabifyDockWidget(self.stance_dock, self.guidelines_dock)
        self.stance_dock.raise_()

        schema = self.controller.schema
        self.show_guidelines(schema)
        self.palette_bar.set_schema(schema)
        self.stance_panel.set_schema(schema)
        self.transfer = TransferActions(self, core)
        self.review_window: QMainWindow | None = None
        self._connect()
        self._build_menus()
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._apply_query)
        self.search_indexer = SearchIndexer(core, self)
        self.search_indexer.completed.connect(self._search_index_completed)
        self._apply_query()
        self._load_suggestions()
        restore_layout(self, "main")
        self.search_indexer.start()

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        """A dock; ``name`` (not the title, which is translated) keys its remembered place."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def show_guidelines(self, schema: LabelSchema) -> None:
        """The schema's guidelines, then each label's description and examples."""
        self.guidelines.setMarkdown(guidelines_markdown(schema))
        self.guidelines.setLayoutDirection(Qt.LayoutDirection.RightToLeft)

    # -- wiring ------------------------------------------------------------------------------

    def _connect(self) -> None:
        c = self.controller
        self.palette_bar.labelChosen.connect(lambda name: c.apply_label(name))
        self.stance_panel.stanceRequested.connect(c.set_stance)
        self.stance_panel.removeRequested.connect(c.remove_stance)
        self.stance_panel.judgementShown.connect(self._show_evidence)
        c.documentChanged.connect(self._document_changed)
        c.changed.connect(self._changed)
        c.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        c.failed.connect(lambda text: notify(self, self.tr("Not done"), text))
        c.navigate.connect(self._open)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.filter_box.currentIndexChanged.connect(lambda _i: self._apply_query())
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.transfer.imported.connect(self._imported)
        self.view.zoomChanged.connect(self._remember_zoom)

    def _action(
        self,
        menu_name: str,
        text: str,
        slot,
        shortcut: str | QKeySequence | None = None,
        *,
        checkable: bool = False,
    ) -> QAction:  # type: ignore[no-untyped-def]
        menu = self._menus[menu_name]
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus = {str(name): bar.addMenu(self.tr(str(name))) for name in MENUS}
        c = self.controller
        self._action("&File", self.tr("&Import…"), self.transfer.import_files, "Ctrl+I")
        self._action("&File", self.tr("&Export…"), self.transfer.export_file, "Ctrl+E")
        switch = self._action("&File", self.tr("Switch &profile…"), self.switch_profile)
        if self.core.db.team is not None:  # the database login is who acts
            switch.setEnabled(False)
            switch.setToolTip(self.tr("On a team database you act as your database login"))
        self._action(
            "&File",
            self.tr("&Settings…"),
            lambda: open_settings(self, self.prefs),
            QKeySequence.StandardKey.Preferences,
        )
        self._action("&File", self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        undo = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self._menus["&Edit"].addActions([undo, redo])
        self._action("&Edit", self.tr("&Delete span"), c.delete_selected_span, "Delete")
        self._action("&Edit", self.tr("Deselect span"), lambda: c.select_span(None), "Escape")
        self._action(
            "&Edit", self.tr("&Find"), self.search_box.setFocus, QKeySequence.StandardKey.Find
        )
        for label in c.schema.entities:
            if label.hotkey:
                self._action(
                    "&Annotate",
                    f"{label.name}",
                    lambda _=False, n=label.name: c.apply_label(n),
                    label.hotkey,
                )
                self._action(
                    "&Annotate",
                    f"{label.name} " + self.tr("(exact, no snapping)"),
                    lambda _=False, n=label.name: c.apply_label(n, exact=True),
                    f"Alt+{label.hotkey}",
                )
        self._menus["&Annotate"].addSeparator()
        for n, value in enumerate(c.schema.stance_values[:MAX_VALUE_KEYS], start=1):
            self._action(
                "&Annotate",
                self.tr("Stance: {value}").format(value=value),
                lambda _=False, v=value: self.stance_panel.set_value(v),
                value_key(n),
            )
        self._menus["&Annotate"].addSeparator()
        self._action("&Annotate", self.tr("Suggest with a &model…"), self.choose_model)
        for text, slot, key in (
            (self.tr("&Accept suggestion"), c.accept_suggestion, SHORTCUTS.accept_suggestion),
            (self.tr("&Turn suggestion down"), c.reject_suggestion, SHORTCUTS.reject_suggestion),
        ):
            action = self._action("&Annotate", text, slot, key)
            # Only in the document: Enter and Backspace stay the search box's and the lists'.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.view.addAction(action)
        self._menus["&Annotate"].addSeparator()
        for text, start, later, key in SHORTCUTS.edge_moves:
            self._action(
                "&Annotate",
                self.tr(text),
                lambda _=False, s=start, lt=later: c.move_edge(start=s, later=lt),
                key,
            )
        self._action(
            "&Annotate", self.tr("Strip leading clitic (و ف ب ل ك)"), c.strip_clitic, "Alt+C"
        )
        self._action("&Annotate", self.tr("&Submit for review"), self.submit, "Ctrl+Return")
        self._action(
            "&Annotate",
            self.tr("Submit with &no entities"),
            lambda: self.submit(allow_empty=True),
            "Ctrl+Shift+Return",
        )
        self._action("&Go", self.tr("&Next document"), lambda: self.go(forward=True), "Ctrl+PgDown")
        self._action(
            "&Go", self.tr("&Previous document"), lambda: self.go(forward=False), "Ctrl+PgUp"
        )
        self._action("&Go", self.tr("Next &unlabelled"), self.next_unlabelled, "Ctrl+U")
        self._action(
            "&View", self.tr("Zoom &in"), self.view.zoom_in, QKeySequence.StandardKey.ZoomIn
        )
        self._action(
            "&View", self.tr("Zoom &out"), self.view.zoom_out, QKeySequence.StandardKey.ZoomOut
        )
        invisible = self._action(
            "&View",
            self.tr("Show &invisible characters"),
            self._toggle_invisible,
            "Ctrl+Shift+I",
            checkable=True,
        )
        invisible.setChecked(self.prefs.show_invisible)
        snap = self._action(
            "&View", self.tr("&Snap selections to words"), self._toggle_snap, checkable=True
        )
        snap.setChecked(self.prefs.snap_to_words)
        self._menus["&View"].addActions(
            [
                self.documents_dock.toggleViewAction(),
                self.stance_dock.toggleViewAction(),
                self.guidelines_dock.toggleViewAction(),
            ]
        )
        self._action(
            "&View", self.tr("&Dashboard…"), lambda: show_dashboard(self, self.core), "Ctrl+D"
        )
        if self.user.role.can_review:
            self._menus["&Go"].addSeparator()
            self._action("&Go", self.tr("&Review queue…"), self.open_review, "Ctrl+R")
        self._action("&Help", self.tr("&Keyboard shortcuts"), lambda: show_help(self), "F1")

    def _span_menu(self, point: QPoint) -> None:
        """Right-click on a span: relabel it or delete it; elsewhere, label the selection."""
        c = self.controller
        at = self.view.character_at(point)
        key = self.view.span_at(at) if at is not None else None
        if key is not None:
            c.select_span(key)
        menu = QMenu(self)
        title = self.tr("Relabel as") if key else self.tr("Label selection as")
        sub = menu.addMenu(title)
        for label in c.schema.entities:
            sub.addAction(
                f"{label.hotkey}  {label.name}  {label.name_ar}".strip(),
                lambda n=label.name: c.apply_label(n),
            )
        if key is not None:
            menu.addAction(self.tr("Delete span"), c.delete_selected_span)
        else:
            menu.addAction(self.tr("Copy"), self.view.copy)
        menu.exec(self.view.viewport().mapToGlobal(point))

    def _show_evidence(self, judgement: StanceJudgement | None) -> None:
        ranges = [(r.start, r.end) for r in judgement.evidence] if judgement else []
        self.view.set_evidence(ranges)

    def _load_suggestions(self) -> None:
        """What approved spans say, read off the GUI thread; the document shown gets its
        suggestions when it arrives."""
        core = self.core
        run_in_background(
            lambda _progress: core.suggestion_lexicon(),
            on_success=self.controller.set_lexicon,
            on_failure=lambda exc: self.statusBar().showMessage(
                self.tr("No suggestions: {error}").format(error=exc), 8000
            ),
        )

    def choose_model(self) -> None:
        """A spaCy pipeline (``tawsim train`` makes one) pre-annotates each document."""
        folder = QFileDialog.getExistingDirectory(self, self.tr("A trained spaCy pipeline"))
        if folder:
            self.load_model(Path(folder))

    def load_model(self, folder: Path) -> None:
        """Load the pipeline off the GUI thread, then suggest with it."""
        self.statusBar().showMessage(self.tr("Loading the model…"))

        def loaded(model: ModelSuggester) -> None:
            self.controller.set_model(model)
            self.statusBar().showMessage(
                self.tr("Suggestions from {name} as well (dashed)").format(name=model.name), 8000
            )

        run_in_background(
            lambda _progress: ModelSuggester(folder),
            on_success=loaded,
            on_failure=lambda exc: notify(self, self.tr("No model"), str(exc)),
        )

    def open_review(self) -> None:
        """The reviewer's window over the same database, as the same user."""
        from app.gui.review_window import ReviewWindow

        if self.review_window is not None:
            self.review_window.close()
        self.review_window = ReviewWindow(self.core)
        self.review_window.show()

    def switch_profile(self) -> None:
        dialog = ProfileDialog(self.prefs.user_name, self.prefs.role, self, self.core.whois)
        if dialog.exec() != ProfileDialog.DialogCode.Accepted:
            return
        self.prefs.user_name, self.prefs.role = dialog.name, dialog.granted_role
        self.prefs.save()
        self.profileSwitched.emit()

    # -- documents ---------------------------------------------------------------------------

    def _apply_query(self) -> None:
        search = self.search_box.text()
        current = self.controller.state.id if self.controller.state else None
        flt = self.documents_dock.widget().list_filter  # type: ignore[attr-defined]
        self.model.set_query(self.core.query(flt, search))
        panel = self.documents_dock.widget()
        panel.show_found(self.model.total() if search.strip() else None)  # type: ignore[attr-defined]
        self.controller.set_search(search)
        self._update_progress()
        row = self.model.row_of(current) if current is not None else None
        if row is None and self.model.rowCount() and current is None:
            row = 0
        if row is not None:
            select_row(self.table, row)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            doc_id = self.model.document_id(current.row())
            if self.controller.state is None or self.controller.state.id != doc_id:
                self.controller.load(doc_id)

    def _changed(self, changes: Changes) -> None:
        """Only what changed: the rows of the documents touched; progress if a status moved."""
        self.model.refresh_rows(sorted(changes.documents))
        if changes.status:
            self._update_progress()

    def _refresh_lists(self, ids: list[int]) -> None:
        self.model.refresh_rows(ids)
        self._update_progress()

    def _update_progress(self) -> None:
        done, total = self.core.progress()
        self.progress_label.setText(
            self.tr("{done} of {total} done").format(done=done, total=total)
        )

    def _document_changed(self, state: DocumentState | None) -> None:
        self.stance_panel.set_document(state)
        span = self.controller.span(self.controller.selected_span)
        self.palette_bar.mark(span.label if span else None)
        self._show_problems(state)
        frozen = state is not None and not state.editable
        self.palette_bar.setEnabled(not frozen)
        self.palette_bar.setToolTip(frozen_hint(state) if state is not None and frozen else "")
        if state is None:
            self.title.clear()
            self.status_chip.clear()
            self.banner.hide()
            return
        self.title.setText(state.title)
        self.status_chip.setText(self.tr(str(STATUS_LABELS[state.status])))
        if state.status == SetStatus.REJECTED and state.comment:
            self.banner.setText(
                self.tr("Returned by the reviewer: ")
                + state.comment
                + self.tr("  — fix and press Ctrl+Enter to resubmit.")
            )
            self.banner.show()
        else:
            self.banner.hide()

    def _show_problems(self, state: DocumentState | None) -> None:
        """Spans an import kept as given although an edge cuts a character: say which."""
        problems = state.problems if state is not None else []
        if not problems:
            self.problems.hide()
            return
        lines = [
            f"{span.label} «{state.text[span.start : span.end]}»: {why}"  # type: ignore[union-attr]
            for span, why in problems[:5]
        ]
        how = (
            self.tr("select one and move its edge with Alt+arrows")
            if state is not None and state.editable
            else self.tr("a reviewer can send the set back to be fixed")
        )
        self.problems.setText(
            self.tr("{n} span(s) cut a character in two ({how}):").format(n=len(problems), how=how)
            + "\n"
            + "\n".join(lines)
        )
        self.problems.show()

    def go(self, *, forward: bool) -> None:
        current = self.controller.state.id if self.controller.state else None
        target = self.core.neighbour(self.model.query, current, forward=forward)
        self._open(target)

    def next_unlabelled(self) -> None:
        current = self.controller.state.id if self.controller.state else None
        query = self.core.query(ListFilter.UNLABELLED)
        target = self.core.neighbour(query, current) or self.core.neighbour(query, None)
        if target is None:
            self.statusBar().showMessage(self.tr("Every document has your labels."), 6000)
        self._open(target)

    def _open(self, document_id: int | None) -> None:
        if document_id is None:
            return
        while self.model.row_of(document_id) is None and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        row = self.model.row_of(document_id)
        if row is not None:
            select_row(self.table, row)
        else:
            self.controller.load(document_id)

    def submit(self, *, allow_empty: bool = False) -> None:
        if self.controller.submit(allow_empty=allow_empty) and self.controller.state is not None:
            self._refresh_lists([self.controller.state.id])
            self.next_unlabelled()

    # -- view options ------------------------------------------------------------------------

    def _imported(self) -> None:
        """An import may add documents and labels: refresh the list, palette and panel."""
        self.controller.schema = self.core.schema()
        self.palette_bar.set_schema(self.controller.schema)
        self.show_guidelines(self.controller.schema)
        self._apply_query()
        self.search_indexer.start()

    def _search_index_completed(self) -> None:
        if self.search_box.text().strip():
            self._apply_query()  # what the search found before the index was complete

    def _remember_zoom(self, size: float) -> None:
        self.prefs.font_size = size
        self.prefs.save()

    def _toggle_invisible(self, on: bool) -> None:
        self.prefs.show_invisible = on
        self.prefs.save()
        self.view.set_show_invisible(on)

    def _toggle_snap(self, on: bool) -> None:
        self.prefs.snap_to_words = on
        self.prefs.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.search_indexer.stop()
        self._search_timer.stop()  # a search typed just before closing runs on nothing
        save_layout(self, "main")
        if self.review_window is not None:  # it works on this window's connection
            self.review_window.close()
        super().closeEvent(event)
