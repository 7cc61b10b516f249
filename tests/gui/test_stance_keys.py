"""The stance panel as annotators use it: keys for the values, nothing shown pressed that is not
stored, holders told apart when the same name is a span twice."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt

from app.core.commands import AddSpan
from app.core.domain import EntitySpan
from app.gui.stance_panel import holder_names
from app.store.database import Database
from tests.gui.test_main_window import open_window


def pressed(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.text() for b in window.stance_panel.value_group.buttons() if b.isChecked()]


def test_a_document_without_a_stance_shows_no_value_pressed(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, seeded_db)
    panel = window.stance_panel
    target = panel.target_box.currentText()
    assert target and pressed(window) == []
    qtbot.keyClick(window.view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 2nd value
    second = window.controller.schema.stance_values[1]
    qtbot.waitUntil(lambda: pressed(window) == [second])
    assert [s.judgement.value for s in window.controller.state.stances] == [second]  # type: ignore[union-attr]
    assert "Ctrl+2" in panel.findChild(type(panel.remove_button), f"stance-{second}").toolTip()
    window.submit(allow_empty=True)  # on to the next document, which has no stance
    assert window.controller.state.stances == ()  # type: ignore[union-attr]
    assert panel.target_box.currentText() == target and pressed(window) == []


def test_holders_with_the_same_text_are_told_apart(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, seeded_db)
    state = window.controller.state
    assert state is not None
    name = "الاتحاد الأوروبي"
    at = [i for i in range(len(state.text)) if state.text.startswith(name, i)][:2]
    assert len(at) == 2
    for start in at:
        window.core.perform(
            AddSpan(state.id, EntitySpan(start, start + len(name), "ORG"), str(uuid.uuid4()))
        )
    window.controller.load(state.id)
    names = [n for n, _span in holder_names(window.controller.state)]  # type: ignore[arg-type]
    assert names == [f"{name} (ORG) · 1/2", f"{name} (ORG) · 2/2"]
    box = window.stance_panel.holder_box
    assert [box.itemText(i) for i in range(1, box.count())] == names
    assert box.layoutDirection() == Qt.LayoutDirection.RightToLeft
