"""Starting the desktop app: ``tawsim`` (no command) or ``tawsim gui``."""

from __future__ import annotations

import argparse
import os
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.core.errors import TawsimError
from app.core.preferences import Preferences
from app.gui.fonts import load_bundled_fonts
from app.gui.main_window import MainWindow
from app.gui.profile_dialog import ProfileDialog, WhoIs
from app.store.core import Tawsim
from app.store.database import Database


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tawsim", description="Tawsim desktop annotation.")
    parser.add_argument(
        "--db",
        default=os.environ.get("TAWSIM_DB"),
        help="database file or URL (default: your user data folder)",
    )
    parser.add_argument("--user", help="annotate as this user (default: your saved profile)")
    return parser.parse_args(argv)


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Tawsim")
    app.setOrganizationName("tawsim")
    app.setApplicationVersion(__version__)
    load_bundled_fonts()
    return app


def ensure_profile(prefs: Preferences, user: str | None, whois: WhoIs | None = None) -> bool:
    """Ask for name and role on first run (remembered in the preferences file); the role kept
    is the one the database gives (``whois``), never more."""
    if user:
        prefs.user_name = user
    if prefs.has_profile:
        return True
    dialog = ProfileDialog(prefs.user_name, prefs.role, whois=whois)
    if dialog.exec() != ProfileDialog.DialogCode.Accepted:
        return False
    prefs.user_name, prefs.role = dialog.name, dialog.granted_role
    prefs.save()
    return True


def open_window(db: Database, prefs: Preferences) -> MainWindow:
    """The main window over ``db`` as the profile's user (who joins the database now)."""
    core = Tawsim(db, prefs.user_name)
    prefs.role = core.join().role.value  # what the database gives, shown and remembered
    prefs.save()
    window = MainWindow(core, prefs, db_label=str(db.url).removeprefix("sqlite:///"))
    window.resize(1400, 860)
    return window


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = application()
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    prefs = Preferences.load()
    try:
        db = Database.open(args.db)
        lookup = Tawsim(db)  # reads only: what role a name has
        if not ensure_profile(prefs, args.user, lookup.whois):
            return 0
        report = db.migration
        if report is not None and report.notes:
            QMessageBox.information(
                None, "Tawsim", "The database was repaired:\n\n" + "\n".join(report.notes)
            )
        windows = [open_window(db, prefs)]
    except TawsimError as exc:
        QMessageBox.critical(None, "Tawsim", str(exc))
        return 1

    def reopen() -> None:
        """After a profile switch: the same database, seen as the new user."""
        old = windows[0]
        windows[0] = open_window(db, prefs)
        windows[0].profileSwitched.connect(reopen)
        windows[0].show()
        old.close()
        old.deleteLater()

    windows[0].profileSwitched.connect(reopen)
    windows[0].show()
    if windows[0].user.role.can_review:
        windows[0].open_review()  # reviewers start at their queue
    code = app.exec()
    db.close()
    return code
