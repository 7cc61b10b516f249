"""Prodigy in (answers, annotators, span texts) and out (what ``prodigy db-in`` reads)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from app.core.domain import Selection, SetStatus, StanceJudgement, TextRange
from app.core.records import DocumentData, Record, SetData
from app.io.exporter import ExportOptions, export
from app.io.importer import ImportOptions, ImportSummary, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import write_jsonl

# A flag, a ZWJ family and an emoji before the spans: each counts 1 code point per character.
TEXT = "🇸🇦 👨‍👩‍👧 أعلن وزير خارجية السعودية في الرياض 😀 أن الاتحاد الأوروبي سيدعم جدة."
OTHER = "👨‍👩‍👧 زار بوريل طوكيو 🇯🇵 أمس."


def at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def tokens(text: str) -> list[dict[str, Any]]:
    """Tokens as Prodigy's whitespace-ish tokenizer gives them (enough for real-shaped tasks)."""
    out = []
    for i, m in enumerate(re.finditer(r"\S+", text)):
        ws = m.end() < len(text) and text[m.end()] == " "
        out.append({"text": m.group(), "start": m.start(), "end": m.end(), "id": i, "ws": ws})
    return out


def task(text: str, annotator: str, answer: str, *spans: tuple[str, str], texts: bool = True):
    """A task as Prodigy's ner.manual saves it (db-out)."""
    found = []
    for word, label in spans:
        start, end = at(text, word)
        span: dict[str, Any] = {"start": start, "end": end, "label": label}
        if texts:
            span["text"] = word
        found.append(span)
    return {
        "text": text,
        "meta": {"source": "sna"},
        "_input_hash": -1283746,
        "_task_hash": 99182,
        "tokens": tokens(text),
        "spans": found,
        "_view_id": "ner_manual",
        "answer": answer,
        "_timestamp": 1718000000,
        "_annotator_id": f"news_ner-{annotator}",
        "_session_id": f"news_ner-{annotator}",
    }


def import_file(db: Database, path: Path, **kw: Any) -> ImportSummary:
    summary = import_paths(Tawsim(db, "tester"), [path], ImportOptions(**kw))
    assert not summary.rejected, [str(f.error) for f in summary.rejected]
    return summary


def export_lines(db: Database, out: Path, fmt: str = "jsonl") -> list[dict[str, Any]]:
    export(Tawsim(db), out, ExportOptions(format=fmt, include=Selection.ALL))
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def labelled(line: dict[str, Any]) -> list[tuple[str, str]]:
    return [(line["text"][s["start"] : s["end"]], s["label"]) for s in line["spans"]]


def prodigy_file(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "news_ner.jsonl",
        task(TEXT, "amal", "accept", ("السعودية", "GPE"), ("الاتحاد الأوروبي", "ORG")),
        task(TEXT, "omar", "accept", ("الرياض", "GPE"), ("جدة", "GPE"), texts=False),
        task(TEXT, "sara", "reject", ("وزير", "WEAPON")),
        task(TEXT, "huda", "ignore", ("خارجية", "WEAPON")),
        task(OTHER, "sara", "reject", ("بوريل", "WEAPON")),
        task(OTHER, "amal", "accept", ("بوريل", "PER"), ("طوكيو", "GPE")),
    )


def test_every_annotator_kept_and_only_accepted_answers_are_labels(
    db: Database, tmp_path: Path
) -> None:
    summary = import_file(db, prodigy_file(tmp_path))
    assert summary.total("sets_added") == 3
    assert summary.total("answers_rejected") == 2
    assert summary.total("answers_ignored") == 1
    [result] = summary.files
    assert any("2 Prodigy answer(s) 'reject'" in n for n in result.notices)
    assert any("1 Prodigy answer(s) 'ignore'" in n for n in result.notices)
    lines = export_lines(db, tmp_path / "all.jsonl")
    sets = {(x["annotator"], x["text"]): labelled(x) for x in lines}
    assert sets == {
        ("news_ner-amal", TEXT): [("السعودية", "GPE"), ("الاتحاد الأوروبي", "ORG")],
        ("news_ner-omar", TEXT): [("الرياض", "GPE"), ("جدة", "GPE")],
        ("news_ner-amal", OTHER): [("بوريل", "PER"), ("طوكيو", "GPE")],
    }
    # The answer keys describe one answer (one annotator's), not the document: not in its meta.
    for x in lines:
        assert not {"_annotator_id", "_session_id", "_timestamp", "tokens", "answer"} & set(
            x["meta"]
        )
    # Rejected and ignored answers never reach an export as labels.
    assert all(s["label"] != "WEAPON" for x in lines for s in x["spans"])
    conll = tmp_path / "all.conll"
    export(Tawsim(db), conll, ExportOptions(format="conll", include=Selection.ALL))
    assert "WEAPON" not in conll.read_text(encoding="utf-8")


def test_a_rejected_text_is_a_document_without_a_set(db: Database, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "r.jsonl", task(OTHER, "sara", "reject", ("بوريل", "PER")))
    summary = import_file(db, src)
    assert (summary.total("documents_added"), summary.total("sets_added")) == (1, 0)
    assert summary.total("answers_rejected") == 1
    [line] = export_lines(db, tmp_path / "out.jsonl")
    assert (line["annotator"], line["spans"], line["meta"]) == (
        None,
        [],
        {"source": "sna", "title": OTHER},
    )


def test_one_annotators_answer_is_not_the_documents(db: Database, tmp_path: Path) -> None:
    """A reject by one annotator and an accept by another, in either order: the document's meta
    says neither (answers are per set; the summary counts those that are not labels)."""
    for n, order in enumerate((("reject", "accept"), ("accept", "reject"))):
        text = f"{OTHER} {n}"
        src = write_jsonl(
            tmp_path / f"{n}.jsonl",
            task(text, "amal" if order[0] == "reject" else "omar", order[0], ("بوريل", "PER")),
            task(text, "omar" if order[0] == "reject" else "amal", order[1], ("بوريل", "PER")),
        )
        summary = import_file(db, src)
        assert (summary.total("answers_rejected"), summary.total("sets_added")) == (1, 1)
    lines = export_lines(db, tmp_path / "out.jsonl")
    assert [(x["annotator"], x["meta"]) for x in lines] == [
        ("news_ner-omar", {"source": "sna", "title": f"{OTHER} 0"}),
        ("news_ner-omar", {"source": "sna", "title": f"{OTHER} 1"}),
    ]


def test_a_span_text_that_disagrees_is_refused_with_file_and_line(
    db: Database, tmp_path: Path
) -> None:
    bad = task(TEXT, "amal", "accept", ("الرياض", "GPE"))
    bad["spans"][0]["text"] = "جدة"
    src = write_jsonl(tmp_path / "bad.jsonl", task(OTHER, "amal", "accept"), bad)
    summary = import_paths(Tawsim(db, "tester"), [src], ImportOptions())
    [failed] = summary.rejected
    assert f"{src}:2" in str(failed.error)


def test_an_unknown_answer_is_refused(db: Database, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "bad.jsonl", task(OTHER, "amal", "maybe"))
    [failed] = import_paths(Tawsim(db, "tester"), [src], ImportOptions()).rejected
    assert f"{src}:1" in str(failed.error) and "answer 'maybe'" in str(failed.error)


def test_export_is_what_prodigy_db_in_reads(db: Database, tmp_path: Path) -> None:
    import_file(db, prodigy_file(tmp_path))
    stance = StanceJudgement("الاتحاد الأوروبي", "FAVOR", (TextRange(*at(TEXT, "سيدعم")),))
    Tawsim(db, "tester").ingest(
        [
            Record(
                DocumentData(TEXT),
                SetData("rana", SetStatus.IN_PROGRESS, stances=(stance,)),
            ),
            Record(DocumentData("نص لم يعلّم عليه أحد")),
        ]
    )
    out = tmp_path / "prodigy.jsonl"
    report = export(Tawsim(db), out, ExportOptions(format="prodigy", include=Selection.ALL))
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3 and report.records == 3
    assert any("1 document(s) nobody annotated" in w for w in report.warnings)
    assert any("1 in_progress set(s) left out" in w for w in report.warnings)
    for line in lines:
        text = line["text"]
        assert line["answer"] == "accept" and line["_view_id"] == "ner_manual"
        assert line["_annotator_id"] == line["meta"]["annotator"]
        assert line["meta"]["status"] == "submitted" and line["meta"]["tawsim_set"]
        for h in ("_input_hash", "_task_hash"):
            assert isinstance(line[h], int) and -(2**31) <= line[h] < 2**31
        toks = line["tokens"]
        assert [t["id"] for t in toks] == list(range(len(toks)))
        for t in toks:
            assert text[t["start"] : t["end"]] == t["text"]
        for s in line["spans"]:
            assert text[s["start"] : s["end"]] == s["text"]
            assert toks[s["token_start"]]["start"] == s["start"]
            assert toks[s["token_end"]]["end"] == s["end"]
    assert lines[0]["tokens"][0]["text"] == "🇸🇦" and lines[0]["tokens"][1]["text"] == "👨‍👩‍👧"
    # The same text, the same input hash; the same text and spans, the same task hash.
    same = [x for x in lines if x["text"] == TEXT]
    assert same[0]["_input_hash"] == same[1]["_input_hash"]
    assert same[0]["_task_hash"] != same[1]["_task_hash"]
    again = tmp_path / "again.jsonl"
    export(Tawsim(db), again, ExportOptions(format="prodigy", include=Selection.ALL))
    assert again.read_bytes() == out.read_bytes()


def test_export_round_trips_through_a_fresh_database(db: Database, tmp_path: Path) -> None:
    import_file(db, prodigy_file(tmp_path))
    first = export_lines(db, tmp_path / "first.jsonl")
    out = tmp_path / "prodigy.jsonl"
    export(Tawsim(db), out, ExportOptions(format="prodigy", include=Selection.SUBMITTED))
    with Database.open(tmp_path / "second.db") as db2:
        summary = import_file(db2, out)
        assert summary.files[0].offsets.startswith("codepoints")
        second = export_lines(db2, tmp_path / "second.jsonl")
    # The same documents and sets, meta included: the writer's "answer": "accept" and its
    # set identity in meta are read back as what they are, not kept as the document's meta.
    assert second == [x for x in first if x["annotator"]]
    for x in second:
        assert x["meta"] == {"source": "sna", "title": x["text"]}


def test_all_or_nothing_import_counts_the_answers_too(db: Database, tmp_path: Path) -> None:
    """The GUI's import (one transaction for every file) says what was left out, too."""
    from app.io.importer import import_all_or_nothing

    summary = import_all_or_nothing(Tawsim(db, "tester"), [prodigy_file(tmp_path)], ImportOptions())
    assert (summary.total("answers_rejected"), summary.total("answers_ignored")) == (2, 1)
    assert summary.total("sets_added") == 3
