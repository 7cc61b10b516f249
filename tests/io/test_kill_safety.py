"""A kill at any moment (SIGKILL: no cleanup runs) leaves a consistent database and a whole
training set: an import commits a file or nothing and its search indexing resumes; a split
export leaves the previous folder or the complete new one. Twenty kills each, at random times.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, seed_sentences

KILLS = 20
WORD = re.compile(r"(?:[\u0621-\u064a][\u064b-\u0652]*){4,}")


def corpus(path: Path, n: int) -> Path:
    """``n`` articles recombined from the seed texts, each with a few whole-word spans."""
    sentences = [s for s in seed_sentences() if len(s) > 30]
    rng = random.Random(5)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = f"خبر {i}: " + " ".join(rng.sample(sentences, min(6, len(sentences))))
            words = [m.span() for m in WORD.finditer(text)]
            spans = [
                {"start": a, "end": b, "label": rng.choice(["PER", "ORG", "GPE"])}
                for a, b in sorted(rng.sample(words, min(5, len(words))))
            ]
            out.write(json.dumps({"text": text, "spans": spans}, ensure_ascii=False) + "\n")
    return path


def start(
    *args: str | Path, db: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db), "--user", "admin", *map(str, args)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


def run(
    *args: str | Path, db: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "app", "--db", str(db), "--user", "admin", *map(str, args)]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300, env=env)


def kill_after(process: subprocess.Popen[bytes], seconds: float) -> bool:
    """SIGKILL ``process`` after ``seconds`` unless it ended; True when it was killed."""
    try:
        process.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return True


def one(con: sqlite3.Connection, sql: str) -> int:
    return int(con.execute(sql).fetchone()[0])


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    began = time.monotonic()
    fn()
    return time.monotonic() - began


@pytest.mark.slow
def test_an_import_killed_at_any_moment_commits_all_or_nothing_and_indexing_resumes(
    tmp_path: Path,
) -> None:
    source = corpus(tmp_path / "news.jsonl", 1500)
    rng = random.Random(11)
    killed = 0
    # Every other import decides the file's offset unit in a second process while it stores
    # the records on a guess (app.io.unit_guess), and indexes with the words made by another
    # (app.store.word_process), as a large file's import does.
    second = {
        **os.environ,
        "TAWSIM_SECOND_PROCESS_FROM_BYTES": "0",
        "TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS": "0",
    }
    # Kills land within the faster of the two kinds' whole run (start-up included).
    whole = min(
        timed(lambda d=db, e=env: run("import", source, "--status", "approved", db=d, env=e))
        for db, env in ((tmp_path / "t.db", None), (tmp_path / "t2.db", second))
    )
    for k in range(KILLS):
        db = tmp_path / f"k{k}.db"
        importing = start(
            "import", source, "--status", "approved", db=db, env=second if k % 2 else None
        )
        killed += kill_after(importing, rng.uniform(0.2, whole))
        if not db.exists():
            continue
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        if "search_pending" in tables:
            docs = one(con, "SELECT count(*) FROM documents")
            assert docs in (0, 1500)  # the file's transaction: all of it or none
            assert one(con, "SELECT count(*) FROM spans") == 5 * docs
            indexed = one(con, "SELECT count(*) FROM document_words_docsize")
            assert indexed + one(con, "SELECT count(*) FROM search_pending") == docs
        con.close()
        # The next run finishes what the killed one left: every document is found again.
        shown = run("search", "خبر", "--json", "--limit", "5", db=db)
        assert shown.returncode == 0, shown.stderr
        con = sqlite3.connect(db)
        if one(con, "SELECT count(*) FROM documents"):
            assert one(con, "SELECT count(*) FROM search_pending") == 0
            assert len(json.loads(shown.stdout)) == 5
        con.close()
    assert killed >= KILLS // 2  # most kills landed while it ran


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


@pytest.mark.slow
def test_a_split_export_killed_at_any_moment_leaves_a_whole_training_set(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    imported = run("import", corpus(tmp_path / "news.jsonl", 800), "--status", "approved", db=db)
    assert imported.returncode == 0, imported.stderr
    split = ("--split", "train=0.8,dev=0.1,test=0.1")
    versions = {}
    for seed in (1, 2):
        done = run("export", tmp_path / f"seed{seed}", *split, "--seed", str(seed), db=db)
        assert done.returncode == 0, done.stderr
        versions[seed] = _files(tmp_path / f"seed{seed}")
    assert versions[1] != versions[2]
    out = tmp_path / "dataset"
    whole = timed(lambda: run("export", out, *split, "--seed", "1", db=db))
    rng = random.Random(3)
    killed = 0
    # Half the exports write their spaCy files in a second process (app.io.writer_process),
    # as a large export does: killing the parent ends it too, and nothing of it is kept.
    second = {**os.environ, "TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS": "0"}
    for k in range(KILLS):
        seed = 2 - k % 2
        env = second if k % 4 >= 2 else None
        exporting = start("export", out, *split, "--seed", str(seed), db=db, env=env)
        killed += kill_after(exporting, rng.uniform(0.2, whole))
        now = _files(out)
        assert now in (versions[1], versions[2]), f"kill {k}: a mix of two exports"
        assert (out / "README.md").exists()
    assert killed >= KILLS // 2
    # What killed runs left beside the folder goes with the next export.
    assert run("export", out, *split, "--seed", "1", db=db).returncode == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dataset.")] == []


@pytest.mark.slow
def test_a_jsonl_export_killed_at_any_moment_leaves_the_previous_file_or_the_new_one(
    tmp_path: Path,
) -> None:
    """The JSONL export in two processes (the second renders the last records into a part
    file): a kill leaves the file that was there or the whole new one, the second process dies
    with it, and what it left beside the file goes with the next export."""
    db = tmp_path / "t.db"
    imported = run("import", corpus(tmp_path / "news.jsonl", 3000), "--status", "approved", db=db)
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "gold.jsonl"
    second = {**os.environ, "TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS": "0"}
    whole = timed(lambda: run("export", out, db=db, env=second))
    new = out.read_bytes()
    assert new.count(b"\n") == 3000
    rng = random.Random(31)
    killed = 0
    for k in range(KILLS):
        out.write_bytes(b"the previous export\n")
        killed += kill_after(start("export", out, db=db, env=second), rng.uniform(0.2, whole))
        assert out.read_bytes() in (b"the previous export\n", new), f"kill {k}: half a file"
    assert killed >= KILLS // 2
    assert run("export", out, db=db, env=second).returncode == 0
    assert out.read_bytes() == new
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".gold.jsonl.")] == []


@pytest.mark.slow
def test_an_unpack_killed_at_any_moment_merges_all_or_nothing(tmp_path: Path) -> None:
    laptop = tmp_path / "laptop.db"
    imported = run("import", corpus(tmp_path / "news.jsonl", 1200), db=laptop)
    assert imported.returncode == 0, imported.stderr
    pack = tmp_path / "work.tawsim"
    assert run("pack", pack, db=laptop).returncode == 0
    whole = timed(lambda: run("unpack", pack, db=tmp_path / "t.db"))
    rng = random.Random(23)
    killed = 0
    for k in range(KILLS):
        db = tmp_path / f"k{k}.db"
        assert run("init", db=db).returncode == 0
        killed += kill_after(start("unpack", pack, db=db), rng.uniform(0.2, whole))
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        docs, sets = (
            one(con, f"SELECT count(*) FROM {t}") for t in ("documents", "annotation_sets")
        )
        assert (docs, sets) in ((0, 0), (1200, 1200)), f"kill {k}: half a pack"
        assert one(con, "SELECT count(*) FROM spans") == 5 * sets
        con.close()
        again = run("unpack", pack, db=db)  # the next run merges it (or finds it all there)
        assert again.returncode == 0, again.stderr
    assert killed >= KILLS // 2


@pytest.mark.slow
def test_an_export_killed_at_any_moment_leaves_the_previous_file_or_none(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    imported = run("import", corpus(tmp_path / "news.jsonl", 3000), "--status", "approved", db=db)
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "gold.jsonl"
    whole = timed(lambda: run("export", out, db=db))
    previous = out.read_bytes()
    rng = random.Random(29)
    killed = 0
    for k in range(KILLS):
        killed += kill_after(start("export", out, db=db), rng.uniform(0.1, whole))
        assert out.read_bytes() == previous, f"kill {k}: a partial export"
    assert killed >= KILLS // 2


@pytest.mark.slow
def test_a_database_killed_while_it_is_made_or_upgraded_opens_next_time(tmp_path: Path) -> None:
    # Each migration run is one transaction: a kill leaves the previous revision, never half
    # of one (Python's sqlite3 would otherwise commit every DDL statement on its own).
    from tests.store.test_invariants import database_at_0003

    old = database_at_0003(tmp_path / "old.db")
    whole = timed(lambda: run("init", db=tmp_path / "t.db"))
    rng = random.Random(17)
    for k in range(KILLS):
        db = tmp_path / f"k{k}.db"
        if k % 2:  # an older database, upgraded (and repaired) on open
            shutil.copy(old, db)
        # A new database is made by init (a command that only reads refuses a missing file).
        kill_after(start("stats" if k % 2 else "init", db=db), rng.uniform(0.1, whole))
        if not k % 2:
            made = run("init", db=db)
            assert made.returncode == 0, f"kill {k}: {made.stderr}"
        opened = run("stats", "--json", db=db)
        assert opened.returncode == 0, f"kill {k}: {opened.stderr}"
        if k % 2:
            assert json.loads(opened.stdout)["documents"] == 1
