"""The reviewer's window driven like a reviewer: approve, reject with comment, resubmit."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from app.core.commands import AddSpan, Approve, SetStance
from app.core.domain import EntitySpan, Role, StanceJudgement
from app.gui.selection import select_row
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import as_user, write_jsonl

TEXT = "أعلنت اليابان والاتحاد الأوروبي عن شراكة في طوكيو"


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def annotate(db: Database, name: str, spans: list[tuple[str, str]], stance: str) -> Tawsim:
    ws = as_user(db, name, Role.ANNOTATOR)
    doc = ws.page_ids(ws.query(), None, 1)[0]
    for word, label in spans:
        ws.perform(AddSpan(doc, EntitySpan(*at(word), label), str(uuid.uuid4())))
    ws.perform(SetStance(doc, StanceJudgement("اليابان", stance), str(uuid.uuid4())))
    ws.submit(doc)
    return ws


def reviewer_window(qtbot, db: Database):  # type: ignore[no-untyped-def]
    from app.gui.review_window import ReviewWindow

    window = ReviewWindow(as_user(db, "rana", Role.REVIEWER))
    qtbot.addWidget(window)
    window.resize(1400, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts need it
    return window


def button(window, name: str) -> QPushButton:  # type: ignore[no-untyped-def]
    found = window.findChild(QPushButton, name)
    assert found is not None, name
    return found


def test_disagreements_are_marked_and_gold_is_built_and_approved(
    qtbot,
    db: Database,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    import_paths(
        Tawsim(db, "admin"),
        [write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})],
        ImportOptions(),
    )
    annotate(db, "amal", [("اليابان", "GPE"), ("الاتحاد الأوروبي", "ORG")], "FAVOR")
    annotate(
        db, "omar", [("اليابان", "GPE"), ("الاتحاد الأوروبي", "NORP"), ("طوكيو", "GPE")], "NEUTRAL"
    )
    window = reviewer_window(qtbot, db)
    assert window.queue_model.rowCount() == 1
    kinds = [window.marks.item(r, 0).text() for r in range(window.marks.rowCount())]
    assert kinds == ["agreed", "label", "missing", "stance"]
    assert sorted(window.view.evidence()) == sorted([at("الاتحاد الأوروبي"), at("طوكيو")])
    # Build gold: amal's label for the EU, omar's Tokyo, amal's stance.
    for row, who in [(0, "amal"), (1, "amal"), (2, "omar"), (3, "amal")]:
        select_row(window.marks, row)
        qtbot.mouseClick(button(window, f"accept-{who}"), Qt.MouseButton.LeftButton)
    gold = [window.marks.item(r, 4).text() for r in range(window.marks.rowCount())]
    assert gold == ["GPE", "ORG", "GPE", "FAVOR"]
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo stance
    assert window.marks.item(3, 4).text() == ""
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.mouseClick(button(window, "approve-gold"), Qt.MouseButton.LeftButton)
    assert window.queue_model.rowCount() == 0
    rana = as_user(db, "rana")
    state = rana.document(rana.page_ids(rana.query(), None, 1)[0])
    assert state.status == "approved"
    assert sorted((s.label, TEXT[s.start : s.end]) for s in state.spans) == [
        ("GPE", "اليابان"),
        ("GPE", "طوكيو"),
        ("ORG", "الاتحاد الأوروبي"),
    ]


def test_reject_with_comment_resubmit_then_approve(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_paths(
        Tawsim(db, "admin"),
        [write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})],
        ImportOptions(),
    )
    amal = annotate(db, "amal", [("اليابان", "LOC")], "FAVOR")
    window = reviewer_window(qtbot, db)
    qtbot.mouseClick(button(window, "reject-amal"), Qt.MouseButton.LeftButton)  # no comment
    notice = window.findChild(QMessageBox, "notice")
    assert notice is not None and "needs a comment" in notice.text()
    notice.close()
    assert amal.document(amal.page_ids(amal.query(), None, 1)[0]).status == "submitted"
    window.comment.setText("اليابان دولة: GPE")
    qtbot.mouseClick(button(window, "reject-amal"), Qt.MouseButton.LeftButton)
    assert window.queue_model.rowCount() == 0
    doc = amal.page_ids(amal.query(), None, 1)[0]
    state = amal.document(doc)
    assert (state.status, state.comment) == ("rejected", "اليابان دولة: GPE")
    from app.core.commands import ChangeSpan

    amal.perform(ChangeSpan(doc, state.spans[0].uuid, EntitySpan(*at("اليابان"), "GPE")))
    amal.submit(doc)
    window.refresh_queue()
    assert window.queue_model.rowCount() == 1
    qtbot.mouseClick(button(window, "approve-amal"), Qt.MouseButton.LeftButton)
    assert window.queue_model.rowCount() == 0
    assert amal.document(doc).status == "approved"


def test_an_annotator_workspace_cannot_approve(db: Database, tmp_path: Path) -> None:
    import pytest

    from app.core.errors import PermissionDenied

    import_paths(
        Tawsim(db, "admin"),
        [write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})],
        ImportOptions(),
    )
    annotate(db, "amal", [("اليابان", "GPE")], "FAVOR")
    omar = as_user(db, "omar", Role.ANNOTATOR)
    assert omar.queue() == []  # blind: amal's set is not omar's to see
    [item] = as_user(db, "rana", Role.REVIEWER).queue()
    with pytest.raises(PermissionDenied, match="omar is an annotator and cannot approve"):
        omar.perform(Approve(item.sets[0][0]))


def test_agreement_opens_from_the_review_window(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_paths(
        Tawsim(db, "admin"),
        [write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})],
        ImportOptions(),
    )
    annotate(db, "amal", [("اليابان", "GPE")], "FAVOR")
    annotate(db, "omar", [("اليابان", "GPE")], "FAVOR")
    window = reviewer_window(qtbot, db)
    window.show_agreement()
    view = window.agreement_view
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.report is not None, timeout=10000)
    assert view.entity_table.item(0, 3).text() == "1.000"


def test_reviewer_leaves_out_and_edits_gold_spans(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_paths(
        Tawsim(db, "admin"),
        [write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})],
        ImportOptions(),
    )
    annotate(db, "amal", [("اليابان", "GPE")], "FAVOR")
    annotate(db, "omar", [("اليابان", "LOC")], "FAVOR")
    window = reviewer_window(qtbot, db)
    select_row(window.marks, 0)
    qtbot.mouseClick(button(window, "accept-omar"), Qt.MouseButton.LeftButton)
    assert window.marks.item(0, 4).text() == "LOC"
    qtbot.mouseClick(button(window, "leave-out"), Qt.MouseButton.LeftButton)
    assert window.marks.item(0, 4).text() == ""
    start, end = at("طوكيو")
    window.view.set_selection(start + 1, end - 1)  # sloppy: snapped to the word
    qtbot.keyClick(window.view, Qt.Key.Key_3)  # GPE
    rana = as_user(db, "rana")
    spans = rana.document(rana.page_ids(rana.query(), None, 1)[0]).spans
    assert [(s.start, s.end, s.label) for s in spans] == [(start, end, "GPE")]


def test_batch_approve_of_a_filtered_annotator(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_paths(
        Tawsim(db, "admin"),
        [write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})],
        ImportOptions(),
    )
    annotate(db, "amal", [("اليابان", "GPE")], "FAVOR")
    annotate(db, "omar", [("اليابان", "LOC")], "FAVOR")
    window = reviewer_window(qtbot, db)
    window.annotator_filter.setText("omar")
    window.refresh_queue()
    qtbot.mouseClick(button(window, "approve-batch"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 0)  # in the background
    assert "Approved 1 set(s)" in window.statusBar().currentMessage()
    omar = as_user(db, "omar")
    assert omar.document(omar.page_ids(omar.query(), None, 1)[0]).status == "approved"


def test_accepting_a_version_is_one_undo_step(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """amal's version of the EU cluster is two spans (nested): one click, one Ctrl+Z."""
    src = write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})
    import_paths(Tawsim(db, "admin"), [src], ImportOptions())
    annotate(db, "amal", [("الاتحاد الأوروبي", "ORG"), ("الأوروبي", "NORP")], "FAVOR")
    annotate(db, "omar", [("الاتحاد الأوروبي", "LOC")], "FAVOR")
    window = reviewer_window(qtbot, db)
    rana, doc = window.core, window.document_id
    assert doc is not None
    select_row(window.marks, 0)
    qtbot.mouseClick(button(window, "accept-amal"), Qt.MouseButton.LeftButton)
    assert sorted(s.label for s in rana.document(doc).spans) == ["NORP", "ORG"]
    assert window.undo_stack.count() == 1
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rana.document(doc).spans == ()
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert sorted(s.label for s in rana.document(doc).spans) == ["NORP", "ORG"]


def test_an_approval_is_undone_by_reopening(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.store.models import AuditRecord

    src = write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})
    import_paths(Tawsim(db, "admin"), [src], ImportOptions())
    amal = annotate(db, "amal", [("اليابان", "GPE")], "FAVOR")
    doc = amal.page_ids(amal.query(), None, 1)[0]
    window = reviewer_window(qtbot, db)
    qtbot.mouseClick(button(window, "approve-amal"), Qt.MouseButton.LeftButton)
    assert window.queue_model.rowCount() == 0 and amal.document(doc).status == "approved"
    assert "Ctrl+Z reopens" in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.queue_model.rowCount() == 1 and amal.document(doc).status == "submitted"
    with db.session() as session:
        actions = session.execute(
            select(AuditRecord.action, AuditRecord.user_id).order_by(AuditRecord.id)
        ).all()
    assert [a for a, _ in actions][-2:] == ["set.approve", "set.reopen"]


def test_the_reviewer_looks_back_at_approved_documents_and_reopens_one(  # type: ignore[no-untyped-def]
    qtbot, db: Database, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from app.store.models import AuditRecord

    src = write_jsonl(tmp_path / "d.jsonl", {"text": TEXT}, {"text": TEXT + " ثانية"})
    import_paths(Tawsim(db, "admin"), [src], ImportOptions())
    amal = annotate(db, "amal", [("اليابان", "GPE")], "FAVOR")
    doc = amal.page_ids(amal.query(), None, 1)[0]
    window = reviewer_window(qtbot, db)
    qtbot.mouseClick(button(window, "approve-amal"), Qt.MouseButton.LeftButton)
    panel = window.queue_panel
    panel.view_choice.setCurrentIndex(panel.view_choice.findData(True))  # "Approved (gold)"
    assert window.queue_model.rowCount() == 1 and window.document_id == doc
    assert "1 approved" in panel.count_label.text() and not panel.batch_button.isEnabled()
    qtbot.waitUntil(lambda: window.findChild(QPushButton, "approve-amal") is None)
    qtbot.mouseClick(button(window, "reopen-amal"), Qt.MouseButton.LeftButton)
    assert amal.document(doc).status == "submitted" and window.queue_model.rowCount() == 0
    assert "back in the queue" in window.statusBar().currentMessage()
    panel.view_choice.setCurrentIndex(panel.view_choice.findData(False))
    assert window.queue_model.rowCount() == 1
    with db.session() as session:
        actions = session.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all()
    assert actions[-2:] == ["set.approve", "set.reopen"]


def test_a_refused_batch_says_so_and_approves_nothing(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.core.errors import PermissionDenied

    src = write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})
    import_paths(Tawsim(db, "admin"), [src], ImportOptions())
    annotate(db, "amal", [("اليابان", "GPE")], "FAVOR")
    window = reviewer_window(qtbot, db)

    def refuse(**_kw: object) -> None:
        raise PermissionDenied("someone else changed the queue")

    window.core.approve_many = refuse  # type: ignore[method-assign]
    window.annotator_filter.setText("amal")
    qtbot.mouseClick(button(window, "approve-batch"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "notice") is not None)
    notice = window.findChild(QMessageBox, "notice")
    assert "someone else changed the queue" in notice.text()
    assert "Approved" not in window.statusBar().currentMessage()


def test_accepting_a_stance_keeps_its_evidence_and_holder(
    qtbot, db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from app.core.domain import TextRange

    src = write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})
    import_paths(Tawsim(db, "admin"), [src], ImportOptions())
    amal = as_user(db, "amal", Role.ANNOTATOR)
    doc = amal.page_ids(amal.query(), None, 1)[0]
    judgement = StanceJudgement(
        "اليابان", "FAVOR", (TextRange(*at("عن شراكة")),), TextRange(*at("الاتحاد الأوروبي"))
    )
    amal.perform(SetStance(doc, judgement, str(uuid.uuid4())))
    amal.submit(doc)
    annotate(db, "omar", [], "AGAINST")
    window = reviewer_window(qtbot, db)
    select_row(window.marks, window.marks.rowCount() - 1)  # the stance row
    qtbot.mouseClick(button(window, "accept-amal"), Qt.MouseButton.LeftButton)
    [gold] = window.core.document(doc).stances
    assert gold.judgement == judgement


def test_the_queue_is_read_a_page_at_a_time(qtbot, qtmodeltester, db: Database) -> None:  # type: ignore[no-untyped-def]
    from app.core.domain import SetStatus
    from app.gui.review_queue_model import ReviewQueueModel
    from app.store.values import QueueFilter
    from tests.conftest import store_set

    rana = as_user(db, "rana", Role.REVIEWER)
    for n in range(5):
        for who in ("amal", "omar"):
            store_set(rana, f"خبر رقم {n} عن طوكيو", who, SetStatus.SUBMITTED)
    model = ReviewQueueModel(rana, page_size=2)
    model.set_filter(QueueFilter())
    assert model.rowCount() == 2 and model.total() == 5  # counted, not read
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [model.item(r).title for r in range(5)] == [f"خبر رقم {n} عن طوكيو" for n in range(5)]
    assert all(len(model.item(r).sets) == 2 for r in range(5))
    model.set_filter(QueueFilter(level="none"))  # agreed (no spans): every document, unknown count
    assert model.total() is None and model.rowCount() == 2
    qtmodeltester.check(model)  # (it fetches the rest)


def test_the_queue_shows_work_handed_in_elsewhere_without_a_restart(  # type: ignore[no-untyped-def]
    qtbot, db: Database, tmp_path: Path, monkeypatch
) -> None:
    """Another window, laptop or command submits: the open review window's queue updates
    (PostgreSQL pushes a notice; SQLite's kept counts are compared)."""
    import app.store.change_feed as change_feed

    monkeypatch.setattr(change_feed, "POLL_MS", 50)
    src = write_jsonl(tmp_path / "d.jsonl", {"text": TEXT}, {"text": TEXT + " ثانية"})
    import_paths(Tawsim(db, "admin"), [src], ImportOptions())
    annotate(db, "amal", [("اليابان", "GPE")], "FAVOR")
    window = reviewer_window(qtbot, db)
    assert window.queue_model.rowCount() == 1
    shown = window.document_id
    last = window.marks.rowCount() - 1
    assert last >= 1
    window.marks.selectRow(last)  # the reviewer is looking at a mark
    # Elsewhere (another connection to the same database), omar hands in the second article.
    with Database.open(db.url) as elsewhere:
        omar = as_user(elsewhere, "omar", Role.ANNOTATOR)
        second = omar.page_ids(omar.query(), None, 2)[1]
        omar.perform(AddSpan(second, EntitySpan(*at("اليابان"), "GPE"), str(uuid.uuid4())))
        omar.submit(second)
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 2, timeout=5000)
    assert window.document_id == shown  # the reviewer stays where they were
    assert window.marks.currentRow() == last  # at the same mark
    assert "updated" in window.statusBar().currentMessage()
