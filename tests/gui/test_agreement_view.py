"""The agreement view: figures computed in the background from sets built through the core."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTableWidget

from app.core.domain import EntitySpan, Role
from app.gui.agreement_view import AgreementView
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import as_user, write_jsonl
from tests.store.test_agreement_data import _fill as fill_set
from tests.store.test_agreement_data import _span

TEXT1 = "أعلنت اليابان والاتحاد الأوروبي عن شراكة أمنية"
TEXT2 = "قال الرئيس الأمريكي إن الصين شريك تجاري"
TEXT3 = "زار وزير الخارجية الياباني بكين"
JAPAN, EU, CHINA = "اليابان", "الاتحاد الأوروبي", "الصين"


def _fill(
    core: Tawsim,
    doc: int,
    spans: list[EntitySpan],
    stances: dict[str, str],
    *,
    submit: bool = True,
) -> None:
    fill_set(core, doc, spans, stances)
    if submit:
        core.submit(doc)


@pytest.fixture
def view(qtbot, db: Database, tmp_path) -> AgreementView:  # type: ignore[no-untyped-def]
    src = write_jsonl(tmp_path / "d.jsonl", {"text": TEXT1}, {"text": TEXT2}, {"text": TEXT3})
    import_paths(Tawsim(db, "admin"), [src], ImportOptions())
    amal, omar, sara = (as_user(db, n, Role.ANNOTATOR) for n in ("amal", "omar", "sara"))
    doc1, doc2, doc3 = amal.page_ids(amal.query(), None, 3)
    japan, china = _span(TEXT1, JAPAN, "GPE"), _span(TEXT2, CHINA, "GPE")
    # Document 1: same GPE, omar's ORG takes in the و -> exact F1 1/2, overlap F1 1.
    _fill(amal, doc1, [japan, _span(TEXT1, EU, "ORG")], {JAPAN: "FAVOR", EU: "FAVOR"})
    eu_wa = _span(TEXT1, EU, "ORG", prefix="و")
    _fill(omar, doc1, [japan, eu_wa], {JAPAN: "FAVOR", EU: "NEUTRAL"})
    # Document 2: both agree, but omar's set is still in progress.
    _fill(amal, doc2, [china], {CHINA: "AGAINST"})
    _fill(omar, doc2, [china], {CHINA: "AGAINST"}, submit=False)
    # Document 3: sara alone, sharing nothing with anyone.
    _fill(sara, doc3, [_span(TEXT3, "بكين", "GPE")], {CHINA: "NEUTRAL"})
    widget = AgreementView(as_user(db, "rana", Role.REVIEWER))  # blind: annotators see their own
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    return widget


def _rows(table: QTableWidget) -> dict[str, list[str]]:
    """Row header (or "A ~ B") -> cell texts."""
    rows = {}
    for row in range(table.rowCount()):
        cells = [table.item(row, c).text() for c in range(table.columnCount())]
        header = table.verticalHeaderItem(row)
        key = header.text() if table.objectName() == "stance-agreement" else " ~ ".join(cells[:2])
        rows[key] = cells
    return rows


def test_figures_of_submitted_and_reviewed_sets(qtbot, view: AgreementView) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.computed, timeout=10000) as signal:
        view.show()  # the first show computes
    report = signal.args[0]
    assert report["annotators"] == ["amal", "omar", "sara"]

    entities = _rows(view.findChild(QTableWidget, "entity-agreement"))
    assert entities["amal ~ omar"] == ["amal", "omar", "1", "0.500", "1.000"]
    for pair in ("amal ~ sara", "omar ~ sara"):
        assert entities[pair][3:] == ["no overlap", "no overlap"]

    stance_table = view.findChild(QTableWidget, "stance-agreement")
    stance = _rows(stance_table)
    # Two items rated twice (F/F, F/N): 50 %, kappa 0, alpha 0, AC1 3/7 (4 schema values).
    assert stance["overall"] == ["2", "50.0%", "0.000", "0.000", "0.429"]
    assert stance[JAPAN][:2] == ["1", "100.0%"]
    assert stance[CHINA] == ["0", "—", "—", "—", "—"]  # Arabic target shown as-is
    china_row = list(stance).index(CHINA)
    assert "two or more" in stance_table.item(china_row, 2).toolTip()

    ax = view.figure.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["GPE", "ORG"]
    assert len(ax.patches) == 2 * 2  # exact and overlap bars for each label
    assert [round(p.get_height(), 3) for p in ax.patches] == [1.0, 0.0, 1.0, 1.0]
    view.grab().save("/tmp/agreement_view.png")


def test_including_work_in_progress(qtbot, view: AgreementView) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.computed, timeout=10000):
        view.refresh()
    with qtbot.waitSignal(view.computed, timeout=10000) as signal:
        view.include.setCurrentIndex(1)  # "All (with work in progress)" recomputes
    assert signal.args[0]["shared_documents"] == 2
    entities = _rows(view.entity_table)
    assert entities["amal ~ omar"][2:] == ["2", "0.667", "1.000"]  # omar's document 2 counts


def test_a_newer_refresh_supersedes_an_older_one(qtbot, view: AgreementView) -> None:  # type: ignore[no-untyped-def]
    seen: list[dict] = []
    view.computed.connect(seen.append)
    view.refresh()
    view.include.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not view._jobs.running, timeout=10000)
    qtbot.wait(200)  # let a stale result arrive, were it not dropped
    assert [r["shared_documents"] for r in seen] == [2]


def test_an_empty_project_shows_no_pairs(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    view = AgreementView(as_user(db, "amal", Role.ANNOTATOR))
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.computed, timeout=10000):
        view.refresh()
    assert view.entity_table.rowCount() == 0
    assert _rows(view.stance_table)["overall"][1] == "—"
    assert len(view.figure.axes[0].patches) == 0
