"""Search finds the same documents on SQLite (FTS5) and PostgreSQL (LIKE over a trigram index)."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from app.core.records import DocumentData, Record
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import seed_sentences
from tests.postgres import PostgresServer

EDGES = [
    "NATO_2024 قمة حلف الناتو في لاهاي",
    "وَصَلَ جوزيب بوريل إلى طوكيو للقاء وزير الخارجية",
    "للاتحاد الأوروبي وبالاتحاد والاتحاد كالاتحاد",
    "عام ٢٠٢٤ و2024 و١٩٤٨م في مدينة الرياض",
    "Tokyo و tokyo وTOKYO في النص نفسه",
    "كاليفورنيا ليست ال كاليفورنيا",
    "الإمارات والامارات والأمارات",
    "a_b axb a-b a b",
]


def corpus() -> list[str]:
    sentences = [s for s in seed_sentences() if len(s.split()) > 3]
    rng = random.Random(5)
    mixed = [" ".join(rng.sample(sentences, 3)) for _ in range(40)]
    return [*EDGES, *sentences[:60], *mixed]


def queries(texts: list[str]) -> list[str]:
    rng = random.Random(11)
    words = [w for t in texts for w in t.split()]
    picked = rng.sample(words, 120)
    out = {*picked, "a_b", "nato_2", "ال", "الا", "وب", "اتحاد", "الاتح", "٢٠٢", "Tok", "tokyo"}
    out |= {"\x00", "طوكيو\x00", "\ud800", "%", "_", "\\", "'", '"'}  # hostile searches
    out |= {w[: max(2, len(w) // 2)] for w in picked[:60]}  # typed halfway
    for t in rng.sample(texts, 30):
        ws = t.split()
        at = rng.randrange(max(1, len(ws) - 2))
        out.add(" ".join(ws[at : at + 2]))
        out.add(" ".join(ws[at : at + 3])[:-1])
    return sorted(out)


def found(core: Tawsim, search: str) -> tuple[list[str], int]:
    query = core.query(search=search)
    ids = core.page_ids(query, None, 10_000)
    return [core.document(i).text for i in ids], core.count(query)


@pytest.fixture
def postgres_db(postgres: PostgresServer) -> Iterator[Database]:
    url = postgres.new_database()
    database = Database.open(url)
    yield database
    database.close()
    postgres.drop(url)


def test_postgresql_search_finds_what_sqlite_finds(
    sqlite_db: Database, postgres_db: Database
) -> None:
    texts = corpus()
    cores = [Tawsim(sqlite_db, "admin"), Tawsim(postgres_db, "admin")]
    for core in cores:
        core.ingest([Record(DocumentData(t)) for t in texts])
        core.build_search_index()
    compared = 0
    for search in queries(texts):
        lite, pg = (found(core, search) for core in cores)
        assert sorted(pg[0]) == sorted(lite[0]), search
        assert pg[1] == lite[1] == len(lite[0]), search
        compared += bool(lite[0])
    assert compared > 150  # most queries find something: the comparison is not of empty lists


def test_postgresql_search_uses_the_trigram_index(postgres_db: Database) -> None:
    from sqlalchemy import text

    with postgres_db.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        plan = conn.execute(
            text("EXPLAIN SELECT document_id FROM document_words WHERE words LIKE '% طوكيو%'")
        ).all()
    assert "ix_document_words_trigrams" in " ".join(row[0] for row in plan)
