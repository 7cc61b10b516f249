"""Files whose offsets count another unit: decided from evidence, refused when it contradicts
itself, never shifted, widened or dropped in silence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.domain import Selection
from app.core.offset_units import OffsetUnit, UnitMap
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import write_jsonl
from tests.io.test_bad_input import rejected_message


def stored(db: Database) -> list[tuple[int, int, str]]:
    """Every stored span as (start, end, its text), in document order."""
    out = []
    for record in Tawsim(db).records(Selection.ALL):
        if record.annotation:
            text = record.document.text
            out += [(s.start, s.end, text[s.start : s.end]) for s in record.annotation.spans]
    return out


def test_a_span_cut_before_tanween_is_kept_as_given_not_widened(
    db: Database, tmp_path: Path
) -> None:
    """Counted in graphemes [4, 8) would be 'محمدٌ': code points keep 'محمد' and report it."""
    path = write_jsonl(
        tmp_path / "gaz.jsonl",
        {"text": "قال محمدٌ إن الاجتماع مهم.", "spans": [{"start": 4, "end": 8, "label": "PER"}]},
    )
    summary = import_paths(Tawsim(db, "tester"), [path], ImportOptions(annotator="amal"))
    [result] = summary.files
    assert result.error is None and result.offsets == "codepoints"
    assert stored(db) == [(4, 8, "محمد")]
    [kept] = result.kept_as_given
    assert kept.startswith(f"{path}:1: span [4, 8) PER 'محمد'") and "tanween" in kept


def test_a_doccano_file_counted_in_graphemes_imports_exactly(db: Database, tmp_path: Path) -> None:
    """doccano's "count grapheme clusters" option: a flag, a family and a skin tone are one
    each, a letter and its diacritics one."""
    rows = [
        ("🇸🇦 أعلنت السعودية أن الرئيس ماكرون زار الرياض.", ["السعودية", "ماكرون", "الرياض"]),
        ("👨\u200d👩\u200d👧 عائلة من غزّةَ وصلت إلى القاهرة 🇪🇬 أمس.", ["غزّةَ", "القاهرة"]),
        ("التقى 👍🏽 مُمثلُ الاتحاد الأوروبي مع وزير خارجية قطر.", ["الاتحاد الأوروبي", "قطر"]),
    ]
    records, expected = [], []
    for n, (text, words) in enumerate(rows):
        graphemes = UnitMap(text, OffsetUnit.GRAPHEMES)
        label = []
        for word in words:
            start = text.index(word)
            expected.append((start, start + len(word), word))
            label.append(
                [graphemes.from_codepoint(start), graphemes.from_codepoint(start + len(word)), "X"]
            )
        records.append({"id": 300 + n, "text": text, "label": label})
    path = write_jsonl(tmp_path / "doccano.jsonl", *records)
    summary = import_paths(Tawsim(db, "tester"), [path], ImportOptions(annotator="amal"))
    [result] = summary.files
    assert result.error is None and result.offsets == "graphemes"
    assert result.kept_as_given == [] and result.spans_trimmed == 0
    assert stored(db) == expected


MIXED_ROWS = [
    ("😀 زار الرئيس محمد مدينة الرياض أمس.", ["محمد", "الرياض"]),
    ("🇸🇦 وصل الوزير خالد إلى جدة.", ["خالد", "جدة"]),
    ("🎉 احتفلت تونس بفوز المنتخب.", ["تونس"]),
    ("👍 قال سعيد إن بيروت جميلة.", ["سعيد", "بيروت"]),
]


def mixed_file(tmp_path: Path, first: OffsetUnit, last: OffsetUnit) -> Path:
    """The reviewer's file: three doccano records counted in ``first``, the fourth in
    ``last``."""
    records = []
    for n, (text, words) in enumerate(MIXED_ROWS):
        mapping = UnitMap(text, last if n == 3 else first)
        label = []
        for word in words:
            start = text.index(word)
            label.append(
                [mapping.from_codepoint(start), mapping.from_codepoint(start + len(word)), "X"]
            )
        records.append({"text": text, "label": label})
    return write_jsonl(tmp_path / f"mixed_{first.value}.jsonl", *records)


@pytest.mark.parametrize(
    ("first", "last"),
    [(OffsetUnit.UTF16, OffsetUnit.CODEPOINTS), (OffsetUnit.CODEPOINTS, OffsetUnit.UTF16)],
)
def test_a_file_that_mixes_units_is_refused_naming_the_record(
    db: Database, tmp_path: Path, first: OffsetUnit, last: OffsetUnit
) -> None:
    path = mixed_file(tmp_path, first, last)
    message = rejected_message(db, path)  # and the database is unchanged
    assert f"{path}:4:" in message and "--offsets codepoints|utf16|graphemes|utf8" in message
    assert f"counted in {first.value}" in message and f"counted in {last.value}" in message
    assert "'سعيد', 'بيروت'" in message  # what the record says in its own unit


def test_a_forced_unit_wins_over_a_mixed_file(db: Database, tmp_path: Path) -> None:
    path = mixed_file(tmp_path, OffsetUnit.UTF16, OffsetUnit.CODEPOINTS)
    options = ImportOptions(annotator="amal", offsets=OffsetUnit.UTF16)
    summary = import_paths(Tawsim(db, "tester"), [path], options)
    assert not summary.rejected and summary.files[0].offsets == "utf16"
    # the user's choice: the last record is read in UTF-16 too (and trimmed of the space)
    assert [t for _, _, t in stored(db)][-2:] == ["سعي", "بيرو"]


def test_the_cli_refuses_a_mixed_file_without_a_traceback(tmp_path: Path) -> None:
    from tests.cli.test_cli import tawsim

    path = mixed_file(tmp_path, OffsetUnit.UTF16, OffsetUnit.CODEPOINTS)
    result = tawsim("import", path, db=tmp_path / "t.db")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{path}:4:" in result.stderr and "--offsets" in result.stderr
    assert json.loads(tawsim("stats", "--json", db=tmp_path / "t.db").stdout)["documents"] == 0


def half_emoji_file(tmp_path: Path) -> Path:
    """Three doccano records in UTF-16 (the second has a flag: past the end in code points), a
    fourth in code points whose [8, 10) puts an edge between the two halves of its emoji in
    UTF-16 (the reviewer's halfemoji.jsonl)."""
    records = []
    for text, words in MIXED_ROWS[:3]:
        utf16 = UnitMap(text, OffsetUnit.UTF16)
        label = [
            [utf16.from_codepoint(s := text.index(w)), utf16.from_codepoint(s + len(w)), "X"]
            for w in words
        ]
        records.append({"text": text, "label": label})
    records.append({"text": "أعجبني 😀 هذا", "label": [[8, 10, "EMO"]]})
    return write_jsonl(tmp_path / "halfemoji.jsonl", *records)


def test_an_edge_between_the_halves_of_an_emoji_says_so_when_the_unit_is_forced(
    db: Database, tmp_path: Path
) -> None:
    path = half_emoji_file(tmp_path)
    message = rejected_message(db, path, offsets=OffsetUnit.UTF16)  # the whole file, unchanged
    assert message.startswith(f"{path}:4: ")
    assert "between the two halves of '😀' (U+1F600)" in message and "utf16" in message
    assert "--offsets" not in message  # the user chose the unit already


def test_an_edge_inside_a_utf8_sequence_says_so_when_the_unit_is_forced(
    db: Database, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "b.jsonl", {"text": "قال محمد", "label": [[0, 3, "X"]]})
    message = rejected_message(db, path, offsets=OffsetUnit.UTF8)
    assert message.startswith(f"{path}:1: ") and "--offsets" not in message
    assert "inside the UTF-8 bytes of 'ا' (U+0627)" in message


def test_a_file_no_unit_fits_does_not_send_the_user_to_offsets(
    db: Database, tmp_path: Path
) -> None:
    """Each record fits some unit, no unit fits them all: forcing one would not help."""
    path = half_emoji_file(tmp_path)
    message = rejected_message(db, path)
    assert f"{path}:4:" in message and f"{path}:2:" in message and "--offsets" not in message
    assert "no one offset unit fits every record" in message


def test_a_span_text_that_matches_in_no_unit_is_said_so(db: Database, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "t.jsonl",
        {"text": "قال محمد", "spans": [{"start": 4, "end": 8, "label": "PER", "text": "محمد"}]},
        {"text": "زار علي", "spans": [{"start": 4, "end": 7, "label": "PER", "text": "عمر"}]},
    )
    for forced in (None, OffsetUnit.UTF16):
        message = rejected_message(db, path, offsets=forced)
        assert message.startswith(f"{path}:2: ") and "--offsets" not in message
        assert "'عمر'" in message and "'علي'" in message and "in no unit" in message


def test_a_span_text_that_matches_in_another_unit_than_the_forced_one(
    db: Database, tmp_path: Path
) -> None:
    text = "😀 قال محمد اليوم"
    path = write_jsonl(
        tmp_path / "t.jsonl",
        {"text": text, "spans": [{"start": 7, "end": 11, "label": "PER", "text": "محمد"}]},
    )
    assert import_paths(Tawsim(db, "t"), [path], ImportOptions()).files[0].offsets == "utf16"
    message = rejected_message(db, path, offsets=OffsetUnit.CODEPOINTS)
    assert message.startswith(f"{path}:1: ") and "--offsets" not in message
    assert "counted in codepoints it covers 'حمد '" in message
