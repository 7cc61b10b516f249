"""The interface's translations are complete and current.

``pyside6-lupdate`` is run over the code now and must find exactly the strings the committed
``.ts`` files hold (a new ``tr()`` string, or a changed one, fails here until
``scripts/translations.sh`` is run and the Arabic translated); every Arabic translation keeps
its placeholders and its accelerator; the committed ``.qm`` files are what ``pyside6-lrelease``
builds from the ``.ts`` files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import REPO

TRANSLATIONS = REPO / "resources" / "translations"
LANGUAGES = ("ar", "en")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
ACCELERATOR = re.compile(r"&(?!&)\S")

Message = tuple[str, str]  # (context, source)


def qt_tool(name: str) -> str:
    """A PySide6 tool beside this Python (the venv's bin), else on PATH; else skip."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} not installed")
    return found


def messages(ts: Path) -> dict[Message, ET.Element]:
    root = ET.parse(ts).getroot()
    found: dict[Message, ET.Element] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def test_the_catalogues_hold_exactly_the_strings_of_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p.relative_to(REPO)) for p in (REPO / "app" / "gui").glob("*.py"))
    subprocess.run(
        [qt_tool("pyside6-lupdate"), "-silent", "-locations", "none", *sources, "-ts", str(fresh)],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )
    in_code = set(messages(fresh))
    assert len(in_code) > 200
    for language in LANGUAGES:
        committed = set(messages(TRANSLATIONS / f"tawsim_{language}.ts"))
        stale = f"run scripts/translations.sh, then translate ({language})"
        assert in_code - committed == set(), f"new strings: {stale}"
        assert committed - in_code == set(), f"strings gone: {stale}"


def test_every_string_has_an_arabic_translation() -> None:
    untranslated = [
        key
        for key, message in messages(TRANSLATIONS / "tawsim_ar.ts").items()
        if message.find("translation") is None
        or message.find("translation").get("type") is not None  # type: ignore[union-attr]
        or not (message.findtext("translation") or "").strip()
    ]
    assert untranslated == []


def test_arabic_keeps_placeholders_and_accelerators() -> None:
    for (context, source), message in messages(TRANSLATIONS / "tawsim_ar.ts").items():
        arabic = message.findtext("translation") or ""
        where = f"{context}: {source!r} -> {arabic!r}"
        assert sorted(PLACEHOLDER.findall(arabic)) == sorted(PLACEHOLDER.findall(source)), where
        assert len(ACCELERATOR.findall(arabic)) == len(ACCELERATOR.findall(source)), where
        assert source.startswith(" ") == arabic.startswith(" "), where  # pieces joined up
        assert source.endswith(" ") == arabic.endswith(" "), where


def test_the_qm_files_are_built_from_the_ts_files(tmp_path: Path) -> None:
    for language in LANGUAGES:
        ts = TRANSLATIONS / f"tawsim_{language}.ts"
        built = tmp_path / f"tawsim_{language}.qm"
        subprocess.run(
            [qt_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(built)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        committed = TRANSLATIONS / f"tawsim_{language}.qm"
        assert committed.read_bytes() == built.read_bytes(), "run scripts/translations.sh"
