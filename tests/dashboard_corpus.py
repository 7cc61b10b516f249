"""A small hand-made corpus for the dashboard's and the report's tests (and screenshots):
four annotators' work built through the core, decisions on three days, documents two
annotators handed in during three ISO weeks; times set in SQL after the core wrote them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import update

from app.core.commands import AddSpan, Approve, Reject, Reopen, SetStance
from app.core.domain import EntitySpan, Role, SetStatus, StanceJudgement
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from app.store.models import AnnotationSetRecord, AuditRecord
from tests.conftest import as_user, set_uuid, store_set, write_jsonl

TEXT1 = "أعلنت اليابان والاتحاد الأوروبي عن شراكة أمنية"
TEXT2 = "قال الرئيس الأمريكي إن الصين شريك تجاري"
TEXT3 = "زار وزير الخارجية الياباني بكين"
TEXT4 = "التقى جوزيب بوريل وزير خارجية اليابان في طوكيو"
TEXT5 = "وصل الوفد إلى القاهرة يوم الجمعة"
JAPAN, EU, CHINA = "اليابان", "الاتحاد الأوروبي", "الصين"
SARA = "سارة"  # an Arabic annotator name, shown in the charts as it is written

DAY1, DAY2, DAY3 = date(2025, 3, 3), date(2025, 3, 5), date(2025, 3, 12)
WEEK_A, WEEK_B, WEEK_C = "2025-W05", "2025-W10", "2025-W11"


def span(text: str, word: str, label: str, *, prefix: str = "") -> EntitySpan:
    start = text.index(prefix + word)
    return EntitySpan(start, start + len(prefix + word), label)


def fill(core: Tawsim, doc: int, spans: list[EntitySpan], stances: dict[str, str]) -> str:
    for s in spans:
        core.perform(AddSpan(doc, s, str(uuid.uuid4())))
    for target, value in stances.items():
        core.perform(SetStance(doc, StanceJudgement(target, value), str(uuid.uuid4())))
    core.submit(doc)
    return set_uuid(core, doc, core.actor_name)


def at(db: Database, action: str, set_key: str, when: datetime) -> None:
    """Move the audit rows of ``action`` on a set to ``when`` (decisions made "on that day")."""
    with db.session() as session, session.begin():
        done = session.execute(
            update(AuditRecord)
            .where(AuditRecord.action == action, AuditRecord.entity_uuid == set_key)
            .values(at=when)
        )
        assert done.rowcount >= 1, (action, set_key)


def noon(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass
class Corpus:
    db: Database
    docs: dict[str, int]


def build_corpus(db: Database, tmp_path: Path) -> Corpus:
    """Four annotators' work, decisions on three days, shared documents in three weeks.

    ====  =============================================  ==========================
    doc   work                                           decisions (rana)
    ====  =============================================  ==========================
    1     amal GPE+ORG, اليابان FAVOR; omar GPE+وORG      amal approved DAY1,
          (boundary differs), اليابان FAVOR               omar rejected DAY1
    2     amal GPE, الصين AGAINST; omar GPE in progress   approved DAY2, reopened DAY3
    3     سارة GPE, الصين NEUTRAL                          approved DAY3
    4     amal PER+GPE, omar PER+GPE (the same)            —
    5     imported: amal DATE, omar DATE (submitted)      —
    ====  =============================================  ==========================
    """
    admin = as_user(db, "admin", Role.ADMIN)
    rows = [{"text": t} for t in (TEXT1, TEXT2, TEXT3, TEXT4)]
    import_paths(admin, [write_jsonl(tmp_path / "d.jsonl", *rows)], ImportOptions())
    d1, d2, d3, d4 = admin.page_ids(admin.query(), None, 4)
    amal, omar = as_user(db, "amal", Role.ANNOTATOR), as_user(db, "omar", Role.ANNOTATOR)
    sara, rana = as_user(db, SARA, Role.ANNOTATOR), as_user(db, "rana", Role.REVIEWER)

    a1 = fill(amal, d1, [span(TEXT1, JAPAN, "GPE"), span(TEXT1, EU, "ORG")], {JAPAN: "FAVOR"})
    o1 = fill(
        omar, d1, [span(TEXT1, JAPAN, "GPE"), span(TEXT1, EU, "ORG", prefix="و")], {JAPAN: "FAVOR"}
    )
    a2 = fill(amal, d2, [span(TEXT2, CHINA, "GPE")], {CHINA: "AGAINST"})
    omar.perform(AddSpan(d2, span(TEXT2, CHINA, "GPE"), str(uuid.uuid4())))  # in progress
    s3 = fill(sara, d3, [span(TEXT3, "بكين", "GPE")], {CHINA: "NEUTRAL"})
    same = [span(TEXT4, "جوزيب بوريل", "PER"), span(TEXT4, "طوكيو", "GPE")]
    a4, o4 = fill(amal, d4, same, {}), fill(omar, d4, same, {})
    for who in ("amal", "omar"):
        store_set(admin, TEXT5, who, SetStatus.SUBMITTED, [span(TEXT5, "يوم الجمعة", "DATE")])
    d5 = admin.page_ids(admin.query(), d4, 1)[0]

    rana.perform(Approve(a1))
    rana.perform(Reject(o1, "الواو ليست من الكيان"))
    rana.perform(Approve(a2))
    rana.perform(Reopen(a2))
    rana.perform(Approve(s3))
    at(db, "set.approve", a1, noon(DAY1, 9))
    at(db, "set.reject", o1, noon(DAY1, 23))
    at(db, "set.approve", a2, noon(DAY2))
    at(db, "set.reopen", a2, noon(DAY3))
    at(db, "set.approve", s3, noon(DAY3, 0))

    # Hand-ins: document 1 in week 10 (the later of the two), document 4 in week 11,
    # document 5 (imported: no set.submit) dated by when its sets were made, week 5.
    at(db, "set.submit", a1, datetime(2025, 3, 3, 8, tzinfo=UTC))  # Monday, W10
    at(db, "set.submit", o1, datetime(2025, 3, 9, 23, 30, tzinfo=UTC))  # Sunday, W10
    at(db, "set.submit", a4, datetime(2025, 3, 10, 0, 30, tzinfo=UTC))  # Monday, W11
    at(db, "set.submit", o4, datetime(2025, 3, 11, tzinfo=UTC))
    with db.session() as session, session.begin():
        session.execute(
            update(AnnotationSetRecord)
            .where(AnnotationSetRecord.document_id == d5)
            .values(created_at=datetime(2025, 1, 29, 15, tzinfo=UTC))
        )
    return Corpus(db, {"1": d1, "2": d2, "3": d3, "4": d4, "5": d5})
