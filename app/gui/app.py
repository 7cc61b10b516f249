"""Starting the desktop app: ``tawsim`` (no command) or ``tawsim gui``."""

from __future__ import annotations

import argparse
import os
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from app import __version__
from app.core.errors import PasswordRefused, TawsimError
from app.core.preferences import Preferences
from app.gui.appearance import apply_preferences
from app.gui.fonts import load_bundled_fonts
from app.gui.main_window import MainWindow
from app.gui.profile_dialog import ProfileDialog, WhoIs
from app.store.core import Tawsim
from app.store.database import Database, login_of, resolve_url, with_password


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
    """The main window over ``db`` as the profile's user (who joins the database now); on a
    team database, as the connection's login (the profile is left as it is)."""
    core = Tawsim(db, prefs.user_name if db.team is None else "")
    role = core.join().role.value  # what the database gives, shown (and remembered)
    if db.team is None:
        prefs.role = role
        prefs.save()
    window = MainWindow(core, prefs, db_label=str(db.url).removeprefix("sqlite:///"))
    window.resize(1400, 860)
    return window


PASSWORD_TRIES = 3


def open_database(path_or_url: str | None) -> Database | None:
    """The database, asking for the login's password while the server refuses it (kept in
    memory for this session only; libpq's PGPASSWORD and ~/.pgpass are used first). None: the
    user gave up."""
    url = resolve_url(path_or_url)
    for _ in range(PASSWORD_TRIES):
        try:
            return Database.open(url)
        except PasswordRefused as exc:
            password, ok = QInputDialog.getText(
                None,
                "Tawsim",
                QCoreApplication.translate("app", "Password for {login}:").format(
                    login=login_of(url)
                )
                + f"\n\n{exc}",
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                return None
            url = with_password(url, password)
    return Database.open(url)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = application()
    prefs = Preferences.load()
    apply_preferences(app, prefs)  # language (and so direction), theme, document font
    try:
        db = open_database(args.db)
        if db is None:
            return 0
        if db.team is not None:
            Tawsim(db, args.user or "")  # refuses a --user that is not the login
        elif not ensure_profile(prefs, args.user, Tawsim(db).whois):  # reads a name's role
            return 0
        report = db.migration
        if report is not None and report.notes:
            repaired = QCoreApplication.translate("app", "The database was repaired:")
            QMessageBox.information(None, "Tawsim", repaired + "\n\n" + "\n".join(report.notes))
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
