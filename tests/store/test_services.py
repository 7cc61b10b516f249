"""Label changes and decisions through the core: roles enforced, an audit row for each."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app.core.commands import (
    AddSpan,
    Approve,
    ChangeSpan,
    Reject,
    RemoveSpan,
    RemoveStance,
    SetStance,
)
from app.core.domain import EntitySpan, Role, StanceJudgement, TextRange
from app.core.errors import InputError, PermissionDenied
from app.store.core import Tawsim
from app.store.database import Database
from app.store.models import AuditRecord
from tests.conftest import as_user, first_document, write_jsonl

TEXT = "أعلنت اليابان والاتحاد الأوروبي عن شراكة أمنية"


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def people(db: Database, tmp_path) -> tuple[Tawsim, Tawsim, Tawsim, int]:  # type: ignore[no-untyped-def]
    from app.io.importer import ImportOptions, import_paths

    admin = as_user(db, "admin", Role.ADMIN)
    import_paths(admin, [write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})], ImportOptions())
    amal = as_user(db, "amal", Role.ANNOTATOR)
    omar = as_user(db, "omar", Role.ANNOTATOR)
    rana = as_user(db, "rana", Role.REVIEWER)
    return amal, omar, rana, first_document(amal)


def audit(db: Database) -> list[tuple[str, str]]:
    with db.session() as session:
        rows = session.scalars(select(AuditRecord).order_by(AuditRecord.id)).all()
        return [(r.action, r.user.name) for r in rows if r.action.split(".")[0] != "user"]


def test_span_changes_are_audited_with_before_and_after(db: Database, people) -> None:  # type: ignore[no-untyped-def]
    amal, _, _, doc = people
    start = TEXT.index("اليابان")
    key = new_id()
    amal.perform(AddSpan(doc, EntitySpan(start, start + 7, "GPE"), key))
    amal.perform(ChangeSpan(doc, key, EntitySpan(start, start + 7, "LOC")))
    amal.perform(RemoveSpan(doc, key))
    assert [a for a in audit(db) if a[0] != "set.import"] == [
        ("set.create", "amal"),
        ("span.add", "amal"),
        ("span.change", "amal"),
        ("span.remove", "amal"),
    ]
    with db.session() as session:
        change = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "span.change")
        ).one()
        assert change.before is not None and change.after is not None
        assert (change.before["label"], change.after["label"]) == ("GPE", "LOC")


def test_annotator_cannot_approve_and_reviewer_can(db: Database, people) -> None:  # type: ignore[no-untyped-def]
    amal, _, rana, doc = people
    amal.perform(AddSpan(doc, EntitySpan(6, 13, "GPE"), new_id()))
    [mine] = [s for s in rana.sets(doc) if s.annotator == "amal"]
    with pytest.raises(PermissionDenied, match="still in progress"):
        rana.perform(Approve(mine.uuid))
    amal.submit(doc)
    with pytest.raises(PermissionDenied, match="amal is an annotator and cannot approve"):
        amal.perform(Approve(mine.uuid))
    with pytest.raises(InputError, match="needs a comment"):
        rana.perform(Reject(mine.uuid, "  "))
    rana.perform(Reject(mine.uuid, "اليابان دولة: GPE"))
    state = amal.document(doc)
    assert (state.status, state.comment) == ("rejected", "اليابان دولة: GPE")
    amal.submit(doc)  # the annotator fixes and resubmits
    rana.perform(Approve(mine.uuid))
    [approved] = [s for s in rana.sets(doc) if s.annotator == "amal"]
    assert approved.status == "approved" and approved.reviewed_by == "rana"
    assert [a for a, _ in audit(db)][-4:] == [
        "set.submit",
        "set.reject",
        "set.submit",
        "set.approve",
    ]


def test_annotator_cannot_touch_someone_elses_set(people) -> None:  # type: ignore[no-untyped-def]
    amal, omar, rana, doc = people
    key = new_id()
    amal.perform(AddSpan(doc, EntitySpan(6, 13, "GPE"), key))
    with pytest.raises(PermissionDenied):
        omar.perform(RemoveSpan(doc, key))
    rana.perform(ChangeSpan(doc, key, EntitySpan(6, 13, "MISC")))  # reviewers may edit
    assert amal.document(doc).spans[0].label == "MISC"


def test_submitted_set_is_frozen_for_its_annotator(people) -> None:  # type: ignore[no-untyped-def]
    amal, _, _, doc = people
    amal.submit(doc)
    with pytest.raises(PermissionDenied, match="submitted"):
        amal.perform(AddSpan(doc, EntitySpan(0, 5, "PER"), new_id()))


def test_span_validation(people) -> None:  # type: ignore[no-untyped-def]
    amal, _, _, doc = people
    with pytest.raises(InputError, match="unknown label 'PERSON'"):
        amal.perform(AddSpan(doc, EntitySpan(0, 5, "PER" + "SON"), new_id()))
    with pytest.raises(InputError, match="outside the text"):
        amal.perform(AddSpan(doc, EntitySpan(0, 500, "PER"), new_id()))


def test_stance_with_evidence_and_holder(db: Database, people) -> None:  # type: ignore[no-untyped-def]
    amal, _, _, doc = people
    jp = TEXT.index("اليابان")
    evidence = TextRange(TEXT.index("شراكة"), len(TEXT))
    eu = "الاتحاد الأوروبي"
    judgement = StanceJudgement(eu, "FAVOR", (evidence,), TextRange(jp, jp + 7))
    amal.perform(SetStance(doc, judgement, new_id()))
    amal.perform(SetStance(doc, StanceJudgement(eu, "NEUTRAL"), new_id()))
    assert [s.judgement for s in amal.document(doc).stances] == [StanceJudgement(eu, "NEUTRAL")]
    with pytest.raises(InputError, match="stance value 'LIKES'"):
        amal.perform(SetStance(doc, StanceJudgement("الصين", "LIKES"), new_id()))
    amal.perform(RemoveStance(doc, eu))
    assert amal.document(doc).stances == ()
    assert [a for a, _ in audit(db) if a != "set.import"] == [
        "set.create",
        "stance.set",
        "stance.set",
        "stance.remove",
    ]
