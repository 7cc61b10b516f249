"""The database's invariants from the command line: ``import --status approved``, pre-annotation
(``--annotator model:v1``), ``unpack``, ``review approve/reject/reopen/auto-approve``, the
training export, and what the command line says when it opens an older or stale database.

The rules and the other paths are in ``tests/store/test_invariants.py``.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.core.domain import EntitySpan, Selection
from app.store.core import Tawsim
from app.store.database import Database, head_revision
from tests.cli.test_cli import tawsim
from tests.conftest import write_jsonl
from tests.store.test_invariants import (
    BAD,
    BORRELL,
    OLD,
    TEXT,
    TOKYO,
    database_at_0003,
    jsonl,
    span,
)

GOLD = [BORRELL, TOKYO]
OTHER = [span("بوريل", "ORG"), span("اليابان", "LOC")]


def sets(db: Path) -> dict[str, tuple[str, str]]:
    """annotator -> (status, set uuid), for every set on the database's one document."""
    with Database.open(db) as database:
        records = list(Tawsim(database).records(Selection.ALL))
    assert len({r.document.uuid for r in records}) == 1
    return {
        str(a.annotator): (str(a.status), a.uuid)
        for r in records
        if (a := r.annotation) is not None
    }


def statuses(db: Path) -> dict[str, str]:
    return {name: status for name, (status, _) in sets(db).items()}


def document_uuid(db: Path) -> str:
    with Database.open(db) as database:
        [uuid] = {r.document.uuid for r in Tawsim(database).records(Selection.ALL)}
    return uuid


def found(search: str, db: Path) -> str:
    """What ``tawsim search --json`` printed."""
    result = tawsim("search", search, "--json", db=db)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


def ok(*args: str | Path, db: Path) -> str:
    """Run tawsim, which must succeed; returns what it said on stderr."""
    result = tawsim(*args, db=db)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def refused(*args: str | Path, db: Path) -> str:
    """Run tawsim, which must fail cleanly (exit 1, no traceback); returns its stderr."""
    result = tawsim(*args, db=db)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def import_as(
    db: Path, tmp_path: Path, annotator: str, spans: list[EntitySpan], *extra: str
) -> str:
    src = write_jsonl(tmp_path / f"{annotator.replace(':', '_')}.jsonl", jsonl(TEXT, spans))
    return ok("import", src, "--annotator", annotator, *extra, db=db)


@pytest.mark.parametrize("second", ["other", "model:v1"])
def test_issue_two_approved_imports_keep_one_gold_and_train_on_it_once(
    second: str, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    first = import_as(db, tmp_path, "gold", GOLD, "--status", "approved")
    assert "conflict" not in first and "notice" not in first
    gold = sets(db)["gold"][1]
    said = import_as(db, tmp_path, second, OTHER, "--status", "approved")
    notice = next(line for line in said.splitlines() if line.startswith("notice "))
    assert (
        f"document {document_uuid(db)} already has an approved set (gold's, set {gold})" in notice
    )
    assert f"{second}'s set is stored as submitted" in notice
    assert statuses(db) == {"gold": "approved", second: "submitted"}

    conll, lines = tmp_path / "train.conll", tmp_path / "train.jsonl"
    ok("export", conll, "--format", "conll", db=db)
    ok("export", lines, db=db)
    tagged = [line for line in conll.read_text(encoding="utf-8").splitlines() if line]
    assert tagged.count("-DOCSTART- O") == 1
    assert [t for t in tagged if not t.endswith(" O")] == ["بوريل B-PER", "طوكيو B-GPE"]
    [record] = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    assert record["annotator"] == "gold" and record["set_id"] == gold
    assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == [
        (s.start, s.end, s.label) for s in GOLD
    ]


def test_unpacking_an_approved_set_onto_another_gold_set(tmp_path: Path) -> None:
    laptop, db = tmp_path / "laptop.db", tmp_path / "t.db"
    import_as(laptop, tmp_path, "other", OTHER, "--status", "approved")
    carried = tmp_path / "other.tawsim"
    ok("pack", carried, db=laptop)
    import_as(db, tmp_path, "gold", GOLD, "--status", "approved")
    gold = sets(db)["gold"][1]
    said = ok("unpack", carried, db=db)
    notice = next(line for line in said.splitlines() if line.startswith("notice "))
    assert f"already has an approved set (gold's, set {gold})" in notice
    assert "other's set is stored as submitted" in notice
    assert statuses(db) == {"gold": "approved", "other": "submitted"}
    out = tmp_path / "gold.jsonl"
    ok("export", out, db=db)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_review_commands_never_make_a_second_gold_set(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    import_as(db, tmp_path, "amal", GOLD)
    import_as(db, tmp_path, "omar", GOLD)
    import_as(db, tmp_path, "model:v1", OTHER)  # pre-annotation: submitted
    amal, omar, model = (sets(db)[name][1] for name in ("amal", "omar", "model:v1"))

    said = refused("review", "approve", amal, omar, db=db)
    assert "already has an approved set" in said and amal in said
    assert "approved" not in statuses(db).values()  # all or nothing
    assert "approved 1 set(s)" in tawsim("review", "approve", amal, db=db).stdout
    assert "reopen it first" in refused("review", "approve", model, db=db)
    auto = tawsim("review", "auto-approve", "--min-agree", "1", db=db)
    assert auto.returncode == 0 and "approved 0 document(s)" in auto.stdout
    batch = tawsim("review", "approve", "--annotator", "omar", db=db)
    assert batch.returncode == 0 and "approved 0 set(s)" in batch.stdout
    ok("review", "reject", model, "--comment", "بوريل شخص", db=db)
    ok("review", "reopen", amal, db=db)
    ok("review", "approve", model, db=db)
    assert "reopen it first" in refused("review", "approve", amal, db=db)
    assert statuses(db) == {"amal": "submitted", "omar": "submitted", "model:v1": "approved"}


@pytest.mark.parametrize("annotator", ["amal", "model:v1"])
def test_importing_again_for_the_same_annotator_keeps_one_set(
    annotator: str, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    import_as(db, tmp_path, annotator, GOLD)
    [(status, kept)] = sets(db).values()
    src = write_jsonl(tmp_path / "other.jsonl", jsonl(TEXT, OTHER))
    result = tawsim("import", src, "--annotator", annotator, db=db)
    assert result.returncode == 3 and "Traceback" not in result.stderr  # 3: conflicts kept
    said = result.stderr
    assert f"already has different annotations on this document; kept the local set {kept}" in said
    assert sets(db) == {annotator: (status, kept)}


@pytest.mark.parametrize("annotator", ["other", "model:v1"])
@pytest.mark.parametrize("case", list(BAD))
def test_bad_spans_and_stances_reject_the_file(case: str, annotator: str, tmp_path: Path) -> None:
    db, bad = tmp_path / "t.db", BAD[case]
    src = write_jsonl(tmp_path / "bad.jsonl", jsonl(TEXT, bad.spans, bad.stances))
    said = refused("import", src, "--annotator", annotator, "--status", "approved", db=db)
    assert f"rejected {src}:1: " in said and bad.python in said
    with Database.open(db) as database:
        data = Tawsim(database).stats()
    assert (data["documents"], data["annotation_sets"]) == (0, 0)


def test_opening_an_older_database_reports_its_repairs(tmp_path: Path) -> None:
    db = database_at_0003(tmp_path / "old.db")
    result = tawsim("stats", "--json", db=db)
    assert result.returncode == 0, result.stderr
    said = result.stderr
    assert f"upgraded the database from revision 0003 to {head_revision()}" in said
    assert f"repaired document {OLD['doc']} had two approved sets: kept amal's" in said
    assert f"omar's set {OLD['omar']} is submitted again" in said
    assert "repaired removed 1 span(s) that were in their set twice" in said
    assert "repaired cleared 2 stance holder(s)" in said
    data = json.loads(result.stdout)
    assert data["sets_by_status"]["approved"] == 1 and data["sets_by_status"]["submitted"] == 1
    assert data["spans"] == 2
    again = tawsim("stats", db=db)
    assert again.returncode == 0 and "repaired" not in again.stderr


def test_search_indexes_what_an_interrupted_run_left_and_rebuilds_stale_indexes(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    import_as(db, tmp_path, "amal", GOLD)
    con = sqlite3.connect(db)
    with con:  # as a kill after the import's commit leaves it: nothing indexed yet
        con.execute("INSERT INTO document_words(document_words) VALUES ('delete-all')")
        con.execute("INSERT INTO search_pending SELECT id FROM documents")
    con.close()
    assert json.loads(found("طوكيو", db))  # indexed first, then found
    con = sqlite3.connect(db)
    with con:  # an index built with other rules
        con.execute("UPDATE settings SET value = '0' WHERE key = 'search_index_version'")
    con.close()
    assert json.loads(found("طوكيو", db))
    with Database.open(db) as database:
        core = Tawsim(database, "tester")
        assert core.search_index_pending() == 0
        assert core.count(core.query(search="طوكيو")) == 1
