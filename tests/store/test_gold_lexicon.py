"""The approved spans' texts, read for suggestions, on SQLite and PostgreSQL."""

from __future__ import annotations

from app.core.domain import EntitySpan, Role, SetStatus
from app.core.suggestions import suggest
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import as_user, store_set

TEXT = "قال جوزيب بوريل في طوكيو إن الاتحاد الأوروبي"


def at(word: str, label: str) -> EntitySpan:
    start = TEXT.index(word)
    return EntitySpan(start, start + len(word), label)


def test_approved_spans_become_the_lexicon_and_others_do_not(db: Database) -> None:
    admin = as_user(db, "admin", Role.ADMIN)
    store_set(admin, TEXT, "amal", SetStatus.APPROVED, [at("جوزيب بوريل", "PER"),
              at("الاتحاد الأوروبي", "ORG")], source="a")  # fmt: skip
    store_set(admin, TEXT + " أمس", "omar", SetStatus.APPROVED, [at("طوكيو", "GPE")], source="b")
    store_set(admin, TEXT + " اليوم", "omar", SetStatus.SUBMITTED, [at("قال", "MISC")])
    lexicon = admin.suggestion_lexicon()
    assert lexicon == {"جوزيب بوريل": "PER", "الاتحاد الاوروبي": "ORG", "طوكيو": "GPE"}
    text = "وصل بوريل وجوزيب بوريل إلى طوكيو وللاتحاد الأوروبي"
    found = [(text[s.start : s.end], s.label) for s in suggest(text, lexicon)]
    assert found == [("جوزيب بوريل", "PER"), ("طوكيو", "GPE"), ("لاتحاد الأوروبي", "ORG")]
    # Blind annotation: an annotator's suggestions come from their own approved work only.
    assert as_user(db, "omar").suggestion_lexicon() == {"طوكيو": "GPE"}
    assert Tawsim(db, "newcomer").suggestion_lexicon() == {}


def test_surfaces_are_counted_as_the_database_would_group_them(db: Database) -> None:
    """The texts counted in Python are what a ``GROUP BY`` of the same rows gives: the same
    (text, label) pairs and counts, a text with two labels twice, a submitted set left out."""
    from sqlalchemy import func, select

    from app.store import gold_lexicon
    from app.store.models import AnnotationSetRecord, DocumentRecord, SpanRecord

    admin = as_user(db, "admin", Role.ADMIN)
    for n, (who, status) in enumerate(
        [("amal", SetStatus.APPROVED), ("omar", SetStatus.APPROVED), ("sara", SetStatus.SUBMITTED)]
        * 3
    ):
        label = "GPE" if n % 2 else "LOC"
        spans = [at("طوكيو", label), at("الاتحاد الأوروبي", "ORG"), at("جوزيب بوريل", "PER")]
        store_set(admin, f"{TEXT} {n}", who, status, spans[: 1 + n % 3])
    D, S, P = (m.__table__.c for m in (DocumentRecord, AnnotationSetRecord, SpanRecord))
    surface = func.substr(D.text, P.start + 1, P.end - P.start)
    grouped = (
        select(surface, P.label, func.count())
        .select_from(SpanRecord.__table__)
        .join(AnnotationSetRecord.__table__, S.id == P.set_id)
        .join(DocumentRecord.__table__, D.id == S.document_id)
        .where(S.status == SetStatus.APPROVED.value)
        .group_by(surface, P.label)
    )
    with db.session() as session:
        expected = {(t, label): n for t, label, n in session.execute(grouped)}
        counted = list(gold_lexicon.approved_surfaces(session))
    assert {(t, label): n for t, label, n in counted} == expected
    assert len(counted) == len(expected) and ("طوكيو", "GPE") in expected
    assert ("طوكيو", "LOC") in expected and max(expected.values()) > 1
    assert counted == sorted(counted, key=lambda row: (row[1], row[0]))
