"""The command line as a user meets it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS, write_jsonl


def tawsim(*args: str | Path, db: Path | str | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "app"]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(
        [*cmd, *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )


def stats(db: Path) -> dict:
    result = tawsim("stats", "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_import_seeds_then_reimport_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    first = tawsim("import", SEEDS, db=db)
    assert first.returncode == 0, first.stderr
    assert "2 document(s) added" in first.stdout
    data = stats(db)
    assert data["documents"] == 2 and data["spans"] == 0
    again = tawsim("import", SEEDS, db=db)
    assert again.returncode == 0
    assert "0 document(s) added, 2 already present" in again.stdout
    assert "nothing new" in again.stdout
    assert stats(db)["documents"] == 2


def test_default_database_lives_in_user_data_folder(tmp_path: Path) -> None:
    result = tawsim("import", SEEDS / "000_21805d7ab441cd75.txt")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home" / "data" / "tawsim" / "tawsim.db").exists()


def test_bad_file_exits_nonzero_without_traceback(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "نص"}\n{"text": \n', encoding="utf-8")
    result = tawsim("import", bad, db=db)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}:2: not valid JSON" in result.stderr
    assert stats(db)["documents"] == 0


def test_missing_csv_column_lists_the_columns(tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_text("ID,tweet\n1,نص\n", encoding="utf-8")
    result = tawsim("import", src, db=tmp_path / "t.db")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no column 'text'; the columns are: ID, tweet" in result.stderr
    ok = tawsim("import", src, "--text-column", "tweet", db=tmp_path / "t.db")
    assert ok.returncode == 0, ok.stderr


def test_unknown_labels_are_added_with_a_notice_or_refused(tmp_path: Path) -> None:
    src = tmp_path / "a.conll"
    src.write_text("بوريل B-PERS\nفي O\nطوكيو B-LOC\n\n", encoding="utf-8")
    strict = tawsim("import", src, "--strict-labels", db=tmp_path / "t.db")
    assert strict.returncode == 1 and "PERS" in strict.stderr
    result = tawsim("import", src, "--annotator", "anercorp", db=tmp_path / "t.db")
    assert result.returncode == 0, result.stderr
    assert "added labels the schema lacks to the project: PERS" in result.stderr
    data = stats(tmp_path / "t.db")
    assert "PERS" in data["schema"]["labels"]
    assert data["sets_by_status"]["submitted"] == 1 and data["spans"] == 2


def test_export_default_is_approved_only(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    src = tmp_path / "a.jsonl"
    write_jsonl(src, {"text": "اليابان", "spans": [{"start": 0, "end": 7, "label": "GPE"}]})
    assert (
        tawsim("import", src, "--annotator", "amal", "--status", "in_progress", db=db).returncode
        == 0
    )
    out = tmp_path / "out.jsonl"
    result = tawsim("export", out, db=db)
    assert result.returncode == 0 and out.read_text() == ""
    assert "nothing matched --include approved" in result.stderr
    result = tawsim("export", out, "--include", "all", db=db)
    assert json.loads(out.read_text())["status"] == "in_progress"


def test_export_into_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    assert tawsim("init", db=tmp_path / "t.db").returncode == 0
    result = tawsim("export", tmp_path / "nope" / "out.jsonl", db=tmp_path / "t.db")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "does not exist" in result.stderr
    assert list(tmp_path.glob("**/*.part")) == []


def test_init_with_schema_and_broken_schema(tmp_path: Path) -> None:
    good = tmp_path / "s.toml"
    good.write_text(
        '[schema]\nname = "tiny"\n[[entities]]\nname = "PER"\ncolor = "#ff0000"\n', encoding="utf-8"
    )
    result = tawsim("init", "--schema", good, db=tmp_path / "t.db")
    assert result.returncode == 0, result.stderr
    assert stats(tmp_path / "t.db")["schema"] == {"name": "tiny", "version": 1, "labels": ["PER"]}
    broken = tmp_path / "broken.toml"
    broken.write_text("[[entities]]\nname = 'PER'\ncolor = 'red'\n", encoding="utf-8")
    result = tawsim("init", "--schema", broken, db=tmp_path / "t.db")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "color 'red' must look like #rrggbb" in result.stderr


@pytest.mark.parametrize("args", [["import"], ["export"], ["frobnicate"]])
def test_usage_errors(tmp_path: Path, args: list[str]) -> None:
    result = tawsim(*args, db=tmp_path / "t.db")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_new_schema_keeps_labels_in_use(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    src = tmp_path / "a.conll"
    src.write_text("بوريل B-PER\nفي O\nطوكيو B-GPE\n\n", encoding="utf-8")
    assert tawsim("import", src, "--annotator", "gold", db=db).returncode == 0
    tiny = tmp_path / "s.toml"
    tiny.write_text('[[entities]]\nname = "PER"\ncolor = "#ff0000"\n', encoding="utf-8")
    result = tawsim("init", "--schema", tiny, db=db)
    assert result.returncode == 0 and "kept labels that existing spans use: GPE" in result.stderr
    assert stats(db)["schema"]["labels"] == ["PER", "GPE"]


def test_unwritable_export_target_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    target = tmp_path / "out.jsonl"
    target.mkdir()  # a folder where the file should go
    result = tawsim("export", target / "x" / "y.jsonl", db=db)
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_missing_database_driver_is_a_clear_error(tmp_path: Path) -> None:
    result = tawsim("stats", db="mysql+nosuchdriver://u@localhost/x")  # type: ignore[arg-type]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "tawsim: error:" in result.stderr


def test_split_export_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    tawsim("import", SEEDS, db=db)
    dash = tawsim("export", "-", "--split", "train=1", db=db)
    assert dash.returncode == 1 and "not -" in dash.stderr and not Path("-").exists()
    with_format = tawsim("export", tmp_path / "d", "--split", "train=1", "--format", "conll", db=db)
    assert with_format.returncode == 2 and "leave out --format" in with_format.stderr
    nowhere = tawsim("export", tmp_path / "no" / "such" / "d", "--split", "train=1", db=db)
    assert nowhere.returncode == 1 and "does not exist" in nowhere.stderr


def test_exports_get_the_permissions_the_umask_gives(tmp_path: Path) -> None:
    import os
    import stat

    db = tmp_path / "t.db"
    tawsim("import", SEEDS, db=db)
    out = tmp_path / "all.jsonl"
    assert tawsim("export", out, "--include", "all", db=db).returncode == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_export_offsets_is_honoured_or_refused_never_ignored(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    text = "😀 زار بوريل طوكيو"
    src = write_jsonl(
        tmp_path / "in.jsonl",
        {"text": text, "spans": [{"start": 6, "end": 11, "label": "PER", "text": "بوريل"}]},
    )
    assert tawsim("import", src, db=db).returncode == 0
    out = tmp_path / "o.tokens.jsonl"
    hf = ["export", "--format", "hf-tokens", "--include", "submitted", "--offsets", "utf16"]
    result = tawsim(*hf, out, db=db)
    assert result.returncode == 0, result.stderr
    [row] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert row["spans"] == [{"start": 7, "end": 12, "label": "PER"}]  # the emoji counts 2
    conll = tawsim("export", "--format", "conll", "--offsets", "utf16", tmp_path / "o.conll", db=db)
    assert conll.returncode == 1 and "Traceback" not in conll.stderr
    assert (
        "the conll format has no offsets" in conll.stderr and "leave out --offsets" in conll.stderr
    )
    assert not (tmp_path / "o.conll").exists()
    split = tawsim("export", tmp_path / "d", "--split", "train=1", "--offsets", "utf16", db=db)
    assert split.returncode == 2 and "leave out --offsets" in split.stderr
    assert not (tmp_path / "d").exists()


def test_nothing_matched_hints_only_wider_selections(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    src = write_jsonl(
        tmp_path / "a.jsonl", {"text": "اليابان", "spans": [{"start": 0, "end": 7, "label": "GPE"}]}
    )
    assert tawsim("import", src, "--status", "in_progress", db=db).returncode == 0
    approved = tawsim("export", tmp_path / "a.jsonl.out", db=db)
    assert "nothing matched --include approved; try --include submitted or all" in approved.stderr
    submitted = tawsim("export", tmp_path / "s.jsonl", "--include", "submitted", db=db)
    assert submitted.returncode == 0
    assert "nothing matched --include submitted; try --include all" in submitted.stderr
    assert "try --include submitted" not in submitted.stderr
    split = ["export", tmp_path / "d", "--split", "train=1", "--include", "submitted"]
    result = tawsim(*split, db=db)
    assert result.returncode == 1
    assert "nothing to export with --include submitted; try --include all" in result.stderr


def test_a_command_loads_only_what_it_needs(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert tawsim("init", db=db).returncode == 0  # made (and migrated) once
    probe = (
        "import sys; from app.cli.main import main; main(['--db', sys.argv[1], 'stats']); "
        "heavy = ('alembic', 'app.io', 'app.core.agreement', 'spacy', 'arabic_reshaper', "
        "'PySide6', 'matplotlib'); "
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(db)], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["search", "طوكيو"],
        ["export", "-"],
        ["review", "queue"],
        ["pack", "x.tawsim"],
        ["users", "list"],
        ["agree"],
    ],
)
def test_read_commands_refuse_a_database_that_does_not_exist(
    tmp_path: Path, command: list[str]
) -> None:
    typo = tmp_path / "typo.bd"
    result = tawsim(*command, db=typo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"no Tawsim database at {typo}" in result.stderr and "Traceback" not in result.stderr
    assert not typo.exists()


@pytest.mark.parametrize("command", [["init"], ["import", str(SEEDS)]])
def test_init_and_import_create_the_database(tmp_path: Path, command: list[str]) -> None:
    new = tmp_path / "new.db"
    assert tawsim(*command, db=new).returncode == 0
    assert new.exists()
