"""Stance classification JSONL, loaded with ``datasets``."""

from __future__ import annotations

import json
from pathlib import Path

import datasets

from app.core.domain import SetStatus, StanceJudgement, TextRange
from app.core.records import DocumentData, Record, SetData
from app.io.exporter import write_records
from app.io.formats.stance_jsonl import stance_features
from app.io.registry import WriteReport
from app.store.database import Database
from tests.io.test_token_formats import annotated_demo

TEXT = "قال الوزير أحمد إن الاتفاق مع اليابان ممتاز، وانتقد الصين بشدة."


def rng(text: str, needle: str) -> TextRange:
    start = text.index(needle)
    return TextRange(start, start + len(needle))


def write_stance_jsonl(records: list[Record], out: Path) -> WriteReport:
    return write_records("stance-jsonl", records, out)


def record(text: str, stances: list[StanceJudgement], doc_id: str = "doc-1") -> Record:
    document = DocumentData(text, uuid=doc_id, source="")
    aset = SetData("gold", SetStatus.APPROVED, (), (*stances,), uuid="set-" + doc_id)
    return Record(document, aset)


def load(path: Path, cache: Path, **kwargs: object) -> datasets.Dataset:
    return datasets.load_dataset(
        "json", data_files={"train": str(path)}, cache_dir=str(cache), **kwargs
    )["train"]


def check(records: list[Record], data: datasets.Dataset) -> None:
    expected = [
        (r.document.uuid, s.target, s.value)
        for r in records
        if r.annotation is not None
        for s in r.annotation.stances
    ]
    assert [(row["id"], row["target"], row["label"]) for row in data] == expected
    for row in data:
        for item in [*row["evidence"], *([row["holder"]] if row["holder"] else [])]:
            assert item["text"] == row["text"][item["start"] : item["end"]] != ""


def test_stance_lines_load_with_evidence_and_holder(tmp_path: Path) -> None:
    favor = StanceJudgement(
        "اليابان", "FAVOR", (rng(TEXT, "الاتفاق مع اليابان ممتاز"),), rng(TEXT, "أحمد")
    )
    against = StanceJudgement("الصين", "AGAINST", (rng(TEXT, "وانتقد الصين بشدة"),))
    unannotated = Record(DocumentData("نص", uuid="doc-3", source=""), None)
    records = [
        record(TEXT, [favor, against]),
        unannotated,
        record("لا موقف هنا.", [StanceJudgement("الصين", "NONE")], "doc-2"),
    ]
    out = tmp_path / "stance.jsonl"
    result = write_stance_jsonl(records, out)
    assert (result.records, result.warnings) == (3, [])
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first == {
        "id": "doc-1",
        "text": TEXT,
        "target": "اليابان",
        "label": "FAVOR",
        "evidence": [{"start": 19, "end": 43, "text": "الاتفاق مع اليابان ممتاز"}],
        "holder": {"start": 11, "end": 15, "text": "أحمد"},
    }
    data = load(out, tmp_path / "hf")
    check(records, data)
    assert data[1]["holder"] is None and data[2]["evidence"] == []
    encoded = data.class_encode_column("label")
    assert encoded.features["label"].names == ["AGAINST", "FAVOR", "NONE"]


def test_stance_ranges_outside_the_text_are_reported(tmp_path: Path) -> None:
    bad = StanceJudgement(
        "الصين", "AGAINST", (TextRange(0, 3), TextRange(5, 99)), TextRange(90, 95)
    )
    result = write_stance_jsonl([record("نص قصير", [bad])], tmp_path / "s.jsonl")
    assert result.records == 1
    assert result.warnings == [
        "doc-1 stance towards 'الصين': evidence [5, 99) outside",
        "doc-1 stance towards 'الصين': holder [90, 95) outside",
    ]


def test_stance_features_load_a_holder_that_comes_late(tmp_path: Path) -> None:
    records = [
        record(f"{i}: {TEXT}", [StanceJudgement("الصين", "AGAINST")], f"d{i:03}")
        for i in range(100)
    ]
    late = StanceJudgement("اليابان", "FAVOR", (rng(TEXT, "ممتاز"),), rng(TEXT, "أحمد"))
    records.append(record(TEXT, [late], "late"))
    out = tmp_path / "stance.jsonl"
    write_stance_jsonl(records, out)
    features = datasets.Features.from_dict(stance_features())
    data = load(out, tmp_path / "hf", features=features, chunksize=2000)
    check(records, data)
    assert data[-1]["holder"] == {"start": 11, "end": 15, "text": "أحمد"}


def test_stance_demo_corpus(db: Database, tmp_path: Path) -> None:
    records = annotated_demo(db)
    out = tmp_path / "stance.jsonl"
    result = write_stance_jsonl(records, out)
    assert (result.records, result.warnings) == (2, [])
    data = load(out, tmp_path / "hf")
    check(records, data)
    favor = data[0]
    assert (favor["target"], favor["label"], favor["holder"]["text"]) == (
        "اليابان",
        "FAVOR",
        "جوزيب بوريل",
    )
    assert favor["evidence"][0]["text"].startswith("لا يوجد سوى ترياق")
    assert (data[1]["target"], data[1]["label"], data[1]["holder"]) == ("الصين", "AGAINST", None)
