"""Packs: pack from one database, unpack into another; damaged, foreign and unsafe files."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core.commands import AddSpan
from app.core.domain import EntitySpan, Role, Selection, SetStatus, StanceJudgement, TextRange
from app.core.errors import Cancelled, InputError, NotFound, PermissionDenied
from app.core.records import DocumentData, Record
from app.io import pack_zip
from app.io.pack import pack, unpack
from app.store.core import Tawsim
from app.store.database import Database
from app.store.models import AnnotationSetRecord, AuditRecord, Setting, UserRecord
from app.store.project import DATABASE_UUID_KEY
from tests.conftest import as_user, first_document, stats, store_set

# Tashkeel, tatweel, an emoji flag and a face (astral code points), Latin, digits, ZWNJ.
TEXT_1 = "قالَ الرئيسُ 🇯🇵 إنَّ شركةَ Nvidia ستفتتحُ مكتبًا في طوكيو ـــ عام ٢٠٢٤ و\u200cكذلك 😀 هنا."
TEXT_2 = "أعلنت اليابانُ والاتحادُ الأوروبيُّ عن شراكةٍ أمنيةٍ جديدة 🤝 في بروكسل."


def rng(text: str, word: str) -> TextRange:
    start = text.index(word)
    return TextRange(start, start + len(word))


def span(text: str, word: str, label: str) -> EntitySpan:
    r = rng(text, word)
    return EntitySpan(r.start, r.end, label)


def seed(db: Database) -> None:
    """amal: a submitted set on doc 1 and an approved one on doc 2; omar: work in progress."""
    rana = as_user(db, "rana", Role.REVIEWER)
    as_user(db, "amal", Role.ANNOTATOR)
    omar = as_user(db, "omar", Role.ANNOTATOR)
    stance = StanceJudgement(
        "اليابان", "FAVOR", (rng(TEXT_1, "طوكيو"), rng(TEXT_1, "🇯🇵")), rng(TEXT_1, "الرئيسُ")
    )
    spans_1 = [
        span(TEXT_1, "الرئيسُ", "PER"),
        span(TEXT_1, "🇯🇵", "MISC"),
        span(TEXT_1, "Nvidia", "ORG"),
        span(TEXT_1, "طوكيو", "GPE"),
    ]
    store_set(
        rana, TEXT_1, "amal", SetStatus.SUBMITTED, spans_1, [stance], comment="راجعيه",
        title="خبر ١", meta={"url": "https://example.com/خبر"},
    )  # fmt: skip
    store_set(
        rana, TEXT_2, "amal", SetStatus.APPROVED,
        [span(TEXT_2, "اليابانُ", "GPE"), span(TEXT_2, "بروكسل", "GPE")], source="كونا",
    )  # fmt: skip
    store_set(omar, TEXT_1, "omar", SetStatus.IN_PROGRESS, [span(TEXT_1, "Nvidia", "ORG")])


def dump(db: Database) -> dict[str, Any]:
    """Every set, by UUID, with what must survive a round trip."""
    out: dict[str, Any] = {}
    with db.session() as s:
        for aset in s.scalars(select(AnnotationSetRecord)):
            text = aset.document.text
            out[aset.uuid] = {
                "document": (aset.document.uuid, text, aset.document.title, aset.document.meta),
                "annotator": aset.annotator.name,
                "status": aset.status,
                "comment": aset.comment,
                "reviewed_by": aset.reviewed_by.name if aset.reviewed_by else None,
                "spans": sorted(
                    (sp.uuid, sp.start, sp.end, sp.label, text[sp.start : sp.end])
                    for sp in aset.spans
                ),
                "stances": sorted(
                    (st.uuid, st.target, st.value, str(st.evidence), st.holder_start, st.holder_end)
                    for st in aset.stances
                ),
            }
    return out


def state(db: Database) -> tuple[dict[str, Any], int, dict[str, Any]]:
    with db.session() as s:
        audits = s.scalar(select(func.count()).select_from(AuditRecord)) or 0
        return stats(db), audits, dump(db)


def user(session: Any, name: str) -> UserRecord:
    return session.scalars(select(UserRecord).where(UserRecord.name == name)).one()


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Database]:
    """The reviewer's database."""
    database = Database.open(tmp_path / "b.db")
    as_user(database, "rana", Role.REVIEWER)
    yield database
    database.close()


@pytest.fixture
def packed(db: Database, tmp_path: Path) -> Path:
    seed(db)
    out = tmp_path / "amal.tawsim"
    report = pack(Tawsim(db), out)
    assert (report.sets, report.documents, report.spans, report.stances) == (3, 2, 7, 1)
    return out


def test_round_trip_keeps_every_offset_label_and_uuid(
    db: Database, other: Database, packed: Path
) -> None:
    as_user(other, "omar", Role.REVIEWER)  # a local role the pack must not change
    report = unpack(Tawsim(other, "rana"), packed)
    assert (report.sets_added, report.sets_unchanged, report.conflicts) == (3, 0, [])
    assert (report.documents_added, report.documents_reused) == (2, 0)
    assert (report.spans_added, report.stances_added) == (7, 1)
    assert report.users_added == ["amal"]
    assert report.changed
    assert dump(other) == dump(db)
    assert stats(db) == stats(other)
    with db.session() as a, other.session() as b:
        setting = a.get(Setting, DATABASE_UUID_KEY)
        assert setting is not None and report.source_database == setting.value
        users = {name: (user(a, name), user(b, name)) for name in ("amal", "omar", "rana")}
        assert {name: b_.role for name, (_, b_) in users.items()} == {
            "amal": "annotator",
            "omar": "reviewer",
            "rana": "reviewer",
        }
        assert users["amal"][0].uuid == users["amal"][1].uuid
        actions = b.scalars(select(AuditRecord.action).where(AuditRecord.entity != "user")).all()
        assert actions == ["set.unpack"] * 3


def test_unpacking_twice_changes_nothing(other: Database, packed: Path) -> None:
    unpack(Tawsim(other, "rana"), packed)
    before = state(other)
    again = unpack(Tawsim(other, "rana"), packed)
    assert not again.changed
    assert (again.sets_added, again.sets_unchanged, again.sets_conflicting) == (0, 3, 0)
    assert (again.documents_added, again.documents_reused, again.spans_added) == (0, 2, 0)
    assert state(other) == before


def test_same_text_under_another_uuid_is_reused(other: Database, packed: Path) -> None:
    as_user(other, "admin").ingest([Record(DocumentData(TEXT_2, title="already here"))])
    local_uuid = Tawsim(other).document(first_document(Tawsim(other, "rana"))).uuid
    report = unpack(Tawsim(other, "rana"), packed)
    assert (report.documents_added, report.documents_reused) == (1, 1)
    assert list(report.document_mappings.values()) == [local_uuid]
    assert stats(other)["documents"] == 2
    with other.session() as s:
        titles = {a.document.title for a in s.scalars(select(AnnotationSetRecord))}
        assert "already here" in titles
    assert not unpack(Tawsim(other, "rana"), packed).changed


def test_a_conflicting_edit_is_kept_and_reported(
    db: Database, other: Database, tmp_path: Path, packed: Path
) -> None:
    unpack(Tawsim(other, "rana"), packed)
    # omar's set changes on laptop A after the first pack; B's copy stays as it was.
    omar = Tawsim(db, "omar")
    doc = first_document(omar)
    omar.perform(AddSpan(doc, span(TEXT_1, "طوكيو", "LOC"), str(uuid.uuid4())))
    omar_set = next(s.uuid for s in omar.sets(doc) if s.annotator == "omar")
    second = tmp_path / "second.tawsim"
    pack(Tawsim(db), second)
    before = state(other)
    report = unpack(Tawsim(other, "rana"), second)
    assert (report.sets_added, report.sets_unchanged, report.sets_conflicting) == (0, 2, 1)
    conflict = report.conflicts[0]
    assert (conflict.set_uuid, conflict.local_set_uuid, conflict.annotator) == (
        omar_set,
        omar_set,
        "omar",
    )
    assert "spans differ (1 here, 2 in the pack)" in conflict.reason
    assert omar_set in str(conflict) and "kept the local set" in str(conflict)
    assert state(other) == before


def test_same_document_and_annotator_under_another_set_uuid_is_a_conflict(
    other: Database, packed: Path
) -> None:
    amal = as_user(other, "amal", Role.ANNOTATOR)
    store_set(amal, TEXT_2, "amal", SetStatus.IN_PROGRESS, [span(TEXT_2, "بروكسل", "LOC")])
    doc = first_document(amal)
    report = unpack(Tawsim(other, "rana"), packed)
    assert (report.sets_added, report.sets_conflicting) == (2, 1)
    reason = report.conflicts[0].reason
    assert "already has another set" in reason and "status differs" in reason
    with other.session() as s:
        kept = s.scalars(select(AnnotationSetRecord).where(AnnotationSetRecord.document_id == doc))
        assert [(a.status, len(a.spans)) for a in kept] == [("in_progress", 1)]


def test_annotator_and_status_filters(db: Database, other: Database, tmp_path: Path) -> None:
    seed(db)
    out = tmp_path / "omar.tawsim"
    report = pack(Tawsim(db), out, annotator="omar")
    assert (report.sets, report.documents, report.annotator) == (1, 1, "omar")
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        sets = [json.loads(line) for line in zf.read("sets.jsonl").splitlines()]
    assert manifest["format"] == "tawsim-pack" and manifest["format_version"] == 1
    assert manifest["annotator"] == "omar" and manifest["counts"]["sets"] == 1
    assert sorted(manifest["entries"]) == ["documents.jsonl", "sets.jsonl"]
    assert [s["annotator"]["name"] for s in sets] == ["omar"]
    approved = pack(Tawsim(db), tmp_path / "approved.tawsim", selection=Selection.APPROVED)
    assert (approved.sets, approved.documents) == (1, 1)
    with pytest.raises(NotFound):
        pack(Tawsim(db), tmp_path / "x.tawsim", annotator="nobody")
    assert not (tmp_path / "x.tawsim").exists()
    unpack(Tawsim(other, "rana"), out)
    assert stats(other)["annotation_sets"] == 1


def test_the_first_user_of_a_new_database_may_unpack(packed: Path, tmp_path: Path) -> None:
    with Database.open(tmp_path / "new.db") as fresh:
        assert unpack(Tawsim(fresh, "newcomer"), packed).sets_added == 3
        assert Tawsim(fresh).whois("newcomer").role is Role.ADMIN


def test_database_uuid_is_created_once(db: Database, tmp_path: Path) -> None:
    first = pack(Tawsim(db), tmp_path / "a.tawsim").database_uuid
    assert pack(Tawsim(db), tmp_path / "b.tawsim").database_uuid == first


def test_a_cancelled_pack_leaves_no_file(db: Database, tmp_path: Path) -> None:
    seed(db)

    def cancel(n: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        pack(Tawsim(db), tmp_path / "out.tawsim", progress=cancel)
    assert not [p for p in tmp_path.iterdir() if ".tawsim" in p.name]


def test_a_failed_write_is_reported_and_leaves_no_file(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pack_zip.os, "replace", full)
    with pytest.raises(InputError, match="cannot write the pack: No space left on device"):
        pack(Tawsim(db), tmp_path / "out.tawsim")
    assert not [p for p in tmp_path.iterdir() if ".tawsim" in p.name]


def test_an_annotator_cannot_unpack_others_work(other: Database, packed: Path) -> None:
    as_user(other, "omar", Role.ANNOTATOR)
    before = state(other)
    with pytest.raises(PermissionDenied):
        unpack(Tawsim(other, "omar"), packed)
    assert state(other) == before


# -- damaged, foreign and unsafe files ---------------------------------------------------------


def rewrite(src: Path, dst: Path, change: Callable[[dict[str, bytes]], object]) -> Path:
    """Copy a pack entry by entry, letting ``change`` edit the entries (name -> bytes)."""
    with zipfile.ZipFile(src) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    change(entries)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return dst


def with_manifest(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, bytes]], None]:
    def change(entries: dict[str, bytes]) -> None:
        manifest = json.loads(entries["manifest.json"])
        edit(manifest)
        entries["manifest.json"] = json.dumps(manifest).encode()

    return change


def relist(entries: dict[str, bytes], name: str) -> None:
    """Make the manifest agree with a changed entry (a well-made but hostile pack)."""
    data = entries[name]
    info = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    with_manifest(lambda m: m["entries"].__setitem__(name, info))(entries)


def edit_sets(edit: Callable[[list[str]], None]) -> Callable[[dict[str, bytes]], None]:
    def change(entries: dict[str, bytes]) -> None:
        lines = entries["sets.jsonl"].decode("utf-8").splitlines()
        edit(lines)
        entries["sets.jsonl"] = "".join(line + "\n" for line in lines).encode("utf-8")
        relist(entries, "sets.jsonl")

    return change


def set_first_span_end(lines: list[str], end: int) -> None:
    obj = json.loads(lines[0])
    obj["spans"][0]["end"] = end
    lines[0] = json.dumps(obj, ensure_ascii=False)


def add_set_on_unknown_document(lines: list[str]) -> None:
    obj = json.loads(lines[0])
    obj["uuid"], obj["document"] = str(uuid.uuid4()), str(uuid.uuid4())
    lines.append(json.dumps(obj, ensure_ascii=False))


def flip_byte_in(path: Path, entry: str) -> Path:
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(entry)
    raw = bytearray(path.read_bytes())
    header = info.header_offset
    name_len = int.from_bytes(raw[header + 26 : header + 28], "little")
    extra_len = int.from_bytes(raw[header + 28 : header + 30], "little")
    raw[header + 30 + name_len + extra_len + info.compress_size // 2] ^= 0x55
    path.write_bytes(bytes(raw))
    return path


def truncate(path: Path) -> Path:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def not_a_zip(path: Path) -> Path:
    path.write_text("id,text\n1,نص\n", encoding="utf-8")
    return path


CASES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "flipped byte": (
        lambda p, d: flip_byte_in(p, "documents.jsonl"),
        "damaged: entry documents.jsonl",
    ),
    "edited entry, CRC recomputed": (
        lambda p, d: rewrite(
            p, d, lambda e: e.__setitem__("sets.jsonl", e["sets.jsonl"].replace(b"PER", b"ORG"))
        ),
        "damaged: entry sets.jsonl checksum mismatch",
    ),
    "truncated": (lambda p, d: truncate(p), "damaged: the zip file is truncated"),
    "not a zip": (lambda p, d: not_a_zip(d), "not a Tawsim pack (it is not a zip file)"),
    "no manifest": (
        lambda p, d: rewrite(p, d, lambda e: e.pop("manifest.json")),
        "not a Tawsim pack (it has no manifest.json)",
    ),
    "newer format": (
        lambda p, d: rewrite(p, d, with_manifest(lambda m: m.__setitem__("format_version", 99))),
        "made by a newer Tawsim",
    ),
    "foreign format": (
        lambda p, d: rewrite(p, d, with_manifest(lambda m: m.__setitem__("format", "other"))),
        "not a Tawsim pack",
    ),
    "zip slip": (
        lambda p, d: rewrite(p, d, lambda e: e.__setitem__("../evil.txt", b"pwned")),
        "unsafe entry name '../evil.txt'",
    ),
    "absolute name": (
        lambda p, d: rewrite(p, d, lambda e: e.__setitem__("/tmp/evil.txt", b"pwned")),
        "unsafe entry name",
    ),
    "backslash name": (
        lambda p, d: rewrite(p, d, lambda e: e.__setitem__("..\\evil.txt", b"pwned")),
        "unsafe entry name",
    ),
    "unexpected entry": (
        lambda p, d: rewrite(p, d, lambda e: e.__setitem__("extra.txt", b"hello")),
        "unexpected entry extra.txt",
    ),
    "listed entry missing": (
        lambda p, d: rewrite(p, d, lambda e: e.pop("sets.jsonl")),
        "damaged: entry sets.jsonl is missing",
    ),
    "not JSON, checksum matching": (
        lambda p, d: rewrite(p, d, edit_sets(lambda lines: lines.insert(0, "{oops"))),
        "damaged: sets.jsonl line 1 is not JSON",
    ),
    "span off the text, checksum matching": (
        lambda p, d: rewrite(p, d, edit_sets(lambda lines: set_first_span_end(lines, 99999))),
        "lies outside the text",
    ),
    "document missing from the pack": (
        lambda p, d: rewrite(p, d, edit_sets(add_set_on_unknown_document)),
        "is not in the pack",
    ),
    **{
        f"manifest counting {n} {what} wrongly": (
            lambda p, d, what=what, n=n: rewrite(
                p, d, with_manifest(lambda m: m["counts"].__setitem__(what, n))
            ),
            f"the manifest counts {n} {what}",
        )
        for what, n in [("documents", 99), ("sets", 0), ("spans", 1), ("stances", 7)]
    },
    "manifest not counting the sets": (
        lambda p, d: rewrite(p, d, with_manifest(lambda m: m["counts"].pop("sets"))),
        "the manifest does not count the sets",
    ),
    "a key twice, checksum matching": (
        lambda p, d: rewrite(
            p, d, edit_sets(lambda lines: lines.append(lines[0][:-1] + ',"uuid":1}'))
        ),
        "the key 'uuid' appears twice",
    ),
    "no uuid": (
        lambda p, d: rewrite(
            p,
            d,
            edit_sets(lambda lines: lines.append(json.dumps({**json.loads(lines[0]), "uuid": 1}))),
        ),
        "field 'uuid' must be a string",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_is_refused_and_nothing_changes(
    case: str, other: Database, packed: Path, tmp_path: Path
) -> None:
    make, message = CASES[case]
    unpack(Tawsim(other, "rana"), packed)  # something in the database to keep intact
    bad = make(packed, tmp_path / "bad.tawsim")
    before = state(other)
    with pytest.raises(InputError) as caught:
        unpack(Tawsim(other, "rana"), bad)
    assert message in str(caught.value)
    assert str(bad) in str(caught.value)
    assert state(other) == before
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_a_pack_missing_its_first_byte_is_refused(
    other: Database, packed: Path, tmp_path: Path
) -> None:
    """Found by fuzzing: with manifest.json first in the zip (another zip tool's order), a
    pack missing its first byte made zipfile seek before the start of the file, and the
    OSError escaped unpack as a traceback."""

    def manifest_first(entries: dict[str, bytes]) -> None:
        items = sorted(entries.items(), key=lambda kv: kv[0] != "manifest.json")
        entries.clear()
        entries.update(items)

    whole = rewrite(packed, tmp_path / "whole.tawsim", manifest_first)
    bad = tmp_path / "bad.tawsim"
    bad.write_bytes(whole.read_bytes()[1:])
    unpack(Tawsim(other, "rana"), whole)  # something in the database to keep intact
    before = state(other)
    with pytest.raises(InputError, match=r"damaged: entry manifest\.json cannot be read"):
        unpack(Tawsim(other, "rana"), bad)
    assert state(other) == before


def test_a_pack_whose_name_is_not_utf8_unpacks(
    other: Database, packed: Path, tmp_path: Path
) -> None:
    """Found by fuzzing: a pack named with a byte that is not UTF-8 (Python holds it as a lone
    surrogate) crashed unpack with a UnicodeEncodeError writing its name to the audit log."""
    odd = Path(os.fsdecode(bytes(tmp_path / "amal") + b"\xff.tawsim"))
    odd.write_bytes(packed.read_bytes())
    assert unpack(Tawsim(other, "rana"), odd).sets_added == 3
    with other.session() as s:
        audits = s.scalars(select(AuditRecord.after).where(AuditRecord.action == "set.unpack"))
        assert {a["pack"] for a in audits if a and "pack" in a} == {"amal\ufffd.tawsim"}


def test_a_compression_bomb_is_refused(other: Database, packed: Path, tmp_path: Path) -> None:
    def bomb(entries: dict[str, bytes]) -> None:
        entries["documents.jsonl"] = b"\n" * (4 << 20)
        relist(entries, "documents.jsonl")

    bad = rewrite(packed, tmp_path / "bomb.tawsim", bomb)
    with pytest.raises(InputError, match="compression bomb"):
        unpack(Tawsim(other, "rana"), bad)


def test_an_entry_over_the_size_limit_is_refused(
    other: Database, packed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pack_zip, "MAX_ENTRY_BYTES", 100)
    with pytest.raises(InputError, match="more than 0 MiB"):
        unpack(Tawsim(other, "rana"), packed)
    assert stats(other)["annotation_sets"] == 0


def test_a_missing_file(other: Database, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        unpack(Tawsim(other, "rana"), tmp_path / "nothing.tawsim")
