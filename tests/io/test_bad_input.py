"""Bad files: a clear message naming file and line, and the database left as it was."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.core.domain import EntitySpan, Selection
from app.core.errors import InputError
from app.core.offset_units import OffsetUnit
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import stats

GOOD = json.dumps(
    {"text": "اليابان", "spans": [{"start": 0, "end": 7, "label": "GPE"}]}, ensure_ascii=False
)


def rejected_message(db: Database, path: Path, **kw: object) -> str:
    before = stats(db)
    summary = import_paths(Tawsim(db, "tester"), [path], ImportOptions(**kw))  # type: ignore[arg-type]
    assert len(summary.rejected) == 1
    after = stats(db)
    assert after == before, "a rejected file must change nothing"
    return str(summary.rejected[0].error)


def jsonl(tmp_path: Path, *lines: str, name: str = "bad.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '{"text": "اليابان", "spans": [{"start": 0, "end": 70, "label": "GPE"}]}',
            "outside the text",
        ),
        (
            '{"text": "اليابان", "spans": [{"start": 5, "end": 2, "label": "GPE"}]}',
            "ends before it starts",
        ),
        (
            '{"text": "اليابان", "spans": [{"start": -1, "end": 2, "label": "GPE"}]}',
            "starts before the text",
        ),
        (
            '{"text": "اليابان", "spans": [{"start": "0", "end": 2, "label": "GPE"}]}',
            "must be an integer",
        ),
        ('{"text": "اليابان", "spans": [[0, 3]]}', "needs start, end and label"),
        ('{"text": "اليابان", "status": "done"}', "status 'done' is not one of"),
        ('{"body": "اليابان"}', "no 'text' field (fields: body)"),
        ('{"text": "   "}', "the text is empty"),
        (
            '{"text": "اليابان", "stance": [{"target": "x", "label": "LOVE"}]}',
            "stance value 'LOVE'",
        ),
        ('{"text": "اليابان", "spans": [{"start": 0, "end": 7, "label": "GPE"}]', "not valid JSON"),
        ('["اليابان"]', "expected a JSON object"),
        # Offsets counted in UTF-16 units (as JavaScript tools do) after an emoji:
        (
            '{"text": "😀 اليابان", "spans": [{"start": 2, "end": 9, "label": "GPE", '
            '"text": "الصين"}]}',
            "says its text is 'الصين'",
        ),
        ('{"text": "\\ud800 lone"}', "lone UTF-16 surrogate"),
        # Strings that would block every later export: refused wherever they are.
        ('{"text": "نص", "title": "\\ud800"}', "the title holds a lone UTF-16 surrogate"),
        ('{"text": "نص", "meta": {"a": ["\\udfff"]}}', "meta ['a'][0] holds a lone UTF-16"),
        ('{"text": "نص", "source": "\\udfff"}', "the source holds a lone UTF-16"),
        ('{"text": "نص\\u0000 هنا"}', "the text holds a NUL character"),
        ('{"text": "نص", "comment": "\\u0000", "annotator": "amal"}', "comment holds a NUL"),
        ('{"text": "نص", "annotator": "am\\nal"}', "the annotator name 'am\\nal' holds a"),
        ('{"text": "نص", "title": 5}', "the title must be a string, got int"),
        ('{"text": "نص", "text": "آخر"}', "the key 'text' appears twice"),
        ('{"text": "نص", "meta": {"n": NaN}}', "NaN is not a number JSON allows"),
        ('{"text": "نص", "meta": {"n": -Infinity}}', "-Infinity is not a number"),
        ('{"text": "نص", "meta": {"n": 1e400}}', "the number 1e400 is too large"),
        ('{"text": "نص", "meta": {"n": ' + "9" * 5000 + "}}", "integer of 5000 digits"),
        ('{"text": "نص", "meta": ' + "[" * 3000 + "]" * 3000 + "}", "nested too deeply"),
        ('{"text": "نص", "meta": {"a": ' + "[" * 40 + "]" * 40 + "}}", "nests deeper than 32"),
        *(
            (
                '{"text": "وصل بوريل", "spans": [{"start": 4, "end": 9, "label": ' + label + "}]}",
                said,
            )
            for label, said in [
                ('" "', "the label ' ' is blank"),
                ('"PE\\nR"', "holds a control character or line break (U+000A)"),
                ('"PER\\u0007"', "holds a control character or line break (U+0007)"),
                ('"' + "L" * 65 + '"', "is 65 characters long (at most 64)"),
                ('" PER"', "has spaces at its ends"),
            ]
        ),
        (
            '{"text": "وصل", "stance": [{"target": "\\ud800", "label": "FAVOR"}]}',
            "the stance target",
        ),
    ],
)
def test_bad_jsonl_line(db: Database, tmp_path: Path, line: str, expected: str) -> None:
    path = jsonl(tmp_path, GOOD, "", line)
    message = rejected_message(db, path)
    assert f"{path}:3:" in message
    assert expected in message


def test_broken_utf8_names_the_line(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_bytes(GOOD.encode() + b"\n" + GOOD.encode() + b"\n" + b'{"text": "\xd8"}\n')
    message = rejected_message(db, path)
    assert f"{path}:3:" in message and "not valid UTF-8" in message


def test_broken_utf8_in_txt(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes("سطر\nسطر\n".encode() + b"\xff\xfe bad\n")
    message = rejected_message(db, path)
    assert f"{path}:3:" in message and "not valid UTF-8" in message


@pytest.mark.parametrize("name", ["empty.txt", "empty.jsonl", "empty.csv", "empty.conll"])
def test_empty_files(db: Database, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("\n  \n" if name.endswith(".txt") else "", encoding="utf-8")
    message = rejected_message(db, path)
    assert str(path) in message and ("empty" in message or "no tokens" in message)


def test_csv_missing_column_lists_columns(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,body\n1,نص\n", encoding="utf-8")
    message = rejected_message(db, path)
    assert f"{path}:1:" in message and "no column 'text'" in message and "id, body" in message
    message = rejected_message(db, path, text_column="content")
    assert "no column 'content'" in message


@pytest.mark.parametrize(
    ("name", "content", "line", "expected"),
    [
        ("t.csv", "text,text\nأ,ب\n", 1, "the header names 'text' more than once"),
        (
            "tasks.json",
            '[\n{"data": {"text": "نص"}},\n{"data": {"text": "أ", "text": "ب"}}\n]',
            3,
            "the key 'text' appears twice",
        ),
        ("t.csv", "text,source\nنص,أ\nنص آخر,ب,زائد\n", 3, "3 columns but the header has 2"),
    ],
)
def test_bad_file_names_the_line(
    db: Database, tmp_path: Path, name: str, content: str, line: int, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    message = rejected_message(db, path)
    assert f"{path}:{line}:" in message and expected in message


def test_bad_file_in_the_middle_rolls_back_only_itself(db: Database, tmp_path: Path) -> None:
    good = jsonl(tmp_path, GOOD, name="good.jsonl")
    bad = jsonl(
        tmp_path, json.dumps({"text": "الصين"}, ensure_ascii=False), "{oops", name="bad.jsonl"
    )
    summary = import_paths(Tawsim(db, "tester"), [bad, good], ImportOptions(annotator="amal"))
    assert [f.path.name for f in summary.rejected] == ["bad.jsonl"]
    assert stats(db)["documents"] == 1  # الصين from the bad file was rolled back


def test_strict_labels(db: Database, tmp_path: Path) -> None:
    path = jsonl(
        tmp_path,
        GOOD,
        json.dumps(
            {"text": "بوريل", "spans": [{"start": 0, "end": 5, "label": "PERS"}]},
            ensure_ascii=False,
        ),
    )
    message = rejected_message(db, path, strict_labels=True)
    assert f"{path}:2:" in message and "PERS" in message
    summary = import_paths(Tawsim(db, "tester"), [path], ImportOptions())
    assert summary.labels_added == ["PERS"]
    assert "PERS" in Tawsim(db).schema().label_names


def test_missing_file_and_unknown_type(db: Database, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_paths(Tawsim(db, "tester"), [tmp_path / "nope.txt"], ImportOptions())
    odd = tmp_path / "x.docx"
    odd.write_bytes(b"PK")
    summary = import_paths(Tawsim(db, "tester"), [odd], ImportOptions())
    assert "unknown file type '.docx'" in str(summary.rejected[0].error)


def test_huge_line_is_refused(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.io.line_reader as line_reader

    monkeypatch.setattr(line_reader, "check_line_size", _tiny_limit)
    path = jsonl(tmp_path, GOOD, json.dumps({"text": "ا" * 5000}))
    message = rejected_message(db, path)
    assert f"{path}:2:" in message and "too long" in message


def _tiny_limit(line: bytes, lineno: int) -> None:
    if len(line) > 1000:
        raise InputError("line is too long (test limit)", line=lineno)


def test_export_into_a_folder_without_write_permission(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from app.io.exporter import ExportOptions, export

    def refuse(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(InputError, match="cannot write here: Permission denied"):
        export(Tawsim(db), tmp_path / "out.jsonl", ExportOptions())


def test_doccano_utf16_offsets_after_an_emoji_import_exactly(db: Database, tmp_path: Path) -> None:
    """The issue's case: doccano counts UTF-16; جدة after an emoji must stay جدة."""
    from app.core.offset_units import OffsetUnit, UnitMap

    text = "😀 وصل الوفد إلى جدة ثم الرياض"
    utf16 = UnitMap(text, OffsetUnit.UTF16)
    label = []
    for word in ("جدة", "الرياض"):
        start = text.index(word)
        label.append([utf16.from_codepoint(start), utf16.from_codepoint(start + len(word)), "GPE"])
    path = jsonl(tmp_path, json.dumps({"text": text, "label": label}, ensure_ascii=False))
    summary = import_paths(Tawsim(db, "tester"), [path], ImportOptions(annotator="amal"))
    [result] = summary.files
    assert result.error is None and result.offsets == "utf16"
    [data] = Tawsim(db).sets(
        Tawsim(db, "tester").page_ids(Tawsim(db, "tester").query(), None, 1)[0]
    )
    assert [text[s.start : s.end] for s in data.spans] == ["جدة", "الرياض"]


def test_an_undecidable_file_is_refused_and_offsets_forces_the_unit(
    db: Database, tmp_path: Path
) -> None:
    path = jsonl(tmp_path, json.dumps({"text": "😀😀😀😀", "label": [[0, 2, "MISC"]]}))
    message = rejected_message(db, path)
    assert f"{path}:1:" in message and "--offsets codepoints|utf16|graphemes|utf8" in message
    forced = import_paths(Tawsim(db, "tester"), [path], ImportOptions(offsets=OffsetUnit.UTF16))
    assert not forced.rejected and forced.files[0].offsets == "utf16"


def test_a_span_that_cuts_a_character_is_kept_and_reported(db: Database) -> None:
    """A gazetteer cut before tanween: the file is not refused; the span is stored exactly as
    given and listed (file, line, span, why) for an annotator to fix."""
    from app.core.records import DocumentData, Record, SetData

    text = "قال أيضًا إن فرنسا‌وبريطانيا اتفقتا"
    start = text.index("أيض")
    france = text.index("فرنسا")
    spans = (
        EntitySpan(start, start + 3, "MISC"),  # before the tanween
        EntitySpan(france, france + 5, "GPE"),  # just before a ZWNJ: a word edge
    )
    record = Record(DocumentData(text), SetData("amal", spans=spans), "g.jsonl", 4)
    report = Tawsim(db, "tester").ingest([record])
    [kept] = report.kept_as_given
    assert kept.startswith("g.jsonl:4: span [4, 7) MISC 'أيض'") and "diacritic" in kept
    assert "fathatan" in kept and "ZWNJ" not in kept
    [stored] = Tawsim(db).sets(
        Tawsim(db, "tester").page_ids(Tawsim(db, "tester").query(), None, 1)[0]
    )
    assert stored.spans == tuple(sorted(spans))


def test_a_conll_txt_with_one_bad_tag_is_refused_as_conll(db: Database, tmp_path: Path) -> None:
    """ANERcorp ships CoNLL as .txt: one bad tag made the whole file prose, tags and all."""
    path = tmp_path / "corpus.txt"
    lines = ["وصل O", "جوزيب B-PER", "بوريل I-PER", "إلى O", "طوكيو B-LOC", "اليوم X-TIME"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = rejected_message(db, path)
    assert f"{path}:6:" in message and "bad tag 'X-TIME'" in message


def test_prose_with_a_word_that_looks_like_a_tag_stays_prose(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(
        "وصل جوزيب بوريل إلى طوكيو\nفي زيارة رسمية O\nتستمر ثلاثة أيام\n", encoding="utf-8"
    )
    summary = import_paths(Tawsim(db, "tester"), [path], ImportOptions())
    assert not summary.rejected and summary.total("documents_added") == 1


def test_a_role_refusal_names_the_file_and_line(db: Database, tmp_path: Path) -> None:
    from app.core.domain import Role
    from tests.conftest import as_user

    as_user(db, "admin", Role.ADMIN)
    amal = as_user(db, "amal", Role.ANNOTATOR)
    path = jsonl(tmp_path, GOOD, '{"text": "وصل جوزيب", "annotator": "omar", "spans": []}')
    summary = import_paths(amal, [path], ImportOptions())
    assert len(summary.rejected) == 1
    said = str(summary.rejected[0].error)
    assert said.startswith(f"{path}:2: ") and "cannot import omar's annotations" in said


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a\nb", "holds a control character or line break (U+000A)"),
        ("\udcff", "holds a control character or line break (U+DCFF)"),  # a bad byte in argv
        ("L" * 101, "is 101 characters long (at most 100)"),
        ("  ", "is blank"),
    ],
)
def test_the_annotator_named_for_an_import_obeys_the_name_rules(
    db: Database, tmp_path: Path, name: str, expected: str
) -> None:
    """Found by fuzzing: ``--annotator`` skipped the rules a name in a file obeys (a name with
    a line break or of 101 characters was stored; a lone surrogate, which a byte that is not
    UTF-8 on the command line becomes, crashed the import with a UnicodeEncodeError)."""
    path = jsonl(tmp_path, GOOD)
    message = rejected_message(db, path, annotator=name)
    assert f"{path}: the annotator name" in message and expected in message
    summary = import_paths(Tawsim(db, "tester"), [path], ImportOptions(annotator=" amal "))
    assert not summary.rejected  # spaces at its ends are taken off, as the store always did
    assert "amal" in {u.name for u in Tawsim(db, "tester").users()}


def test_a_file_name_that_is_not_utf8_is_stored_readably(db: Database, tmp_path: Path) -> None:
    """Found by fuzzing: a file whose name holds a byte that is not UTF-8 (a file from another
    system; Python holds it as a lone surrogate) was refused for its source (a plain text),
    or crashed the import with a UnicodeEncodeError writing the audit log (JSONL): the name is
    stored with U+FFFD in the byte's place."""
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/\xff"))
    folder.mkdir()
    text = folder / os.fsdecode(b"x\xff.txt")
    text.write_text("نص عربي\n", encoding="utf-8")
    line = '{"text": "وصل بوريل", "spans": [{"start": 4, "end": 9, "label": "NEW"}]}'
    jsonl(folder, line, name=os.fsdecode(b"z\xff.jsonl"))
    table = folder / os.fsdecode(b"t\xfe.csv")
    table.write_text("text\nنص آخر\n", encoding="utf-8")
    (folder / os.fsdecode(b"b\xff.txt")).write_text("زار بوريل طوكيو", encoding="utf-8")
    (folder / os.fsdecode(b"b\xff.ann")).write_text("T1\tPER 4 9\tبوريل\n", encoding="utf-8")
    summary = import_paths(Tawsim(db, "tester"), [folder], ImportOptions())
    assert not summary.rejected, [str(f.error) for f in summary.rejected]
    assert summary.total("documents_added") == 4 and summary.labels_added == ["NEW"]
    sources = {r.document.source for r in Tawsim(db, "tester").records(Selection.ALL)}
    assert {"x\ufffd.txt", "t\ufffd.csv", "b\ufffd.txt"} <= sources
