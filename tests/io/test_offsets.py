"""Files whose offsets count another unit: decided from evidence, refused when it contradicts
itself, never shifted, widened or dropped in silence."""

from __future__ import annotations

from pathlib import Path

from app.core.domain import Selection
from app.core.offset_units import OffsetUnit
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import write_jsonl


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
    from app.core.offset_units import UnitMap

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
