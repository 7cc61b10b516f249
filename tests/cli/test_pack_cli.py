"""Two annotators, one reviewer, three databases: packs carry the work, nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import stats, tawsim
from tests.conftest import SEEDS, write_jsonl


def test_two_annotators_one_reviewer_three_databases(tmp_path: Path) -> None:
    reviewer = tmp_path / "reviewer.db"
    assert tawsim("import", SEEDS, db=reviewer).returncode == 0
    corpus = tmp_path / "corpus.jsonl"
    assert tawsim("export", corpus, "--include", "all", db=reviewer).returncode == 0
    packs = []
    for name, label in [("amal", "GPE"), ("omar", "LOC")]:
        laptop = tmp_path / f"{name}.db"
        assert tawsim("import", corpus, db=laptop).returncode == 0  # same documents, same uuids
        text = "بدعم طوكيو"
        work = write_jsonl(
            tmp_path / f"{name}.jsonl",
            {"text": text, "spans": [{"start": 5, "end": 10, "label": label}]},
        )
        assert tawsim("import", work, "--annotator", name, db=laptop).returncode == 0
        out = tmp_path / f"{name}.tawsim"
        result = tawsim("pack", out, "--annotator", name, db=laptop)
        assert result.returncode == 0, result.stderr
        packs.append(out)
    for pack in packs:
        result = tawsim("unpack", pack, db=reviewer)
        assert result.returncode == 0, result.stderr
    once = stats(reviewer)
    for pack in packs:  # twice: nothing changes
        again = tawsim("unpack", pack, db=reviewer)
        assert again.returncode == 0 and "nothing new" in again.stdout
    assert stats(reviewer) == once
    assert once["annotation_sets"] == 2 and once["spans_by_label"] == {"GPE": 1, "LOC": 1}
    queue = tawsim("--user", "tester", "review", "queue", db=reviewer)
    assert "1 document(s) waiting for review" in queue.stdout
    # Blind annotation on the reviewer's database too: amal reads only her own work.
    refused = tawsim(
        "--user", "amal", "pack", tmp_path / "x.tawsim", "--annotator", "omar", db=reviewer
    )
    assert refused.returncode == 1 and "annotation is blind" in refused.stderr
    assert "Traceback" not in refused.stderr and not (tmp_path / "x.tawsim").exists()
    mine = tawsim("--user", "amal", "export", "-", "--include", "all", db=reviewer)
    assert mine.returncode == 0, mine.stderr
    lines = [json.loads(line) for line in mine.stdout.splitlines()]
    assert [r["annotator"] for r in lines if r.get("annotator")] == ["amal"]
    assert len(lines) == stats(reviewer)["documents"]  # the other documents, as text only
    everyone = tawsim("--user", "tester", "export", "-", "--include", "submitted", db=reviewer)
    assert sorted(json.loads(line)["annotator"] for line in everyone.stdout.splitlines()) == [
        "amal",
        "omar",
    ]


def test_damaged_pack_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert tawsim("import", SEEDS, db=db).returncode == 0
    before = stats(db)
    bad = tmp_path / "bad.tawsim"
    bad.write_bytes(b"PK\x03\x04 definitely not a real zip")
    result = tawsim("unpack", bad, db=db)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(bad) in result.stderr
    assert stats(db) == before


def test_unpack_that_keeps_conflicts_exits_3_and_says_how_to_resolve(tmp_path: Path) -> None:
    text = "وصل بوريل إلى طوكيو"
    laptop, reviewer = tmp_path / "laptop.db", tmp_path / "reviewer.db"
    for db, label in [(laptop, "GPE"), (reviewer, "LOC")]:
        work = write_jsonl(
            tmp_path / f"{label}.jsonl",
            {"text": text, "spans": [{"start": 14, "end": 19, "label": label}]},
        )
        assert tawsim("import", work, "--annotator", "amal", db=db).returncode == 0
    pack = tmp_path / "amal.tawsim"
    assert tawsim("pack", pack, "--annotator", "amal", db=laptop).returncode == 0
    before = stats(reviewer)
    result = tawsim("unpack", pack, db=reviewer)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout + result.stderr
    assert "1 in conflict (local kept)" in out and "to resolve" in out
    assert stats(reviewer) == before  # the local set kept
    # The same file imported as JSONL meets the same conflict: the same status.
    again = tawsim("import", tmp_path / "GPE.jsonl", "--annotator", "amal", db=reviewer)
    assert again.returncode == 3 and "to resolve" in again.stdout + again.stderr
