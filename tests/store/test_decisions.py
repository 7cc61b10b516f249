"""Review decisions undo exactly, the last admin stays, and what a set is on import."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from app.core.commands import AddSpan, Approve, Reject, Reopen
from app.core.domain import EntitySpan, Role, SetStatus
from app.core.errors import InputError, PermissionDenied
from app.io.importer import ImportOptions, import_paths
from app.io.pack import pack, unpack
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import as_user, first_document, set_uuid, write_jsonl

TEXT = "أعلنت اليابان والاتحاد الأوروبي عن شراكة"


def submitted_set(db: Database, tmp_path: Path) -> tuple[Tawsim, Tawsim, int, str]:
    import_paths(
        Tawsim(db, "admin"), [write_jsonl(tmp_path / "d.jsonl", {"text": TEXT})], ImportOptions()
    )
    amal, rana = as_user(db, "amal", Role.ANNOTATOR), as_user(db, "rana", Role.REVIEWER)
    doc = first_document(amal)
    amal.perform(AddSpan(doc, EntitySpan(6, 13, "GPE"), str(uuid.uuid4())))
    amal.submit(doc)
    return amal, rana, doc, set_uuid(rana, doc, "amal")


def state(core: Tawsim, doc: int) -> tuple[str, str, str | None]:
    [data] = [s for s in core.sets(doc) if s.annotator == "amal"]
    return str(data.status), data.comment, data.reviewed_by


def test_every_decision_undoes_to_exactly_where_the_set_stood(db: Database, tmp_path: Path) -> None:
    amal, rana, doc, key = submitted_set(db, tmp_path)
    approved = rana.perform(Approve(key))
    assert state(rana, doc) == ("approved", "", "rana")
    # Rejecting the gold set, then undoing that, makes it the gold set again (not submitted).
    rejected = rana.perform(Reject(key, "اليابان دولة"))
    assert state(rana, doc) == ("rejected", "اليابان دولة", "rana")
    assert rejected.inverse == Approve(key)
    rana.perform(rejected.inverse)
    assert state(rana, doc) == ("approved", "", "rana")
    # Undoing the first approval reopens: submitted, nobody's decision any more.
    assert approved.inverse == Reopen(key)
    rana.perform(approved.inverse)
    assert state(rana, doc) == ("submitted", "", None)
    # Approving a rejected set, undone, gives the annotator back the set and the comment.
    rana.perform(Reject(key, "أعيدي"))
    undo = rana.perform(Approve(key)).inverse
    assert undo == Reject(key, "أعيدي")
    rana.perform(undo)
    assert state(rana, doc) == ("rejected", "أعيدي", "rana") and amal.document(doc).editable
    # Approving twice changes nothing the second time (and has nothing to undo).
    rana.perform(Approve(key))
    assert rana.perform(Approve(key)).inverse is None


def test_approving_a_set_named_twice_approves_it_once(db: Database, tmp_path: Path) -> None:
    _, rana, _, key = submitted_set(db, tmp_path)
    assert rana.approve_many((key, key)).approved == [key]


def test_the_last_admin_cannot_stop_being_one(db: Database) -> None:
    admin = as_user(db, "root", Role.ADMIN)
    with pytest.raises(PermissionDenied, match="only admin"):
        admin.set_role("root", Role.ANNOTATOR)
    admin.add_user("huda", Role.ADMIN)
    admin.set_role("root", Role.REVIEWER)  # another admin remains
    assert admin.whois("root").role is Role.REVIEWER


def test_a_record_with_an_annotator_but_no_spans_is_a_set(db: Database, tmp_path: Path) -> None:
    """A gold "no entities here" decision is not dropped for lack of a ``spans`` key."""
    src = write_jsonl(
        tmp_path / "d.jsonl",
        {"text": "نص بلا كيانات", "annotator": "amal", "status": "approved"},
        {"text": "نص آخر", "annotator": None, "spans": [], "stance": []},  # nobody's (export)
    )
    summary = import_paths(Tawsim(db, "admin"), [src], ImportOptions())
    assert (summary.total("documents_added"), summary.total("sets_added")) == (2, 1)


def test_a_rejected_set_needs_its_comment(db: Database, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "d.jsonl", {"text": TEXT, "spans": [], "status": "rejected"})
    summary = import_paths(Tawsim(db, "admin"), [src], ImportOptions(annotator="amal"))
    [bad] = summary.rejected
    assert isinstance(bad.error, InputError) and f"{src}:1:" in str(bad.error)
    assert "needs a comment" in str(bad.error)


def test_unpacking_a_demoted_gold_set_again_is_quiet(db: Database, tmp_path: Path) -> None:
    """A pack's approved set stored as submitted (the document had a gold set here) is the
    same set the next time the pack comes: no conflict, nothing new."""
    laptop = Database.open(tmp_path / "laptop.db")
    store = write_jsonl(tmp_path / "a.jsonl", {"text": TEXT, "spans": []})
    import_paths(
        Tawsim(laptop, "admin"), [store], ImportOptions(annotator="omar", status=SetStatus.APPROVED)
    )
    pack(Tawsim(laptop), tmp_path / "omar.tawsim")
    laptop.close()
    import_paths(
        Tawsim(db, "admin"), [store], ImportOptions(annotator="amal", status=SetStatus.APPROVED)
    )
    first = unpack(Tawsim(db, "admin"), tmp_path / "omar.tawsim")
    assert first.sets_added == 1 and len(first.notices) == 1 and "amal's" in first.notices[0]
    again = unpack(Tawsim(db, "admin"), tmp_path / "omar.tawsim")
    assert (again.sets_unchanged, again.conflicts, again.notices, again.changed) == (
        1,
        [],
        [],
        False,
    )
