"""The layer rules: nothing outside app/gui imports PySide6; layers import downwards only."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

QT_MODULES = {"PySide6", "shiboken6", "PyQt5", "PyQt6"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_qt_import_outside_gui() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "app").rglob("*.py")
        if "gui" not in path.relative_to(REPO / "app").parts[:1]
        and _imported_roots(path) & QT_MODULES
    ]
    assert offenders == []


def test_the_check_sees_a_qt_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from PySide6.QtCore import QObject\n")
    assert "PySide6" in _imported_roots(module)


def test_core_store_io_cli_run_without_qt_loaded() -> None:
    code = (
        "import sys, app.cli.main, app.io.importer, app.io.exporter, app.store.database;"
        "bad = [m for m in sys.modules if m.split('.')[0] in {'PySide6', 'shiboken6'}];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_linter_contracts() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is a test dependency"
    result = subprocess.run([lint_imports, "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
