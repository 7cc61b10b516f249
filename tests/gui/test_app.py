"""Starting the app: the entry point, the first-run profile, the screenshot tool."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from app.core.preferences import Preferences
from app.gui.app import ensure_profile
from app.gui.profile_dialog import ProfileDialog
from app.gui.screenshots import take_screenshots
from app.main import _split_global_options
from tests.conftest import REPO


def test_entry_point_routes_gui_and_cli() -> None:
    assert _split_global_options(["--db", "x.db", "gui"]) == (["--db", "x.db"], ["gui"])
    assert _split_global_options(["--db=x.db", "stats"]) == (["--db=x.db"], ["stats"])
    assert _split_global_options([]) == ([], [])
    gui = subprocess.run(
        [sys.executable, "-m", "app", "gui", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert gui.returncode == 0 and "--db" in gui.stdout
    cli = subprocess.run(
        [sys.executable, "-m", "app", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 0 and "import" in cli.stdout


def test_profile_dialog_needs_a_name(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    assert not dialog._ok.isEnabled()
    dialog.name_edit.setText("أمل")
    dialog.role_box.setCurrentIndex(dialog.role_box.findData("reviewer"))
    assert dialog._ok.isEnabled() and (dialog.name, dialog.role) == ("أمل", "reviewer")


def test_first_run_profile_is_remembered(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        ProfileDialog,
        "exec",
        lambda self: (self.name_edit.setText("Amal"), ProfileDialog.DialogCode.Accepted)[1],
    )
    prefs = Preferences.load()
    assert ensure_profile(prefs, None)
    assert Preferences.load().user_name == "Amal"


def test_screenshots_of_every_main_view(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shots = take_screenshots(tmp_path)
    assert [p.name for p in shots] == [
        "annotation-view.png",
        "stance-panel.png",
        "document-list-search.png",
        "suggestions.png",
        "review-window.png",
        "dashboard.png",
    ]
    for path in shots:
        image = QImage(str(path))
        assert image.width() > 300 and image.height() > 300
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 17)
            for y in range(0, image.height(), 17)
        }
        assert len(colours) > 20, f"{path.name} looks blank"


def test_a_role_the_database_does_not_give_is_refused_in_the_dialog(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    """One identity policy: the admin (the first user) exists; a new name asking to be a
    reviewer is told, in the dialog, that it starts as an annotator, and keeps that."""
    from app.core.domain import Role
    from app.store.core import Tawsim

    Tawsim(db, "admin").join()
    dialog = ProfileDialog("rana", "annotator", whois=Tawsim(db).whois)
    qtbot.addWidget(dialog)
    assert dialog.notice.isHidden()
    dialog.role_box.setCurrentIndex(dialog.role_box.findData("reviewer"))
    assert not dialog.notice.isHidden()
    assert "starts as an annotator" in dialog.notice.text()
    assert "only an admin" in dialog.notice.text()
    assert (dialog.role, dialog.granted_role) == ("reviewer", "annotator")
    Tawsim(db, "admin").add_user("rana", Role.REVIEWER)  # once an admin grants it...
    dialog.name_edit.setText("rana ")
    assert dialog.notice.isHidden() and dialog.granted_role == "reviewer"


def test_the_profile_keeps_the_role_it_has(qtbot, monkeypatch, db) -> None:  # type: ignore[no-untyped-def]
    from app.store.core import Tawsim

    Tawsim(db, "admin").join()

    def ask_for_reviewer(self: ProfileDialog) -> ProfileDialog.DialogCode:
        self.name_edit.setText("amal")
        self.role_box.setCurrentIndex(self.role_box.findData("reviewer"))
        return ProfileDialog.DialogCode.Accepted

    monkeypatch.setattr(ProfileDialog, "exec", ask_for_reviewer)
    prefs = Preferences.load()
    assert ensure_profile(prefs, None, Tawsim(db).whois)
    assert (Preferences.load().user_name, Preferences.load().role) == ("amal", "annotator")


def test_a_database_first_opened_in_the_gui_gets_an_admin(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from app.core.domain import Role
    from app.gui.app import open_window

    prefs = Preferences(user_name="أمل", role="annotator")
    window = open_window(db, prefs)
    qtbot.addWidget(window)
    assert window.user.role is Role.ADMIN and prefs.role == "admin"
    second = open_window(db, Preferences(user_name="omar", role="reviewer"))
    qtbot.addWidget(second)
    assert second.user.role is Role.ANNOTATOR  # asking is not enough
