"""Render the main views to PNG:
``python -m app.gui.screenshots OUTDIR [--size WxH] [--lang ar|en] [--theme light|dark]``.

Opens the demo corpus (seeds/) with sample annotations in a throw-away database, offscreen,
and saves one PNG per view, in the interface language and colour theme asked for (English and
light unless told: never the machine's own settings, so the pictures are the same everywhere).
The README shows them; looking at them is part of GUI review.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from app.core.commands import AddSpan, SetStance
from app.core.domain import EntitySpan, Role, SetStatus, StanceJudgement
from app.core.preferences import Preferences
from app.core.records import DocumentData, Record, SetData
from app.core.resources import RESOURCES_DIR
from app.gui.selection import select_row
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from app.store.demo_annotations import SAMPLE_SPANS, annotate_sample, nth

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

SEEDS = RESOURCES_DIR.parent / "seeds"


def demo_core(folder: Path) -> Tawsim:
    """The demo corpus with sample annotations by أمل; the admin also made رنا a reviewer."""
    admin = Tawsim(Database.open(folder / "demo.db"), "admin")
    import_paths(admin, [SEEDS], ImportOptions())
    admin.add_user("رنا", Role.REVIEWER)
    core = Tawsim(admin.db, "أمل")
    core.join()
    first = core.page_ids(core.query(), None, 1)[0]
    annotate_sample(core, first)
    # An earlier article of hers, approved: its spans are suggested in the others.
    spans = tuple(
        EntitySpan(APPROVED.index(w), APPROVED.index(w) + len(w), label)
        for w, label in APPROVED_SPANS
    )
    earlier = SetData("أمل", SetStatus.APPROVED, spans)
    admin.ingest([Record(DocumentData(APPROVED, title="خبر سابق"), earlier)])
    return core


APPROVED = "قالت الولايات المتحدة واليابان والصين إن الاتحاد الأوروبي سيجتمع في واشنطن وبروكسل"
APPROVED_SPANS = (
    ("الولايات المتحدة", "GPE"),
    ("اليابان", "GPE"),
    ("الصين", "GPE"),
    ("الاتحاد الأوروبي", "ORG"),
    ("واشنطن", "GPE"),
    ("بروكسل", "GPE"),
)


def grab(widget: QWidget, path: Path) -> Path:
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


DEFAULT_SIZE = (1366, 768)  # the laptop screen every view must fit


def take_screenshots(
    out: Path,
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    language: str = "en",
    theme: str = "light",
) -> list[Path]:
    """Save the main views under ``out``; the application's language and look are put back
    as they were found (English, the platform's) afterwards."""
    from app.gui import appearance
    from app.gui.app import application

    app = application()
    appearance.apply_language(app, language)
    appearance.apply_theme(app, theme)
    try:
        return _take_screenshots(out, size)
    finally:
        appearance.reset(app)


def _take_screenshots(out: Path, size: tuple[int, int]) -> list[Path]:
    from app.gui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="tawsim-shots-"))
    # Fresh window layout, and none of it saved into the user's own settings.
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    core = demo_core(folder)
    prefs = Preferences(user_name="أمل")
    window = MainWindow(core, prefs, db_label="demo.db")
    window.resize(*size)
    window.show()
    QApplication.processEvents()
    shots = [grab(window, out / "annotation-view.png")]
    first = window.controller.state
    if first is not None:
        window.stance_panel.target_box.setCurrentText("اليابان")
        shots.append(grab(window.stance_dock, out / "stance-panel.png"))
    window.search_box.setText("الاوروبي")
    window._apply_query()
    shots.append(grab(window, out / "document-list-search.png"))
    window.search_box.setText("")
    window._apply_query()
    shots.append(suggestions_screenshot(window, out / "suggestions.png"))
    window.close()
    shots.append(review_screenshot(core, out / "review-window.png", size))
    shots.append(dashboard_screenshot(core, out / "dashboard.png", size))
    return shots


def dashboard_screenshot(annotator: Tawsim, path: Path, size: tuple[int, int]) -> Path:
    """The reviewer's dashboard over the demo corpus (computed in the background)."""
    from app.gui.dashboard import DashboardWindow

    window = DashboardWindow(Tawsim(annotator.db, "رنا"))
    window.resize(*size)
    window.show()
    deadline = time.monotonic() + 30
    while window.board is None and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    grab(window, path)
    window.close()
    return path


def suggestions_screenshot(window: MainWindow, path: Path) -> Path:
    """The second article, untouched, with what her approved article suggests (dashed)."""
    deadline = time.monotonic() + 10
    while not window.controller.lexicon and time.monotonic() < deadline:
        QApplication.processEvents()  # the lexicon is read in the background
        time.sleep(0.01)
    select_row(window.table, 1)  # the second article
    return grab(window, path)


def review_screenshot(annotator: Tawsim, path: Path, size: tuple[int, int]) -> Path:
    """A second annotator disagrees on a few spans and the stance; the reviewer's view."""
    from app.gui.review_window import ReviewWindow

    db = annotator.db
    first = annotator.page_ids(annotator.query(), None, 1)[0]
    annotator.submit(first)
    other = Tawsim(db, "عمر")
    text = other.document(first).text
    for needle, n, label in SAMPLE_SPANS[:8]:
        start = nth(text, needle, n)
        label = {"MISC": "ORG"}.get(label, label)
        other.perform(
            AddSpan(first, EntitySpan(start, start + len(needle), label), str(uuid.uuid4()))
        )
    other.perform(SetStance(first, StanceJudgement("اليابان", "NEUTRAL"), str(uuid.uuid4())))
    other.submit(first)
    window = ReviewWindow(Tawsim(db, "رنا"))
    window.resize(*size)
    window.show()
    QApplication.processEvents()
    grab(window, path)
    window.close()
    return path


def window_size(value: str) -> tuple[int, int]:
    try:
        width, height = (int(n) for n in value.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size like 1366x768: {value!r}") from None
    return width, height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.gui.screenshots")
    parser.add_argument("outdir", nargs="?", type=Path, default=Path("screenshots"))
    parser.add_argument("--size", type=window_size, default=DEFAULT_SIZE, help="WxH")
    parser.add_argument("--lang", choices=("ar", "en"), default="en", help="interface language")
    parser.add_argument("--theme", choices=("light", "dark"), default="light", help="colours")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    for path in take_screenshots(args.outdir, args.size, language=args.lang, theme=args.theme):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
