"""Suggestions in the annotator's window: dashed, never stored until accepted, Enter accepts
and Backspace turns down, clitic-aware."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.core.domain import EntitySpan, Role, SetStatus
from app.core.suggestions import Suggestion
from app.store.core import Tawsim
from app.store.database import Database
from app.store.models import AuditRecord
from tests.conftest import as_user, store_set
from tests.gui.test_main_window import open_window, stored_spans

APPROVED = "أعلن الاتحاد الأوروبي وطوكيو اتفاقا"


def test_approved_spans_are_suggested_and_stored_only_when_accepted(  # type: ignore[no-untyped-def]
    qtbot, seeded_db: Database
) -> None:
    admin = as_user(seeded_db, "admin", Role.ADMIN)
    union, tokyo = APPROVED.index("الاتحاد الأوروبي"), APPROVED.index("طوكيو")
    spans = [EntitySpan(union, union + 16, "ORG"), EntitySpan(tokyo, tokyo + 5, "GPE")]
    store_set(admin, APPROVED, "amal", SetStatus.APPROVED, spans)
    window = open_window(qtbot, seeded_db)
    controller = window.controller
    qtbot.waitUntil(lambda: bool(controller.lexicon))
    state = controller.state
    assert state is not None and state.spans == ()
    shown = [(state.text[s.start : s.end], s.label) for s in controller.suggestions]
    assert ("الاتحاد الأوروبي", "ORG") in shown and ("طوكيو", "GPE") in shown
    assert len(window.view.suggestions()) == len(shown)
    # Inside بالاتحاد الأوروبي the suggestion leaves the ب out.
    inside = state.text.index("بالاتحاد الأوروبي") + 1
    assert any(s.start == inside for s in controller.suggestions)
    assert Tawsim(seeded_db, "amal").document(state.id).spans == ()  # nothing stored yet

    first = controller.suggestions[0]
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return)  # accept the first
    assert [(a, b, label) for a, b, label in stored_spans(seeded_db)] == [
        (first.start, first.end, first.label)
    ]
    assert "Accepted" in window.statusBar().currentMessage()
    assert all(s.start != first.start for s in controller.suggestions)  # a span now
    second = controller.suggestions[0]
    qtbot.keyClick(window.view, Qt.Key.Key_Backspace)  # turn the next one down
    assert second not in controller.suggestions and len(stored_spans(seeded_db)) == 1
    controller.load(state.id)  # it stays turned down
    assert second not in controller.suggestions
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_spans(seeded_db) == [] and first in controller.suggestions  # undo: back


class StubModel:
    """Stands for a trained pipeline (tests/io/test_train_pipeline.py trains a real one)."""

    name = "stub@1"

    def suggest(self, text: str) -> list[Suggestion]:
        at = text.index("طوكيو")
        return [Suggestion(at, at + 5, "GPE", f"model:{self.name}")]


def test_a_model_pre_annotates_and_an_accepted_span_records_it(  # type: ignore[no-untyped-def]
    qtbot, seeded_db: Database
) -> None:
    window = open_window(qtbot, seeded_db)
    controller = window.controller
    controller.set_model(StubModel())  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: any(s.source == "model:stub@1" for s in controller.suggestions))
    assert stored_spans(seeded_db) == []  # nothing stored before it is accepted
    while controller.suggestions[0].source != "model:stub@1":
        controller.reject_suggestion()
    controller.accept_suggestion()
    assert "suggested by model:stub@1" in window.statusBar().currentMessage()
    with seeded_db.session() as session:
        after = session.scalars(
            select(AuditRecord.after).where(AuditRecord.action == "span.add")
        ).one()
    assert after["label"] == "GPE" and after["suggested_by"] == "model:stub@1"
