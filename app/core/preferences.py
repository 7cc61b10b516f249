"""User preferences: a small JSON file in the platform's config folder (no Qt here).

Window geometry and dock layout live in ``QSettings``; everything a user chooses on purpose
(profile, snapping, invisible characters, zoom, language, theme, text font) lives here, where
tests can redirect it. A file written by an older version loads: a field it lacks keeps its
default, and a value of the wrong type or outside its choices is ignored.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

from app.core.domain import Role


def preferences_path() -> Path:
    return Path(platformdirs.user_config_dir("tawsim", appauthor=False)) / "preferences.json"


LANGUAGES = ("", "ar", "en")
"""Interface languages: "" follows the system's locale (Arabic, else English)."""
THEMES = ("", "light", "dark")
"""Colour themes: "" follows the system's light or dark setting."""


@dataclass(slots=True)
class Preferences:
    user_name: str = ""
    role: str = Role.ANNOTATOR.value
    snap_to_words: bool = True
    strip_proclitics: bool = True
    show_invisible: bool = False
    font_size: float = 16.0
    """Point size of document text (the zoom, remembered)."""
    font_family: str = ""
    """Font family of document text; "" is the bundled Noto Naskh Arabic."""
    language: str = ""
    theme: str = ""

    @property
    def has_profile(self) -> bool:
        return bool(self.user_name.strip())

    @classmethod
    def load(cls, path: Path | None = None) -> Preferences:
        path = path or preferences_path()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        prefs = cls()
        for field in fields(cls):
            value = data.get(field.name)
            if type(value) is int and type(getattr(prefs, field.name)) is float:
                value = float(value)  # 16 written by hand means 16.0
            # Keep only values of the right type (bool is an int: compare types exactly).
            if type(value) is type(getattr(prefs, field.name)):
                setattr(prefs, field.name, value)
        if prefs.role not in {r.value for r in Role}:
            prefs.role = Role.ANNOTATOR.value
        if prefs.language not in LANGUAGES:
            prefs.language = ""
        if prefs.theme not in THEMES:
            prefs.theme = ""
        return prefs

    def save(self, path: Path | None = None) -> None:
        """Write atomically, so a crash never leaves half a file."""
        path = path or preferences_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
