"""Label Studio in (JSON, JSON-MIN, JSONL: annotators, cancelled, predictions, UTF-16 offsets of
Label Studio before about 1.5) and out (tasks with code point offsets, as Label Studio counts
them now, read back exactly)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.core.domain import Selection, SetStatus, StanceJudgement, TextRange
from app.core.offset_units import OffsetUnit, UnitMap
from app.core.records import DocumentData, Record, SetData
from app.io.exporter import ExportOptions, export
from app.io.importer import ImportOptions, ImportSummary, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import write_jsonl

# Astral characters before the spans: Label Studio before about 1.5 counted them 2 units each.
TEXT = "🇸🇦 👨‍👩‍👧 أعلن وزير خارجية السعودية في الرياض 😀 أن الاتحاد الأوروبي سيدعم جدة."
OTHER = "👨‍👩‍👧 زار بوريل طوكيو 🇯🇵 أمس."


def region(text: str, word: str, *labels: str, rid: str = "r1", to: str = "text") -> dict:
    """A ``labels`` result as an older Label Studio exports it: UTF-16 offsets and the region's
    text (the hardest case: the importer must see the unit from the texts)."""
    utf16 = UnitMap(text, OffsetUnit.UTF16)
    start = text.index(word)
    value = {
        "start": utf16.from_codepoint(start),
        "end": utf16.from_codepoint(start + len(word)),
        "text": word,
        "labels": list(labels),
    }
    return {"value": value, "id": rid, "from_name": "label", "to_name": to, "type": "labels"}


def annotation(completed_by: Any, *results: dict, cancelled: bool = False, n: int = 1) -> dict:
    return {
        "id": n,
        "completed_by": completed_by,
        "result": list(results),
        "was_cancelled": cancelled,
        "ground_truth": False,
        "created_at": "2024-05-01T10:00:00.000000Z",
        "updated_at": "2024-05-01T10:05:00.000000Z",
        "lead_time": 42.5,
        "task": 1,
    }


CHOICE = {
    "value": {"choices": ["FAVOR"]},
    "id": "c1",
    "from_name": "stance",
    "to_name": "text",
    "type": "choices",
}
RELATION = {"from_id": "r1", "to_id": "r2", "type": "relation", "direction": "right"}


def ls_tasks() -> list[dict]:
    """A Label Studio JSON export: two annotators, one cancelled annotation, a prediction."""
    return [
        {
            "id": 1,
            "data": {"text": TEXT},
            "annotations": [
                annotation(
                    7,
                    region(TEXT, "السعودية", "GPE"),
                    region(TEXT, "الاتحاد الأوروبي", "ORG", rid="r2"),
                    CHOICE,
                    RELATION,
                ),
                annotation(
                    {"id": 9, "email": "amal@example.org", "first_name": "", "last_name": ""},
                    region(TEXT, "الرياض", "GPE", "LOC"),
                    region(TEXT, "جدة", "GPE", rid="r2"),
                    n=2,
                ),
                annotation(11, region(TEXT, "وزير", "WEAPON"), cancelled=True, n=3),
            ],
            "predictions": [
                {
                    "model_version": "ner-v3",
                    "score": 0.8,
                    "result": [region(TEXT, "الرياض", "GPE"), region(TEXT, "جدة", "GPE")],
                }
            ],
            "meta": {},
            "created_at": "2024-05-01T09:00:00.000000Z",
            "project": 3,
        },
        {
            "id": 2,
            "data": {"text": OTHER},
            "annotations": [annotation(11, region(OTHER, "بوريل", "WEAPON"), cancelled=True)],
            "predictions": [],
        },
    ]


def import_file(db: Database, path: Path, **kw: Any) -> ImportSummary:
    summary = import_paths(Tawsim(db, "tester"), [path], ImportOptions(**kw))
    assert not summary.rejected, [str(f.error) for f in summary.rejected]
    return summary


def export_lines(db: Database, out: Path, fmt: str = "jsonl") -> list[dict[str, Any]]:
    export(Tawsim(db), out, ExportOptions(format=fmt, include=Selection.ALL))
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def sets_of(lines: list[dict[str, Any]]) -> dict[tuple[str | None, str], list[tuple[str, str]]]:
    return {
        (x["annotator"], x["text"]): [
            (x["text"][s["start"] : s["end"]], s["label"]) for s in x["spans"]
        ]
        for x in lines
    }


EXPECTED = {
    ("ls-user-7", TEXT): [("السعودية", "GPE"), ("الاتحاد الأوروبي", "ORG")],
    ("amal@example.org", TEXT): [("الرياض", "GPE"), ("الرياض", "LOC"), ("جدة", "GPE")],
    ("model:ner-v3", TEXT): [("الرياض", "GPE"), ("جدة", "GPE")],
    (None, OTHER): [],
}


def test_json_export_keeps_every_annotator_and_never_cancelled_work(
    db: Database, tmp_path: Path
) -> None:
    src = tmp_path / "project-3-at-2024-05-01.json"
    src.write_text(json.dumps(ls_tasks(), ensure_ascii=False, indent=2), encoding="utf-8")
    summary = import_file(db, src)
    [result] = summary.files
    assert result.offsets == "utf16"
    assert (result.sets_added, result.annotations_cancelled, result.annotations_skipped) == (
        3,
        2,
        2,
    )
    assert any("2 cancelled Label Studio annotation(s)" in n for n in result.notices)
    assert any("type 'choices'" in n for n in result.notices)
    lines = export_lines(db, tmp_path / "all.jsonl")
    assert sets_of(lines) == EXPECTED
    model = next(x for x in lines if x["annotator"] == "model:ner-v3")
    assert model["status"] == "submitted"
    assert next(x for x in lines if x["text"] == OTHER)["meta"]["ls_task_id"] == 2
    # Cancelled work never reaches an export as labels.
    assert all(s["label"] != "WEAPON" for x in lines for s in x["spans"])
    conll = tmp_path / "all.conll"
    export(Tawsim(db), conll, ExportOptions(format="conll", include=Selection.ALL))
    assert "WEAPON" not in conll.read_text(encoding="utf-8")


def test_jsonl_tasks_are_read_by_the_jsonl_reader(db: Database, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "tasks.jsonl", *ls_tasks())
    summary = import_file(db, src)
    assert summary.total("annotations_cancelled") == 2
    assert sets_of(export_lines(db, tmp_path / "all.jsonl")) == EXPECTED


def test_json_min_one_object_per_annotation(db: Database, tmp_path: Path) -> None:
    def flat(annotator: Any, n: int, *regions: dict) -> dict:
        return {
            "text": TEXT,
            "id": 1,
            "label": [r["value"] for r in regions],
            "stance": "FAVOR",
            "annotator": annotator,
            "annotation_id": n,
            "created_at": "2024-05-01T10:05:00.000000Z",
            "updated_at": "2024-05-01T10:05:00.000000Z",
            "lead_time": 12.0,
        }

    src = tmp_path / "min.json"
    src.write_text(
        json.dumps(
            [
                flat(
                    7, 1, region(TEXT, "السعودية", "GPE"), region(TEXT, "الاتحاد الأوروبي", "ORG")
                ),
                flat("amal@example.org", 2, region(TEXT, "جدة", "GPE")),
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    import_file(db, src)
    lines = export_lines(db, tmp_path / "all.jsonl")
    assert sets_of(lines) == {
        ("ls-user-7", TEXT): [("السعودية", "GPE"), ("الاتحاد الأوروبي", "ORG")],
        ("amal@example.org", TEXT): [("جدة", "GPE")],
    }
    assert lines[0]["meta"]["stance"] == "FAVOR"  # a choice by its from_name: kept in meta


def test_the_text_field(db: Database, tmp_path: Path) -> None:
    task = {"id": 5, "data": {"content": TEXT, "headline": "خبر"}, "annotations": []}
    src = tmp_path / "content.json"
    src.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    [failed] = import_paths(Tawsim(db, "tester"), [src], ImportOptions()).rejected
    message = str(failed.error)
    assert f"{src}:1" in message and "content, headline" in message and "--text-column" in message
    import_file(db, src, text_column="content")
    [line] = export_lines(db, tmp_path / "all.jsonl")
    assert (line["text"], line["meta"]["headline"]) == (TEXT, "خبر")
    one = tmp_path / "one.json"  # a single string field is the text
    one.write_text(json.dumps({"data": {"body": OTHER, "n": 3}}, ensure_ascii=False), "utf-8")
    import_file(db, one)


def test_bad_json_names_the_line(db: Database, tmp_path: Path) -> None:
    src = tmp_path / "bad.json"
    src.write_text('[\n  {"data": {"text": "نص"}},\n  {"data": {"text": "نص"}\n]\n', "utf-8")
    [failed] = import_paths(Tawsim(db, "tester"), [src], ImportOptions()).rejected
    assert f"{src}:4" in str(failed.error) and "not valid JSON" in str(failed.error)


def test_a_to_name_that_is_not_a_name_is_refused(db: Database, tmp_path: Path) -> None:
    """Found by fuzzing: a labels result whose ``to_name`` was a list (not hashable) crashed
    the import with a TypeError instead of refusing the file."""
    result = region(TEXT, "جدة", "GPE")
    task = {"data": {"text": TEXT}, "annotations": [annotation(7, {**result, "to_name": ["t"]})]}
    src = tmp_path / "odd.json"
    src.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    [failed] = import_paths(Tawsim(db, "tester"), [src], ImportOptions()).rejected
    assert f"{src}:1: a labels result's to_name must be a name, got ['t']" in str(failed.error)


def test_a_tawsim_annotator_that_is_not_a_name_is_refused(db: Database, tmp_path: Path) -> None:
    """Found by fuzzing: ``"tawsim": {"annotator": 1}`` (what Tawsim's writer puts beside an
    annotation) crashed the import with an AttributeError instead of refusing the file."""
    ann = {**annotation(7, region(TEXT, "جدة", "GPE")), "tawsim": {"annotator": 1}}
    src = tmp_path / "odd.json"
    src.write_text(json.dumps([{"data": {"text": TEXT}, "annotations": [ann]}]), "utf-8")
    [failed] = import_paths(Tawsim(db, "tester"), [src], ImportOptions()).rejected
    assert f"{src}:1: the annotator name must be a string, got int" in str(failed.error)


def test_export_is_label_studio_tasks_and_reads_back_exactly(db: Database, tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps(ls_tasks(), ensure_ascii=False), encoding="utf-8")
    import_file(db, src)
    stance = StanceJudgement("الاتحاد الأوروبي", "FAVOR", (TextRange(*_at(TEXT, "سيدعم")),))
    Tawsim(db, "tester").ingest(
        [Record(DocumentData(TEXT), SetData("rana", SetStatus.SUBMITTED, stances=(stance,)))]
    )
    first = export_lines(db, tmp_path / "first.jsonl")
    out = tmp_path / "tasks.json"
    report = export(Tawsim(db), out, ExportOptions(format="label-studio", include=Selection.ALL))
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [t["data"]["text"] for t in tasks] == [TEXT, OTHER]  # one task per document
    assert any("1 stance judgement(s) left out" in w for w in report.warnings)
    [doc] = [t for t in tasks if t["data"]["text"] == TEXT]
    assert [p["model_version"] for p in doc["predictions"]] == ["ner-v3"]
    assert {a["tawsim"]["annotator"] for a in doc["annotations"]} == {
        "ls-user-7",
        "amal@example.org",
        "rana",
    }
    for a in [*doc["annotations"], *doc["predictions"]]:
        for r in a["result"]:
            assert (r["from_name"], r["to_name"], r["type"]) == ("label", "text", "labels")
            v = r["value"]
            # code points, as Label Studio's editor stores them (emoji and flags before)
            assert TEXT[v["start"] : v["end"]] == v["text"]
    with Database.open(tmp_path / "second.db") as db2:
        import_file(db2, out)
        second = export_lines(db2, tmp_path / "second.jsonl")
    assert sets_of(second) == sets_of(first)
    key = {(x["annotator"], x["text"]): (x["status"], x["id"], x["set_id"]) for x in first}
    for x in second:
        if x["annotator"]:
            assert key[(x["annotator"], x["text"])] == (x["status"], x["id"], x["set_id"])
            assert x["stance"] == []


def test_export_counts_utf16_for_old_label_studio_when_asked(db: Database, tmp_path: Path) -> None:
    """Label Studio before 1.5 stored JavaScript (UTF-16) offsets: ``--offsets utf16``."""
    src = tmp_path / "in.json"
    src.write_text(json.dumps(ls_tasks(), ensure_ascii=False), encoding="utf-8")
    import_file(db, src)
    first = export_lines(db, tmp_path / "first.jsonl")
    out = tmp_path / "tasks.json"
    options = ExportOptions(format="label-studio", include=Selection.ALL, offsets=OffsetUnit.UTF16)
    export(Tawsim(db), out, options)
    [doc] = [t for t in json.loads(out.read_text(encoding="utf-8")) if t["data"]["text"] == TEXT]
    utf16 = UnitMap(TEXT, OffsetUnit.UTF16)
    for a in [*doc["annotations"], *doc["predictions"]]:
        for r in a["result"]:
            v = r["value"]
            start, end = utf16.to_codepoint(v["start"]), utf16.to_codepoint(v["end"])
            assert start is not None and end is not None
            assert TEXT[start:end] == v["text"]
            assert v["start"] > start  # counted in UTF-16 (the emoji before), not code points
    with Database.open(tmp_path / "second.db") as db2:
        [result] = import_file(db2, out).files
        assert result.offsets == "utf16"
        assert sets_of(export_lines(db2, tmp_path / "second.jsonl")) == sets_of(first)


def _at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def test_a_json_list_of_other_records_is_read_as_jsonl_would(db: Database, tmp_path: Path) -> None:
    """A ``.json`` list that holds Prodigy (or native) records, not tasks: read as such."""
    start = OTHER.index("بوريل")
    records = [
        {"text": OTHER, "spans": [{"start": start, "end": start + 5, "label": "PER"}],
         "answer": "accept", "_annotator_id": "ner-amal"},
        {"text": TEXT, "spans": [{"start": 0, "end": 2, "label": "WEAPON"}], "answer": "reject"},
    ]  # fmt: skip
    src = tmp_path / "prodigy.json"
    src.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    summary = import_file(db, src)
    assert summary.total("answers_rejected") == 1
    assert sets_of(export_lines(db, tmp_path / "all.jsonl")) == {
        ("ner-amal", OTHER): [("بوريل", "PER")],
        (None, TEXT): [],
    }
