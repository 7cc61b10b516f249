"""Annotators' work read back for agreement, built through the core, figures end to end."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from app.core.agreement import NO_OVERLAP, AnnotatorWork, compute_agreement
from app.core.commands import AddSpan, Approve, Reject, SetStance
from app.core.domain import EntitySpan, Role, Selection, SetStatus, StanceJudgement
from app.core.records import DocumentData, Record, SetData
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from app.store.set_reader import group_by_document
from tests.conftest import as_user, write_jsonl

TEXT1 = "أعلنت اليابان والاتحاد الأوروبي عن شراكة أمنية"
TEXT2 = "قال الرئيس الأمريكي إن الصين شريك تجاري"
TEXT3 = "زار وزير الخارجية الياباني بكين"
JAPAN, EU, CHINA = "اليابان", "الاتحاد الأوروبي", "الصين"
SCHEMA_VALUES = ("FAVOR", "AGAINST", "NEUTRAL", "NONE")


def _span(text: str, word: str, label: str, *, prefix: str = "") -> EntitySpan:
    start = text.index(prefix + word)
    return EntitySpan(start, start + len(prefix + word), label)


def _fill(core: Tawsim, doc: int, spans: list[EntitySpan], stances: dict[str, str]) -> str:
    for span in spans:
        core.perform(AddSpan(doc, span, str(uuid.uuid4())))
    for target, value in stances.items():
        core.perform(SetStance(doc, StanceJudgement(target, value), str(uuid.uuid4())))
    return next(s.uuid for s in core.sets(doc) if s.annotator == core.actor_name)


def _build(db: Database, tmp_path: Path) -> dict[str, int]:
    admin = as_user(db, "admin", Role.ADMIN)
    src = write_jsonl(tmp_path / "d.jsonl", {"text": TEXT1}, {"text": TEXT2}, {"text": TEXT3})
    import_paths(admin, [src], ImportOptions())
    doc1, doc2, doc3 = admin.page_ids(admin.query(), None, 3)
    amal, omar, sara = (as_user(db, n, Role.ANNOTATOR) for n in ("amal", "omar", "sara"))
    rana = as_user(db, "rana", Role.REVIEWER)
    japan = _span(TEXT1, JAPAN, "GPE")
    # Document 1: same GPE; omar's ORG takes in the conjunction و (boundary differs);
    # stance: both FAVOR Japan, amal FAVOR / omar NEUTRAL on the EU.
    a1 = _fill(amal, doc1, [japan, _span(TEXT1, EU, "ORG")], {JAPAN: "FAVOR", EU: "FAVOR"})
    o1 = _fill(
        omar, doc1, [japan, _span(TEXT1, EU, "ORG", prefix="و")], {JAPAN: "FAVOR", EU: "NEUTRAL"}
    )
    amal.submit(doc1)
    rana.perform(Approve(a1))
    omar.submit(doc1)
    rana.perform(Reject(o1, "الواو ليست من الكيان"))
    # Document 2: the same work from both, but omar's set is still in progress.
    china = _span(TEXT2, CHINA, "GPE")
    _fill(amal, doc2, [china], {CHINA: "AGAINST"})
    amal.submit(doc2)
    _fill(omar, doc2, [china], {CHINA: "AGAINST"})
    # Document 3: only sara, who shares no document with anyone.
    _fill(sara, doc3, [_span(TEXT3, "بكين", "GPE")], {CHINA: "NEUTRAL"})
    sara.submit(doc3)
    return {"doc1": doc1, "doc2": doc2, "doc3": doc3}


@pytest.fixture
def ids(db: Database, tmp_path: Path) -> dict[str, int]:
    return _build(db, tmp_path)


def collect_work(db: Database, selection: Selection) -> dict[int, dict[str, AnnotatorWork]]:
    return dict(Tawsim(db).work(selection))


def test_collect_work_reads_submitted_and_reviewed_sets(db: Database, ids: dict[str, int]) -> None:
    work = collect_work(db, Selection.SUBMITTED)
    everything = collect_work(db, Selection.ALL)
    only_approved = collect_work(db, Selection.APPROVED)
    streamed = list(Tawsim(db).work(Selection.SUBMITTED))
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
    report = Tawsim(db).agreement(Selection.SUBMITTED)
    assert report == compute_agreement(
        collect_work(db, Selection.SUBMITTED), stance_values=SCHEMA_VALUES
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
    report = compute_agreement(collect_work(db, Selection.ALL))
    pair = next(p for p in report.entities.pairs if (p.a, p.b) == ("amal", "omar"))
    # Document 2 adds an exact GPE match: tp 2, amal-only 1, omar-only 1 -> F1 = 4/6 = 2/3.
    assert pair.documents == 2 and pair.exact_match
    assert pair.exact_match.overall.f1 == pytest.approx(2 / 3, abs=1e-12)
    # Stance items F/F, F/N, A/A: p_o = 2/3; amal F2 A1, omar F1 N1 A1 -> p_e = (2 + 1)/9 = 1/3
    # -> kappa = (2/3 - 1/3)/(2/3) = 1/2.
    assert report.stance.overall.cohen_kappa.value == pytest.approx(0.5, abs=1e-12)


def whole_work(
    core: Tawsim, selection: Selection
) -> Iterator[tuple[int, dict[str, AnnotatorWork]]]:
    """Every set read whole, text and spans, as agreement first read them."""
    records = (r for r in core.records(selection) if r.annotation is not None)
    for group in group_by_document(records):
        yield (
            group[0].document.id or 0,
            {
                r.annotation.annotator or "": AnnotatorWork(
                    r.annotation.spans, {j.target: j.value for j in r.annotation.stances}
                )
                for r in group
                if r.annotation is not None
            },
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_agreement_reads_lone_sets_without_spans_to_the_same_figures(
    db: Database, seed: int
) -> None:
    """A document only one annotator worked on is read without its text and spans; every
    figure is what reading each set whole gives, for every selection."""
    rng = random.Random(seed)
    admin = as_user(db, "admin", Role.ADMIN)
    words = ["اليابان", "الصين", "الاتحاد", "الأوروبي", "قال", "وزير", "بكين", "زار"]
    records = []
    for i in range(40):
        text = " ".join(rng.choice(words) for _ in range(10))
        starts = [0, *(k + 1 for k, c in enumerate(text) if c == " ")]
        for who in rng.sample(["amal", "omar", "sara", "huda"], rng.choice([1, 1, 2, 3])):
            spans = {
                EntitySpan(a, text.index(" ", a) if " " in text[a:] else len(text), label)
                for a in rng.sample(starts, rng.randint(0, 3))
                for label in [rng.choice(["GPE", "ORG", "PER"])]
            }
            stances = [
                StanceJudgement(target, rng.choice(SCHEMA_VALUES))
                for target in rng.sample([JAPAN, EU, CHINA], rng.randint(0, 2))
            ]
            status = rng.choice(list(SetStatus))
            comment = "راجع" if status is SetStatus.REJECTED else ""
            data = SetData(who, status, tuple(sorted(spans)), tuple(stances), comment)
            records.append(Record(DocumentData(text, uuid=str(uuid.UUID(int=i + 1))), data))
    report = admin.ingest(records)
    assert not report.conflicts, report.conflicts
    lone = shared = 0
    for selection in Selection:
        read = Tawsim(db).agreement(selection)
        assert read == compute_agreement(
            whole_work(Tawsim(db), selection), stance_values=SCHEMA_VALUES
        ), selection
        lone += read.documents - read.shared_documents
        shared += read.shared_documents
    assert lone and shared  # both kinds of document were read
