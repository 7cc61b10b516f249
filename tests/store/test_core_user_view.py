"""The core as one user sees it: commands with exact undo, document lists, search, progress."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from app.core.commands import AddSpan, ChangeSpan, RemoveSpan, RemoveStance, SetStance
from app.core.domain import EntitySpan, Role, StanceJudgement, TextRange
from app.core.errors import InputError, PermissionDenied
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from app.store.values import ListFilter
from tests.conftest import SEEDS, as_user, write_jsonl

TEXT = "😀 أعلنت اليابان والاتحاد الأوروبيّ عن شراكة"


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Tawsim:
    write_jsonl(tmp_path / "d.jsonl", {"text": TEXT}, {"text": "الصين وروسيا"}, {"text": "نص"})
    import_paths(Tawsim(db, "admin"), [tmp_path / "d.jsonl"], ImportOptions())
    Tawsim(db).build_search_index()
    return as_user(db, "amal", Role.ANNOTATOR)


def first_doc(ws: Tawsim) -> int:
    return ws.page_ids(ws.query(), None, 1)[0]


def test_add_undo_redo_keeps_identity(ws: Tawsim) -> None:
    doc = first_doc(ws)
    start = TEXT.index("اليابان")
    add = AddSpan(doc, EntitySpan(start, start + 7, "GPE"), new_id())
    change = ws.perform(add)
    [span] = ws.document(doc).spans
    assert (span.uuid, span.start, span.end, span.label) == (add.span_uuid, 2 + 6, 15, "GPE")
    assert TEXT[span.start : span.end] == "اليابان"
    ws.perform(change.inverse)  # undo
    assert ws.document(doc).spans == ()
    ws.perform(add)  # redo: the same span, same uuid
    assert ws.document(doc).spans == (span,)


def test_change_and_remove_undo(ws: Tawsim) -> None:
    doc = first_doc(ws)
    uid = new_id()
    ws.perform(AddSpan(doc, EntitySpan(8, 15, "GPE"), uid))
    undo_change = ws.perform(ChangeSpan(doc, uid, EntitySpan(8, 15, "LOC"))).inverse
    assert ws.document(doc).spans[0].label == "LOC"
    ws.perform(undo_change)
    assert ws.document(doc).spans[0].label == "GPE"
    undo_remove = ws.perform(RemoveSpan(doc, uid)).inverse
    assert ws.document(doc).spans == ()
    ws.perform(undo_remove)
    assert [(s.uuid, s.label) for s in ws.document(doc).spans] == [(uid, "GPE")]


def test_stance_undo_restores_the_previous_judgement(ws: Tawsim) -> None:
    doc = first_doc(ws)
    evidence = (TextRange(TEXT.index("شراكة"), len(TEXT)),)
    first = StanceJudgement("اليابان", "FAVOR", evidence, TextRange(8, 15))
    sid = new_id()
    undo_first = ws.perform(SetStance(doc, first, sid)).inverse
    assert isinstance(undo_first, RemoveStance)
    undo_second = ws.perform(
        SetStance(doc, StanceJudgement("اليابان", "AGAINST"), new_id())
    ).inverse
    assert [s.judgement.value for s in ws.document(doc).stances] == ["AGAINST"]
    ws.perform(undo_second)
    [stance] = ws.document(doc).stances
    assert stance.judgement == first and stance.uuid == sid
    ws.perform(undo_first)
    assert ws.document(doc).stances == ()


def test_lists_filters_and_progress(ws: Tawsim) -> None:
    everything = ws.query()
    ids = ws.page_ids(everything, None, 10)
    assert len(ids) == 3 and ws.count(everything) == 3
    assert ws.page_ids(everything, ids[0], 10) == ids[1:]  # keyset paging
    ws.perform(AddSpan(ids[0], EntitySpan(8, 15, "GPE"), new_id()))
    ws.submit(ids[0])
    ws.perform(AddSpan(ids[1], EntitySpan(0, 5, "GPE"), new_id()))
    assert ws.page_ids(ws.query(ListFilter.UNLABELLED), None, 10) == [ids[2]]
    assert ws.page_ids(ws.query(ListFilter.SUBMITTED), None, 10) == [ids[0]]
    assert ws.page_ids(ws.query(ListFilter.IN_PROGRESS), None, 10) == [ids[1]]
    rows = ws.rows(ids)
    assert (rows[ids[0]].status, rows[ids[0]].span_count) == ("submitted", 1)
    assert rows[ids[2]].status is None  # unlabelled
    assert ws.progress() == (1, 3)
    assert ws.neighbour(ws.query(ListFilter.UNLABELLED), ids[0]) == ids[2]
    assert ws.neighbour(everything, ids[1], forward=False) == ids[0]
    assert ws.neighbour(everything, ids[2]) is None
    with pytest.raises(PermissionDenied):  # submitted: frozen for its annotator
        ws.perform(AddSpan(ids[0], EntitySpan(0, 1, "MISC"), new_id()))


def test_another_annotator_sees_only_their_own_work(ws: Tawsim, db: Database) -> None:
    doc = first_doc(ws)
    ws.perform(AddSpan(doc, EntitySpan(8, 15, "GPE"), new_id()))
    other = as_user(db, "omar", Role.ANNOTATOR)
    assert other.document(doc).spans == () and other.document(doc).status is None


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("الاوروبي", "الأوروبيّ"),
        ("الأوروبي", "الأوروبيّ"),
        ("الاتحاد", "الاتحاد"),
        ("اتحاد", "اتحاد"),  # the article is a word of its own
        ("الص", "الص"),  # the last word is a prefix: the list narrows while typing
        ("صين", "صين"),
    ],
)
def test_search_ignores_alef_tashkeel_and_finds_ranges(ws: Tawsim, typed: str, found: str) -> None:
    hits = ws.page_ids(ws.query(search=typed), None, 10)
    assert len(hits) == 1
    text = ws.document(hits[0]).text
    [(start, end)] = Tawsim.search_ranges(text, typed)
    assert text[start:end] == found


def test_search_finds_words_not_pieces_of_words(ws: Tawsim) -> None:
    assert ws.count(ws.query(search="ين")) == 0  # inside الصين
    assert ws.count(ws.query(search="وروسيا")) == 1
    assert ws.count(ws.query(search="روسيا")) == 0  # و before a name is not split off
    assert ws.count(ws.query(search="،")) == 0  # no words: nothing, not everything


def test_search_sees_documents_once_indexed(db: Database, tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})
    core = Tawsim(db, "admin")
    import_paths(core, [tmp_path / "d.jsonl"], ImportOptions())
    assert core.count(core.query()) == 1  # usable at once
    assert core.search_index_pending() == 1
    assert core.count(core.query(search="اليابان")) == 0  # not indexed yet
    assert core.build_search_index() == 1
    assert core.search_index_pending() == 0
    assert core.count(core.query(search="اليابان")) == 1


def test_search_on_seeds(db: Database) -> None:
    import_paths(Tawsim(db, "admin"), [SEEDS], ImportOptions())
    Tawsim(db).build_search_index()
    ws = as_user(db, "amal")
    assert ws.count(ws.query(search="الاوروبي")) == 1
    assert ws.count(ws.query(search="كونا")) == 1
    assert ws.count(ws.query(search="ليس في النص")) == 0


def test_a_search_count_is_the_number_of_documents_listed(db: Database, tmp_path: Path) -> None:
    """Counted in the index alone (with the list filter, through the documents): the same
    number as the list pages through, for every filter."""
    texts = ["اليابان والصين", "الصين وحدها", "اليابان", "لا شيء هنا", "الصينية"]
    write_jsonl(tmp_path / "d.jsonl", *({"text": t} for t in texts))
    import_paths(Tawsim(db, "admin"), [tmp_path / "d.jsonl"], ImportOptions())
    Tawsim(db).build_search_index()
    ws = as_user(db, "amal")
    first = ws.page_ids(ws.query(), None, 1)[0]
    ws.perform(SetStance(first, StanceJudgement("اليابان", "FAVOR"), new_id()))
    for search in ["الصين", "اليابان", "الص", "هنا", "غائب", "،"]:
        for flt in ListFilter:
            query = ws.query(flt, search=search)
            listed = len(ws.page_ids(query, None, 100))
            assert ws.count(query) == listed, (search, flt)
            for at_most in (0, 1, 2, 5):  # a capped count: exact up to the cap, then cap + 1
                assert ws.count(query, at_most) == min(listed, at_most + 1), (search, flt)
    assert ws.count(ws.query(search="الص")) == 3


def test_annotation_is_blind_on_every_read(db: Database) -> None:
    """An annotator reads only their own sets (export, pack, queue, agreement); a reviewer
    and an admin read everyone's. A name never seen acts as the annotator it would become."""
    from app.core.domain import Selection, SetStatus
    from tests.conftest import store_set

    admin = as_user(db, "admin", Role.ADMIN)
    text = "وصل جوزيب بوريل إلى طوكيو"
    for name, label in [("amal", "PER"), ("omar", "GPE")]:
        store_set(admin, text, name, SetStatus.SUBMITTED, [EntitySpan(4, 15, label)])
    store_set(admin, "نص لم يعلق عليه أحد", "amal", SetStatus.IN_PROGRESS)
    amal, rana = as_user(db, "amal"), as_user(db, "rana", Role.REVIEWER)
    stranger = Tawsim(db, "someone-new")
    doc = rana.queue()[0].document_id

    def annotators(core: Tawsim, selection: Selection = Selection.ALL) -> set[str]:
        return {r.annotation.annotator for r in core.records(selection) if r.annotation}

    assert annotators(rana) == annotators(admin) == {"amal", "omar"}
    assert annotators(amal) == {"amal"} and annotators(stranger) == set()
    assert [s.annotator for s in amal.sets(doc)] == ["amal"]
    assert amal.review_sets(doc) == []  # (the review view leaves out the actor's own set)
    assert sorted(s.annotator for s in rana.review_sets(doc)) == ["amal", "omar"]
    assert {w for item in amal.queue() for _, w in item.sets} == {"amal"}
    assert amal.queue_count() == 1 and stranger.queue_count() == 0
    assert amal.labels_and_targets(Selection.SUBMITTED)[0] == ("PER",)
    assert rana.labels_and_targets(Selection.SUBMITTED)[0] == ("GPE", "PER")
    assert amal.count_records(Selection.ALL) == 2 and rana.count_records(Selection.ALL) == 3
    assert [labels for _, _, labels, _ in amal.document_labels(Selection.SUBMITTED)] == [
        frozenset({"PER"})
    ]
    assert amal.agreement().annotators == ("amal",)
    assert (
        rana.agreement().annotators == ("amal", "omar") and rana.agreement().shared_documents == 1
    )
    with pytest.raises(PermissionDenied, match="annotation is blind"):
        list(amal.records(Selection.ALL, annotator="omar"))
    own = amal.records(Selection.ALL, annotator="amal")
    assert {r.annotation.annotator for r in own if r.annotation} == {"amal"}


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("amal\nbadr", "line break"),
        ("x" * 101, "101 characters long"),
        ("amal\udcff", "U+DCFF"),  # a non-UTF-8 byte of argv
        ("\t", "must not be empty"),
    ],
)
def test_whoever_acts_obeys_the_rules_of_a_name(
    ws: Tawsim, db: Database, name: str, why: str
) -> None:
    """--user, TAWSIM_USER and the GUI's profile name the actor: the name rules an import's
    annotator obeys hold for them too, and a refused name leaves no user behind."""
    before = sorted(u.name for u in ws.users())
    with pytest.raises(InputError, match=re.escape(why)):
        Tawsim(db, name).join()
    assert sorted(u.name for u in ws.users()) == before
