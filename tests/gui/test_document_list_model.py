"""The lazy document list model: Qt's model contract, paging, row windows, filters, refresh."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.core.commands import AddSpan
from app.core.domain import EntitySpan, Role
from app.gui.document_list_model import DocumentListModel
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from app.store.values import DocumentRow, ListFilter
from tests.conftest import as_user, decide, write_jsonl

PAGE = 100
CORPUS = 450
DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def big_workspace(db: Database, tmp_path: Path) -> Tawsim:
    records = [
        {"text": f"اجتمع وزراء الخارجية في القاهرة، الخبر رقم {i}", "title": f"خبر {i}"}
        for i in range(CORPUS)
    ]
    write_jsonl(tmp_path / "corpus.jsonl", *records)
    import_paths(Tawsim(db, "admin"), [tmp_path / "corpus.jsonl"], ImportOptions())
    return as_user(db, "amal", Role.ANNOTATOR)


class RowsSpy:
    """Wraps ``Tawsim.rows`` to record every batch of ids asked for."""

    def __init__(self, workspace: Tawsim, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[list[int]] = []
        real = workspace.rows

        def rows(ids: list[int]) -> dict[int, DocumentRow]:
            self.calls.append(list(ids))
            return real(ids)

        monkeypatch.setattr(workspace, "rows", rows)


def text(model: DocumentListModel, row: int, col: int, role: int = DISPLAY) -> object:
    return model.data(model.index(row, col), role)


def annotate_and_submit(ws: Tawsim, doc_id: int) -> None:
    body = ws.document(doc_id).text
    start = body.index("اليابان")
    ws.perform(AddSpan(doc_id, EntitySpan(start, start + len("اليابان"), "GPE"), str(uuid4())))
    ws.submit(doc_id)


@pytest.mark.parametrize("force_py", [False, True], ids=["cpp", "py"])
def test_model_contract_empty(qtmodeltester, db: Database, force_py: bool) -> None:
    model = DocumentListModel(as_user(db, "amal"))
    assert model.rowCount() == 0 and model.total() == 0
    assert not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=force_py)


@pytest.mark.parametrize("force_py", [False, True], ids=["cpp", "py"])
def test_model_contract_seeds(qtmodeltester, workspace: Tawsim, force_py: bool) -> None:
    model = DocumentListModel(workspace)
    assert model.rowCount() == 2 and model.total() == 2
    assert not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=force_py)


@pytest.mark.parametrize("force_py", [False, True], ids=["cpp", "py"])
def test_model_contract_big_corpus(qtmodeltester, big_workspace: Tawsim, force_py: bool) -> None:
    model = DocumentListModel(big_workspace, page_size=PAGE)
    qtmodeltester.check(model, force_py=force_py)  # the tester calls fetchMore itself
    for _ in range(2):
        model.fetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=force_py)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=force_py)
    assert model.rowCount() == CORPUS
    assert len({model.document_id(r) for r in range(CORPUS)}) == CORPUS


def test_fetch_more_from_a_listener_is_ignored_until_the_page_is_in(
    big_workspace: Tawsim,
) -> None:
    model = DocumentListModel(big_workspace, page_size=PAGE)
    nested: list[bool] = []

    def listener(*_: object) -> None:
        nested.append(model.canFetchMore(QModelIndex()))
        model.fetchMore(QModelIndex())

    model.rowsAboutToBeInserted.connect(listener)
    model.rowsInserted.connect(listener)
    model.fetchMore(QModelIndex())
    assert nested == [False, False] and model.rowCount() == 2 * PAGE
    assert model.canFetchMore(QModelIndex())
    ids = [model.document_id(r) for r in range(model.rowCount())]
    assert ids == sorted(set(ids))


def test_child_indexes_have_no_rows_and_fetch_nothing(big_workspace: Tawsim) -> None:
    model = DocumentListModel(big_workspace, page_size=PAGE)
    child = model.index(0, 0)
    assert model.rowCount(child) == 0 and model.columnCount(child) == 0
    assert not model.canFetchMore(child)
    model.fetchMore(child)
    assert model.rowCount() == PAGE


def test_pages_lazily_and_reads_rows_in_windows(
    qtbot, big_workspace: Tawsim, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = RowsSpy(big_workspace, monkeypatch)
    model = DocumentListModel(big_workspace, page_size=PAGE)
    assert model.rowCount() == PAGE and model.canFetchMore(QModelIndex())
    assert model.total() == CORPUS
    assert spy.calls == []  # nothing read until a view asks

    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE and inserted == [(PAGE, 2 * PAGE - 1)]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == CORPUS
    assert inserted[-1] == (4 * PAGE, CORPUS - 1)
    ids = [model.document_id(r) for r in range(CORPUS)]
    assert ids == sorted(ids) and len(set(ids)) == CORPUS
    assert model.row_of(ids[321]) == 321 and model.row_of(-1) is None
    assert all(model.row_of(doc_id) == row for row, doc_id in enumerate(ids))
    assert model.row_of(ids[-1] + 1) is None

    # Every display cell of the first 20 rows: a single windowed read.
    for row in range(20):
        for col in range(model.columnCount()):
            text(model, row, col)
    assert len(spy.calls) == 1 and len(spy.calls[0]) < CORPUS
    assert text(model, 5, DocumentListModel.TITLE) == "خبر 5"
    # Scrolling the whole list reads each window once, never row by row.
    for row in range(CORPUS):
        text(model, row, DocumentListModel.TITLE)
    assert len(spy.calls) <= CORPUS // 50 + 1
    assert sum(map(len, spy.calls)) == CORPUS


def test_the_end_of_a_long_list_is_a_few_fetches_away(big_workspace: Tawsim) -> None:
    """Each fetch loads as many ids as are loaded (up to MAX_PAGE): a list of N documents
    reaches its end in about log2(N / page) fetches, whatever N is."""
    model = DocumentListModel(big_workspace, page_size=2)
    fetches = 0
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        fetches += 1
    assert model.rowCount() == CORPUS and fetches <= 9  # 2, 2, 4, ..., 256: 450 in 9
    ids = [model.document_id(r) for r in range(CORPUS)]
    assert ids == sorted(set(ids))


def test_cache_is_bounded(big_workspace: Tawsim, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = RowsSpy(big_workspace, monkeypatch)
    model = DocumentListModel(big_workspace, page_size=500, window=20, cache_size=100)
    for row in range(CORPUS):
        text(model, row, DocumentListModel.TITLE)
    assert len(model._cache) <= 100
    calls = len(spy.calls)
    text(model, 0, DocumentListModel.TITLE)  # evicted long ago: read again
    assert len(spy.calls) == calls + 1


def test_columns_roles_and_arabic_titles(workspace: Tawsim) -> None:
    model = DocumentListModel(workspace)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Title", "Source", "My status", "Spans"]
    first = model.document_id(0)
    title = workspace.document(first).title
    assert text(model, 0, DocumentListModel.TITLE) == title  # untouched, not reshaped
    assert title.startswith("اليابان والاتحاد الأوروبي")
    assert text(model, 0, DocumentListModel.STATUS) == "Unlabelled"
    assert text(model, 0, DocumentListModel.SPANS) == 0
    assert text(model, 0, DocumentListModel.TITLE, Qt.ItemDataRole.ToolTipRole) is None
    alignment = text(model, 0, DocumentListModel.TITLE, Qt.ItemDataRole.TextAlignmentRole)
    assert isinstance(alignment, Qt.AlignmentFlag)
    assert alignment & Qt.AlignmentFlag.AlignRight and alignment & Qt.AlignmentFlag.AlignAbsolute
    for col in range(4):
        assert text(model, 1, col, Qt.ItemDataRole.UserRole) == model.document_id(1)


def test_unlabelled_filter_shrinks_after_submitting(workspace: Tawsim) -> None:
    model = DocumentListModel(workspace)
    model.set_query(workspace.query(ListFilter.UNLABELLED))
    assert model.rowCount() == 2 and model.total() == 2
    doc_id = model.document_id(0)
    annotate_and_submit(workspace, doc_id)
    model.set_query(workspace.query(ListFilter.UNLABELLED))
    assert model.rowCount() == 1 and model.total() == 1
    assert model.row_of(doc_id) is None
    model.set_query(workspace.query(ListFilter.SUBMITTED))
    assert [model.document_id(0)] == [doc_id]
    assert text(model, 0, DocumentListModel.STATUS) == "Submitted"
    assert text(model, 0, DocumentListModel.SPANS) == 1


def test_search_ignores_hamza(workspace: Tawsim) -> None:
    model = DocumentListModel(workspace)
    model.set_query(workspace.query(search="الاوروبي"))
    assert model.rowCount() == 1 and model.total() == 1
    assert "الأوروبي" in str(text(model, 0, DocumentListModel.TITLE))
    model.set_query(workspace.query(search="لا يوجد هذا النص"))
    assert model.rowCount() == 0 and model.total() == 0


def test_refresh_rows_after_an_edit(qtbot, workspace: Tawsim) -> None:
    model = DocumentListModel(workspace)
    doc_id = model.document_id(0)
    assert text(model, 0, DocumentListModel.SPANS) == 0
    body = workspace.document(doc_id).text
    start = body.index("اليابان")
    workspace.perform(AddSpan(doc_id, EntitySpan(start, start + 7, "GPE"), str(uuid4())))
    assert text(model, 0, DocumentListModel.SPANS) == 0  # cached until told
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.refresh_rows([doc_id, 999_999])
    top_left, bottom_right = blocker.args[:2]
    assert (top_left.row(), top_left.column()) == (0, 0)
    assert (bottom_right.row(), bottom_right.column()) == (0, 3)
    assert text(model, 0, DocumentListModel.SPANS) == 1
    assert text(model, 0, DocumentListModel.STATUS) == "In progress"


def test_rejected_row_shows_the_reviewers_comment(
    qtbot, seeded_db: Database, workspace: Tawsim
) -> None:
    model = DocumentListModel(workspace)
    doc_id = model.document_id(0)
    annotate_and_submit(workspace, doc_id)
    decide(seeded_db, doc_id, "amal", reject="اليابان ليست منظمة")
    with qtbot.waitSignal(model.dataChanged):
        model.refresh_rows([doc_id])
    assert text(model, 0, DocumentListModel.STATUS) == "Rejected — see comment"
    for col in range(4):
        assert text(model, 0, col, Qt.ItemDataRole.ToolTipRole) == "اليابان ليست منظمة"
    assert text(model, 1, DocumentListModel.STATUS, Qt.ItemDataRole.ToolTipRole) is None
    model.set_query(workspace.query(ListFilter.REJECTED))
    assert model.rowCount() == 1 and model.document_id(0) == doc_id
