"""Guard against the PySide6 6.12.0 + Python < 3.12 crash (`Fatal Python error: none_dealloc`).

That release loses a reference to `None` on every call of a method that returns nothing
(`QTextCursor.setPosition`, `QTextEdit.setExtraSelections`, ...); on Python 3.10/3.11, where
`None` is reference-counted, the interpreter aborts after a few thousand such calls. An
annotation session makes far more. The calls run in a subprocess so that an abort fails the
test instead of killing pytest.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PySide6 = pytest.importorskip("PySide6")

CALLS = 20_000
MARKER = "TAWSIM-PYSIDE-STABLE"
ARABIC = "أعلن الاتحاد الأوروبي أيضًا عن خطة جديدة لدعم شركات مثل Nvidia في عام 2024. "

# Shared by both scripts: a document with Arabic text, and a check that `None` kept its
# references (the leak shows there even when `None` has too many references to reach zero).
_PRELUDE = f"""
import sys

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument

CALLS = {CALLS}
TEXT = {ARABIC!r} * 40


def none_refs():
    return sys.getrefcount(None)


def report(before):
    lost = before - none_refs()
    print(f"none references lost: {{lost}}")
    if lost > CALLS // 10:
        print(f"None loses a reference per call: {{lost}} lost in {{CALLS}} loops")
        sys.exit(3)
    print("{MARKER}")
"""

GUI_SCRIPT = (
    _PRELUDE
    + """
from PySide6.QtGui import QGuiApplication

app = QGuiApplication([])
doc = QTextDocument()
doc.setPlainText(TEXT)
length = doc.characterCount() - 1
cursor = QTextCursor(doc)
before = none_refs()
for i in range(CALLS):
    cursor.setPosition(i % length)
    cursor.setPosition((i * 7) % length, QTextCursor.MoveMode.KeepAnchor)
    cursor.clearSelection()
    cursor.setKeepPositionOnInsert(i % 2 == 0)
    doc.setTextWidth(300 + i % 200)
report(before)
"""
)

WIDGETS_SCRIPT = (
    _PRELUDE
    + """
from PySide6.QtWidgets import QApplication, QTextEdit

app = QApplication([])
edit = QTextEdit()
edit.setPlainText(TEXT)
edit.resize(600, 400)
doc = edit.document()
length = doc.characterCount() - 1
fmt = QTextCharFormat()
fmt.setBackground(QColor("#ffe08a"))
before = none_refs()
for i in range(CALLS):
    cursor = QTextCursor(doc)
    cursor.setPosition(i % length)
    cursor.setPosition(min(length, i % length + 5), QTextCursor.MoveMode.KeepAnchor)
    selection = QTextEdit.ExtraSelection()
    selection.cursor = cursor
    selection.format = fmt
    edit.setExtraSelections([selection])
    edit.setTextCursor(cursor)
    if i % 1000 == 0:
        app.processEvents()
edit.setExtraSelections([])
report(before)
"""
)


def _run(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "stability_script.py"
    path.write_text(textwrap.dedent(script), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONFAULTHANDLER="1")
    return subprocess.run(
        [sys.executable, str(path)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


@pytest.mark.parametrize("script", [GUI_SCRIPT, WIDGETS_SCRIPT], ids=["QtGui", "QtWidgets"])
def test_many_void_calls_do_not_abort(script: str, tmp_path: Path) -> None:
    result = _run(script, tmp_path)
    output = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr[-3000:]}"
    assert result.returncode == 0, f"subprocess exited with {result.returncode}\n{output}"
    assert MARKER in result.stdout, output


def _major_minor(version: str) -> tuple[int, int]:
    match = re.match(r"(\d+)\.(\d+)", version)
    assert match, f"unexpected PySide6 version {version!r}"
    return int(match.group(1)), int(match.group(2))


def test_pyside6_version_avoids_none_refcount_bug() -> None:
    if sys.version_info >= (3, 12):
        pytest.skip("None is immortal from Python 3.12: the PySide6 6.12 leak cannot abort")
    version = PySide6.__version__
    assert _major_minor(version) < (6, 12), (
        f"PySide6 {version} on Python {sys.version_info.major}.{sys.version_info.minor}: "
        "6.12 aborts with 'Fatal Python error: none_dealloc'; install PySide6-Essentials<6.12"
    )
