"""The stance panel: stance towards targets, with evidence ranges and an optional holder.

Targets offered: the schema's list plus the entities tagged in this document. The panel only
emits requests; the main window turns them into undoable commands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.domain import StanceJudgement, TextRange
from app.core.schema import LabelSchema
from app.store.values import DocumentState, SpanView

SNIPPET = 40
SelectionProvider = Callable[[], tuple[int, int] | None]


def snippet(text: str, r: TextRange) -> str:
    part = text[r.start : r.end].replace("\n", " ")
    return part if len(part) <= SNIPPET else part[: SNIPPET - 1] + "…"


def range_key(start: int, end: int) -> str:
    """Combo-box data for a range (a string: Qt would turn a tuple into a list)."""
    return f"{start}:{end}"


def parse_range_key(key: str) -> TextRange:
    start, end = key.split(":")
    return TextRange(int(start), int(end))


MAX_VALUE_KEYS = 9


def value_key(n: int) -> str:
    """The key of the ``n``-th stance value (from 1): Ctrl+1... (1... label entities, Alt+1...
    label them exactly)."""
    return f"Ctrl+{n}"


def holder_names(state: DocumentState) -> list[tuple[str, SpanView]]:
    """Each span as the holder list names it: its text and label, and where the same text is
    a span more than once, which occurrence it is ("2 of 3", in reading order)."""
    texts = [state.text[s.start : s.end] for s in state.spans]
    totals = Counter(texts)
    seen: Counter[str] = Counter()
    names = []
    for text, span in zip(texts, state.spans, strict=True):
        seen[text] += 1
        name = f"{text} ({span.label})"
        if totals[text] > 1:
            name += f" · {seen[text]}/{totals[text]}"
        names.append((name, span))
    return names


class StancePanel(QWidget):
    stanceRequested = Signal(object)  # StanceJudgement
    removeRequested = Signal(str)  # target
    judgementShown = Signal(object)  # StanceJudgement | None: the one being edited

    def __init__(self, selection: SelectionProvider, parent: QWidget | None = None):
        super().__init__(parent)
        self._selection = selection
        self._state: DocumentState | None = None
        self._values: tuple[str, ...] = ()
        self._schema_targets: tuple[str, ...] = ()
        self._free_targets = True
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.target_box = QComboBox()
        self.target_box.setObjectName("stance-target")
        self.target_box.setEditable(True)
        self.target_box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.target_box.currentTextChanged.connect(self._show_target)
        form.addRow(self.tr("Target"), self.target_box)

        self.value_row = QHBoxLayout()
        self.value_group = QButtonGroup(self)
        self.value_group.setExclusive(True)
        form.addRow(self.tr("Stance"), self.value_row)

        self.holder_box = QComboBox()
        self.holder_box.setObjectName("stance-holder")
        self.holder_box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.holder_box.activated.connect(self._holder_chosen)
        form.addRow(self.tr("Holder"), self.holder_box)

        self.evidence_list = QListWidget()
        self.evidence_list.setObjectName("stance-evidence")
        self.evidence_list.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.evidence_list.setMaximumHeight(110)
        form.addRow(self.tr("Evidence"), self.evidence_list)
        buttons = QHBoxLayout()
        self.add_evidence_button = QPushButton(self.tr("Add selection as evidence"))
        self.add_evidence_button.setObjectName("add-evidence")
        self.add_evidence_button.clicked.connect(self.add_selection_as_evidence)
        self.remove_evidence_button = QPushButton(self.tr("Remove evidence"))
        self.remove_evidence_button.clicked.connect(self._remove_evidence)
        buttons.addWidget(self.add_evidence_button)
        buttons.addWidget(self.remove_evidence_button)
        layout.addLayout(buttons)

        layout.addWidget(QLabel(self.tr("Stance in this document")))
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("stance-table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Target"), self.tr("Stance"), self.tr("Evidence"), self.tr("Holder")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemSelectionChanged.connect(self._row_selected)
        layout.addWidget(self.table, 1)
        self.remove_button = QPushButton(self.tr("Remove stance"))
        self.remove_button.clicked.connect(self._remove_stance)
        layout.addWidget(self.remove_button)

    # -- showing -----------------------------------------------------------------------------

    def set_schema(self, schema: LabelSchema) -> None:
        for button in self.value_group.buttons():
            self.value_group.removeButton(button)
            button.deleteLater()
        self._values = schema.stance_values
        for n, value in enumerate(schema.stance_values, start=1):
            button = QPushButton(value)
            button.setObjectName(f"stance-{value}")
            button.setCheckable(True)
            if n <= MAX_VALUE_KEYS:  # the main window's Annotate menu holds the keys
                button.setToolTip(self.tr("{value} ({key})").format(value=value, key=value_key(n)))
            self.value_group.addButton(button)
            self.value_row.addWidget(button)
            button.clicked.connect(lambda _=False, v=value: self.set_value(v))
        self._schema_targets = schema.stance_targets
        self._free_targets = schema.free_targets
        self.target_box.setEditable(schema.free_targets)

    def set_document(self, state: DocumentState | None) -> None:
        same_document = self._state is not None and state is not None and self._state.id == state.id
        self._state = state
        current = self.target_box.currentText() if same_document else ""
        self.target_box.blockSignals(True)
        self.target_box.clear()
        if state is not None:
            for target in self.candidates(state):
                self.target_box.addItem(target)
        self.target_box.setCurrentText(current or (self.target_box.itemText(0) or ""))
        self.target_box.blockSignals(False)
        self.holder_box.clear()
        self.holder_box.addItem(self.tr("(none)"), None)
        if state is not None:
            for name, span in holder_names(state):
                self.holder_box.addItem(name, range_key(span.start, span.end))
        self._fill_table()
        self._show_target(self.target_box.currentText())
        self.setEnabled(state is not None and state.editable)

    def candidates(self, state: DocumentState) -> list[str]:
        seen: dict[str, None] = dict.fromkeys(self._schema_targets)
        if not self._free_targets:
            return list(seen)
        for span in state.spans:
            seen.setdefault(state.text[span.start : span.end].strip(), None)
        for stance in state.stances:
            seen.setdefault(stance.judgement.target, None)
        return [t for t in seen if t]

    def _fill_table(self) -> None:
        stances = self._state.stances if self._state else ()
        self.table.setRowCount(len(stances))
        for row, stance in enumerate(stances):
            j = stance.judgement
            holder = snippet(self._state.text, j.holder) if self._state and j.holder else ""
            for col, value in enumerate([j.target, j.value, str(len(j.evidence)), holder]):
                self.table.setItem(row, col, QTableWidgetItem(value))

    def judgement(self, target: str | None = None) -> StanceJudgement | None:
        target = self.target_box.currentText().strip() if target is None else target
        if self._state is None:
            return None
        return next(
            (s.judgement for s in self._state.stances if s.judgement.target == target), None
        )

    def _show_target(self, target: str) -> None:
        current = self.judgement(target.strip())
        # An exclusive group keeps one button pressed: a target without a stance shows none.
        self.value_group.setExclusive(False)
        for button in self.value_group.buttons():
            button.setChecked(current is not None and button.text() == current.value)
        self.value_group.setExclusive(True)
        self.evidence_list.clear()
        if current is not None and self._state is not None:
            for r in current.evidence:
                item = QListWidgetItem(snippet(self._state.text, r))
                item.setData(Qt.ItemDataRole.UserRole, range_key(r.start, r.end))
                self.evidence_list.addItem(item)
        self.judgementShown.emit(current)
        # Evidence and holder belong to a judgement: choose a stance value first.
        for widget in (
            self.holder_box,
            self.evidence_list,
            self.add_evidence_button,
            self.remove_evidence_button,
            self.remove_button,
        ):
            widget.setEnabled(current is not None)
        holder = current.holder if current else None
        index = self.holder_box.findData(range_key(holder.start, holder.end)) if holder else 0
        self.holder_box.setCurrentIndex(max(0, index))

    def _row_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and self._state is not None:
            self.target_box.setCurrentText(self._state.stances[rows[0].row()].judgement.target)

    # -- requests ----------------------------------------------------------------------------

    def set_value(self, value: str) -> None:
        target = self.target_box.currentText().strip()
        if not target:
            return
        current = self.judgement(target) or StanceJudgement(target, value)
        self.stanceRequested.emit(replace(current, value=value))

    def add_selection_as_evidence(self) -> None:
        selection = self._selection()
        current = self.judgement()
        if selection is None or current is None:
            return
        evidence = TextRange(*selection)
        if evidence not in current.evidence:
            self.stanceRequested.emit(replace(current, evidence=(*current.evidence, evidence)))

    def _remove_evidence(self) -> None:
        item = self.evidence_list.currentItem()
        current = self.judgement()
        if item is None or current is None:
            return
        gone = parse_range_key(item.data(Qt.ItemDataRole.UserRole))
        kept = tuple(r for r in current.evidence if r != gone)
        self.stanceRequested.emit(replace(current, evidence=kept))

    def _holder_chosen(self, index: int) -> None:
        current = self.judgement()
        if current is None:
            return
        data = self.holder_box.itemData(index)
        holder = parse_range_key(data) if data else None
        if holder != current.holder:
            self.stanceRequested.emit(replace(current, holder=holder))

    def _remove_stance(self) -> None:
        if self.judgement() is not None:
            self.removeRequested.emit(self.target_box.currentText().strip())
