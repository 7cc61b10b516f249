"""``export --offsets``: every format that writes offsets counts them in the unit asked for, and a
format without offsets refuses the option rather than ignoring it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.domain import EntitySpan, Selection, SetStatus, StanceJudgement, TextRange
from app.core.errors import InputError
from app.core.offset_units import OffsetUnit, UnitMap
from app.core.records import DocumentData, Record, SetData
from app.io.exporter import ExportOptions, export
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database

# A flag and an emoji before every span: UTF-16 counts them 4 and 2, code points 2 and 1.
TEXT = "🇸🇦 أعلن وزير خارجية السعودية 😀 أن الاتحاد الأوروبي سيدعم جدة."
U16 = UnitMap(TEXT, OffsetUnit.UTF16)


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def _u16(word: str) -> list[int]:
    start, end = _at(word)
    return [U16.from_codepoint(start), U16.from_codepoint(end)]


def _fill(db: Database) -> None:
    stance = StanceJudgement(
        "الاتحاد الأوروبي",
        "FAVOR",
        (TextRange(*_at("سيدعم جدة")),),
        TextRange(*_at("وزير خارجية السعودية")),
    )
    spans = (EntitySpan(*_at("السعودية"), "GPE"), EntitySpan(*_at("الاتحاد الأوروبي"), "ORG"))
    Tawsim(db, "tester").ingest(
        [Record(DocumentData(TEXT), SetData("amal", SetStatus.SUBMITTED, spans, (stance,)))]
    )


def _export(db: Database, fmt: str, out: Path, unit: OffsetUnit | None) -> None:
    options = ExportOptions(format=fmt, include=Selection.SUBMITTED, offsets=unit)
    export(Tawsim(db), out, options)


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_native_jsonl_counts_utf16_when_asked_and_reads_back(db: Database, tmp_path: Path) -> None:
    _fill(db)
    out = tmp_path / "o.jsonl"
    _export(db, "jsonl", out, OffsetUnit.UTF16)
    [line] = _lines(out)
    assert [[s["start"], s["end"]] for s in line["spans"]] == [
        _u16("السعودية"),
        _u16("الاتحاد الأوروبي"),
    ]
    [stance] = line["stance"]
    assert [[r["start"], r["end"]] for r in stance["evidence"]] == [_u16("سيدعم جدة")]
    assert [stance["holder"]["start"], stance["holder"]["end"]] == _u16("وزير خارجية السعودية")
    codepoints = tmp_path / "cp.jsonl"
    _export(db, "jsonl", codepoints, None)
    with Database.open(tmp_path / "second.db") as db2:
        summary = import_paths(Tawsim(db2, "tester"), [out], ImportOptions())
        assert summary.files[0].offsets == "utf16" and not summary.rejected
        again = tmp_path / "again.jsonl"
        _export(db2, "jsonl", again, None)
    strip = [{k: v for k, v in x.items() if k not in ("id", "set_id")} for x in _lines(again)]
    assert strip == [
        {k: v for k, v in x.items() if k not in ("id", "set_id")} for x in _lines(codepoints)
    ]


def test_hf_tokens_offsets_count_utf16_when_asked(db: Database, tmp_path: Path) -> None:
    _fill(db)
    cp, u16 = tmp_path / "cp.tokens.jsonl", tmp_path / "u16.tokens.jsonl"
    _export(db, "hf-tokens", cp, None)
    _export(db, "hf-tokens", u16, OffsetUnit.UTF16)
    [a], [b] = _lines(cp), _lines(u16)
    assert a["tokens"] == b["tokens"]
    assert [TEXT[s:e] for s, e in a["offsets"]] == a["tokens"]
    assert b["offsets"] == [[U16.from_codepoint(s), U16.from_codepoint(e)] for s, e in a["offsets"]]
    assert b["offsets"] != a["offsets"]
    assert [[s["start"], s["end"]] for s in b["spans"]] == [
        _u16("السعودية"),
        _u16("الاتحاد الأوروبي"),
    ]


def test_stance_jsonl_counts_utf16_when_asked(db: Database, tmp_path: Path) -> None:
    _fill(db)
    out = tmp_path / "o.stance.jsonl"
    _export(db, "stance-jsonl", out, OffsetUnit.UTF16)
    [line] = _lines(out)
    assert [[r["start"], r["end"]] for r in line["evidence"]] == [_u16("سيدعم جدة")]
    assert line["evidence"][0]["text"] == "سيدعم جدة"
    assert [line["holder"]["start"], line["holder"]["end"]] == _u16("وزير خارجية السعودية")


def test_brat_counts_utf16_when_asked_and_reads_back(db: Database, tmp_path: Path) -> None:
    _fill(db)
    out = tmp_path / "brat"
    _export(db, "brat", out, OffsetUnit.UTF16)
    [ann] = out.glob("*.ann")
    rows = [row.split("\t") for row in ann.read_text(encoding="utf-8").splitlines()]
    assert [(r[1], r[2]) for r in rows] == [
        ("GPE {} {}".format(*_u16("السعودية")), "السعودية"),
        ("ORG {} {}".format(*_u16("الاتحاد الأوروبي")), "الاتحاد الأوروبي"),
    ]
    with Database.open(tmp_path / "second.db") as db2:
        summary = import_paths(Tawsim(db2, "tester"), [ann], ImportOptions(annotator="amal"))
        assert summary.files[0].offsets == "utf16" and not summary.rejected
        [record] = list(Tawsim(db2, "tester").records(Selection.SUBMITTED))
    assert record.annotation is not None
    assert [(TEXT[s.start : s.end], s.label) for s in record.annotation.spans] == [
        ("السعودية", "GPE"),
        ("الاتحاد الأوروبي", "ORG"),
    ]


@pytest.mark.parametrize("fmt", ["conll", "spacy"])
def test_formats_without_offsets_refuse_the_option(db: Database, tmp_path: Path, fmt: str) -> None:
    _fill(db)
    out = tmp_path / f"o.{fmt}"
    with pytest.raises(InputError, match=f"{fmt}.*no offsets.*--offsets"):
        _export(db, fmt, out, OffsetUnit.UTF16)
    assert not out.exists()


def test_an_edge_inside_a_unit_is_left_out_with_a_warning(db: Database, tmp_path: Path) -> None:
    text = "قال الرئيس محمدٌ إن مصر ستشارك."
    cut = EntitySpan(text.index("محمد"), text.index("محمد") + 4, "PER")  # before the tanween
    whole = EntitySpan(text.index("مصر"), text.index("مصر") + 3, "GPE")
    Tawsim(db, "tester").ingest(
        [Record(DocumentData(text), SetData("amal", SetStatus.SUBMITTED, (cut, whole)))]
    )
    options = ExportOptions(
        format="jsonl", include=Selection.SUBMITTED, offsets=OffsetUnit.GRAPHEMES
    )
    report = export(Tawsim(db), tmp_path / "o.jsonl", options)
    assert report.records == 0 and (report.spans_in, report.spans) == (2, 0)
    assert any("inside a graphemes unit; set left out" in w for w in report.warnings)
    options = ExportOptions(
        format="brat", include=Selection.SUBMITTED, offsets=OffsetUnit.GRAPHEMES
    )
    report = export(Tawsim(db), tmp_path / "brat", options)
    assert (report.spans_in, report.spans) == (2, 1)
    assert any("PER: an edge inside a graphemes unit" in w for w in report.warnings)
