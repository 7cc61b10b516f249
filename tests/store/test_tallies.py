"""The counts the window shows after every edit are kept by triggers, not counted: whatever
path changes the rows (imports, labels, decisions, plain SQL), they equal a fresh count."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from app.core.commands import AddSpan, Reopen
from app.core.domain import EntitySpan, Role, SetStatus
from app.core.records import DocumentData, Record
from app.store.core import Tawsim
from app.store.database import Database
from app.store.values import ListFilter
from tests.conftest import as_user, decide, set_uuid, store_set


def recounted(db: Database, core: Tawsim) -> dict[str, int]:
    user = core.query().user_id
    with db.session() as s:
        docs = s.scalar(text("SELECT count(*) FROM documents"))
        rows = s.execute(
            text(
                "SELECT status, count(*) FROM annotation_sets "
                "WHERE annotator_id = :u GROUP BY status"
            ),
            {"u": user},
        ).all()
    mine = {status: n for status, n in rows}
    return {
        "all": docs,
        "unlabelled": docs - sum(mine.values()),
        **{
            f.value: mine.get(f.value, 0)
            for f in ListFilter
            if f.value in {s.value for s in SetStatus}
        },
    }


def kept(core: Tawsim) -> dict[str, int]:
    out = {"all": core.count(core.query(ListFilter.ALL))}
    out["unlabelled"] = core.count(core.query(ListFilter.UNLABELLED))
    for f in ListFilter:
        if f.value in {s.value for s in SetStatus}:
            out[f.value] = core.count(core.query(f))
    return out


def test_kept_counts_equal_a_recount_on_every_path(db: Database) -> None:
    rana = as_user(db, "rana", Role.REVIEWER)
    amal = as_user(db, "amal", Role.ANNOTATOR)
    rana.ingest([Record(DocumentData(f"خبر رقم {n} عن طوكيو")) for n in range(6)])
    store_set(rana, "نص عن بوريل", "amal", SetStatus.SUBMITTED)
    docs = amal.page_ids(amal.query(), None, 10)
    amal.perform(AddSpan(docs[0], EntitySpan(0, 3, "MISC"), str(uuid.uuid4())))
    amal.perform(AddSpan(docs[1], EntitySpan(0, 3, "MISC"), str(uuid.uuid4())))
    amal.submit(docs[1])
    assert kept(amal) == recounted(db, amal)
    decide(db, docs[1], "amal")  # approved
    assert kept(amal) == recounted(db, amal)
    assert amal.progress() == (2, 7)  # the approved one and the imported submitted one
    rana.perform(Reopen(set_uuid(rana, docs[1], "amal")))
    assert kept(amal) == recounted(db, amal)
    with db.session() as s, s.begin():  # a path Tawsim never takes: the triggers still count
        s.execute(
            text("DELETE FROM annotation_sets WHERE id = (SELECT min(id) FROM annotation_sets)")
        )
        s.execute(text("DELETE FROM documents WHERE id = (SELECT max(id) FROM documents)"))
    assert kept(amal) == recounted(db, amal)
    assert kept(amal)["all"] == 6
