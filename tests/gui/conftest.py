"""GUI tests run offscreen against a real database; they skip where PySide6 is missing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

pytest.importorskip("PySide6")

from app.core.domain import Role  # noqa: E402
from app.io.importer import ImportOptions, import_paths  # noqa: E402
from app.store.database import Database  # noqa: E402
from app.store.workspace import Workspace  # noqa: E402
from tests.conftest import SEEDS  # noqa: E402


@pytest.fixture
def seeded_db(db: Database) -> Database:
    import_paths(db, "admin", [SEEDS], ImportOptions())
    return db


@pytest.fixture
def workspace(seeded_db: Database) -> Workspace:
    return Workspace(seeded_db, "amal", Role.ANNOTATOR)


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS
