"""Arabic and Unicode edge cases on the way in: line ends, whitespace at span edges, joiners,
repeated sentences, and search that knows how Arabic is spelled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.domain import EntitySpan, Selection, SetStatus
from app.core.records import DocumentData, Record, SetData
from app.io.exporter import ExportOptions, export
from app.io.importer import ImportOptions, import_paths
from app.io.training.dataset_export import export_dataset
from app.store.core import Tawsim
from app.store.database import Database
from tests.cli.test_cli import tawsim
from tests.conftest import write_jsonl


def spans_of(db: Database) -> list[tuple[str, str]]:
    core = Tawsim(db)
    out = []
    for record in core.records(Selection.ALL):
        if record.annotation:
            text = record.document.text
            out += [(text[s.start : s.end], s.label) for s in record.annotation.spans]
    return out


def test_a_lone_cr_ends_a_line_like_crlf(db: Database, tmp_path: Path) -> None:
    src = tmp_path / "mac.conll"
    src.write_bytes("زار O\rبوريل B-PER\r\rطوكيو B-LOC\r".encode())
    summary = import_paths(Tawsim(db, "tester"), [src], ImportOptions(annotator="amal"))
    assert not summary.rejected, summary.rejected[0].error
    assert sorted(spans_of(db)) == [("بوريل", "PER"), ("طوكيو", "LOC")]
    txt = tmp_path / "mac.txt"
    txt.write_bytes("سطر\rثان\r\nثالث".encode())
    import_paths(Tawsim(db, "tester"), [txt], ImportOptions())
    only_cr = tmp_path / "old-mac.txt"  # lone CRs and nothing else: no offset moves
    only_cr.write_bytes("عنوان\rسطر ثان\r".encode())
    import_paths(Tawsim(db, "tester"), [only_cr], ImportOptions())
    texts = [r.document.text for r in Tawsim(db).records(Selection.ALL)]
    assert "سطر\nثان\nثالث" in texts
    assert "عنوان\nسطر ثان\n" in texts and not any("\r" in t for t in texts)


def test_whitespace_at_span_edges_is_trimmed_and_counted(db: Database, tmp_path: Path) -> None:
    """doccano#1360: a span selected with the space after a word."""
    text = "زار بوريل طوكيو اليوم"
    at = text.index("بوريل")
    spans = (EntitySpan(at - 1, at + 6, "PER"), EntitySpan(3, 4, "LOC"))  # " بوريل " and " "
    record = Record(DocumentData(text), SetData("amal", spans=spans), "d.jsonl", 1)
    report = Tawsim(db, "tester").ingest([record])
    assert spans_of(db) == [("بوريل", "PER")]
    assert report.counts("d.jsonl").spans_trimmed == 1
    [left_out] = report.notices
    assert left_out.startswith("d.jsonl:1:") and "only whitespace" in left_out


def test_an_edge_beside_a_zero_width_non_joiner_is_a_word_edge(db: Database) -> None:
    text = "فرنسا\u200cوبريطانيا"
    spans = (EntitySpan(0, 5, "GPE"), EntitySpan(6, len(text), "GPE"))
    report = Tawsim(db, "tester").ingest([Record(DocumentData(text), SetData("amal", spans=spans))])
    assert report.kept_as_given == [] and spans_of(db) == [("فرنسا", "GPE"), ("وبريطانيا", "GPE")]


def test_joiners_after_a_diacritic_or_a_digit_are_told_right(db: Database, tmp_path: Path) -> None:
    """A diacritic before a ZWNJ is still a word edge; a ZWNJ after a digit is reported as a
    ZWNJ, not as an emoji sequence."""
    egypt = "زار مصرَ\u200cوالأردن وفد."
    date = "في عام 2024\u200cم وقع الحدث."
    path = write_jsonl(
        tmp_path / "zwnj.jsonl",
        {"text": egypt, "spans": [{"start": 4, "end": 8, "label": "GPE"}]},
        {"text": date, "spans": [{"start": 7, "end": 11, "label": "DATE"}]},
    )
    summary = import_paths(Tawsim(db, "tester"), [path], ImportOptions(annotator="amal"))
    assert not summary.rejected
    [kept] = summary.files[0].kept_as_given
    assert kept.startswith(f"{path}:2: span [7, 11) DATE '2024'")
    assert "zero-width non-joiner (ZWNJ, U+200C)" in kept and "emoji" not in kept
    assert sorted(spans_of(db)) == [("2024", "DATE"), ("مصرَ", "GPE")]


def test_repeated_sentences_stay_and_share_a_split(db: Database, tmp_path: Path) -> None:
    src = tmp_path / "corpus.conll"
    src.write_text(
        "زار O\nبوريل B-PERS\n\n. O\n\nزار O\nطوكيو B-LOC\n\n. O\n\n. O\n", encoding="utf-8"
    )
    options = ImportOptions(annotator="gold", status=SetStatus.APPROVED)
    first = import_paths(Tawsim(db, "tester"), [src], options)
    assert first.total("documents_added") == 5  # the three "." sentences are three documents
    assert import_paths(Tawsim(db, "tester"), [src], options).total("documents_added") == 0
    out = tmp_path / "out.conll"
    export(Tawsim(db), out, ExportOptions(format="conll"))
    sentences = [
        s for s in out.read_text(encoding="utf-8").split("\n\n") if s and "DOCSTART" not in s
    ]
    assert sentences.count(". O") == 3
    report = export_dataset(
        Tawsim(db), tmp_path / "sets", ratios={"train": 0.4, "dev": 0.3, "test": 0.3}, seed=1
    )
    where = {}
    for split in report.ratios:
        for line in (tmp_path / "sets" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            where.setdefault(obj["text"], set()).add(split)
    assert all(len(splits) == 1 for splits in where.values())  # identical texts, one split


def test_tawsim_search_finds_hamza_seats_and_the_article_after_lam(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    src = write_jsonl(
        tmp_path / "d.jsonl",
        {"text": "قال المسئول إن هيأة الأمم ستجتمع"},
        {"text": "رحب رئيس الوزراء للاتحاد الأوروبي"},
    )
    assert tawsim("import", src, db=db).returncode == 0
    found = json.loads(tawsim("search", "المسؤول", "--json", db=db).stdout)
    assert len(found) == 1 and "المسئول" in found[0]["snippets"][0]
    assert len(json.loads(tawsim("search", "هيئة", "--json", db=db).stdout)) == 1
    [hit] = json.loads(tawsim("search", "الاتحاد", "--json", db=db).stdout)
    assert hit["snippets"] == ["رحب رئيس الوزراء للاتحاد الأوروبي"]
    more = write_jsonl(tmp_path / "e.jsonl", {"text": "قال إن فللمؤسسة دورا وللاتحاد رأيا"})
    assert tawsim("import", more, db=db).returncode == 0
    hits = json.loads(tawsim("search", "الاتحاد", "--json", db=db).stdout)  # after و too
    [hit] = [h for h in hits if "وللاتحاد" in h["snippets"][0]]
    assert len(hits) == 2 and hit["snippets"] == ["قال إن فللمؤسسة دورا وللاتحاد رأيا"]
    assert hit["ranges"] == [[22, 29]]  # للاتحاد, without the و
    assert len(json.loads(tawsim("search", "المؤسسة", "--json", db=db).stdout)) == 1
    for nothing in ("", "ً", "،"):
        refused = tawsim("search", nothing, db=db)
        assert refused.returncode == 2 and "no letters or digits" in refused.stderr
    shown = tawsim("search", "لا شيء هنا", db=db)
    assert shown.returncode == 0 and "0 document(s)" in shown.stdout


def test_several_annotators_of_one_new_text_count_one_document_added(
    db: Database, tmp_path: Path
) -> None:
    text = "زار بوريل طوكيو"
    src = write_jsonl(
        tmp_path / "two.jsonl",
        *({"text": text, "annotator": who, "spans": []} for who in ("amal", "omar", "rana")),
    )
    summary = import_paths(Tawsim(db, "admin"), [src], ImportOptions())
    [result] = summary.files
    assert (result.documents_added, result.documents_duplicate, result.sets_added) == (1, 0, 3)


def test_repeats_across_batches_count_once_added_or_present(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text met again in a later batch of the same import is the same document, counted
    neither as added again nor as already present; one stored before counts present once."""
    from app.store import ingest

    monkeypatch.setattr(ingest, "BATCH", 2)
    old = write_jsonl(tmp_path / "old.jsonl", {"text": "نص قديم"})
    import_paths(Tawsim(db, "admin"), [old], ImportOptions())
    texts = ["نص قديم", "نص أول", "نص ثان", "نص أول", "نص قديم", "نص ثالث", "نص ثان", "نص أول"]
    src = write_jsonl(
        tmp_path / "many.jsonl",
        *({"text": t, "annotator": f"a{n}", "spans": []} for n, t in enumerate(texts)),
    )
    [result] = import_paths(Tawsim(db, "admin"), [src], ImportOptions()).files
    assert (result.documents_added, result.documents_duplicate, result.sets_added) == (3, 1, 8)
    assert Tawsim(db).count(Tawsim(db).query()) == 4
    docs = {r.document.text: r.document.uuid for r in Tawsim(db).records(Selection.ALL)}
    assert len(docs) == 4  # every set of one text on one document
