"""The database's five invariants, on every path that writes:

1. at most one approved (gold) set per document;
2. one set per document and annotator;
3. spans satisfy ``0 <= start < end <= len(text)``;
4. no span (extent and label) twice in one set;
5. one stance per target in a set; a stance holder is a range of the text, or nothing.

The paths: the GUI's commands (``core.perform``), review decisions (one at a time, in batches,
automatic), imports with ``--status approved``, unpacking a pack made in another database, and
pre-annotation (``--annotator model:v1``). Below them all the database's own constraints hold
on their own: against raw SQL, against two writers at the same moment (the check in Python
bypassed), and in older databases, which migration 0004 repairs. The command line's side of
the same rules is in ``tests/cli/test_invariants_cli.py``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app.core.arabic.search_words import INDEX_VERSION
from app.core.commands import (
    AddSpan,
    Approve,
    ApproveDraft,
    ChangeSpan,
    Command,
    Reject,
    Reopen,
    SetStance,
)
from app.core.domain import EntitySpan, Role, Selection, SetStatus, StanceJudgement, TextRange
from app.core.errors import Conflict, InputError, PermissionDenied, StaleEdit, TawsimError
from app.core.records import DocumentData, Record
from app.io.importer import ImportOptions, import_paths
from app.io.pack import pack, unpack
from app.store import annotating, reviewing, search_index
from app.store import ingest as ingest_module
from app.store.constraint_errors import explain
from app.store.core import Tawsim
from app.store.database import Database, alembic_config, create_db_engine
from app.store.ingest import content_hash
from app.store.models import AuditRecord
from tests.conftest import as_user, first_document, set_uuid, stats, store_set, write_jsonl

TEXT = "زار بوريل طوكيو يوم الجمعة والتقى رئيس وزراء اليابان"
END = len(TEXT)
APPROVED = SetStatus.APPROVED


def rng(word: str) -> TextRange:
    start = TEXT.index(word)
    return TextRange(start, start + len(word))


def span(word: str, label: str) -> EntitySpan:
    r = rng(word)
    return EntitySpan(r.start, r.end, label)


BORRELL = span("بوريل", "PER")
TOKYO = span("طوكيو", "GPE")
FAVOUR = StanceJudgement("اليابان", "FAVOR", (rng("التقى"),), rng("بوريل"))


def new_id() -> str:
    return str(uuid.uuid4())


def approved(db: Database) -> list[tuple[str | None, str]]:
    """(annotator, set uuid) of every approved set in the database."""
    return [
        (r.annotation.annotator, r.annotation.uuid)
        for r in Tawsim(db).records(Selection.APPROVED)
        if r.annotation is not None
    ]


def statuses(db: Database, document_id: int) -> dict[str | None, str]:
    return {s.annotator: str(s.status) for s in Tawsim(db).sets(document_id)}


def sql(db: Database, statement: str, **params: Any) -> None:
    """Run one raw SQL statement in its own transaction, past every check in Python."""
    with db.engine.begin() as conn:
        conn.execute(text(statement), params)


def one(db: Database, query: str, **params: Any) -> Any:
    """The one value a raw SQL query finds."""
    with db.engine.connect() as conn:
        return conn.execute(text(query), params).scalar_one()


def set_id(db: Database, set_uuid_: str) -> int:
    return int(one(db, "SELECT id FROM annotation_sets WHERE uuid = :u", u=set_uuid_))


def user_id(db: Database, name: str) -> int:
    return int(one(db, "SELECT id FROM users WHERE name = :n", n=name))


@pytest.fixture
def rana(db: Database) -> Tawsim:
    """A reviewer (the database's first user, ``admin``, adds her)."""
    return as_user(db, "rana", Role.REVIEWER)


# -- the bulk paths: import --status approved, pre-annotation, unpack ---------------------------

BULK = ("import", "pre-annotation", "unpack")
WHO = {"import": "other", "pre-annotation": "model:v1", "unpack": "other"}
"""Whose set each bulk path brings."""


@dataclass(slots=True)
class Outcome:
    notices: list[str]
    conflicts: list[str]
    error: TawsimError | None = None


def jsonl(
    document: str, spans: Sequence[EntitySpan] = (), stances: Sequence[StanceJudgement] = ()
) -> dict[str, Any]:
    """One record in Tawsim's native JSON Lines shape."""
    return {
        "text": document,
        "spans": [{"start": s.start, "end": s.end, "label": s.label} for s in spans],
        "stance": [stance_json(j) for j in stances],
    }


def stance_json(j: StanceJudgement) -> dict[str, Any]:
    return {
        "target": j.target,
        "label": j.value,
        "evidence": [{"start": r.start, "end": r.end} for r in j.evidence],
        "holder": None if j.holder is None else {"start": j.holder.start, "end": j.holder.end},
    }


_sources = count(1)


def made_elsewhere(
    tmp_path: Path,
    annotator: str,
    status: SetStatus,
    spans: Sequence[EntitySpan] = (),
    stances: Sequence[StanceJudgement] = (),
    *,
    carry: bool = False,
) -> Path:
    """A pack made in another database, holding ``annotator``'s set on TEXT. With ``carry``
    the set is stored empty there and the pack made to carry the spans and stances afterwards
    (checksums made to match): what no database could store, as a buggy or hostile Tawsim
    would write it."""
    n = next(_sources)
    with Database.open(tmp_path / f"source-{n}.db") as source:
        rana = as_user(source, "rana", Role.REVIEWER)
        store_set(rana, TEXT, annotator, status, *(((), ()) if carry else (spans, stances)))
        out = pack(Tawsim(source), tmp_path / f"source-{n}.tawsim").path
    if carry:
        rewrite_sets(out, lambda obj: carried(obj, spans, stances))
    return out


def carried(
    obj: dict[str, Any], spans: Sequence[EntitySpan], stances: Sequence[StanceJudgement]
) -> None:
    obj["spans"] = [
        {"uuid": new_id(), "start": s.start, "end": s.end, "label": s.label} for s in spans
    ]
    obj["stances"] = [{"uuid": new_id(), **stance_json(j)} for j in stances]


def rewrite_sets(path: Path, edit: Any) -> None:
    """Edit every set of a pack in place, keeping its manifest true to the new entry."""
    with zipfile.ZipFile(path) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    sets = [json.loads(line) for line in entries["sets.jsonl"].decode("utf-8").splitlines()]
    for obj in sets:
        edit(obj)
    data = "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sets).encode("utf-8")
    entries["sets.jsonl"] = data
    manifest = json.loads(entries["manifest.json"])
    manifest["entries"]["sets.jsonl"] = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    for what in ("spans", "stances"):  # counts true to the new entry too
        manifest["counts"][what] = sum(len(s.get(what) or ()) for s in sets)
    entries["manifest.json"] = json.dumps(manifest).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)


def deliver(
    path: str,
    core: Tawsim,
    tmp_path: Path,
    status: SetStatus | None,
    spans: Sequence[EntitySpan] = (),
    stances: Sequence[StanceJudgement] = (),
    *,
    carry: bool = False,
) -> Outcome:
    """Bring ``WHO[path]``'s set on TEXT into the core's database by ``path``. ``carry``:
    no database could store the content, so a pack is made to carry it (see
    :func:`made_elsewhere`)."""
    who = WHO[path]  # model:v1 for pre-annotation
    if path == "unpack":
        status = status or SetStatus.SUBMITTED
        made = made_elsewhere(tmp_path, who, status, spans, stances, carry=carry)
        try:
            report = unpack(core, made)
        except TawsimError as exc:
            return Outcome([], [], exc)
        return Outcome(report.notices, [str(c) for c in report.conflicts])
    src = write_jsonl(tmp_path / f"import-{next(_sources)}.jsonl", jsonl(TEXT, spans, stances))
    [result] = import_paths(core, [src], ImportOptions(annotator=who, status=status)).files
    return Outcome(result.notices, [str(c) for c in result.conflicts], result.error)


# -- 1. one gold set per document ---------------------------------------------------------------


def test_issue_two_approved_imports_by_different_annotators_keep_one_gold(
    db: Database, rana: Tawsim, tmp_path: Path
) -> None:
    gold_file = write_jsonl(tmp_path / "gold.jsonl", jsonl(TEXT, [BORRELL, TOKYO]))
    other_file = write_jsonl(tmp_path / "other.jsonl", jsonl(TEXT, [span("بوريل", "ORG")]))
    first = import_paths(rana, [gold_file], ImportOptions(annotator="gold", status=APPROVED))
    assert first.files[0].notices == [] and first.total("sets_added") == 1
    doc = first_document(rana)
    gold = set_uuid(rana, doc, "gold")
    second = import_paths(rana, [other_file], ImportOptions(annotator="other", status=APPROVED))
    [result] = second.files
    assert result.error is None and result.conflicts == [] and result.sets_added == 1
    [notice] = result.notices
    document_uuid = rana.document(doc).uuid
    assert notice.startswith(f"{other_file}:1: document {document_uuid} already has an approved")
    assert f"(gold's, set {gold})" in notice and "other's set is stored as submitted" in notice
    assert "a document has one gold set" in notice
    assert approved(db) == [("gold", gold)]
    assert statuses(db, doc) == {"gold": "approved", "other": "submitted"}
    [training] = list(rana.records(Selection.APPROVED))
    assert training.annotation is not None and training.annotation.spans == (BORRELL, TOKYO)


@pytest.mark.parametrize("path", BULK)
def test_a_second_approved_set_arrives_as_submitted_with_a_notice(
    path: str, db: Database, rana: Tawsim, tmp_path: Path
) -> None:
    store_set(rana, TEXT, "gold", APPROVED, [BORRELL])
    doc = first_document(rana)
    gold = set_uuid(rana, doc, "gold")
    outcome = deliver(path, rana, tmp_path, APPROVED, [span("طوكيو", "LOC")])
    assert outcome.error is None and outcome.conflicts == []
    [notice] = outcome.notices
    assert rana.document(doc).uuid in notice and gold in notice and WHO[path] in notice
    assert approved(db) == [("gold", gold)]
    assert statuses(db, doc) == {"gold": "approved", WHO[path]: "submitted"}


def test_one_file_with_two_approved_annotators_keeps_the_first(
    db: Database, rana: Tawsim, tmp_path: Path
) -> None:
    src = write_jsonl(
        tmp_path / "both.jsonl",
        {**jsonl(TEXT, [BORRELL]), "annotator": "amal"},
        {**jsonl(TEXT, [TOKYO]), "annotator": "omar"},
    )
    [result] = import_paths(rana, [src], ImportOptions(status=APPROVED)).files
    assert result.error is None and result.sets_added == 2
    assert len(result.notices) == 1 and result.notices[0].startswith(f"{src}:2: ")
    assert [a for a, _ in approved(db)] == ["amal"]


def test_approving_a_second_set_is_refused_until_the_gold_one_is_reopened(
    db: Database, rana: Tawsim
) -> None:
    store_set(rana, TEXT, "amal", SetStatus.SUBMITTED, [BORRELL])
    store_set(rana, TEXT, "omar", SetStatus.SUBMITTED, [TOKYO])
    doc = first_document(rana)
    amal, omar = set_uuid(rana, doc, "amal"), set_uuid(rana, doc, "omar")
    rana.perform(Approve(amal))
    with pytest.raises(PermissionDenied, match=f"already has an approved set .*{amal}.*reopen"):
        rana.perform(Approve(omar))
    rana.perform(Reject(omar, "طوكيو مدينة"))
    with pytest.raises(PermissionDenied, match="reopen it first"):
        rana.perform(Approve(omar))  # a rejected set neither
    assert approved(db) == [("amal", amal)]
    undo = rana.perform(Reopen(amal)).inverse
    rana.perform(Approve(omar))
    assert undo == Approve(amal)
    with pytest.raises(PermissionDenied, match="reopen it first"):
        rana.perform(undo)  # undoing the reopen now would make a second gold set
    assert approved(db) == [("omar", omar)]


def test_a_reviewer_cannot_approve_her_own_draft_over_a_gold_set(
    db: Database, rana: Tawsim
) -> None:
    store_set(rana, TEXT, "amal", APPROVED, [BORRELL])
    doc = first_document(rana)
    rana.perform(AddSpan(doc, TOKYO, new_id()))
    with pytest.raises(PermissionDenied, match="already has an approved set"):
        rana.perform(ApproveDraft(doc))
    assert statuses(db, doc) == {"amal": "approved", "rana": "in_progress"}  # rolled back


def test_batch_approval_is_all_or_nothing_and_auto_approval_skips_decided_documents(
    db: Database, rana: Tawsim
) -> None:
    for name in ("amal", "omar", "huda"):
        store_set(rana, TEXT, name, SetStatus.SUBMITTED, [BORRELL])
    doc = first_document(rana)
    amal, omar = set_uuid(rana, doc, "amal"), set_uuid(rana, doc, "omar")
    with pytest.raises(PermissionDenied, match="already has an approved set"):
        rana.approve_many((amal, omar))
    assert approved(db) == []
    result = rana.auto_approve(min_agree=3)
    assert len(result.approved) == 1 and len(approved(db)) == 1
    assert rana.auto_approve(min_agree=1).approved == []
    assert len(approved(db)) == 1


# -- 2. one set per document and annotator ------------------------------------------------------


def test_label_commands_and_a_draft_approval_reuse_the_actors_set(
    db: Database, rana: Tawsim
) -> None:
    rana.ingest([Record(DocumentData(TEXT))])
    doc = first_document(rana)
    amal = as_user(db, "amal", Role.ANNOTATOR)
    for core in (amal, rana):
        core.perform(AddSpan(doc, BORRELL, new_id()))
        core.perform(AddSpan(doc, TOKYO, new_id()))
        core.perform(SetStance(doc, FAVOUR, new_id()))
    amal.submit(doc)
    rana.perform(ApproveDraft(doc))
    assert statuses(db, doc) == {"amal": "submitted", "rana": "approved"}
    assert stats(db)["annotation_sets"] == 2


@pytest.mark.parametrize("status", [None, APPROVED])
@pytest.mark.parametrize("path", BULK)
def test_a_second_set_by_the_same_annotator_is_a_conflict(
    path: str, status: SetStatus | None, db: Database, rana: Tawsim, tmp_path: Path
) -> None:
    assert deliver(path, rana, tmp_path, status, [BORRELL]).conflicts == []
    doc = first_document(rana)
    kept = set_uuid(rana, doc, WHO[path])
    again = deliver(path, rana, tmp_path, status, [TOKYO])
    assert again.error is None
    [conflict] = again.conflicts
    assert f"{WHO[path]}'s set" in conflict and f"kept the local set {kept}" in conflict
    assert "already has" in conflict
    [only] = Tawsim(db).sets(doc)
    assert (only.annotator, only.uuid, only.spans) == (WHO[path], kept, (BORRELL,))


# -- 3, 4, 5. spans and stances -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bad:
    spans: tuple[EntitySpan, ...]
    stances: tuple[StanceJudgement, ...]
    python: str  # what the checks in Python say
    database: str  # what the database says when they are bypassed


BAD = {
    "span past the end": Bad(
        (EntitySpan(END - 5, END + 3, "GPE"),), (), "lies outside the text", "ends beyond the text"
    ),
    "empty span": Bad(
        (EntitySpan(4, 4, "PER"),), (), "is empty", "a span must satisfy 0 <= start < end"
    ),
    "span twice": Bad(
        (BORRELL, TOKYO, BORRELL), (), "appears twice", "the same span (extent and label)"
    ),
    "two stances on one target": Bad(
        (),
        (FAVOUR, StanceJudgement("اليابان", "AGAINST")),
        "two stances towards the same target",
        "there is already a stance towards this target",
    ),
    "holder past the end": Bad(
        (),
        (StanceJudgement("اليابان", "FAVOR", (), TextRange(END - 3, END + 4)),),
        "stance holder",
        "ends beyond the text",
    ),
    "empty holder": Bad(
        (),
        (StanceJudgement("اليابان", "FAVOR", (), TextRange(4, 4)),),
        "stance holder [4, 4) ends before it starts or is empty",
        "a stance holder must be a range of the text",
    ),
}


def nothing_stored(db: Database) -> bool:
    data = stats(db)
    return not any(data[n] for n in ("documents", "annotation_sets", "spans", "stances"))


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("path", BULK)
def test_bad_spans_and_stances_are_refused_on_every_bulk_path(
    path: str, case: str, db: Database, rana: Tawsim, tmp_path: Path
) -> None:
    bad = BAD[case]
    outcome = deliver(path, rana, tmp_path, APPROVED, bad.spans, bad.stances, carry=True)
    assert isinstance(outcome.error, InputError)
    assert bad.python in str(outcome.error)
    assert ".jsonl:1: " in str(outcome.error)  # the file (or the pack's entry) and line
    assert nothing_stored(db)


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("path", BULK)
def test_the_database_refuses_them_when_the_checks_in_python_are_skipped(
    path: str,
    case: str,
    db: Database,
    rana: Tawsim,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ingest_module, "check_set", lambda *args, **kwargs: [])
    bad = BAD[case]
    outcome = deliver(path, rana, tmp_path, APPROVED, bad.spans, bad.stances, carry=True)
    assert isinstance(outcome.error, Conflict)
    assert "refused by the database: " in str(outcome.error)
    assert bad.database in str(outcome.error)
    assert nothing_stored(db)


def gui_commands(case: str, doc: int) -> list[Command]:
    """The GUI's commands that try to break a rule: the last one must be refused."""
    past_the_end = EntitySpan(END - 5, END + 3, "GPE")
    first = new_id()
    cases: dict[str, list[Command]] = {
        "span past the end": [AddSpan(doc, past_the_end, new_id())],
        "empty span": [AddSpan(doc, EntitySpan(4, 4, "PER"), new_id())],
        "span twice": [AddSpan(doc, BORRELL, new_id()), AddSpan(doc, BORRELL, new_id())],
        "span moved past the end": [
            AddSpan(doc, BORRELL, first),
            ChangeSpan(doc, first, past_the_end),
        ],
        "span moved onto another": [
            AddSpan(doc, BORRELL, new_id()),
            AddSpan(doc, TOKYO, first),
            ChangeSpan(doc, first, BORRELL),
        ],
        "holder past the end": [SetStance(doc, BAD["holder past the end"].stances[0], new_id())],
        "empty holder": [SetStance(doc, BAD["empty holder"].stances[0], new_id())],
    }
    return cases[case]


GUI_CASES = {
    "span past the end": ("lies outside the text", "ends beyond the text"),
    "empty span": ("is empty", "a span must satisfy 0 <= start < end"),
    "span twice": ("is already there", "the same span (extent and label)"),
    "span moved past the end": ("lies outside the text", "ends beyond the text"),
    "span moved onto another": ("is already there", "the same span (extent and label)"),
    "holder past the end": ("stance holder", "ends beyond the text"),
    "empty holder": ("ends before it starts or is empty", "a stance holder must be a range"),
}


@pytest.mark.parametrize("bypass", [False, True], ids=["checked", "checks bypassed"])
@pytest.mark.parametrize("case", list(GUI_CASES))
def test_the_guis_commands_cannot_break_the_span_and_stance_rules(
    case: str, bypass: bool, db: Database, rana: Tawsim, monkeypatch: pytest.MonkeyPatch
) -> None:
    rana.ingest([Record(DocumentData(TEXT))])
    doc = first_document(rana)
    amal = as_user(db, "amal", Role.ANNOTATOR)
    *before, last = gui_commands(case, doc)
    for command_ in before:
        amal.perform(command_)
    state = amal.document(doc)
    if bypass:
        monkeypatch.setattr(annotating, "_check_span_in", lambda *args: None)
        monkeypatch.setattr(annotating, "check_stance", lambda *args: None)
    python, database = GUI_CASES[case]
    with pytest.raises(Conflict if bypass else InputError) as caught:
        amal.perform(last)
    assert (database if bypass else python) in str(caught.value)
    assert amal.document(doc) == state


def test_one_stance_per_target_a_new_judgement_replaces_the_old(db: Database, rana: Tawsim) -> None:
    rana.ingest([Record(DocumentData(TEXT))])
    doc = first_document(rana)

    def judgements() -> list[StanceJudgement]:
        return [s.judgement for s in rana.document(doc).stances]

    against = StanceJudgement("اليابان", "AGAINST")
    rana.perform(SetStance(doc, FAVOUR, new_id()))
    changed = rana.perform(SetStance(doc, against, new_id()))
    assert judgements() == [against] and stats(db)["stances"] == 1
    assert changed.inverse is not None
    rana.perform(changed.inverse)  # undo: the first judgement is back, still the only one
    assert judgements() == [FAVOUR] and stats(db)["stances"] == 1


# -- the database on its own: raw SQL ----------------------------------------------------------


@pytest.fixture
def stored(db: Database, rana: Tawsim) -> dict[str, Any]:
    """amal's approved set (Borrell, Tokyo) and omar's submitted one (a stance with a holder)."""
    store_set(rana, TEXT, "amal", APPROVED, [BORRELL, TOKYO])
    store_set(rana, TEXT, "omar", SetStatus.SUBMITTED, [], [FAVOUR])
    doc = first_document(rana)
    amal, omar = set_uuid(rana, doc, "amal"), set_uuid(rana, doc, "omar")
    return {
        "doc": doc,
        "amal": set_id(db, amal),
        "omar": set_id(db, omar),
        "amal_user": user_id(db, "amal"),
        "rana_user": user_id(db, "rana"),
        "tokyo": one(db, "SELECT uuid FROM spans WHERE label = 'GPE'"),
        "stance": one(db, "SELECT uuid FROM stances"),
        "end": END,
    }


NEW_SET = (
    "INSERT INTO annotation_sets (uuid, document_id, annotator_id, status, comment, created_at, "
    "updated_at) VALUES (:uuid, :doc, :{who}, '{status}', '', '2026-12-01', '2026-12-01')"
)
# A span or stance repeats its set's text length (:end here), the key that keeps it inside.
NEW_SPAN = (
    'INSERT INTO spans (uuid, set_id, start, "end", label, text_length) VALUES (:uuid, :amal, {})'
)
NEW_STANCE = (
    "INSERT INTO stances (uuid, set_id, target, value, evidence, holder_start, holder_end, "
    "text_length) VALUES (:uuid, :omar, '{}', 'FAVOR', '[]', {}, {}, :end)"
)
LONGER = ("FOREIGN KEY constraint failed", "fk_spans_set_id_annotation_sets")
SPAN_TWICE = "UNIQUE constraint failed: spans.set_id, spans.start, spans.end, spans.label"
RAW: dict[str, tuple[str, str | tuple[str, str], str]] = {
    # 1. one gold set
    "a second approved set": (
        NEW_SET.format(who="rana_user", status="approved"),
        ("UNIQUE constraint failed: annotation_sets.document_id", "uq_annotation_sets_one_gold"),
        "the document already has an approved set",
    ),
    "approving a second set": (
        "UPDATE annotation_sets SET status = 'approved' WHERE id = :omar",
        ("UNIQUE constraint failed: annotation_sets.document_id", "uq_annotation_sets_one_gold"),
        "the document already has an approved set",
    ),
    # 2. one set per document and annotator
    "a second set of one annotator": (
        NEW_SET.format(who="amal_user", status="submitted"),
        ("annotation_sets.document_id, annotation_sets.annotator_id", "document_annotator"),
        "this annotator already has a set on this document",
    ),
    "moving a set onto its annotator's other set": (
        "UPDATE annotation_sets SET annotator_id = :amal_user WHERE id = :omar",
        ("annotation_sets.document_id, annotation_sets.annotator_id", "document_annotator"),
        "this annotator already has a set on this document",
    ),
    # 3. spans inside the text
    "a span past the end": (
        NEW_SPAN.format("0, :end + 1, 'PER', :end"),
        "ck_spans_within_text",
        "ends beyond the text",
    ),
    "a span claiming a longer text than its set's": (
        NEW_SPAN.format("0, :end + 1, 'PER', :end + 1"),
        LONGER,
        "another text length than its set's",
    ),
    "a span moved to a longer text": (
        'UPDATE spans SET "end" = :end + 1, text_length = :end + 1 WHERE uuid = :tokyo',
        LONGER,
        "another text length than its set's",
    ),
    "a set given another text length": (
        "UPDATE annotation_sets SET text_length = :end + 1 WHERE id = :amal",
        "the text length of a set is the length of its document",
        "the text length of a set is the length of its document",
    ),
    "a stored text made longer": (
        "UPDATE documents SET length = :end + 1 WHERE id = :doc",
        "the length of a stored text cannot change",
        "the length of a stored text cannot change",
    ),
    "a span moved past the end": (
        'UPDATE spans SET "end" = :end + 1 WHERE uuid = :tokyo',
        "ck_spans_within_text",
        "ends beyond the text",
    ),
    "an empty span": (
        NEW_SPAN.format("3, 3, 'PER', :end"),
        "ck_spans_range",
        "a span must satisfy 0 <= start < end",
    ),
    "a span before the text": (
        NEW_SPAN.format("-1, 3, 'PER', :end"),
        "ck_spans_range",
        "a span must satisfy 0 <= start < end",
    ),
    # 4. no span twice
    "a span twice": (
        NEW_SPAN.format(f"{BORRELL.start}, {BORRELL.end}, 'PER', :end"),
        (SPAN_TWICE, "uq_spans_set_extent_label"),
        "the same span (extent and label) is already in this set",
    ),
    "a span changed into another": (
        f"UPDATE spans SET start = {BORRELL.start}, \"end\" = {BORRELL.end}, label = 'PER' "
        "WHERE uuid = :tokyo",
        (SPAN_TWICE, "uq_spans_set_extent_label"),
        "the same span (extent and label) is already in this set",
    ),
    # 5. one stance per target, holders that are ranges inside the text
    "a second stance on a target": (
        NEW_STANCE.format("اليابان", "NULL", "NULL"),
        ("UNIQUE constraint failed: stances.set_id, stances.target", "set_target"),
        "there is already a stance towards this target",
    ),
    "a holder with a start only": (
        NEW_STANCE.format("الصين", "2", "NULL"),
        "ck_stances_holder_range",
        "a stance holder must be a range of the text",
    ),
    "a holder with an end only": (
        NEW_STANCE.format("الصين", "NULL", "5"),
        "ck_stances_holder_range",
        "a stance holder must be a range of the text",
    ),
    "a holder's end removed": (
        "UPDATE stances SET holder_end = NULL WHERE uuid = :stance",
        "ck_stances_holder_range",
        "a stance holder must be a range of the text",
    ),
    "a backwards holder": (
        "UPDATE stances SET holder_start = 5, holder_end = 2 WHERE uuid = :stance",
        "ck_stances_holder_range",
        "a stance holder must be a range of the text",
    ),
    "a holder past the end": (
        NEW_STANCE.format("الصين", "0", ":end + 1"),
        "ck_stances_holder_within_text",
        "ends beyond the text",
    ),
    "a holder moved past the end": (
        "UPDATE stances SET holder_end = :end + 1 WHERE uuid = :stance",
        "ck_stances_holder_within_text",
        "ends beyond the text",
    ),
}


def snapshot(db: Database) -> list[Any]:
    with db.engine.connect() as conn:
        return [
            conn.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
            for table in ("annotation_sets", "spans", "stances")
        ]


@pytest.mark.parametrize("case", list(RAW))
def test_the_database_refuses_raw_sql_that_breaks_a_rule(
    case: str, db: Database, stored: dict[str, Any]
) -> None:
    statement, said, meaning = RAW[case]
    before = snapshot(db)
    with pytest.raises(IntegrityError) as caught:
        sql(db, statement, uuid=new_id(), **stored)
    # What the database says: SQLite names the columns, PostgreSQL the constraint.
    assert any(s in str(caught.value.orig) for s in ((said,) if isinstance(said, str) else said))
    assert meaning in str(explain(caught.value))  # what the user is told on any path
    assert snapshot(db) == before


# -- the database on its own: two writers at the same moment -----------------------------------


@pytest.fixture
def two_cores(db_url: str) -> Iterator[tuple[Database, Database]]:
    """Two engines on one database (a SQLite file, a PostgreSQL database), as two Tawsim
    windows or processes have."""
    with Database.open(db_url) as first, Database.open(db_url) as second:
        yield first, second


def test_two_reviewers_approving_at_the_same_moment(
    two_cores: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_cores
    rana = as_user(first, "rana", Role.REVIEWER)
    sami = as_user(second, "sami", Role.REVIEWER)
    store_set(rana, TEXT, "amal", SetStatus.SUBMITTED, [BORRELL])
    store_set(rana, TEXT, "omar", SetStatus.SUBMITTED, [TOKYO])
    doc = first_document(rana)
    amal, omar = set_uuid(rana, doc, "amal"), set_uuid(rana, doc, "omar")
    real_gold_set, raced = reviewing.gold_set, list[bool]()

    def stale_check(session: Any, document_id: int) -> Any:
        if raced:
            return real_gold_set(session, document_id)
        raced.append(True)
        seen = real_gold_set(session, document_id)  # sami finds no gold set yet...
        rana.perform(Approve(amal))  # ...and rana approves amal's before sami writes
        return seen

    monkeypatch.setattr(reviewing, "gold_set", stale_check)
    with pytest.raises(Conflict, match="already has an approved set") as caught:
        sami.perform(Approve(omar))
    assert str(caught.value).startswith("refused by the database: ")
    assert "approved another set at the same moment" in str(caught.value)
    assert raced and approved(first) == approved(second) == [("amal", amal)]
    with first.session() as s:
        decisions = s.scalars(
            select(AuditRecord.entity_uuid).where(AuditRecord.action == "set.approve")
        ).all()
    assert decisions == [amal]  # the loser left no trace


def test_one_annotator_in_two_windows_gets_one_set(
    two_cores: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_cores
    rana = as_user(first, "rana", Role.REVIEWER)
    here, there = as_user(first, "amal", Role.ANNOTATOR), Tawsim(second, "amal")
    rana.ingest([Record(DocumentData(TEXT))])
    doc = first_document(rana)
    real_find_set, raced = annotating.find_set, list[bool]()

    def stale_find(session: Any, document_id: int, annotator_id: int) -> Any:
        if raced:
            return real_find_set(session, document_id, annotator_id)
        raced.append(True)
        seen = real_find_set(session, document_id, annotator_id)  # no set yet, there...
        here.perform(AddSpan(doc, BORRELL, new_id()))  # ...and here it is made
        return seen

    monkeypatch.setattr(annotating, "find_set", stale_find)
    with pytest.raises(Conflict, match="this annotator already has a set on this document"):
        there.perform(AddSpan(doc, TOKYO, new_id()))
    [only] = Tawsim(first).sets(doc)
    assert raced and (only.annotator, only.spans) == ("amal", (BORRELL,))


def test_an_approved_import_racing_an_approval_is_read_again_and_keeps_one_gold_set(
    two_cores: tuple[Database, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database refuses the import's approved set (rana approved amal's at the same
    moment): nothing of that attempt stays, and the file is read again, now meeting the gold
    set as an import that came after it would: its set is stored as submitted, said so."""
    first, second = two_cores
    rana = as_user(first, "rana", Role.REVIEWER)
    as_user(first, "other", Role.ANNOTATOR)  # known: the import writes nothing before it checks
    store_set(rana, TEXT, "amal", SetStatus.SUBMITTED, [BORRELL])
    doc = first_document(rana)
    amal = set_uuid(rana, doc, "amal")
    real_contents, raced = ingest_module.contents_of, list[bool]()

    def approve_meanwhile(session: Any, set_ids: list[int]) -> Any:
        if not raced:
            raced.append(True)
            rana.perform(Approve(amal))  # after the import looked for a gold set
        return real_contents(session, set_ids)

    monkeypatch.setattr(ingest_module, "contents_of", approve_meanwhile)
    src = write_jsonl(tmp_path / "other.jsonl", jsonl(TEXT, [TOKYO]))
    options = ImportOptions(annotator="other", status=APPROVED)
    [result] = import_paths(Tawsim(second, "rana"), [src], options).files
    assert raced and result.error is None
    assert approved(first) == [("amal", amal)]
    assert statuses(first, doc) == {"amal": "approved", "other": "submitted"}
    assert any("already has an approved set" in n for n in result.notices), result.notices


def set_row(db: Database, set_id: str) -> tuple[str, int, int]:
    """(status, version, spans) of one set, read afresh."""
    with db.session() as s:
        row = s.execute(
            text(
                "SELECT status, version, (SELECT count(*) FROM spans WHERE set_id = a.id) "
                "FROM annotation_sets a WHERE uuid = :u"
            ),
            {"u": set_id},
        ).one()
    return row[0], row[1], row[2]


def test_a_decision_on_a_set_decided_at_the_same_moment_is_refused(
    two_cores: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """sami rejects amal's set as he saw it, submitted; rana approved it in the meantime.
    His rejection must not silently write over an approval he never saw."""
    first, second = two_cores
    rana = as_user(first, "rana", Role.REVIEWER)
    sami = as_user(second, "sami", Role.REVIEWER)
    store_set(rana, TEXT, "amal", SetStatus.SUBMITTED, [BORRELL])
    doc = first_document(rana)
    amal = set_uuid(rana, doc, "amal")
    _status, version, _spans = set_row(first, amal)
    real_get_set, raced = reviewing.get_set, list[bool]()

    def stale_read(session: Any, set_id: str) -> Any:
        if raced:
            return real_get_set(session, set_id)
        raced.append(True)
        seen = real_get_set(session, set_id)  # sami reads it submitted...
        rana.perform(Approve(amal))  # ...and rana approves it before sami writes
        return seen

    monkeypatch.setattr(reviewing, "get_set", stale_read)
    with pytest.raises(StaleEdit, match="changed by someone else at the same moment"):
        sami.perform(Reject(amal, "the spans are wrong"))
    assert raced and approved(first) == [("amal", amal)]
    assert set_row(first, amal) == ("approved", version + 1, 1)  # rana's decision alone
    with first.session() as s:
        decisions = s.scalars(
            select(AuditRecord.action).where(AuditRecord.action.in_(["set.approve", "set.reject"]))
        ).all()
    assert decisions == ["set.approve"]  # the refused one left no trace


def test_an_edit_of_a_set_approved_at_the_same_moment_is_refused(
    two_cores: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """amal relabels her rejected set while rana approves it: the gold set stays as rana
    approved it, and amal is told that her change was not made."""
    first, second = two_cores
    rana = as_user(first, "rana", Role.REVIEWER)
    as_user(first, "amal", Role.ANNOTATOR)
    store_set(rana, TEXT, "amal", SetStatus.REJECTED, [BORRELL], comment="add Tokyo")
    doc = first_document(rana)
    amal_set = set_uuid(rana, doc, "amal")
    amal = Tawsim(second, "amal")
    _status, version, _spans = set_row(first, amal_set)
    real_find_set, raced = annotating.find_set, list[bool]()

    def stale_find(session: Any, document_id: int, annotator_id: int) -> Any:
        if raced:
            return real_find_set(session, document_id, annotator_id)
        raced.append(True)
        seen = real_find_set(session, document_id, annotator_id)  # amal reads it rejected...
        rana.perform(Approve(amal_set))  # ...and rana approves it before amal writes
        return seen

    monkeypatch.setattr(annotating, "find_set", stale_find)
    with pytest.raises(StaleEdit, match="changed by someone else at the same moment"):
        amal.perform(AddSpan(doc, TOKYO, new_id()))
    assert raced and set_row(first, amal_set) == ("approved", version + 1, 1)
    with pytest.raises(PermissionDenied, match="this set is approved"):
        amal.perform(AddSpan(doc, TOKYO, new_id()))  # tried again: told why, as usual


# -- older databases: migration 0004 repairs them ----------------------------------------------

OLD = {
    "doc": "00000000-0000-4000-8000-0000000000d1",
    "amal": "00000000-0000-4000-8000-0000000000a1",
    "omar": "00000000-0000-4000-8000-0000000000a2",
    "span": "00000000-0000-4000-8000-0000000000b1",
    "twin": "00000000-0000-4000-8000-0000000000b2",
    "tokyo": "00000000-0000-4000-8000-0000000000b3",
    "stance": "00000000-0000-4000-8000-0000000000c1",
    "long": "00000000-0000-4000-8000-0000000000c2",
}


def database_at_0003(path: Path) -> Path:
    """A database at revision 0003 (before the constraints) that breaks three rules: two
    approved sets on one document (amal's first), a span twice in amal's set, and a stance
    in omar's set whose holder has a start but no end."""
    engine = create_db_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0003")
    at = "'2026-11-30'"
    rows: list[tuple[str, dict[str, Any]]] = [
        (
            f"INSERT INTO users (id, uuid, name, role, created_at) VALUES (:id, :u, :n, :r, {at})",
            {"id": n, "u": new_id(), "n": name, "r": role},
        )
        for n, name, role in [
            (1, "rana", "reviewer"),
            (2, "amal", "annotator"),
            (3, "omar", "annotator"),
        ]
    ]
    rows.append(
        (
            "INSERT INTO documents (id, uuid, content_hash, title, source, text, meta, "
            f"created_at, search_key) VALUES (1, :u, :h, 't', 's', :t, '{{}}', {at}, :t)",
            {"u": OLD["doc"], "h": content_hash(TEXT), "t": TEXT},
        )
    )
    rows += [
        (
            "INSERT INTO annotation_sets (id, uuid, document_id, annotator_id, status, comment, "
            "reviewed_by_id, reviewed_at, created_at, updated_at) "
            f"VALUES (:id, :u, 1, :who, 'approved', '', 1, {at}, {at}, {at})",
            {"id": n, "u": OLD[name], "who": n + 1},
        )
        for n, name in [(1, "amal"), (2, "omar")]
    ]
    rows += [
        (
            'INSERT INTO spans (uuid, set_id, start, "end", label) VALUES (:u, 1, :s, :e, :l)',
            {"u": OLD[key], "s": s.start, "e": s.end, "l": s.label},
        )
        for key, s in [("span", BORRELL), ("twin", BORRELL), ("tokyo", TOKYO)]
    ]
    rows.append(
        (
            "INSERT INTO stances (uuid, set_id, target, value, evidence, holder_start, "
            "holder_end) VALUES (:u, 2, 'اليابان', 'FAVOR', '[]', 4, NULL)",
            {"u": OLD["stance"]},
        )
    )
    rows.append(  # a holder that ends far beyond the text
        (
            "INSERT INTO stances (uuid, set_id, target, value, evidence, holder_start, "
            "holder_end) VALUES (:u, 1, 'الصين', 'AGAINST', '[]', 0, 99999)",
            {"u": OLD["long"]},
        )
    )
    with engine.begin() as conn:
        for statement, params in rows:
            conn.execute(text(statement), params)
    engine.dispose()
    return path


def test_the_upgrade_repairs_what_breaks_the_rules_and_says_so(tmp_path: Path) -> None:
    with Database.open(database_at_0003(tmp_path / "old.db")) as db:
        report = db.migration
        assert report is not None and report.upgraded and report.from_revision == "0003"
        assert statuses(db, 1) == {"amal": "approved", "omar": "submitted"}
        with db.engine.connect() as conn:
            spans = conn.execute(text("SELECT uuid FROM spans ORDER BY id")).scalars().all()
            holders = conn.execute(text("SELECT holder_start, holder_end FROM stances")).all()
            audit = conn.execute(
                text("SELECT action, entity_uuid FROM audit_log ORDER BY id")
            ).all()
        assert spans == [OLD["span"], OLD["tokyo"]]
        assert [tuple(h) for h in holders] == [(None, None), (None, None)]
        assert [tuple(a) for a in audit] == [
            ("repair.gold", OLD["omar"]),
            ("repair.span", OLD["twin"]),
            *sorted([("repair.holder", OLD["stance"]), ("repair.holder", OLD["long"])]),
        ]
        gold, span_note, holder_note = report.notes
        assert f"document {OLD['doc']} had two approved sets" in gold
        assert f"kept amal's (set {OLD['amal']})" in gold
        assert f"omar's set {OLD['omar']} is submitted again" in gold
        assert "removed 1 span(s)" in span_note and OLD["amal"] in span_note
        assert OLD["doc"] in span_note
        assert "cleared 2 stance holder(s)" in holder_note and OLD["omar"] in holder_note
        assert OLD["doc"] in holder_note
        # From now on the constraints hold here as in a new database.
        with pytest.raises(IntegrityError, match=r"annotation_sets\.document_id"):
            sql(db, "UPDATE annotation_sets SET status = 'approved' WHERE id = 2")
        with pytest.raises(IntegrityError, match="ck_stances_holder_range"):
            sql(db, "UPDATE stances SET holder_start = 4")
    assert report.backup is not None and report.backup.exists()


# -- the search keys, rebuilt when older rules built them ---------------------------------------


def test_an_index_built_with_other_rules_is_rebuilt_with_progress(
    db: Database, rana: Tawsim
) -> None:
    store_set(rana, TEXT, "amal", SetStatus.SUBMITTED)
    rana.ingest([Record(DocumentData("نص آخر عن الصين"))])
    assert rana.search_index_pending() == 2
    assert rana.build_search_index() == 2
    assert rana.count(rana.query(search="طوكيو")) == 1
    sql(db, "UPDATE settings SET value = '0' WHERE key = 'search_index_version'")
    if db.engine.dialect.name == "sqlite":
        sql(db, "INSERT INTO document_words(document_words) VALUES ('delete-all')")
    else:
        sql(db, "DELETE FROM document_words")
    assert rana.count(rana.query(search="طوكيو")) == 0
    assert rana.search_index_pending() == 2  # all of them: the index is to be rebuilt
    calls: list[tuple[int, int]] = []
    assert Tawsim(db).build_search_index(lambda done, total: calls.append((done, total))) == 2
    assert calls == [(2, 2)]
    assert rana.count(rana.query(search="طوكيو")) == 1
    assert rana.search_index_pending() == 0
    version = one(db, "SELECT value FROM settings WHERE key = 'search_index_version'")
    assert version == INDEX_VERSION
    assert Tawsim(db).build_search_index(lambda done, total: calls.append((done, total))) == 0
    assert calls == [(2, 2)]


def test_indexing_stops_between_batches_and_resumes(db: Database, rana: Tawsim) -> None:
    rana.ingest([Record(DocumentData(f"خبر رقم {n} عن طوكيو")) for n in range(5)])
    batches = iter([False, True])
    with patch.object(search_index, "BATCH", 2):
        assert rana.build_search_index(should_stop=lambda: next(batches)) == 2
        assert rana.search_index_pending() == 3
        assert rana.count(rana.query(search="طوكيو")) == 2
        assert rana.build_search_index() == 3
    assert rana.count(rana.query(search="طوكيو")) == 5
