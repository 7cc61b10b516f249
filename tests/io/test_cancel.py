"""Long work can be cancelled without leaving half an import or half a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.domain import Selection
from app.core.errors import Cancelled, InputError
from app.io.exporter import ExportOptions, export
from app.io.importer import ImportOptions, import_all_or_nothing, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import stats, write_jsonl


def corpus(tmp_path: Path, name: str, n: int) -> Path:
    return write_jsonl(tmp_path / name, *({"text": f"خبر رقم {name} {i}"} for i in range(n)))


def cancel_after(calls: int) -> Callable[..., None]:
    """A progress callback that cancels on its ``calls``-th call (one call per record)."""
    seen = [0]

    def progress(*_args: object) -> None:
        seen[0] += 1
        if seen[0] >= calls:
            raise Cancelled

    return progress


def test_cancelled_import_changes_nothing(db: Database, tmp_path: Path) -> None:
    files = [corpus(tmp_path, "a.jsonl", 30), corpus(tmp_path, "b.jsonl", 30)]
    with pytest.raises(Cancelled):
        import_all_or_nothing(
            Tawsim(db, "tester"), files, ImportOptions(), progress=cancel_after(40)
        )
    assert stats(db)["documents"] == 0
    summary = import_all_or_nothing(Tawsim(db, "tester"), files, ImportOptions())
    assert summary.total("documents_added") == 60


def test_all_or_nothing_stops_at_the_first_bad_file(db: Database, tmp_path: Path) -> None:
    good = corpus(tmp_path, "a.jsonl", 5)
    bad = tmp_path / "b.jsonl"
    bad.write_text('{"text": "نص"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"b\.jsonl:2: not valid JSON"):
        import_all_or_nothing(Tawsim(db, "tester"), [good, bad], ImportOptions())
    assert stats(db)["documents"] == 0


def test_cancel_in_per_file_mode_rolls_back_the_current_file(db: Database, tmp_path: Path) -> None:
    files = [corpus(tmp_path, "a.jsonl", 10), corpus(tmp_path, "b.jsonl", 10)]
    with pytest.raises(Cancelled):
        import_paths(Tawsim(db, "tester"), files, ImportOptions(), progress=cancel_after(15))
    # a.jsonl (10 records) was committed; the cancel came in b.jsonl, which was rolled back.
    assert stats(db)["documents"] == 10


def test_cancelled_export_leaves_no_file(db: Database, tmp_path: Path) -> None:
    import_paths(Tawsim(db, "tester"), [corpus(tmp_path, "a.jsonl", 20)], ImportOptions())
    out = tmp_path / "out.jsonl"
    out.write_text("previous export\n", encoding="utf-8")
    with pytest.raises(Cancelled):
        # the native lines come a batch at a time: the first progress report cancels
        export(Tawsim(db), out, ExportOptions(include=Selection.ALL), progress=cancel_after(1))
    assert out.read_text(encoding="utf-8") == "previous export\n"  # untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
