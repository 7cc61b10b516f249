"""The report page and the charts, without the command line: the figures drawn for every
chart, also with nothing to show; the page written whole or not at all."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.core.dashboard import Dashboard, DecisionDay, LabelInfo, WeekAgreement
from app.core.domain import Role
from app.core.errors import InputError
from app.io import report
from app.io.dashboard_charts import CHARTS, chart_figure
from app.store.database import Database
from tests.conftest import as_user
from tests.dashboard_corpus import build_corpus

PNG = b"\x89PNG\r\n\x1a\n"


def empty_board() -> Dashboard:
    return Dashboard(
        viewer="rana",
        own_work_only=False,
        made_at=datetime(2025, 3, 14, 10, tzinfo=UTC),
        documents=0,
        labels=(LabelInfo("PER", "شخص", "#e6194b"),),
        stance_values=("FAVOR", "AGAINST"),
        annotators=(),
        label_counts=(),
        stances=(),
        decisions=(),
        agreement=(),
        agreement_weeks=0,
    )


def test_every_chart_draws_with_nothing_to_show() -> None:
    board = empty_board()
    for chart in CHARTS:
        assert report.figure_png(chart, board).startswith(PNG)
    page = report.render_report(board)
    assert "No annotation sets yet." in page and "No review decisions yet." in page


def test_long_periods_are_shown_per_week_and_cuts_are_said() -> None:
    start = date(2025, 1, 6)
    days = tuple(DecisionDay(start + timedelta(days=3 * i), approved=1) for i in range(40))
    weeks = tuple(
        WeekAgreement(f"2025-W{n:02d}", start, 400, 300, 0.8, 0.9, 0.5, None, 20)
        for n in range(2, 28)
    )
    board = replace(empty_board(), decisions=days, agreement=weeks, agreement_weeks=30)
    figure = chart_figure(next(c for c in CHARTS if c.key == "decisions"), board)
    assert figure.axes[0].get_title(loc="left") == "Review decisions per week (UTC)"
    figure = chart_figure(next(c for c in CHARTS if c.key == "agreement"), board)
    note = figure.axes[0].get_xlabel()
    assert "a fixed sample of 300 a week" in note and "the last 26 of 30 weeks" in note
    page = report.render_report(board)
    assert "scored on a fixed sample of 300" in page and "The last 26 of 30 weeks." in page


def test_a_failed_write_leaves_the_previous_page(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_corpus(db, tmp_path)
    board = as_user(db, "rana", Role.REVIEWER).dashboard()
    out = tmp_path / "out" / "r.html"
    out.parent.mkdir()
    report.write_report(board, out)
    first = out.read_bytes()

    def broken(chart: object, board: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report, "_figure", broken)
    with pytest.raises(OSError):
        report.write_report(board, out)
    assert out.read_bytes() == first
    assert [p.name for p in out.parent.iterdir()] == ["r.html"]
    monkeypatch.undo()

    def killed(self: object) -> None:  # the page written, then the rename fails
        raise KeyboardInterrupt

    monkeypatch.setattr(report.AtomicFile, "commit", killed)
    with pytest.raises(KeyboardInterrupt):
        report.write_report(board, out)
    assert out.read_bytes() == first
    assert [p.name for p in out.parent.iterdir()] == ["r.html"]  # the part file was removed
    with pytest.raises(InputError, match="does not exist"):
        report.write_report(board, tmp_path / "nowhere" / "r.html")
