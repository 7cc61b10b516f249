"""What the command line prints from user data (file names, span texts, labels, messages) is
printed as it is: never read as Rich markup (``[b]``, ``[/x]``) or emoji codes (``:smile:``),
never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from tests.cli.test_cli import stats, tawsim
from tests.conftest import write_jsonl


def test_a_folder_named_like_markup_is_printed_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "[b]" / "[" / "x]"  # ".../[b]/[/x]/g.jsonl"
    folder.mkdir(parents=True)
    src = write_jsonl(
        folder / "g.jsonl",
        {"text": "قال محمد هنا", "spans": [{"start": 4, "end": 8, "label": "PER"}]},
    )
    db = tmp_path / "t.db"
    result = tawsim("import", src, db=db)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{src}: offsets counted in" in result.stderr
    assert "1 document(s) added" in result.stdout
    assert stats(db)["documents"] == 1


def test_span_text_in_a_rejection_is_printed_as_it_is(tmp_path: Path) -> None:
    src = write_jsonl(
        tmp_path / "markup.jsonl",
        {
            "text": "قال محمد [/b] هنا",
            "spans": [{"start": 4, "end": 8, "label": "PER", "text": "[/b]"}],
        },
    )
    db = tmp_path / "t.db"
    result = tawsim("import", src, db=db)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "rejected" in result.stderr and "'[/b]'" in result.stderr
    assert stats(db)["documents"] == 0


def test_text_that_looks_like_markup_or_emoji_codes_is_not_eaten(tmp_path: Path) -> None:
    src = tmp_path / "e10.jsonl"
    src.write_text('{"text":"قال محمد","label":[[0,3]]}\n', encoding="utf-8")
    result = tawsim("import", src, db=tmp_path / "t.db")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "each doccano label must be [start, end, label], got [0, 3]" in result.stderr
    emoji = write_jsonl(
        tmp_path / "emoji.jsonl",
        {
            "text": "قال :smile: هنا",
            "spans": [{"start": 4, "end": 11, "label": "PER", "text": "x"}],
        },
    )
    result = tawsim("import", emoji, db=tmp_path / "t.db")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ":smile:" in result.stderr and "😄" not in result.stderr


def test_kept_as_given_and_labels_with_brackets_are_printed_as_they_are(tmp_path: Path) -> None:
    # an edge before tanween is kept as given and listed, with the span's text
    src = write_jsonl(
        tmp_path / "kept.jsonl",
        {
            "text": "قال [b]محمدٌ هنا",
            "spans": [{"start": 4, "end": 11, "label": "[b]PER", "text": "[b]محمد"}],
        },
    )
    db = tmp_path / "t.db"
    result = tawsim("import", src, db=db)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "kept as given" in result.stderr and "[b]محمد" in result.stderr
    assert "the schema lacks to the project: [b]PER" in result.stderr


def test_an_error_naming_a_markup_path_is_printed_as_it_is(tmp_path: Path) -> None:
    missing = tmp_path / "[" / "x]" / "missing.jsonl"
    result = tawsim("import", missing, db=tmp_path / "t.db")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "tawsim: error:" in result.stderr and str(missing) in result.stderr


def test_export_to_a_markup_path_is_printed_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    src = write_jsonl(
        tmp_path / "in.jsonl",
        {"text": "قال محمد هنا", "spans": [{"start": 4, "end": 8, "label": "PER"}]},
    )
    assert tawsim("import", src, db=db).returncode == 0
    out = tmp_path / "[b]" / "[" / "x]"
    out.mkdir(parents=True)
    result = tawsim("export", "--include", "submitted", out / "o.jsonl", db=db)
    assert result.returncode == 0, result.stderr
    assert f"to {out / 'o.jsonl'} (jsonl, submitted)" in result.stderr


def test_progress_bar_on_a_terminal_shows_a_file_name_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.cli import console

    out = io.StringIO()
    monkeypatch.setattr(
        console, "err_console", Console(file=out, force_terminal=True, width=120, color_system=None)
    )
    with console.progress_bar("importing") as bar:
        bar.update("[/x] :smile: g.jsonl", 1)
    assert "importing [/x] :smile: g.jsonl" in out.getvalue()
