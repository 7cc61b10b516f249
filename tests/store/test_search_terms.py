"""The word list behind prefix searches holds exactly the terms of SQLite's FTS5 index, and a
prefix expanded into its words finds exactly what FTS5's own prefix query finds."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from app.core.arabic.search_words import match_expression, query_words
from app.core.records import DocumentData, Record
from app.store import search_index
from app.store.core import Tawsim
from app.store.database import Database

# Arabic letters and marks, Latin, digits (both kinds), underscores, punctuation, symbols and
# emoji, private-use and unassigned code points, joiners: what decides where words end.
ALPHABET = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويىةءأإآؤئـ")
    + list("\u064b\u064e\u0650\u0651\u0652\u0670")  # tashkeel
    + list("aBcÉßſµςİ")
    + list("0129٠١٢٩")
    + list("_-.,،؛؟!\"'() \n\t")
    + [
        "😀",
        "\U0001f1ef",
        "\U0001f1f5",
        "©",
        "\ue000",
        "\U000e0041",
        "\u0378",
        "\u200c",
        "\u200d",
        "\u0301",
    ]
)
TEXTS = st.text(ALPHABET, min_size=1, max_size=60)


def fts_terms(db: Database) -> set[str]:
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab "
                "USING fts5vocab(main, document_words, 'row')"
            )
        )
        return {t for (t,) in conn.execute(text("SELECT term FROM temp.vocab"))}


def listed_terms(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return {t for (t,) in conn.execute(text("SELECT term FROM search_terms"))}


def matching(db: Database, expression: str | None) -> list[int]:
    if expression is None:
        return []
    with db.engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT rowid FROM document_words WHERE document_words MATCH :e ORDER BY rowid"
                ),
                {"e": expression},
            ).scalars()
        )


def test_the_word_list_is_the_index_and_expanded_prefixes_find_the_same(
    tmp_path: Path,
) -> None:
    db = Database.open(tmp_path / "terms.db")
    core = Tawsim(db, "admin")

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(TEXTS, min_size=1, max_size=6), st.lists(TEXTS, min_size=1, max_size=4))
    def check(texts: list[str], searches: list[str]) -> None:
        core.ingest([Record(DocumentData(t)) for t in texts if t.strip()])
        core.build_search_index()
        assert listed_terms(db) == fts_terms(db)
        words = [w for t in texts for w in query_words(t)]
        for search in [*searches, *words, *(w[:1] for w in words), *(w[:2] for w in words)]:
            with db.session() as session:
                expanded = search_index._expression(session, search)
            assert matching(db, expanded) == matching(db, match_expression(search)), search

    try:
        check()
    finally:
        db.close()


def test_a_prefix_with_too_many_words_stays_a_prefix_query(db: Database) -> None:
    core = Tawsim(db, "admin")
    many = search_index.MAX_COMPLETIONS + 1
    core.ingest([Record(DocumentData(" ".join(f"قطر{n}" for n in range(many))))])
    core.build_search_index()
    with db.session() as session:
        if db.engine.dialect.name != "sqlite":
            return
        assert search_index._expression(session, "قطر") == '"قطر" *'
        assert search_index._expression(session, "قطر1") is not None
        assert search_index._expression(session, "قطر99") == '"قطر99"'
    assert core.count(core.query(search="قطر")) == 1
