"""Services: roles enforced, an audit row for every label change and review decision."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.domain import EntitySpan, Role, StanceJudgement, TextRange
from app.core.errors import InputError, PermissionDenied
from app.store.database import Database
from app.store.models import AuditRecord, DocumentRecord
from app.store.services import annotations as svc
from app.store.services.documents import add_document
from app.store.services.users import ensure_user

TEXT = "أعلنت اليابان والاتحاد الأوروبي عن شراكة أمنية"


def _setup(session: Session) -> tuple[DocumentRecord, object, object, object]:
    doc, _ = add_document(session, TEXT)
    amal = ensure_user(session, "amal", Role.ANNOTATOR)
    omar = ensure_user(session, "omar", Role.ANNOTATOR)
    rana = ensure_user(session, "rana", Role.REVIEWER)
    return doc, amal, omar, rana


def _audit(session: Session) -> list[tuple[str, str]]:
    rows = session.scalars(select(AuditRecord).order_by(AuditRecord.id)).all()
    return [(r.action, r.user.name) for r in rows]


def test_span_changes_are_audited_with_before_and_after(db: Database) -> None:
    with db.session() as session, session.begin():
        doc, amal, _, _ = _setup(session)
        aset = svc.open_set(session, amal, doc, amal)
        start = TEXT.index("اليابان")
        span = svc.add_span(session, amal, aset, EntitySpan(start, start + 7, "GPE"))
        svc.change_span(session, amal, span.uuid, label="LOC")
        svc.remove_span(session, amal, span.uuid)
    with db.session() as session:
        assert _audit(session) == [
            ("set.create", "amal"),
            ("span.add", "amal"),
            ("span.change", "amal"),
            ("span.remove", "amal"),
        ]
        change = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "span.change")
        ).one()
        assert change.before is not None and change.after is not None
        assert (change.before["label"], change.after["label"]) == ("GPE", "LOC")


def test_annotator_cannot_approve_and_reviewer_can(db: Database) -> None:
    with db.session() as session, session.begin():
        doc, amal, _, rana = _setup(session)
        aset = svc.open_set(session, amal, doc, amal)
        with pytest.raises(PermissionDenied, match="still in progress"):
            svc.approve(session, rana, aset)
        svc.submit(session, amal, aset)
        with pytest.raises(PermissionDenied, match="amal is an annotator and cannot approve"):
            svc.approve(session, amal, aset)
        with pytest.raises(InputError, match="needs a comment"):
            svc.reject(session, rana, aset, "  ")
        svc.reject(session, rana, aset, "اليابان دولة: GPE")
        assert aset.status == "rejected" and aset.comment == "اليابان دولة: GPE"
        svc.submit(session, amal, aset)  # the annotator fixes and resubmits
        svc.approve(session, rana, aset)
        assert aset.status == "approved" and aset.reviewed_by_id == rana.id
    with db.session() as session:
        assert [a for a, _ in _audit(session)][-4:] == [
            "set.submit",
            "set.reject",
            "set.submit",
            "set.approve",
        ]


def test_annotator_cannot_touch_someone_elses_set(db: Database) -> None:
    with db.session() as session, session.begin():
        doc, amal, omar, rana = _setup(session)
        aset = svc.open_set(session, amal, doc, amal)
        with pytest.raises(PermissionDenied):
            svc.add_span(session, omar, aset, EntitySpan(0, 5, "PER"))
        svc.add_span(session, rana, aset, EntitySpan(0, 5, "MISC"))  # reviewers may edit


def test_submitted_set_is_frozen_for_its_annotator(db: Database) -> None:
    with db.session() as session, session.begin():
        doc, amal, _, _ = _setup(session)
        aset = svc.open_set(session, amal, doc, amal)
        svc.submit(session, amal, aset)
        with pytest.raises(PermissionDenied, match="submitted"):
            svc.add_span(session, amal, aset, EntitySpan(0, 5, "PER"))


def test_span_validation(db: Database) -> None:
    with db.session() as session, session.begin():
        doc, amal, _, _ = _setup(session)
        aset = svc.open_set(session, amal, doc, amal)
        with pytest.raises(InputError, match="unknown label 'PERSON'"):
            svc.add_span(session, amal, aset, EntitySpan(0, 5, "PERSON"))
        with pytest.raises(InputError, match="outside the text"):
            svc.add_span(session, amal, aset, EntitySpan(0, 500, "PER"))


def test_stance_with_evidence_and_holder(db: Database) -> None:
    with db.session() as session, session.begin():
        doc, amal, _, _ = _setup(session)
        aset = svc.open_set(session, amal, doc, amal)
        jp = TEXT.index("اليابان")
        evidence = TextRange(TEXT.index("شراكة"), len(TEXT))
        svc.set_stance(
            session,
            amal,
            aset,
            StanceJudgement("الاتحاد الأوروبي", "FAVOR", (evidence,), TextRange(jp, jp + 7)),
        )
        svc.set_stance(session, amal, aset, StanceJudgement("الاتحاد الأوروبي", "NEUTRAL"))
        assert [(s.target, s.value, s.evidence) for s in aset.stances] == [
            ("الاتحاد الأوروبي", "NEUTRAL", [])
        ]
        with pytest.raises(InputError, match="stance value 'LIKES'"):
            svc.set_stance(session, amal, aset, StanceJudgement("الصين", "LIKES"))
        svc.remove_stance(session, amal, aset, "الاتحاد الأوروبي")
        assert aset.stances == []
    with db.session() as session:
        assert [a for a, _ in _audit(session)] == [
            "set.create",
            "stance.set",
            "stance.set",
            "stance.remove",
        ]
