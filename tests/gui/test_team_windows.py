"""Three people on one PostgreSQL team database through the desktop app: two annotators and a
reviewer, each connected with their own login (tests/teams.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog

from app.core.domain import Role
from app.core.preferences import Preferences
from app.gui.app import open_database, open_window
from app.gui.main_window import MainWindow
from app.store.database import Database, with_password
from tests.gui.conftest import show_active
from tests.gui.test_main_window import select_utf16
from tests.postgres import PostgresServer
from tests.teams import ARTICLE, Team, team_database


@pytest.fixture
def team(postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:
    monkeypatch.delenv("TAWSIM_USER", raising=False)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with team_database(postgres) as made:
        yield made


def login_window(qtbot, team: Team, who: str, monkeypatch: pytest.MonkeyPatch) -> MainWindow:  # type: ignore[no-untyped-def]
    """``who`` starts Tawsim on the team's URL without a password and types it when asked."""
    asked: list[str] = []

    def type_password(*args: object, **kwargs: object) -> tuple[str, bool]:
        asked.append(str(args[2]))
        return f"pw-{team.names[who]}", True

    monkeypatch.setattr(QInputDialog, "getText", type_password)
    db = open_database(with_password(team.url(who), ""))
    assert db is not None and len(asked) == 1 and team.names[who] in asked[0]
    prefs = Preferences(user_name="whoever-the-profile-says", role="admin")
    window = open_window(db, prefs)
    qtbot.addWidget(window)
    assert prefs.user_name == "whoever-the-profile-says"  # the profile is left alone
    show_active(qtbot, window, 1366, 768)
    return window


def test_two_annotators_and_a_reviewer_work_on_one_server(  # type: ignore[no-untyped-def]
    qtbot, team: Team, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    amal = login_window(qtbot, team, "amal", monkeypatch)
    assert (amal.user.name, amal.user.role) == (team.names["amal"], Role.ANNOTATOR)
    switch = next(a for a in amal.findChildren(type(amal.menuBar().actions()[0])) if
                  "profile" in a.text().lower())  # fmt: skip
    assert not switch.isEnabled()  # the login is who acts

    rana = login_window(qtbot, team, "rana", monkeypatch)
    rana.open_review()
    review = rana.review_window
    assert review is not None
    qtbot.addWidget(review)
    assert review.queue_model.rowCount() == 0

    # amal labels the company and hands the article in; the reviewer's queue shows it live.
    amal.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is amal)
    assert amal.controller.state is not None and amal.controller.state.text == ARTICLE
    start = ARTICLE.index("أرامكو")
    select_utf16(amal, start, start + len("أرامكو"))
    amal.controller.apply_label("ORG")
    amal.submit()  # Ctrl+Enter
    qtbot.waitUntil(lambda: amal.progress_label.text() == "1 of 2 done")
    qtbot.waitUntil(lambda: review.queue_model.rowCount() == 1, timeout=5000)

    # badr, on the same article, sees the text and none of amal's work.
    badr = login_window(qtbot, team, "badr", monkeypatch)
    assert badr.controller.state is not None and badr.controller.state.text == ARTICLE
    assert badr.controller.state.spans == ()
    assert team.sql("badr", "SELECT count(*) FROM spans") == [(0,)]

    review.grab().save(str(tmp_path / "team-review.png"))
    amal.grab().save(str(tmp_path / "team-annotator.png"))
    assert (tmp_path / "team-review.png").stat().st_size > 10_000


def test_a_wrong_password_is_asked_again_and_giving_up_opens_nothing(  # type: ignore[no-untyped-def]
    qtbot, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([("wrong", True), ("", False)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    assert open_database(with_password(team.url("amal"), "")) is None
    with pytest.raises(StopIteration):
        next(answers)  # asked twice: after the missing password and after the wrong one
    Database.open(team.url("amal")).close()  # the right one opens it
