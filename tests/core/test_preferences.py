from __future__ import annotations

from pathlib import Path

from app.core.preferences import Preferences, preferences_path


def test_round_trip_in_the_config_folder(tmp_path: Path) -> None:
    assert preferences_path().is_relative_to(tmp_path)  # redirected by the autouse fixture
    assert not Preferences.load().has_profile
    Preferences(user_name="أمل", role="reviewer", font_size=20.0).save()
    loaded = Preferences.load()
    assert (loaded.user_name, loaded.role, loaded.font_size) == ("أمل", "reviewer", 20.0)


def test_damaged_or_odd_files_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("{not json", encoding="utf-8")
    assert Preferences.load(path) == Preferences()
    path.write_text(
        '{"role": "king", "font_size": "big", "user_name": "x", "extra": 1}', encoding="utf-8"
    )
    loaded = Preferences.load(path)
    assert (loaded.role, loaded.font_size, loaded.user_name) == ("annotator", 16.0, "x")


def test_language_theme_and_font_round_trip() -> None:
    Preferences(language="ar", theme="dark", font_family="Amiri", font_size=18.5).save()
    loaded = Preferences.load()
    assert (loaded.language, loaded.theme, loaded.font_family, loaded.font_size) == (
        "ar",
        "dark",
        "Amiri",
        18.5,
    )


def test_a_file_from_before_the_appearance_settings_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(
        '{"user_name": "أمل", "role": "reviewer", "snap_to_words": false, "font_size": 20}',
        encoding="utf-8",
    )
    loaded = Preferences.load(path)
    assert (loaded.user_name, loaded.role, loaded.snap_to_words) == ("أمل", "reviewer", False)
    assert loaded.font_size == 20.0  # an integer size (written by hand) is kept
    assert (loaded.language, loaded.theme, loaded.font_family) == ("", "", "")  # follow system


def test_unknown_language_or_theme_falls_back_to_the_system(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"language": "klingon", "theme": "neon", "font_family": 3}', "utf-8")
    loaded = Preferences.load(path)
    assert (loaded.language, loaded.theme, loaded.font_family) == ("", "", "")
