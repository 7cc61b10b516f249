"""The desktop bundle's recipe (packaging/): what it copies, what it leaves out, its desktop files.

Building the bundle takes minutes, so CI does it once after the tests (scripts/build-bundle.sh);
these checks are the fast part: a resource folder, a migration or a module the app imports
cannot be left out of the bundle without a test failing here.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

import app.main
from app.core.resources import RESOURCES_DIR
from app.store.database import MIGRATIONS_DIR
from tests.conftest import REPO

PACKAGING = REPO / "packaging"
SPEC = PACKAGING / "tawsim.spec"
LINUX = PACKAGING / "linux"


def _bundle_files() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle_files", PACKAGING / "bundle_files.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _spec_list(name: str) -> list[str]:
    """A literal list or set assigned to ``name`` in the spec (read, not run: it needs
    PyInstaller)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return sorted(ast.literal_eval(node.value))
    raise AssertionError(f"{name} is not assigned in {SPEC}")


def _bundled(root: Path = REPO) -> dict[str, str]:
    """Bundle destination of every file copied: {"resources/fonts/X.ttf": source}."""
    return {
        str(Path(folder, Path(source).name)): source
        for source, folder in _bundle_files().data_files(root)
    }


def _repo_files(folder: Path) -> list[Path]:
    return [
        p
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]


def test_every_resource_file_is_bundled_where_the_app_looks_for_it() -> None:
    bundled = _bundled()
    # The bundle keeps the repository's layout, which is where app/core/resources.py looks.
    assert RESOURCES_DIR == REPO / "resources"
    files = _repo_files(RESOURCES_DIR)
    assert {p.parent.relative_to(RESOURCES_DIR).parts[0] for p in files} >= {"fonts", "schemas"}
    for path in files:
        assert str(path.relative_to(REPO)) in bundled, f"{path} is left out of the bundle"
    fonts = [p for p in files if p.suffix == ".ttf"]
    assert len(fonts) >= 3 and (RESOURCES_DIR / "fonts" / "OFL.txt") in files  # licence too


def test_every_migration_is_bundled_as_a_file_alembic_reads() -> None:
    bundled = _bundled()
    assert MIGRATIONS_DIR == REPO / "app" / "store" / "migrations"  # script_location
    migrations = _repo_files(MIGRATIONS_DIR)
    assert len([p for p in migrations if p.parent.name == "versions"]) >= 12
    for path in migrations:
        assert str(path.relative_to(REPO)) in bundled, f"{path} is left out of the bundle"
    assert "app/store/migrations/env.py" in bundled


def test_the_demo_corpus_is_bundled_for_the_screenshots() -> None:
    bundled = _bundled()
    seeds = _repo_files(REPO / "seeds")
    assert seeds and all(str(p.relative_to(REPO)) in bundled for p in seeds)


def test_a_new_resource_folder_is_bundled_and_caches_are_not(tmp_path: Path) -> None:
    for folder in ("resources/translations", "app/store/migrations/versions/__pycache__", "seeds"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "resources/translations/tawsim_ar.qm").write_bytes(b"qm")
    (tmp_path / "app/store/migrations/env.py").write_text("")
    (tmp_path / "app/store/migrations/versions/__pycache__/x.cpython-311.pyc").write_bytes(b"")
    (tmp_path / "seeds/a.txt").write_text("نص")
    assert sorted(_bundled(tmp_path)) == [
        "app/store/migrations/env.py",
        "resources/translations/tawsim_ar.qm",
        "seeds/a.txt",
    ]


def test_a_missing_data_folder_fails_the_build(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="resources"):
        _bundle_files().data_files(tmp_path)


def test_the_spec_builds_one_folder_from_the_entry_point_with_these_files() -> None:
    text = SPEC.read_text(encoding="utf-8")
    ast.parse(text)
    assert "datas=data_files(ROOT)" in text
    assert "exclude_binaries=True" in text and "COLLECT(" in text  # one folder, not one file
    entry = (PACKAGING / "tawsim_entry.py").read_text(encoding="utf-8")
    assert "from app.main import main" in entry  # what [project.scripts] tawsim runs
    assert 'tawsim = "app.main:main"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


# Left out on purpose: spaCy export says it needs the `training` extra (app/io/registry.py).
OPTIONAL = {"spacy", "srsly"}


def test_the_spec_leaves_out_nothing_the_app_imports() -> None:
    excluded = set(_spec_list("EXCLUDES"))
    assert {"pytest", "spacy", "PySide6.QtNetwork"} <= excluded
    for path in (REPO / "app").rglob("*.py"):
        for module in _imported_modules(path):
            parts = module.split(".")
            prefixes = {".".join(parts[: n + 1]) for n in range(len(parts))}
            hit = prefixes & excluded - OPTIONAL
            assert not hit, f"{path.relative_to(REPO)} imports {module}, which the spec excludes"


# Every module of the app imported, as the bundle may at run time; then what got loaded.
LOADED_MODULES = """
import importlib, pkgutil, sys
import app
for info in pkgutil.walk_packages(app.__path__, "app."):
    if info.name != "app.__main__" and ".migrations" not in info.name:
        importlib.import_module(info.name)
print("\\n".join(sorted(sys.modules)))
"""


def test_the_spec_leaves_out_nothing_the_app_loads() -> None:
    """What the app's modules import when they load, libraries' own imports included (the
    agreement chart's matplotlib imports PySide6.QtSvg: excluding it broke the bundle)."""
    excluded = set(_spec_list("EXCLUDES")) - OPTIONAL
    result = subprocess.run(
        [sys.executable, "-c", LOADED_MODULES],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert {"app.gui.agreement_view", "matplotlib.backends.backend_qtagg"} <= loaded
    hits = sorted(m for m in loaded if {m, m.split(".")[0]} & excluded)
    assert hits == [], f"the spec excludes modules the app loads: {hits}"


def test_the_qt_plugins_left_out_keep_the_desktop_and_offscreen_platforms() -> None:
    unused = _spec_list("UNUSED_QT_PLUGINS")  # matched as the start of a plugin's path
    for kept in ("libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libqminimal.so"):
        assert not any(f"platforms/{kept}".startswith(prefix) for prefix in unused)
    libraries = _spec_list("UNUSED_LIBRARIES")
    for needed in ("libQt6Core", "libQt6Gui", "libQt6Widgets", "libQt6XcbQpa", "libQt6DBus"):
        assert not any(name.startswith(needed) for name in libraries)


def test_screenshots_is_a_hidden_command_of_the_entry_point(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[list[str]] = []
    fake = types.ModuleType("app.gui.screenshots")
    fake.main = lambda argv: calls.append(argv) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.gui.screenshots", fake)
    with pytest.raises(SystemExit) as exited:
        app.main.main(["screenshots", "out", "--size", "800x600"])
    assert exited.value.code == 0 and calls == [["out", "--size", "800x600"]]
    help_text = subprocess.run(
        [sys.executable, "-m", "app", "--help"], cwd=REPO, capture_output=True, text=True
    ).stdout
    assert "import" in help_text and "screenshots" not in help_text


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(LINUX / "tawsim.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_starts_tawsim_with_its_icon() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Tawsim" and entry["Name[ar]"] == "توسيم"
    assert entry["Exec"] == "tawsim" and entry["Icon"] == "tawsim"
    assert {"Office", "Education", "Science"} <= set(entry["Categories"].split(";"))
    validator = shutil.which("desktop-file-validate")
    if validator:
        result = subprocess.run([validator, str(LINUX / "tawsim.desktop")], capture_output=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_appstream_metadata_names_the_desktop_entry_and_icon() -> None:
    path = LINUX / "io.github.tawsim.Tawsim.metainfo.xml"
    root = ET.parse(path).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == path.name.removesuffix(".metainfo.xml")
    assert root.findtext("launchable") == "tawsim.desktop"
    assert root.findtext("icon") == "tawsim"
    import app as package

    versions = [r.get("version") for r in root.iter("release")]
    assert package.__version__ in versions
    validator = shutil.which("appstreamcli")
    if validator:
        result = subprocess.run(
            [validator, "validate", "--no-net", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_icon_is_an_svg_with_a_256_pixel_png() -> None:
    svg = ET.parse(LINUX / "tawsim.svg").getroot()
    assert svg.tag.endswith("svg") and svg.get("viewBox") == "0 0 256 256"
    header = (LINUX / "tawsim.png").read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (256, 256)


def test_ci_builds_and_starts_the_bundle_and_the_readme_says_how() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci and "bash scripts/build-bundle.sh" in ci
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^## Build the desktop bundle", readme, re.MULTILINE)
    assert "bash scripts/build-bundle.sh" in readme
    script = (REPO / "scripts" / "build-bundle.sh").read_text(encoding="utf-8")
    assert "bootstrap.sh bundle" in script and "packaging/tawsim.spec" in script
    assert "screenshots" in script and "--version" in script


def test_qt_translations_are_kept_in_the_interface_languages_only(tmp_path: Path) -> None:
    files = _bundle_files()
    assert {"ar", "en"} <= files.interface_languages(REPO)
    (tmp_path / "resources" / "translations").mkdir(parents=True)
    (tmp_path / "resources" / "translations" / "tawsim_fr.qm").write_bytes(b"")
    languages = files.interface_languages(tmp_path)
    assert languages == {"fr", "en"}
    keeps = files.keeps_qt_translation
    assert keeps("PySide6/Qt/translations/qtbase_fr.qm", languages)
    assert keeps("PySide6/Qt/translations/qt_help_en.qm", languages)
    assert not keeps("PySide6/Qt/translations/qtbase_ar.qm", languages)
    assert keeps("resources/translations/tawsim_ar.qm", languages)  # ours: all of them
    assert keeps("PySide6/Qt/plugins/platforms/libqxcb.so", languages)
