"""The annotator's actions on the current document, as undoable commands.

Owns the current :class:`DocumentState`; turns selections, hotkeys and panel requests into
:mod:`app.core.commands` pushed on the one undo stack, and refreshes the views from each change.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QColor, QUndoStack

from app.core.arabic import strip_leading_clitic
from app.core.commands import (
    AddSpan,
    Changes,
    ChangeSpan,
    Command,
    RemoveSpan,
    RemoveStance,
    SetStance,
)
from app.core.domain import EntitySpan, SetStatus, StanceJudgement
from app.core.errors import StaleEdit, TawsimError
from app.core.graphemes import next_grapheme_boundary, previous_grapheme_boundary
from app.core.preferences import Preferences
from app.core.schema import LabelSchema
from app.core.suggestions import Suggestion, suggest
from app.gui.document_view import DocumentView, Highlight
from app.gui.undo import push_command
from app.gui.worker import run_in_background
from app.io.training.pipeline import ModelSuggester
from app.store.core import Tawsim
from app.store.values import DocumentState, SpanView


def _key(suggestion: Suggestion) -> str:
    return f"suggestion:{suggestion.start}:{suggestion.end}:{suggestion.label}"


def frozen_hint(state: DocumentState) -> str:
    """Why the annotator's own set on the document cannot be changed now."""
    if state.status is SetStatus.APPROVED:
        return QCoreApplication.translate(
            "annotation", "This document is approved (the gold set); labels are locked."
        )
    return QCoreApplication.translate(
        "annotation",
        "This document is submitted and waiting for review; labels are locked until a "
        "reviewer sends it back.",
    )


class AnnotationController(QObject):
    documentChanged = Signal(object)  # DocumentState | None, after load or any change
    changed = Signal(object)  # Changes, after a command or its undo/redo
    message = Signal(str)  # for the status bar
    failed = Signal(str)  # an action was refused (role, status, bad range)
    navigate = Signal(int)  # undo/redo touched another document: show it

    def __init__(
        self,
        core: Tawsim,
        view: DocumentView,
        stack: QUndoStack,
        prefs: Preferences,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.core = core
        self.view = view
        self.stack = stack
        self.prefs = prefs
        self.schema: LabelSchema = core.schema()
        self.state: DocumentState | None = None
        self.selected_span: str | None = None
        self.search = ""
        # Suggestions (app.core.suggestions): what approved spans say, found in the document;
        # those turned down stay down for this session.
        self.lexicon: dict[str, str] = {}
        self.suggestions: list[Suggestion] = []
        self._turned_down: set[tuple[int, int, int, str]] = set()
        self.model: ModelSuggester | None = None  # a trained pipeline pre-annotating
        self._predicted: dict[int, list[Suggestion]] = {}  # document id -> its suggestions
        view.spanClicked.connect(self.select_span)
        view.selectionChanged.connect(self._selection_changed)

    # -- loading -----------------------------------------------------------------------------

    def load(self, document_id: int | None, *, keep_view: bool = False) -> None:
        if document_id is None:
            self.state = None
            self.view.set_document("")
            self.documentChanged.emit(None)
            return
        same = self.state is not None and self.state.id == document_id
        self.state = self.core.document(document_id)
        if not (same and keep_view):
            self.view.set_document(self.state.text)
            self.selected_span = None
        self._predict()
        self._paint()
        self.documentChanged.emit(self.state)

    def set_search(self, search: str) -> None:
        self.search = search
        self._paint()
        hits = self.view.search_hits()  # just computed by _paint
        if hits:
            self.view.scroll_to(hits[0][0])

    def _colour(self, label: str) -> QColor:
        entity = self.schema.label(label)
        return QColor(entity.color if entity else "#888888")

    def _paint(self) -> None:
        state = self.state
        if state is None:
            return
        self.view.set_highlights(
            [Highlight(s.start, s.end, self._colour(s.label), s.uuid) for s in state.spans]
        )
        self.view.set_search_hits(self.core.search_ranges(state.text, self.search))
        self._show_suggestions()
        if self.selected_span not in {s.uuid for s in state.spans}:
            self.selected_span = None
        self.view.set_selected_span(self.selected_span)

    # -- suggestions -------------------------------------------------------------------------

    def set_lexicon(self, lexicon: dict[str, str]) -> None:
        self.lexicon = lexicon
        self._show_suggestions()

    def set_model(self, model: ModelSuggester | None) -> None:
        """Pre-annotate with ``model`` from now on (None: the corpus's suggestions only)."""
        self.model = model
        self._predicted.clear()
        self._predict()
        self._show_suggestions()

    def _predict(self) -> None:
        """The model's suggestions for the open document, computed off the GUI thread."""
        state, model = self.state, self.model
        if state is None or model is None or state.id in self._predicted or not state.editable:
            return
        self._predicted[state.id] = []  # asked once
        run_in_background(
            lambda _progress: model.suggest(state.text),
            on_success=lambda found: self._predictions_arrived(model, state.id, found),
            on_failure=lambda exc: self.failed.emit(str(exc)),
        )

    def _predictions_arrived(
        self, model: ModelSuggester, document_id: int, found: list[Suggestion]
    ) -> None:
        if model is not self.model:
            return  # another model was chosen meanwhile
        self._predicted[document_id] = found
        if self.state is not None and self.state.id == document_id:
            self._show_suggestions()

    def _show_suggestions(self) -> None:
        state = self.state
        found: list[Suggestion] = []
        if state is not None and state.editable:
            taken = [(s.start, s.end) for s in state.spans]
            corpus = suggest(state.text, self.lexicon, taken)
            taken += [(s.start, s.end) for s in corpus]
            model = [
                s
                for s in self._predicted.get(state.id, [])
                if not any(a < s.end and s.start < b for a, b in taken)
            ]
            found = sorted(
                (
                    s
                    for s in corpus + model
                    if (state.id, s.start, s.end, s.label) not in self._turned_down
                ),
                key=lambda s: (s.start, s.end),
            )
        self.suggestions = found
        shown = [Highlight(s.start, s.end, self._colour(s.label), _key(s)) for s in found]
        self.view.set_suggestions(shown, _key(found[0]) if found else None)

    def accept_suggestion(self) -> None:
        """Label the first suggestion (in reading order) as it proposes: an ordinary span."""
        if self.state is None or not self.suggestions:
            self.message.emit(self.tr("No suggestion in this document."))
            return
        s = self.suggestions[0]
        key = str(uuid.uuid4())
        span = EntitySpan(s.start, s.end, s.label)
        if self._push(AddSpan(self.state.id, span, key, origin=s.source)):
            self.message.emit(
                self.tr("Accepted: {label} {text} (suggested by {source})").format(
                    label=s.label, text=self.state.text[s.start : s.end], source=s.source
                )
            )

    def reject_suggestion(self) -> None:
        """Turn the first suggestion down: it is not shown again in this session."""
        if self.state is None or not self.suggestions:
            self.message.emit(self.tr("No suggestion in this document."))
            return
        s = self.suggestions[0]
        self._turned_down.add((self.state.id, s.start, s.end, s.label))
        self._show_suggestions()
        self.message.emit(
            self.tr("Turned down: {label} {text}").format(
                label=s.label, text=self.state.text[s.start : s.end]
            )
        )

    def _selection_changed(self) -> None:
        """Selecting text deselects the span: keys then act on the new selection only."""
        if self.selected_span is not None and self.view.selection() is not None:
            self.selected_span = None
            self.view.set_selected_span(None)
            self.documentChanged.emit(self.state)

    def span(self, key: str | None) -> SpanView | None:
        if self.state is None or key is None:
            return None
        return next((s for s in self.state.spans if s.uuid == key), None)

    # -- commands ----------------------------------------------------------------------------

    def _push(self, command: Command) -> bool:
        if self.state is not None and not self.state.editable:
            self.message.emit(frozen_hint(self.state))  # the palette says so too
            return False
        seen = self.state.version if self.state is not None else None
        done = push_command(
            self.stack,
            self.core,
            command,
            self._applied,
            self._refused,
            seen=seen,
            told=self.message.emit,
            shown=self._version_shown,
        )
        return done is not None

    def _version_shown(self, document_id: int) -> int | None:
        state = self.state
        return state.version if state is not None and state.id == document_id else None

    def _applied(self, changes: Changes) -> None:
        """Refresh what ``changes`` says changed: the set on the document shown (its text is
        kept), or, when undo/redo touched another document, that document."""
        document_id = changes.document_id
        if document_id is not None and self.state is not None and document_id == self.state.id:
            self.state = self.core.refreshed(self.state)
            if changes.spans:
                self._paint()
            self.documentChanged.emit(self.state)
        elif document_id is not None:
            self.navigate.emit(document_id)
            self.load(document_id, keep_view=True)
        self.changed.emit(changes)

    def _refused(self, exc: TawsimError) -> None:
        if isinstance(exc, StaleEdit) and self.state is not None:
            # Changed elsewhere: show what is there now; earlier steps no longer apply.
            self.stack.clear()
            self.load(self.state.id, keep_view=True)
        self.failed.emit(str(exc))

    def apply_label(self, label: str, *, exact: bool = False) -> None:
        """Hotkey or palette: relabel the selected span, or label the (snapped) selection."""
        if self.state is None:
            return
        selected = self.span(self.selected_span)
        selection = self.view.selection()
        if selected is not None and selection is None:
            if selected.label != label and self._push(
                ChangeSpan(
                    self.state.id, selected.uuid, EntitySpan(selected.start, selected.end, label)
                )
            ):
                self.select_span(selected.uuid)  # the status bar names the new label
            return
        snap = self.prefs.snap_to_words and not exact
        chosen = self.view.snapped_selection(
            snap=snap,
            strip_proclitics=self.prefs.strip_proclitics,
            strip_article=not self.schema.keep_definite_article,
        )
        if chosen is None or chosen[0] == chosen[1]:
            self.message.emit(self.tr("Select some text first, then press a label's key."))
            return
        key = str(uuid.uuid4())
        if self._push(AddSpan(self.state.id, EntitySpan(chosen[0], chosen[1], label), key)):
            self.view.set_selection(chosen[1], chosen[1])
            self.select_span(key)

    def select_span(self, key: str | None) -> None:
        key = key or None
        if key is not None and self.view.selection() is not None:
            # Clicking a span ends a text selection, so label keys act on the span.
            end = self.view.selection()[1]  # type: ignore[index]
            self.view.set_selection(end, end)
        self.selected_span = key
        self.view.set_selected_span(key)
        span = self.span(key)
        if span is not None and self.state is not None:
            self.message.emit(
                f"{span.label}: {self.state.text[span.start : span.end]}  "
                + self.tr("(a label key relabels, Delete removes)")
            )
        self.documentChanged.emit(self.state)

    def delete_selected_span(self) -> None:
        span = self.span(self.selected_span)
        if span is not None and self.state is not None:
            self._push(RemoveSpan(self.state.id, span.uuid))
            self.selected_span = None

    def move_edge(self, *, start: bool, later: bool) -> None:
        """Keyboard edge adjustment, one grapheme at a time, of the span or the selection."""
        span = self.span(self.selected_span)
        if span is None or self.state is None:
            move = self.view.move_selection_start if start else self.view.move_selection_end
            move(1 if later else -1)
            return
        text = self.state.text
        step: Callable[[str, int], int] = (
            next_grapheme_boundary if later else previous_grapheme_boundary
        )
        s, e = span.start, span.end
        try:
            if start:
                s = step(text, s)
            else:
                e = step(text, e)
        except ValueError:
            return
        if 0 <= s < e <= len(text):
            self._push(ChangeSpan(self.state.id, span.uuid, EntitySpan(s, e, span.label)))

    def strip_clitic(self) -> None:
        """Drop one leading proclitic letter (و ف ب ل ك) from the selected span or selection."""
        if self.state is None:
            return
        span = self.span(self.selected_span)
        if span is not None:
            new_start = strip_leading_clitic(self.state.text, span.start, span.end)
            if new_start != span.start:
                self._push(
                    ChangeSpan(
                        self.state.id, span.uuid, EntitySpan(new_start, span.end, span.label)
                    )
                )
            return
        selection = self.view.selection()
        if selection is not None:
            self.view.set_selection(strip_leading_clitic(self.state.text, *selection), selection[1])

    def set_stance(self, judgement: StanceJudgement) -> None:
        if self.state is None:
            return
        existing = next(
            (s for s in self.state.stances if s.judgement.target == judgement.target), None
        )
        key = existing.uuid if existing else str(uuid.uuid4())
        self._push(SetStance(self.state.id, judgement, key))

    def remove_stance(self, target: str) -> None:
        if self.state is not None:
            self._push(RemoveStance(self.state.id, target))

    def submit(self, *, allow_empty: bool = False) -> bool:
        """Submit the current set for review (not undoable: the reviewer owns it now).

        A document the annotator never touched is submitted only on purpose
        (``allow_empty``: "no entities here"), never by a second Ctrl+Enter.
        """
        if self.state is None:
            return False
        if self.state.status is None and not allow_empty:
            self.message.emit(
                self.tr(
                    "Nothing labelled here yet. If this document has no entities, submit it with "
                    "Ctrl+Shift+Enter."
                )
            )
            return False
        try:
            self.core.submit(self.state.id)
        except TawsimError as exc:
            self.failed.emit(str(exc))
            return False
        self.stack.clear()  # earlier steps cannot be undone on a submitted set
        self.state = self.core.refreshed(self.state)
        self.documentChanged.emit(self.state)
        self.message.emit(self.tr("Submitted for review."))
        return True
