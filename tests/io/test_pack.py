"""Packs: pack from one database, unpack into another; damaged, foreign and unsafe files."""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core.domain import EntitySpan, Role, SetStatus, StanceJudgement, TextRange
from app.core.errors import Cancelled, InputError, NotFound, PermissionDenied
from app.io import pack_manifest
from app.io.pack import DATABASE_UUID_KEY, pack, unpack
from app.store.database import Database
from app.store.models import AnnotationSetRecord, AuditRecord, Setting, SpanRecord
from app.store.services import annotations as svc
from app.store.services.documents import add_document
from app.store.services.users import ensure_user, find_user
from app.store.statistics import collect_stats

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
    with db.session() as s, s.begin():
        rana = ensure_user(s, "rana", Role.REVIEWER)
        amal = ensure_user(s, "amal", Role.ANNOTATOR)
        omar = ensure_user(s, "omar", Role.ANNOTATOR)
        d1, _ = add_document(s, TEXT_1, title="خبر ١", meta={"url": "https://example.com/خبر"})
        d2, _ = add_document(s, TEXT_2, source="كونا")
        stance = StanceJudgement(
            "اليابان", "FAVOR", (rng(TEXT_1, "طوكيو"), rng(TEXT_1, "🇯🇵")), rng(TEXT_1, "الرئيسُ")
        )
        spans_1 = [
            span(TEXT_1, "الرئيسُ", "PER"),
            span(TEXT_1, "🇯🇵", "MISC"),
            span(TEXT_1, "Nvidia", "ORG"),
            span(TEXT_1, "طوكيو", "GPE"),
        ]
        svc.create_filled_set(
            s, rana, document_id=d1.id, annotator_id=amal.id, status=SetStatus.SUBMITTED,
            spans=spans_1, stances=[stance], comment="راجعيه",
        )  # fmt: skip
        svc.create_filled_set(
            s, rana, document_id=d2.id, annotator_id=amal.id, status=SetStatus.APPROVED,
            spans=[span(TEXT_2, "اليابانُ", "GPE"), span(TEXT_2, "بروكسل", "GPE")], stances=[],
        )  # fmt: skip
        svc.create_filled_set(
            s, omar, document_id=d1.id, annotator_id=omar.id, status=SetStatus.IN_PROGRESS,
            spans=[span(TEXT_1, "Nvidia", "ORG")], stances=[],
        )  # fmt: skip


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
        return collect_stats(s), audits, dump(db)


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Database]:
    """The reviewer's database."""
    database = Database.open(tmp_path / "b.db")
    with database.session() as s, s.begin():
        ensure_user(s, "rana", Role.REVIEWER)
    yield database
    database.close()


@pytest.fixture
def packed(db: Database, tmp_path: Path) -> Path:
    seed(db)
    out = tmp_path / "amal.tawsim"
    report = pack(db, out)
    assert (report.sets, report.documents, report.spans, report.stances) == (3, 2, 7, 1)
    return out


def test_round_trip_keeps_every_offset_label_and_uuid(
    db: Database, other: Database, packed: Path
) -> None:
    with other.session() as s, s.begin():
        ensure_user(s, "omar", Role.REVIEWER)  # a local role the pack must not change
    report = unpack(other, packed, "rana")
    assert (report.sets_added, report.sets_unchanged, report.conflicts) == (3, 0, [])
    assert (report.documents_added, report.documents_reused) == (2, 0)
    assert (report.spans_added, report.stances_added) == (7, 1)
    assert report.users_added == ["amal"]
    assert report.changed
    assert dump(other) == dump(db)
    with db.session() as a, other.session() as b:
        assert collect_stats(a) == collect_stats(b)
        setting = a.get(Setting, DATABASE_UUID_KEY)
        assert setting is not None and report.source_database == setting.value
        roles = {u: (find_user(a, u), find_user(b, u)) for u in ("amal", "omar", "rana")}
        assert {u: b_.role for u, (_, b_) in roles.items() if b_} == {
            "amal": "annotator",
            "omar": "reviewer",
            "rana": "reviewer",
        }
        amal_a, amal_b = roles["amal"]
        assert amal_a and amal_b and amal_a.uuid == amal_b.uuid
        actions = b.scalars(select(AuditRecord.action)).all()
        assert actions == ["set.unpack"] * 3


def test_unpacking_twice_changes_nothing(other: Database, packed: Path) -> None:
    unpack(other, packed, "rana")
    before = state(other)
    again = unpack(other, packed, "rana")
    assert not again.changed
    assert (again.sets_added, again.sets_unchanged, again.sets_conflicting) == (0, 3, 0)
    assert (again.documents_added, again.documents_reused, again.spans_added) == (0, 2, 0)
    assert state(other) == before


def test_same_text_under_another_uuid_is_reused(other: Database, packed: Path) -> None:
    with other.session() as s, s.begin():
        local, _ = add_document(s, TEXT_2, title="already here")
        local_uuid = local.uuid
    report = unpack(other, packed, "rana")
    assert (report.documents_added, report.documents_reused) == (1, 1)
    assert list(report.document_mappings.values()) == [local_uuid]
    with other.session() as s:
        assert collect_stats(s)["documents"] == 2
        titles = {a.document.title for a in s.scalars(select(AnnotationSetRecord))}
        assert "already here" in titles
    assert not unpack(other, packed, "rana").changed


def test_a_conflicting_edit_is_kept_and_reported(
    db: Database, other: Database, tmp_path: Path, packed: Path
) -> None:
    unpack(other, packed, "rana")
    # omar's set changes on laptop A after the first pack; B's copy stays as it was.
    with db.session() as s, s.begin():
        omar = find_user(s, "omar")
        assert omar is not None
        aset = next(a for a in s.scalars(select(AnnotationSetRecord)) if a.annotator is omar)
        tokyo = rng(TEXT_1, "طوكيو")
        aset.spans.append(SpanRecord(start=tokyo.start, end=tokyo.end, label="LOC"))
        omar_set = aset.uuid
    second = tmp_path / "second.tawsim"
    pack(db, second)
    before = state(other)
    report = unpack(other, second, "rana")
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
    with other.session() as s, s.begin():
        amal = ensure_user(s, "amal", Role.ANNOTATOR)
        doc, _ = add_document(s, TEXT_2)
        svc.create_filled_set(
            s, amal, document_id=doc.id, annotator_id=amal.id, status=SetStatus.IN_PROGRESS,
            spans=[span(TEXT_2, "بروكسل", "LOC")], stances=[],
        )  # fmt: skip
    report = unpack(other, packed, "rana")
    assert (report.sets_added, report.sets_conflicting) == (2, 1)
    reason = report.conflicts[0].reason
    assert "already has another set" in reason and "status differs" in reason
    with other.session() as s:
        kept = s.scalars(
            select(AnnotationSetRecord).where(AnnotationSetRecord.document_id == doc.id)
        )
        assert [(a.status, len(a.spans)) for a in kept] == [("in_progress", 1)]


def test_annotator_and_status_filters(db: Database, other: Database, tmp_path: Path) -> None:
    seed(db)
    out = tmp_path / "omar.tawsim"
    report = pack(db, out, annotator="omar")
    assert (report.sets, report.documents, report.annotator) == (1, 1, "omar")
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        sets = [json.loads(line) for line in zf.read("sets.jsonl").splitlines()]
    assert manifest["format"] == "tawsim-pack" and manifest["format_version"] == 1
    assert manifest["annotator"] == "omar" and manifest["counts"]["sets"] == 1
    assert sorted(manifest["entries"]) == ["documents.jsonl", "sets.jsonl"]
    assert [s["annotator"]["name"] for s in sets] == ["omar"]
    approved = pack(db, tmp_path / "approved.tawsim", include_statuses=("approved",))
    assert (approved.sets, approved.documents) == (1, 1)
    with pytest.raises(NotFound):
        pack(db, tmp_path / "x.tawsim", annotator="nobody")
    with pytest.raises(InputError, match="unknown set status"):
        pack(db, tmp_path / "x.tawsim", include_statuses=("done",))
    assert not (tmp_path / "x.tawsim").exists()
    unpack(other, out, "rana")
    with other.session() as s:
        assert collect_stats(s)["annotation_sets"] == 1


def test_the_first_user_of_a_new_database_may_unpack(packed: Path, tmp_path: Path) -> None:
    with Database.open(tmp_path / "new.db") as fresh:
        assert unpack(fresh, packed, "newcomer").sets_added == 3
        with fresh.session() as s:
            newcomer = find_user(s, "newcomer")
            assert newcomer is not None and newcomer.role == "admin"


def test_database_uuid_is_created_once(db: Database, tmp_path: Path) -> None:
    first = pack(db, tmp_path / "a.tawsim").database_uuid
    assert pack(db, tmp_path / "b.tawsim").database_uuid == first


def test_a_cancelled_pack_leaves_no_file(db: Database, tmp_path: Path) -> None:
    seed(db)

    def cancel(n: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        pack(db, tmp_path / "out.tawsim", progress=cancel)
    assert not [p for p in tmp_path.iterdir() if ".tawsim" in p.name]


def test_a_failed_write_is_reported_and_leaves_no_file(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pack_manifest.os, "replace", full)
    with pytest.raises(InputError, match="cannot write the pack: No space left on device"):
        pack(db, tmp_path / "out.tawsim")
    assert not [p for p in tmp_path.iterdir() if ".tawsim" in p.name]


def test_an_annotator_cannot_unpack_others_work(other: Database, packed: Path) -> None:
    with other.session() as s, s.begin():
        ensure_user(s, "omar", Role.ANNOTATOR)
    before = state(other)
    with pytest.raises(PermissionDenied):
        unpack(other, packed, "omar")
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
    "no uuid": (
        lambda p, d: rewrite(
            p, d, edit_sets(lambda lines: lines.append(lines[0][:-1] + ',"uuid":1}'))
        ),
        "field 'uuid' must be a string",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_is_refused_and_nothing_changes(
    case: str, other: Database, packed: Path, tmp_path: Path
) -> None:
    make, message = CASES[case]
    unpack(other, packed, "rana")  # something in the database to keep intact
    bad = make(packed, tmp_path / "bad.tawsim")
    before = state(other)
    with pytest.raises(InputError) as caught:
        unpack(other, bad, "rana")
    assert message in str(caught.value)
    assert str(bad) in str(caught.value)
    assert state(other) == before
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_a_compression_bomb_is_refused(other: Database, packed: Path, tmp_path: Path) -> None:
    def bomb(entries: dict[str, bytes]) -> None:
        entries["documents.jsonl"] = b"\n" * (4 << 20)
        relist(entries, "documents.jsonl")

    bad = rewrite(packed, tmp_path / "bomb.tawsim", bomb)
    with pytest.raises(InputError, match="compression bomb"):
        unpack(other, bad, "rana")


def test_an_entry_over_the_size_limit_is_refused(
    other: Database, packed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pack_manifest, "MAX_ENTRY_BYTES", 100)
    with pytest.raises(InputError, match="more than 0 MiB"):
        unpack(other, packed, "rana")
    with other.session() as s:
        assert collect_stats(s)["annotation_sets"] == 0


def test_a_missing_file(other: Database, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        unpack(other, tmp_path / "nothing.tawsim", "rana")
