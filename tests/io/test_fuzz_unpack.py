"""Fuzzing unpack (issue 11): thousands of hostile ``.tawsim`` packs, seeded.

Valid packs of the fuzzing corpus (:func:`tests.io.fuzzing.corpus`), mostly made new to the
database (every text and UUID salted; else what it may hold already, or in conflict with it),
are taken apart and put together again with hostile changes: a record of ``documents.jsonl`` or
``sets.jsonl`` mutated
as the importers' files are (with the manifest's checksums, sizes and counts and the document's
content hash made to agree, or not, so that the mutation reaches past each check in turn), lines
dropped or doubled, the manifest mutated, members missing, doubled, extra or renamed (path
traversal), odd compression, an encrypted flag, a modest compression bomb, a manifest over its
limit, the zip's bytes flipped or cut short, no zip at all, or none (a good pack), under a name
that may hold a byte that is not UTF-8. Each is unpacked into one database reused across the
examples, as an admin or an annotator, and:

- nothing but a :class:`app.core.errors.TawsimError` escapes;
- a refused pack names itself and leaves the database exactly as it was;
- an accepted pack's records obey the store's rules and export again in every format, and
  unpacking it a second time changes nothing;
- nothing is ever written outside the database (no member is extracted).

A smaller number of packs go through ``tawsim unpack``: no traceback, a non-zero exit on refusal.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.domain import Selection, SetStatus
from app.core.errors import TawsimError
from app.core.records import Record, SetData
from app.io.pack import pack, unpack
from app.io.pack_format import DOCUMENTS, MANIFEST, SETS
from app.store.core import Tawsim
from app.store.values import IngestOptions
from tests.io.fuzzing import (
    FUZZ_SETTINGS,
    NAME_PREFIXES,
    SALTS,
    TEXT_1,
    Bench,
    bench_in_memory,
    change_lines,
    change_tree,
    corpus,
    dump_json,
    encode,
    examples,
    fixed_uuid,
    hostile_text,
    mutated_bytes,
    pick,
    run_cli,
    seeded_database,
    span_of,
)

FIXED_DATE = (2024, 5, 1, 10, 0, 0)


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes
    compress_type: int = zipfile.ZIP_DEFLATED
    encrypted: bool = False


def zip_bytes(members: list[Member], path: Path) -> None:
    """The members as a zip at ``path``, byte for byte the same on every run."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a name twice: "Duplicate name" is the point
        with zipfile.ZipFile(path, "w") as zf:
            for m in members:
                info = zipfile.ZipInfo(m.name, date_time=FIXED_DATE)
                info.compress_type = m.compress_type
                info.external_attr = 0o644 << 16
                zf.writestr(info, m.data)
            for info, m in zip(zf.filelist, members, strict=True):
                if m.encrypted:  # said in the central directory, which readers go by
                    info.flag_bits |= 0x1


@dataclass(frozen=True)
class HostilePack:
    members: list[Member]
    then: str  # "as-is", or what the zip's bytes go through: "bytes" (mutated), "whole" (lost)
    actor: str  # who unpacks it
    name: str  # the file's name


@dataclass(frozen=True)
class PackSeed:
    manifest: dict[str, Any]
    documents: list[dict[str, Any]]
    sets: list[dict[str, Any]]


def _lines(objs: list[Any], ascii_only: bool = False) -> bytes:
    return b"".join(encode(dump_json(o, ascii_only=ascii_only)) + b"\n" for o in objs)


def read_seed(path: Path) -> PackSeed:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(MANIFEST))
        docs = [json.loads(ln) for ln in zf.read(DOCUMENTS).splitlines()]
        sets = [json.loads(ln) for ln in zf.read(SETS).splitlines()]
    manifest["created_at"] = "2024-05-01T10:00:00+00:00"
    manifest["database_uuid"] = fixed_uuid(999)
    return PackSeed(manifest, docs, sets)


def agreeing(manifest: Any, entries: dict[str, bytes], *, counts: bool) -> Any:
    """The manifest with each entry's checksum and size (and, with ``counts``, the counts)
    made to agree with ``entries`` where it has the places for them."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("entries"), dict):
        return manifest
    for name, data in entries.items():
        manifest["entries"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    if counts and isinstance(manifest.get("counts"), dict):
        try:
            sets = [json.loads(ln) for ln in entries[SETS].splitlines()]
            docs = [ln for ln in entries[DOCUMENTS].splitlines()]
            manifest["counts"] = {
                "documents": len(docs),
                "sets": len(sets),
                "spans": sum(len(s["spans"]) for s in sets),
                "stances": sum(len(s["stances"]) for s in sets),
            }
        except (ValueError, TypeError, KeyError, RecursionError):
            pass
    return manifest


def _rehash(doc: Any) -> None:
    """Make a mutated document's content hash agree with its text (when it can have one)."""
    if isinstance(doc, dict) and isinstance(doc.get("text"), str):
        with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: no hash to give
            doc["content_hash"] = hashlib.sha256(doc["text"].encode("utf-8")).hexdigest()


def salted_pack(seed: PackSeed, salt: int) -> PackSeed:
    """The pack with its documents and sets new to the database: every text ends with
    ``salt`` (its content hash made to agree), every UUID of the corpus starts with it."""
    given = fixed_uuid(0)[:24]

    def renamed(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        text = json.dumps(objs, ensure_ascii=False).replace(given, f"{salt:08x}{given[8:]}")
        return list(json.loads(text))

    docs = renamed(seed.documents)
    for doc in docs:
        doc["text"] += f" رقم {salt:09d}"
        _rehash(doc)
    return PackSeed(seed.manifest, docs, renamed(seed.sets))


UNSAFE_NAMES = [
    "../evil.txt", "/tmp/evil.txt", "..\\evil.txt", "C:evil.txt", "~evil", "a/b.jsonl",
    "dir/", "", "evil\x00.txt", "extra.txt", "documents.jsonl ", "DOCUMENTS.JSONL", "manifest.json",
    "sets.jsonl", "documents.jsonl",
]  # fmt: skip


LAYERS = ("records",) * 6 + ("lines", "manifest", "manifest", "zip", "zip", "zip", "bytes")
LAYERS += ("whole", "none")


@st.composite
def hostile_pack(draw: Callable[..., Any], seeds: list[PackSeed]) -> HostilePack:
    """A hostile pack (see the module docstring)."""
    seed = pick(draw, seeds)
    layer = pick(draw, LAYERS)
    # Mostly new to the database, else what it may hold already; a zip's bytes (whose length
    # the compression of a salt would change, and the draws with it) are the seed's own.
    if layer != "bytes" and draw(st.integers(0, 3)) < 3:
        seed = salted_pack(seed, next(SALTS))
    manifest = copy.deepcopy(seed.manifest)
    docs, sets = copy.deepcopy(seed.documents), copy.deepcopy(seed.sets)
    ascii_only = draw(st.booleans())
    entries = {DOCUMENTS: _lines(docs), SETS: _lines(sets)}
    fix = True
    if layer == "records":
        objs = pick(draw, [docs, sets])
        i = draw(st.integers(0, len(objs) - 1))
        objs[i] = change_tree(draw, objs[i])
        if objs is docs and draw(st.integers(0, 3)) < 3:
            _rehash(objs[i])
        entries = {DOCUMENTS: _lines(docs, ascii_only), SETS: _lines(sets, ascii_only)}
    elif layer == "lines":
        name = pick(draw, [DOCUMENTS, SETS])
        entries[name] = change_lines(draw, entries[name])
    elif layer == "manifest":
        manifest = change_tree(draw, manifest)
        fix = draw(st.booleans())
    # Mostly the checksums (and counts) agree: a well-made hostile pack. Hypothesis leans to
    # small numbers, so 0 is the common case in each of these draws.
    if layer == "none":  # a good pack (a new one, mostly): merged, whatever the database holds
        manifest = agreeing(manifest, entries, counts=True)
    elif fix and draw(st.integers(0, 9)) < 9:
        manifest = agreeing(manifest, entries, counts=draw(st.integers(0, 3)) < 3)
    indent = pick(draw, [None, "  "])
    members = [
        Member(MANIFEST, encode(dump_json(manifest, ascii_only=ascii_only, indent=indent))),
        Member(DOCUMENTS, entries[DOCUMENTS]),
        Member(SETS, entries[SETS]),
    ]
    if layer == "zip":
        members = draw(_zip_changes(members, manifest))
    then = layer if layer in ("bytes", "whole") else "as-is"
    actor = pick(draw, ["tester", "tester", "tester", "amal"])
    name = pick(draw, NAME_PREFIXES) + "hostile.tawsim"
    return HostilePack(members, then, actor, name)


ZIP_CHANGES = [
    "drop",
    "double",
    "extra",
    "rename",
    "compression",
    "encrypted",
    "stored",
    "bomb",
    "big-manifest",
    "order",
    "listed-extra",
]


@st.composite
def _zip_changes(draw: Callable[..., Any], members: list[Member], manifest: Any) -> list[Member]:
    for _ in range(draw(st.integers(1, 2))):
        i = draw(st.integers(0, len(members) - 1))
        m = members[i]
        op = pick(draw, ZIP_CHANGES)
        if op == "drop":
            del members[i]
        elif op == "double":
            members.insert(i, Member(m.name, pick(draw, [m.data, b"{}\n"])))
        elif op == "extra":
            members.append(Member(pick(draw, UNSAFE_NAMES), b"pwned"))
        elif op == "rename":
            name = pick(draw, UNSAFE_NAMES) if draw(st.booleans()) else draw(hostile_text)
            members[i] = Member(name[:300].encode("utf-8", "replace").decode(), m.data)
        elif op == "compression":
            kind = pick(draw, [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
            members[i] = Member(m.name, m.data, kind)
        elif op == "encrypted":
            members[i] = Member(m.name, m.data, m.compress_type, encrypted=True)
        elif op == "stored":
            members[i] = Member(m.name, m.data, zipfile.ZIP_STORED)
        elif op == "bomb":  # 3 MiB of newlines, listed truly: over 100:1 above 1 MiB
            data = b"\n" * (3 << 20)
            name = pick(draw, [DOCUMENTS, SETS])
            if isinstance(manifest, dict) and isinstance(manifest.get("entries"), dict):
                manifest = copy.deepcopy(manifest)
                manifest["entries"][name] = {
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                }
            members = [
                Member(MANIFEST, encode(dump_json(manifest, ascii_only=True))),
                *(x for x in members if x.name not in (MANIFEST, name)),
                Member(name, data),
            ]
        elif op == "big-manifest":
            padded = {"pad": "ب" * (600 << 10), **(manifest if isinstance(manifest, dict) else {})}
            members = [Member(MANIFEST, encode(dump_json(padded, ascii_only=False)))] + [
                x for x in members if x.name != MANIFEST
            ]
        elif op == "order":
            members.reverse()
        elif op == "listed-extra" and isinstance(manifest, dict):
            listed = copy.deepcopy(manifest)
            entries = listed.setdefault("entries", {})
            if isinstance(entries, dict):
                entries["extra.jsonl"] = {"sha256": hashlib.sha256(b"x").hexdigest(), "size": 1}
            members = [Member(MANIFEST, encode(dump_json(listed, ascii_only=True)))] + [
                x for x in members if x.name != MANIFEST
            ] + [Member("extra.jsonl", b"x")]  # fmt: skip
    return members


@pytest.fixture(scope="module")
def pack_seeds(tmp_path_factory: pytest.TempPathFactory) -> list[PackSeed]:
    """Packs of the fuzzing corpus: everything, one annotator's, the approved sets."""
    folder = tmp_path_factory.mktemp("packs")
    db = seeded_database(folder / "seeds.db")
    out = []
    try:
        core = Tawsim(db, "tester")
        for n, (annotator, selection) in enumerate(
            [(None, Selection.ALL), ("amal", Selection.SUBMITTED), (None, Selection.APPROVED)]
        ):
            path = folder / f"{n}.tawsim"
            pack(core, path, annotator=annotator, selection=selection)
            out.append(read_seed(path))
    finally:
        db.close()
    return out


@pytest.fixture
def bench(tmp_path: Path, _template_db: Path) -> Iterator[Bench]:
    """The database packs are unpacked into: it already holds a set the packs' differs from
    (omar's on the first document, a conflict) and gains what each accepted pack brings."""
    with bench_in_memory(tmp_path, _template_db) as bench:
        _conflicting_set(bench)
        yield bench


def _conflicting_set(bench: Bench) -> None:
    first = corpus()[1]
    assert first.annotation is not None and first.annotation.annotator == "omar"
    other = SetData(
        "omar",
        SetStatus.IN_PROGRESS,
        (span_of(TEXT_1, "طوكيو", "LOC"),),
        uuid=first.annotation.uuid,
    )
    bench.core().ingest([Record(first.document, other)], IngestOptions(merge=True))
    bench.committed()


def write_pack(bench: Bench, drawn: HostilePack) -> Path:
    path = bench.fresh_folder() / drawn.name
    zip_bytes(drawn.members, path)
    return path


def run_unpack(bench: Bench, path: Path, actor: str) -> None:
    """Unpack ``path`` and check what issue 11 asks (see the module docstring)."""
    before = bench.start()
    try:
        unpack(bench.core(actor), path)
    except TawsimError as exc:
        assert str(path) in str(exc), f"the refusal does not name the pack: {exc}"
        bench.refused_cleanly(before, f"{path.name} ({exc})")
        bench.note_refusal(str(exc))
        return
    bench.accepted_cleanly(before)
    again = bench.fingerprint()
    unpack(bench.core(actor), path)
    bench.committed()
    assert bench.fingerprint() == again, "unpacking the same pack twice changed the database"


def test_fuzzed_packs_are_refused_cleanly_or_merged_whole(
    pack_seeds: list[PackSeed], bench: Bench
) -> None:
    started = time.perf_counter()
    for seed in pack_seeds:  # the seeds themselves unpack
        path = bench.fresh_folder() / "seed.tawsim"
        entries = {DOCUMENTS: _lines(seed.documents), SETS: _lines(seed.sets)}
        manifest = agreeing(copy.deepcopy(seed.manifest), entries, counts=True)
        members = [Member(MANIFEST, json.dumps(manifest).encode())]
        members += [Member(name, data) for name, data in entries.items()]
        zip_bytes(members, path)
        unpack(bench.core(), path)

    @settings(max_examples=examples(share=1.0), **FUZZ_SETTINGS)
    @given(hostile_pack(pack_seeds), st.data())
    def fuzz(drawn: HostilePack, data: st.DataObject) -> None:
        path = write_pack(bench, drawn)
        if drawn.then == "bytes":
            path.write_bytes(data.draw(mutated_bytes(path.read_bytes())))
        elif drawn.then == "whole":
            path.write_bytes(
                data.draw(
                    st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06" + b"\0" * 18, b"{}"])
                    | st.binary(max_size=200)
                )
            )
        run_unpack(bench, path, drawn.actor)
        outside = [p.name for p in bench.folder.rglob("*evil*")] + [
            p for p in ("/tmp/evil.txt", "/tmpevil.txt") if Path(p).exists()
        ]
        assert not outside, f"a member was written outside the database: {outside}"

    bench.n = bench.accepted = bench.refused = 0
    fuzz()
    written = bench.export_everything()
    print(
        f"\nunpack: {bench.n} packs in {time.perf_counter() - started:.1f} s: "
        f"{bench.accepted} accepted, {bench.refused} refused; exported {written}; "
        f"refusals: {sorted(bench.refusals.items(), key=lambda kv: -kv[1])[:12]}"
    )
    assert bench.accepted + bench.refused == bench.n
    if bench.n >= 200:  # the mutations reach both ends
        assert bench.accepted > bench.n / 20 and bench.refused > bench.n / 2


def test_fuzzed_packs_through_the_command_line(pack_seeds: list[PackSeed], bench: Bench) -> None:
    bench.core().build_search_index()  # the command indexes what it stored, and only that

    @settings(max_examples=examples(share=0.05), **FUZZ_SETTINGS)
    @given(hostile_pack(pack_seeds))
    def fuzz(drawn: HostilePack) -> None:
        # A name that is not UTF-8 breaks the command's report of a pack it did unpack: a
        # known bug of app/cli (test_the_command_reports_a_pack_whose_name_is_not_utf8).
        drawn = replace(
            drawn, name=drawn.name.replace(NOT_UTF8, "\N{LATIN SMALL LETTER Y WITH DIAERESIS}")
        )
        path = write_pack(bench, drawn)
        before = bench.start()
        code, said = run_cli(
            ["--db", str(bench.path), "--user", drawn.actor, "unpack", "--", str(path)]
        )
        assert "Traceback" not in said, said
        if code == 1:
            assert "error" in said and str(path.parent) in said, said
            bench.refused_cleanly(before, f"{path.name} ({said})")
        else:
            assert code in (0, 3), (code, said)
            bench.accepted_cleanly(before)

    fuzz()
    assert bench.accepted + bench.refused == bench.n
    if bench.n >= 50:
        assert bench.accepted and bench.refused


NOT_UTF8 = os.fsdecode(b"\xff")
"""A file name's byte that is not UTF-8, as Python holds it (a lone surrogate)."""


def test_the_command_reports_a_pack_whose_name_is_not_utf8(
    pack_seeds: list[PackSeed], bench: Bench
) -> None:
    """Found by fuzzing the command line (the library unpacks such a pack, see
    tests/io/test_pack.py)."""
    seed = pack_seeds[0]
    entries = {DOCUMENTS: _lines(seed.documents), SETS: _lines(seed.sets)}
    manifest = agreeing(copy.deepcopy(seed.manifest), entries, counts=True)
    members = [Member(MANIFEST, json.dumps(manifest).encode())]
    members += [Member(name, data) for name, data in entries.items()]
    path = bench.fresh_folder() / f"p{NOT_UTF8}.tawsim"
    zip_bytes(members, path)
    code, said = run_cli(["--db", str(bench.path), "--user", "tester", "unpack", str(path)])
    assert code in (0, 3) and "unpacked" in said, said  # 3: the bench holds a conflicting set
