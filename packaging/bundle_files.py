"""What the desktop bundle carries besides Python modules. Read by ``tawsim.spec`` and the tests.

Kept apart from the spec so that a test can check, without building anything, that every
resource folder, every migration and the demo corpus are in the bundle.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

# (folder in the repository, folder inside the bundle). The bundle keeps the repository's layout
# under its data folder (dist/tawsim/_internal/), so the code finds these files the way it does
# in a clone: resources/ next to app/ (app/core/resources.py), the migrations next to
# app/store/database.py (Alembic's script_location), seeds/ next to resources/ (the screenshots).
DATA_FOLDERS: tuple[tuple[str, str], ...] = (
    # Whole, so that a folder added there (translations, icons, styles) is never left out.
    ("resources", "resources"),
    # Alembic loads these from files at run time: they must be files, not only bytecode.
    ("app/store/migrations", "app/store/migrations"),
    # The demo corpus: `tawsim screenshots` renders it (the bundle's smoke test).
    ("seeds", "seeds"),
)

SKIPPED_PARTS = frozenset({"__pycache__"})
SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo"})


def data_files(root: Path) -> list[tuple[str, str]]:
    """(source file, destination folder) for every file to copy: PyInstaller's ``datas``."""
    files: list[tuple[str, str]] = []
    for source, target in DATA_FOLDERS:
        base = root / source
        if not base.is_dir():
            raise FileNotFoundError(f"bundle data folder missing: {base}")
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(base)
            if (
                not path.is_file()
                or SKIPPED_PARTS & set(relative.parts)
                or path.suffix in SKIPPED_SUFFIXES
            ):
                continue
            files.append((str(path), str(Path(target, *relative.parts[:-1]))))
    return files


def interface_languages(root: Path) -> set[str]:
    """The languages Tawsim's interface ships in (``resources/translations/tawsim_<code>.qm``,
    as app/gui/appearance.py finds them), English always."""
    folder = root / "resources" / "translations"
    return {p.stem.removeprefix("tawsim_") for p in folder.glob("tawsim_*.qm")} | {"en"}


def keeps_qt_translation(destination: str, languages: Iterable[str]) -> bool:
    """False for Qt's own catalogues (``PySide6/Qt/translations/qtbase_fr.qm``, ...) in a
    language the interface does not ship in: the app loads Qt's only for its own language."""
    path = PurePosixPath(destination.replace("\\", "/"))
    if path.suffix != ".qm" or path.parent.name != "translations" or "PySide6" not in path.parts:
        return True
    return any(path.stem.endswith(f"_{code}") for code in languages)
