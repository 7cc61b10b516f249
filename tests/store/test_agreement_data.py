"""Annotators' work read back for agreement, built through the services, figures end to end."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy.orm import Session

from app.core.agreement import NO_OVERLAP, AnnotatorWork, compute_agreement
from app.core.domain import EntitySpan, Role, StanceJudgement
from app.store.agreement_data import (
    ALL_STATUSES,
    REVIEWED_AND_SUBMITTED,
    collect_work,
    iter_work,
)
from app.store.database import Database
from app.store.models import AnnotationSetRecord, DocumentRecord, UserRecord
from app.store.services import annotations as svc
from app.store.services.documents import add_document
from app.store.services.users import ensure_user

TEXT1 = "أعلنت اليابان والاتحاد الأوروبي عن شراكة أمنية"
TEXT2 = "قال الرئيس الأمريكي إن الصين شريك تجاري"
TEXT3 = "زار وزير الخارجية الياباني بكين"
JAPAN, EU, CHINA = "اليابان", "الاتحاد الأوروبي", "الصين"
SCHEMA_VALUES = ("FAVOR", "AGAINST", "NEUTRAL", "NONE")


def _span(text: str, word: str, label: str, *, prefix: str = "") -> EntitySpan:
    start = text.index(prefix + word)
    return EntitySpan(start, start + len(prefix + word), label)


def _fill(
    session: Session,
    user: UserRecord,
    doc: DocumentRecord,
    spans: list[EntitySpan],
    stances: dict[str, str],
) -> AnnotationSetRecord:
    aset = svc.open_set(session, user, doc, user)
    for span in spans:
        svc.add_span(session, user, aset, span)
    for target, value in stances.items():
        svc.set_stance(session, user, aset, StanceJudgement(target, value))
    return aset


def _build(session: Session) -> dict[str, int]:
    amal, omar, sara = (ensure_user(session, n, Role.ANNOTATOR) for n in ("amal", "omar", "sara"))
    rana = ensure_user(session, "rana", Role.REVIEWER)
    doc1, _ = add_document(session, TEXT1)
    doc2, _ = add_document(session, TEXT2)
    doc3, _ = add_document(session, TEXT3)
    japan = _span(TEXT1, JAPAN, "GPE")
    # Document 1: same GPE; omar's ORG takes in the conjunction و (boundary differs);
    # stance: both FAVOR Japan, amal FAVOR / omar NEUTRAL on the EU.
    a1 = _fill(session, amal, doc1, [japan, _span(TEXT1, EU, "ORG")], {JAPAN: "FAVOR", EU: "FAVOR"})
    o1 = _fill(
        session,
        omar,
        doc1,
        [japan, _span(TEXT1, EU, "ORG", prefix="و")],
        {JAPAN: "FAVOR", EU: "NEUTRAL"},
    )
    svc.submit(session, amal, a1)
    svc.approve(session, rana, a1)
    svc.submit(session, omar, o1)
    svc.reject(session, rana, o1, "الواو ليست من الكيان")
    # Document 2: the same work from both, but omar's set is still in progress.
    china = _span(TEXT2, CHINA, "GPE")
    svc.submit(session, amal, _fill(session, amal, doc2, [china], {CHINA: "AGAINST"}))
    _fill(session, omar, doc2, [china], {CHINA: "AGAINST"})
    # Document 3: only sara, who shares no document with anyone.
    beijing = _span(TEXT3, "بكين", "GPE")
    svc.submit(session, sara, _fill(session, sara, doc3, [beijing], {CHINA: "NEUTRAL"}))
    return {"doc1": doc1.id, "doc2": doc2.id, "doc3": doc3.id}


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    with db.session() as session, session.begin():
        return _build(session)


def test_collect_work_reads_submitted_and_reviewed_sets(db: Database, ids: dict[str, int]) -> None:
    with db.session() as session:
        work = collect_work(session, REVIEWED_AND_SUBMITTED)
        everything = collect_work(session, ALL_STATUSES)
        only_approved = collect_work(session, ("approved",))
        streamed = list(iter_work(session, REVIEWED_AND_SUBMITTED))
    assert {doc: sorted(w) for doc, w in work.items()} == {
        ids["doc1"]: ["amal", "omar"],  # approved + rejected
        ids["doc2"]: ["amal"],  # omar's in-progress set is left out
        ids["doc3"]: ["sara"],
    }
    eu = TEXT1.index(EU)
    assert work[ids["doc1"]]["omar"] == AnnotatorWork(
        spans=(_span(TEXT1, JAPAN, "GPE"), EntitySpan(eu - 1, eu + len(EU), "ORG")),
        stances={JAPAN: "FAVOR", EU: "NEUTRAL"},
    )
    assert sorted(everything[ids["doc2"]]) == ["amal", "omar"]
    assert {doc: sorted(w) for doc, w in only_approved.items()} == {ids["doc1"]: ["amal"]}
    assert [doc for doc, _ in streamed] == sorted(work)  # one group per document, in order


def test_agreement_end_to_end(db: Database, ids: dict[str, int]) -> None:
    with db.session() as session:
        report = compute_agreement(
            iter_work(session, REVIEWED_AND_SUBMITTED), stance_values=SCHEMA_VALUES
        )
    assert (report.documents, report.shared_documents) == (3, 1)
    pairs = {(p.a, p.b): p for p in report.entities.pairs}
    pair = pairs[("amal", "omar")]
    assert pair.documents == 1 and pair.exact_match and pair.overlap_match
    # Exact: GPE matches, ORG boundary differs -> tp 1, amal-only 1, omar-only 1: P = R = F1
    # = 1/2.  Overlap: the two ORG spans overlap -> tp 2: F1 = 1.
    assert pair.exact_match.overall.to_dict() == {
        "tp": 1, "a_only": 1, "b_only": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5,
    }  # fmt: skip
    assert pair.overlap_match.overall.f1 == 1.0
    for key in [("amal", "sara"), ("omar", "sara")]:
        assert pairs[key].status == NO_OVERLAP and pairs[key].exact_match is None
    # Stance items with two ratings: (doc1, Japan) F/F and (doc1, EU) F/N; China on doc 2
    # (amal only) and doc 3 (sara only) are single-rated.  p_o = 1/2; amal F,F and omar F,N ->
    # p_e = (2·1)/4 = 1/2 -> kappa 0.  Alpha: o_FF 2, o_FN = o_NF = 1; n_F 3, n_N 1, n 4 ->
    # 1 - 3·2/(2·3·1) = 0.  AC1 (q = 4): pi_F 3/4, pi_N 1/4 -> p_e = (3/16 + 3/16)/3 = 1/8 ->
    # (1/2 - 1/8)/(7/8) = 3/7.
    overall = report.stance.overall
    assert (overall.items, overall.single_rated) == (2, 2)
    assert overall.cohen_kappa.value == 0.0
    assert overall.krippendorff_alpha.value == pytest.approx(0.0, abs=1e-12)
    assert overall.gwet_ac1.value == pytest.approx(float(Fraction(3, 7)), abs=1e-12)
    assert report.stance.per_target[CHINA].status == NO_OVERLAP


def test_including_work_in_progress_adds_omars_second_document(
    db: Database, ids: dict[str, int]
) -> None:
    with db.session() as session:
        report = compute_agreement(collect_work(session, ALL_STATUSES))
    pair = next(p for p in report.entities.pairs if (p.a, p.b) == ("amal", "omar"))
    # Document 2 adds an exact GPE match: tp 2, amal-only 1, omar-only 1 -> F1 = 4/6 = 2/3.
    assert pair.documents == 2 and pair.exact_match
    assert pair.exact_match.overall.f1 == pytest.approx(2 / 3, abs=1e-12)
    # Stance items F/F, F/N, A/A: p_o = 2/3; amal F2 A1, omar F1 N1 A1 -> p_e = (2 + 1)/9 = 1/3
    # -> kappa = (2/3 - 1/3)/(2/3) = 1/2.
    assert report.stance.overall.cohen_kappa.value == pytest.approx(0.5, abs=1e-12)
