"""A team at work at once (issue 11): four annotators label and hand in documents while two
reviewers approve and reject them, each in its own process, on SQLite and PostgreSQL.

Each process (``tests/store/concurrent_worker.py``) logs what it believed was done and every
refusal it was given. Afterwards the database must hold exactly what the logs say was done:
nothing lost, nothing done that nobody saw done, one gold set per document, the set versions
and the kept counts true, and only the refusals a team at work meets (busy, stale, already
decided, one gold set): never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from app.core.domain import Role, SetStatus
from app.core.records import DocumentData, Record
from app.store.core import Tawsim
from app.store.database import Database
from app.store.models import AnnotationSetRecord, AuditRecord, SpanRecord, StanceRecord, UserRecord
from app.store.values import ListFilter
from tests.conftest import REPO, seed_sentences

ANNOTATORS = ("amal", "omar", "huda", "salim")
REVIEWERS = ("rana", "sami")
DOCUMENTS = 20
SECONDS = float(os.environ.get("TAWSIM_TEAM_SECONDS", "12"))
"""How long the team works at once (the whole test takes about this plus 10 s a database)."""
EXPECTED_REFUSALS = {"busy", "stale", "already-decided", "one-gold-set"}
DECISIONS = {"set.submit": "submit", "set.approve": "approve", "set.reject": "reject",
             "set.reopen": "reopen"}  # fmt: skip


def seed(db_url: str) -> None:
    """An admin, the reviewers and annotators (added by the admin), and the documents."""
    sentences = seed_sentences()
    with Database.open(db_url) as db:
        admin = Tawsim(db, "admin")
        admin.join()  # the first user: the admin
        for name in REVIEWERS:
            admin.add_user(name, Role.REVIEWER)
        for name in ANNOTATORS:
            admin.add_user(name, Role.ANNOTATOR)
        texts = [
            f"الخبر {n}: " + " ".join(sentences[(3 * n + k) % len(sentences)] for k in range(3))
            for n in range(DOCUMENTS)
        ]
        admin.ingest([Record(DocumentData(t, title=f"خبر {n}")) for n, t in enumerate(texts)])
        assert admin.stats()["documents"] == DOCUMENTS


def run_team(db_url: str, folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Start every worker, let them all begin at the same moment, wait for them; their logs."""
    folder.mkdir()
    team = [(n, "annotator") for n in ANNOTATORS] + [(n, "reviewer") for n in REVIEWERS]
    runs: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for seed_number, (name, role) in enumerate(team):
            command = [sys.executable, "-m", "tests.store.concurrent_worker",
                       db_url, name, role, str(folder), str(seed_number)]  # fmt: skip
            with (folder / f"{name}.err").open("w") as err:
                runs[name] = subprocess.Popen(
                    command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err
                )
        waited = time.monotonic() + 120
        while not all((folder / f"ready-{name}").exists() for name in runs):
            failed = {n: r.returncode for n, r in runs.items() if r.poll() is not None}
            assert not failed and time.monotonic() < waited, (failed, errors(folder, runs))
            time.sleep(0.02)
        (folder / "go.tmp").write_text(repr(time.time() + SECONDS))
        (folder / "go.tmp").rename(folder / "go")  # the barrier: every worker starts now
        for run in runs.values():
            run.wait(timeout=SECONDS + 120)
    finally:
        for run in runs.values():  # only when the test failed above: none is left behind
            if run.poll() is None:
                run.kill()
                run.wait()
    logs = {}
    for name in runs:
        log = folder / f"{name}.jsonl"
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        logs[name] = [json.loads(line) for line in lines]
        crashes = [e["traceback"] for e in logs[name] if e["op"] == "crash"]
        assert not crashes, (name, crashes)
    said = errors(folder, runs)
    assert all(run.returncode == 0 for run in runs.values()), said
    assert not any("Traceback" in s for s in said.values()), said
    assert all(log and log[-1]["op"] == "end" for log in logs.values())
    return logs


def errors(folder: Path, runs: dict[str, subprocess.Popen[bytes]]) -> dict[str, str]:
    return {n: (folder / f"{n}.err").read_text(errors="replace") for n in runs}


def expected_sets(logs: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, int], dict]:
    """What each annotator's set on each document holds after their logged edits, replayed
    in the order they made them (only they change their own set's labels)."""
    sets: dict[tuple[str, int], dict] = {}
    for name in ANNOTATORS:
        for entry in logs[name]:
            if entry["op"] != "edit":
                continue
            mine = sets.setdefault((name, entry["doc"]), {"spans": {}, "stances": {}})
            for step in entry["steps"]:
                match step:
                    case ["add" | "change", span, start, end, label]:
                        mine["spans"][span] = (start, end, label)
                    case ["remove", span]:
                        del mine["spans"][span]
                    case ["stance", target, value]:
                        mine["stances"][target] = value
                    case ["unstance", target]:
                        del mine["stances"][target]
    return sets


def stored_sets(db: Database) -> dict[tuple[str, int], dict]:
    """Every set in the database: its labels, status and version."""
    sets: dict[tuple[str, int], dict] = {}
    with db.session() as s:
        rows = s.execute(
            select(AnnotationSetRecord, UserRecord.name).join(
                UserRecord, UserRecord.id == AnnotationSetRecord.annotator_id
            )
        )
        for aset, name in rows:
            sets[(name, aset.document_id)] = {
                "uuid": aset.uuid,
                "status": aset.status,
                "version": aset.version,
                "spans": {
                    sp.uuid: (sp.start, sp.end, sp.label)
                    for sp in s.scalars(select(SpanRecord).where(SpanRecord.set_id == aset.id))
                },
                "stances": {
                    st.target: st.value
                    for st in s.scalars(select(StanceRecord).where(StanceRecord.set_id == aset.id))
                },
            }
    return sets


def status_history(db: Database) -> dict[str, list[tuple[str, str, str, str]]]:
    """Each set's status changes in the audit log, in order: (who, what, before, after)."""
    history: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    with db.session() as s:
        rows = s.execute(
            select(AuditRecord, UserRecord.name)
            .join(UserRecord, UserRecord.id == AuditRecord.user_id)
            .where(AuditRecord.action.in_(list(DECISIONS)))
            .order_by(AuditRecord.id)
        )
        for record, name in rows:
            assert record.before is not None and record.after is not None
            history[record.entity_uuid].append(
                (name, DECISIONS[record.action], record.before["status"], record.after["status"])
            )
    return history


def check_kept_counts(db: Database) -> None:
    """The counts triggers keep equal a recount (sets per annotator and status, documents),
    and so do the document list's counts each annotator sees."""
    with db.session() as s:
        kept = {
            (who, status): n
            for who, status, n in s.execute(text("SELECT annotator_id, status, n FROM set_tallies"))
            if n
        }
        recount = dict(
            ((who, status), n)
            for who, status, n in s.execute(
                text(
                    "SELECT annotator_id, status, count(*) FROM annotation_sets "
                    "GROUP BY annotator_id, status"
                )
            )
        )
        assert kept == recount
        documents = s.scalar(text("SELECT n FROM tallies WHERE name = 'documents'"))
        assert documents == s.scalar(text("SELECT count(*) FROM documents")) == DOCUMENTS
    for name in ANNOTATORS:
        core = Tawsim(db, name)
        who = core.query().user_id
        mine = {status: n for (w, status), n in recount.items() if w == who}
        for flt in ListFilter:
            if flt.value in {s.value for s in SetStatus}:
                assert core.count(core.query(flt)) == mine.get(flt.value, 0), (name, flt)
        assert core.count(core.query(ListFilter.UNLABELLED)) == DOCUMENTS - sum(mine.values())
        done = mine.get("submitted", 0) + mine.get("approved", 0)
        assert core.progress() == (done, DOCUMENTS)


def test_a_team_annotating_and_reviewing_at_once_loses_nothing(db_url: str, tmp_path: Path) -> None:
    seed(db_url)
    started = time.monotonic()
    logs = run_team(db_url, tmp_path / "team")
    took = time.monotonic() - started

    # Only the refusals a team at work meets, each a message (no traceback).
    refusals = Counter(e["kind"] for log in logs.values() for e in log if e["op"] == "refused")
    unexpected = [e for log in logs.values() for e in log if e.get("kind") == "unexpected"]
    assert not unexpected, unexpected
    assert set(refusals) <= EXPECTED_REFUSALS

    with Database.open(db_url) as db:
        stored = stored_sets(db)
        history = status_history(db)
        gold = Counter(doc for (_n, doc), s in stored.items() if s["status"] == "approved")

        # One gold set per document.
        assert all(n == 1 for n in gold.values()), gold
        with db.session() as s:
            approved = s.scalars(
                select(AnnotationSetRecord.document_id).where(
                    AnnotationSetRecord.status == SetStatus.APPROVED.value
                )
            ).all()
        assert len(approved) == len(set(approved))

        # Nothing lost: each annotator's sets hold exactly what their logged edits left, and
        # the sets nobody logged an edit of do not exist (a refused edit left nothing).
        expected = expected_sets(logs)
        assert set(stored) == set(expected)
        for key, want in expected.items():
            assert stored[key]["spans"] == want["spans"], key
            assert stored[key]["stances"] == want["stances"], key

        # Every hand-in and decision a worker logged as done is in the audit log, and no
        # other: a refused one left no trace.
        by_uuid = {s["uuid"]: key for key, s in stored.items()}
        logged: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        for name, log in logs.items():
            for e in log:
                if e["op"] == "submit":
                    logged[stored[(name, e["doc"])]["uuid"]][(name, "submit")] += 1
                elif e["op"] in ("approve", "reject", "reopen") and e["changed"]:
                    assert by_uuid[e["set"]][1] == e["doc"]
                    logged[e["set"]][(name, e["op"])] += 1
        audited = {u: Counter((who, what) for who, what, _b, _a in h) for u, h in history.items()}
        assert audited == {u: c for u, c in logged.items() if c}

        # Each decision was made on the set as it then stood (no decision written over one
        # it did not see), and the set's status is where its last decision left it; so an
        # approval is either still the gold set or undone by a later logged decision.
        for key, s in stored.items():
            status = "in_progress"
            for _who, _what, before, after in history.get(s["uuid"], []):
                assert before == status, (key, history[s["uuid"]])
                status = after
            assert s["status"] == status, (key, history.get(s["uuid"]))

        # Versions: one step up per label change, hand-in and decision, none lost.
        for key, s in stored.items():
            name, doc = key
            changes = sum(
                len(e["steps"]) for e in logs[name] if e["op"] == "edit" and e["doc"] == doc
            ) + sum(logged[s["uuid"]].values())
            assert s["version"] == 1 + changes, (key, s["version"], changes)

        check_kept_counts(db)

    # The team did work together: decisions of every kind, rejected sets handed in again.
    done = Counter(e["op"] for log in logs.values() for e in log)
    resubmitted = sum(
        1 for h in history.values() for _w, what, before, _a in h
        if what == "submit" and before == "rejected"
    )  # fmt: skip
    assert done["edit"] and done["submit"] and done["approve"] and done["reject"], done
    assert resubmitted, history
    backend = "postgresql" if "://" in db_url else "sqlite"
    print(
        f"\n{backend}: team of {len(logs)} for {SECONDS:g} s, {took:.1f} s in all; "
        f"done {dict(done)}; {len(gold)} gold sets, {resubmitted} handed in again; "
        f"refused {dict(refusals)}"
    )
