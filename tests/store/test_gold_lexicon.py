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
