"""GUI tests run offscreen against a real database; they skip where PySide6 is missing."""

from __future__ import annotations

import os
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from tests.conftest import as_user

pytest.importorskip("PySide6")

from app.core.domain import Role
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import SEEDS


@pytest.fixture(autouse=True)
def _qsettings_in_tmp(tmp_path: Path) -> None:
    """Window geometry (QSettings) goes to the test's folder, never the user's."""
    from PySide6.QtCore import QSettings

    QSettings.setPath(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings")
    )


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A test that switched the interface to Arabic, a theme or a text font leaves English,
    left to right, the platform's look and the bundled font to the tests after it."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if isinstance(app, QApplication):
        from app.gui import appearance

        appearance.reset(app)


@pytest.fixture
def seeded_db(db: Database) -> Database:
    import_paths(Tawsim(db, "admin"), [SEEDS], ImportOptions())
    Tawsim(db).build_search_index()
    return db


@pytest.fixture
def workspace(seeded_db: Database) -> Tawsim:
    return as_user(seeded_db, "amal", Role.ANNOTATOR)


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


def show_active(qtbot, window, width: int = 1200, height: int = 800) -> None:  # type: ignore[no-untyped-def]
    """Show ``window`` at a size as the active window (window shortcuts, such as the label
    hotkeys and Ctrl+Z, reach only the active one), with its first document loaded."""
    from PySide6.QtWidgets import QApplication

    window.resize(width, height)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: window.controller.state is not None)
