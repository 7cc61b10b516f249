"""brat standoff in (.ann beside its .txt, folders, what is not a span) and out (a folder)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.core.domain import EntitySpan, Role, Selection, SetStatus, StanceJudgement, TextRange
from app.core.errors import Cancelled
from app.core.records import DocumentData, Record, SetData
from app.io.exporter import ExportOptions, export
from app.io.importer import ImportOptions, ImportSummary, expand_paths, import_paths
from app.store.core import Tawsim
from app.store.database import Database

# A flag, a ZWJ family and an emoji before the spans; brat counts code points, as Python does.
TEXT = "🇸🇦 👨‍👩‍👧 أعلن وزير خارجية السعودية في الرياض\n😀 أن الاتحاد الأوروبي سيدعم جدة.\n"
OTHER = "👨‍👩‍👧 زار بوريل طوكيو 🇯🇵 أمس."


def t_line(n: int, text: str, word: str, label: str) -> str:
    start = text.index(word)
    return f"T{n}\t{label} {start} {start + len(word)}\t{word}\n"


def brat_pair(folder: Path, stem: str, text: str, ann: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_bytes(text.encode("utf-8"))
    (folder / f"{stem}.ann").write_bytes(ann.encode("utf-8"))
    return folder / f"{stem}.ann"


def collection(folder: Path) -> Path:
    """A brat collection: two annotated documents, a plain text, brat's own config files."""
    brat_pair(
        folder,
        "news-001",
        TEXT,
        t_line(1, TEXT, "السعودية", "GPE")
        + t_line(2, TEXT, "الرياض", "GPE")
        + t_line(3, TEXT, "الاتحاد الأوروبي", "ORG")
        + t_line(4, TEXT, "جدة", "GPE")
        + t_line(5, TEXT, "سيدعم", "Support")
        + "R1\tLocated Arg1:T1 Arg2:T2\n"
        + "E1\tSupport:T5 Agent:T3 Patient:T4\n"
        + "A1\tNegated E1\n"
        + "N1\tReference T4 Wikidata:Q374365\tJeddah\n"
        + "#1\tAnnotatorNotes T3\tالاتحاد ككيان\n",
    )
    brat_pair(folder / "batch2", "news-002", OTHER, t_line(1, OTHER, "بوريل", "PER"))
    (folder / "plain.txt").write_text("خبر بلا تعليم\nنص الخبر", encoding="utf-8")
    (folder / "annotation.conf").write_text("[entities]\nGPE\n", encoding="utf-8")
    return folder


def import_it(db: Database, paths: list[Path], **kw: Any) -> ImportSummary:
    summary = import_paths(Tawsim(db, "tester"), paths, ImportOptions(**kw))
    assert not summary.rejected, [str(f.error) for f in summary.rejected]
    return summary


def export_lines(db: Database, out: Path) -> list[dict[str, Any]]:
    export(Tawsim(db), out, ExportOptions(include=Selection.ALL))
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def labelled(line: dict[str, Any]) -> list[tuple[str, str]]:
    return [(line["text"][s["start"] : s["end"]], s["label"]) for s in line["spans"]]


def test_a_folder_import_reads_each_ann_with_its_txt_once(db: Database, tmp_path: Path) -> None:
    folder = collection(tmp_path / "brat")
    files = expand_paths([folder])
    assert sorted(p.name for p in files) == ["news-001.ann", "news-002.ann", "plain.txt"]
    summary = import_it(db, [folder], annotator="amal")
    assert summary.total("documents_added") == 3
    assert summary.total("sets_added") == 2
    first = next(f for f in summary.files if f.path.name == "news-001.ann")
    # R, E, A, N, # lines and the event's trigger (T5) are not entity spans: counted, said.
    assert first.annotations_skipped == 6
    assert any("1 brat relation(s) (R)" in n for n in first.notices)
    assert any("event trigger" in n for n in first.notices)
    lines = export_lines(db, tmp_path / "all.jsonl")
    assert {x["text"]: (x["annotator"], labelled(x)) for x in lines} == {
        TEXT: (
            "amal",
            [("السعودية", "GPE"), ("الرياض", "GPE"), ("الاتحاد الأوروبي", "ORG"), ("جدة", "GPE")],
        ),
        OTHER: ("amal", [("بوريل", "PER")]),
        "خبر بلا تعليم\nنص الخبر": (None, []),
    }
    assert next(x for x in lines if x["text"] == TEXT)["meta"]["source"] == "news-001.txt"


def test_naming_both_files_of_a_pair_imports_one_document(db: Database, tmp_path: Path) -> None:
    ann = brat_pair(tmp_path, "doc", OTHER, t_line(1, OTHER, "طوكيو", "GPE"))
    summary = import_it(db, [ann.with_suffix(".txt"), ann])
    assert [f.path.name for f in summary.files] == ["doc.ann"]
    assert summary.total("documents_added") == 1


def test_crlf_and_bom_text_keeps_span_texts(db: Database, tmp_path: Path) -> None:
    raw = "\ufeffعنوان\r\n🇸🇦 وصل الوفد إلى جدة\r\n"
    ann = brat_pair(tmp_path, "crlf", raw, t_line(1, raw, "جدة", "GPE"))
    import_it(db, [ann])
    [line] = export_lines(db, tmp_path / "out.jsonl")
    assert line["text"] == "عنوان\n🇸🇦 وصل الوفد إلى جدة\n"
    assert labelled(line) == [("جدة", "GPE")]


def test_missing_text_and_discontinuous_spans_are_refused(db: Database, tmp_path: Path) -> None:
    lonely = tmp_path / "lonely.ann"
    lonely.write_text("T1\tPER 0 3\tabc\n", encoding="utf-8")
    [failed] = import_paths(Tawsim(db, "tester"), [lonely], ImportOptions()).rejected
    assert str(tmp_path / "lonely.txt") in str(failed.error) and "missing" in str(failed.error)
    start = OTHER.index("بوريل")
    ann = brat_pair(
        tmp_path,
        "gap",
        OTHER,
        t_line(1, OTHER, "بوريل", "PER")
        + f"T2\tLOC {start} {start + 2};{start + 6} {start + 11}\tبو طوكيو\n",
    )
    [failed] = import_paths(Tawsim(db, "tester"), [ann], ImportOptions()).rejected
    assert f"{ann}:2" in str(failed.error) and "discontinuous" in str(failed.error)
    assert Tawsim(db).stats()["documents"] == 0


def test_an_empty_ann_is_a_document_nobody_annotated(db: Database, tmp_path: Path) -> None:
    ann = brat_pair(tmp_path, "empty", OTHER, "")
    summary = import_it(db, [ann])
    assert (summary.total("documents_added"), summary.total("sets_added")) == (1, 0)
    assert any("no annotation" in n for n in summary.files[0].notices)


def test_export_is_a_folder_that_reads_back_exactly(db: Database, tmp_path: Path) -> None:
    import_it(db, [collection(tmp_path / "brat")], annotator="amal", status=SetStatus.APPROVED)
    core = Tawsim(db, "tester")
    across = TEXT.index("الرياض")  # a span across the line break: brat writes two fragments
    stance = StanceJudgement("جدة", "FAVOR", (TextRange(*_at(TEXT, "سيدعم")),))
    core.ingest(
        [
            Record(
                DocumentData(TEXT),
                SetData(
                    "omar",
                    SetStatus.SUBMITTED,
                    (EntitySpan(across, TEXT.index("😀") + 1, "MISC"),),
                    (stance,),
                ),
            )
        ]
    )
    out = tmp_path / "exported"
    report = export(Tawsim(db), out, ExportOptions(format="brat", include=Selection.ALL))
    names = sorted(p.name for p in out.iterdir())
    assert "annotation.conf" in names and len(names) == 1 + 2 * 3
    anns = [n for n in names if n.endswith(".ann")]
    assert sorted(n.split(".")[1] for n in anns) == ["amal", "amal", "omar"]  # <doc>.<who>.ann
    assert len({n.split(".")[0] for n in anns}) == 2  # two documents, one with two sets
    assert any("1 stance judgement(s) left out" in w for w in report.warnings)
    assert any("1 document(s) nobody annotated" in w for w in report.warnings)
    omar = out / next(n for n in anns if ".omar." in n)
    assert ";" in omar.read_text(encoding="utf-8")  # fragments around the line break
    for name in names:
        if name.endswith(".txt"):
            ann = (out / name).with_suffix(".ann").read_text(encoding="utf-8")
            text = (out / name).read_bytes().decode("utf-8")
            assert text in (TEXT, OTHER)
            for row in ann.splitlines():
                _, middle, shown = row.split("\t")
                offsets = [tuple(map(int, f.split())) for f in middle.split(" ", 1)[1].split(";")]
                assert " ".join(text[a:b] for a, b in offsets) == shown
    conf = (out / "annotation.conf").read_text(encoding="utf-8").splitlines()
    assert conf[:1] == ["[entities]"] and {"GPE", "ORG", "PER", "MISC"} <= set(conf)
    first = {(x["text"], x["annotator"]): labelled(x) for x in export_lines(db, tmp_path / "a")}
    # Read back: each .ann is the set of the annotator its name gives.
    with Database.open(tmp_path / "again.db") as db2:
        import_it(db2, [out])
        again = export_lines(db2, tmp_path / "b")
    assert {(x["text"], x["annotator"]): labelled(x) for x in again} == {
        k: v for k, v in first.items() if k[1] is not None
    }


def test_the_target_must_be_new_or_empty_and_a_cancel_leaves_nothing(
    db: Database, tmp_path: Path
) -> None:
    import_it(db, [collection(tmp_path / "brat")])
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x").write_text("x")
    with pytest.raises(Exception, match="not an empty folder"):
        export(Tawsim(db), busy, ExportOptions(format="brat", include=Selection.ALL))
    empty = tmp_path / "empty"
    empty.mkdir()
    export(Tawsim(db), empty, ExportOptions(format="brat", include=Selection.ALL))
    assert any(p.suffix == ".ann" for p in empty.iterdir())

    def cancel(n: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        export(
            Tawsim(db),
            tmp_path / "new",
            ExportOptions(format="brat", include=Selection.ALL),
            progress=cancel,
        )
    left = {p.name for p in tmp_path.iterdir() if not p.name.startswith("tawsim.db")}
    assert left <= {"brat", "busy", "empty", "home"}  # no "new", no ".new.*.part"


def _at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def _canon(db: Database) -> set[tuple[str, str | None, tuple[tuple[int, int, str], ...]]]:
    return {
        (
            r.document.text,
            r.annotation.annotator if r.annotation else None,
            tuple(sorted((s.start, s.end, s.label) for s in r.annotation.spans))
            if r.annotation
            else (),
        )
        for r in Tawsim(db).records(Selection.SUBMITTED)
    }


def test_several_annotators_round_trip_exactly(db: Database, tmp_path: Path) -> None:
    """Each set's ``.ann`` is named after its annotator and read back as theirs (a name a file
    cannot hold, a model's, names that differ only in case on one document), so a round trip
    through brat keeps who did what, into a new database and into the same one."""
    core = Tawsim(db, "tester")  # the first user: an admin
    gpe, org = EntitySpan(*_at(TEXT, "السعودية"), "GPE"), EntitySpan(*_at(TEXT, "جدة"), "GPE")
    per = EntitySpan(*_at(OTHER, "بوريل"), "PER")
    sets = [
        (TEXT, "amal", (gpe,)),
        (TEXT, "model:camelbert-v2", (gpe,)),  # the same spans as amal's: a set of its own
        (TEXT, "omar@example.org", (gpe, org)),
        (TEXT, "rana", ()),  # a set with no entities
        (OTHER, "Amal", (per,)),  # differs from amal only in case
        (OTHER, "amal", ()),
        (OTHER, "نور الهدى/2", (per,)),
    ]
    core.ingest(
        [
            Record(DocumentData(t), SetData(who, SetStatus.SUBMITTED, spans))
            for t, who, spans in sets
        ]
    )
    before = _canon(db)
    assert len(before) == len(sets)
    out = tmp_path / "brat"
    export(core, out, ExportOptions(format="brat", include=Selection.SUBMITTED))
    assert len(list(out.glob("*.ann"))) == len(sets)
    with Database.open(tmp_path / "fresh.db") as fresh:
        summary = import_it(fresh, [out])
        assert not summary.rejected, [str(f.error) for f in summary.rejected]
        assert summary.total("sets_added") == len(sets)
        assert summary.total("sets_unchanged") == 0
        assert _canon(fresh) == before
    again = import_it(db, [out])  # the same database: nothing new, no copies, no conflict
    assert not again.rejected
    assert again.total("sets_added") == 0 and again.total("sets_unchanged") == len(sets)
    assert not [c for f in again.files for c in f.conflicts]
    assert _canon(db) == before


def test_an_annotator_cannot_import_other_peoples_brat_sets(db: Database, tmp_path: Path) -> None:
    core = Tawsim(db, "tester")
    spans = (EntitySpan(*_at(OTHER, "بوريل"), "PER"),)
    core.ingest(
        [
            Record(DocumentData(OTHER), SetData(w, SetStatus.SUBMITTED, spans))
            for w in ("amal", "omar")
        ]
    )
    out = tmp_path / "brat"
    export(core, out, ExportOptions(format="brat", include=Selection.SUBMITTED))
    with Database.open(tmp_path / "other.db") as other:
        Tawsim(other, "boss").add_user("amal", Role.ANNOTATOR)
        summary = import_paths(Tawsim(other, "amal"), [out], ImportOptions())
        [refused] = summary.rejected
        assert "omar" in refused.path.name and "omar's annotations" in str(refused.error)
        assert summary.total("sets_added") == 1
        assert {
            r.annotation.annotator
            for r in Tawsim(other).records(Selection.SUBMITTED)
            if r.annotation
        } == {"amal"}


def test_an_annotator_name_too_long_for_a_file_name(db: Database, tmp_path: Path) -> None:
    """Found by fuzzing: an Arabic name of some 35 letters or more, written %XX for every byte,
    made a file name over 255 bytes, and the export ended in an OSError (File name too long).
    The pair is named without it, said in a warning, and read back as the importing user's."""
    core = Tawsim(db, "tester")
    long_name = "عبد الرحمن بن محمد بن عبد الله بن يوسف الأنصاري"  # 47 characters
    per = EntitySpan(*_at(OTHER, "بوريل"), "PER")
    core.ingest([Record(DocumentData(OTHER), SetData(long_name, SetStatus.SUBMITTED, (per,)))])
    out = tmp_path / "brat"
    report = export(core, out, ExportOptions(format="brat", include=Selection.SUBMITTED))
    [ann] = out.glob("*.ann")
    assert ann.name.endswith("-1.ann") and len(ann.name) < 255
    assert any("too long for a file name" in w for w in report.warnings)
    with Database.open(tmp_path / "fresh.db") as fresh:
        import_it(fresh, [out], annotator="amal")
        [line] = export_lines(fresh, tmp_path / "back.jsonl")
        assert (line["annotator"], labelled(line)) == ("amal", [("بوريل", "PER")])
