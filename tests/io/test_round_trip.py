"""Import → export → import round trips through the database, for every format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.domain import Selection, SetStatus
from app.core.offset_units import OffsetUnit, UnitMap
from app.io.exporter import ExportOptions, export
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import write_jsonl

# Text with everything that has broken Arabic tools: tashkeel, tatweel, an emoji (astral),
# Latin and digits inside Arabic, Arabic-Indic digits, bidi controls, ZWNJ, NBSP, lam-alef.
TRICKY = (
    "قالَ الرئيسُ 🇯🇵 إنَّ شركة Nvidia‏ ستفتتح مكتبًا في طوكيو عام 2024م "
    "بالاتحاد الأوروبي ـــ والاتفاقية \u202bمع\u202c ٢٠٢٤ و\u200cكذلك\u00a0😀 هنا."
)


def words(text: str, *targets: str) -> list[tuple[int, int]]:
    out = []
    for target in targets:
        start = text.index(target)
        out.append((start, start + len(target)))
    return out


def import_one(db: Database, path: Path, **kw: object) -> None:
    summary = import_paths(Tawsim(db, "tester"), [path], ImportOptions(**kw))  # type: ignore[arg-type]
    assert not summary.rejected, [str(f.error) for f in summary.rejected]


def export_lines(
    db: Database, tmp_path: Path, fmt: str = "jsonl", include: Selection = Selection.ALL
) -> list[dict]:
    out = tmp_path / f"out.{fmt}"
    export(Tawsim(db), out, ExportOptions(format=fmt, include=include))
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_native_jsonl_round_trip_is_lossless(db: Database, tmp_path: Path) -> None:
    spans = words(TRICKY, "الرئيسُ", "Nvidia", "طوكيو", "الاتحاد الأوروبي", "🇯🇵")
    labels = ["PER", "ORG", "GPE", "ORG", "MISC"]
    record = {
        "text": TRICKY,
        "meta": {"url": "https://example.com/خبر"},
        "spans": [
            {"start": s, "end": e, "label": lab} for (s, e), lab in zip(spans, labels, strict=True)
        ],
        "stance": [
            {
                "target": "اليابان",
                "label": "FAVOR",
                "evidence": [{"start": spans[2][0], "end": spans[2][1]}],
                "holder": {"start": spans[0][0], "end": spans[0][1]},
            }
        ],
        "annotator": "amal",
        "status": "approved",
    }
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    import_one(db, src)
    first = export_lines(db, tmp_path)
    assert len(first) == 1
    line = first[0]
    assert line["text"] == TRICKY
    assert [(s["start"], s["end"], s["label"]) for s in line["spans"]] == sorted(
        (s, e, lab) for (s, e), lab in zip(spans, labels, strict=True)
    )
    for s in line["spans"]:
        assert line["text"][s["start"] : s["end"]] in {
            "الرئيسُ",
            "Nvidia",
            "طوكيو",
            "الاتحاد الأوروبي",
            "🇯🇵",
        }
    assert line["stance"] == record["stance"]
    assert (line["annotator"], line["status"]) == ("amal", "approved")
    # Export → import into a fresh database → export gives the identical line.
    again = tmp_path / "again.jsonl"
    again.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in first) + "\n", encoding="utf-8"
    )
    with Database.open(tmp_path / "second.db") as db2:
        import_one(db2, again)
        second = export_lines(db2, tmp_path)
    assert second == first


def test_include_all_round_trips_a_whole_corpus(db: Database, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("مقال أول\nنص", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps(
            {"text": "اليابان", "spans": [{"start": 0, "end": 7, "label": "GPE"}]},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    import_one(db, tmp_path / "a.txt")
    import_one(db, tmp_path / "b.jsonl", annotator="amal")
    assert export_lines(db, tmp_path, include=Selection.APPROVED) == []
    assert len(export_lines(db, tmp_path, include=Selection.SUBMITTED)) == 1
    everything = export_lines(db, tmp_path, include=Selection.ALL)
    assert [(x["annotator"], x["status"], len(x["spans"])) for x in everything] == [
        (None, None, 0),
        ("amal", "submitted", 1),
    ]
    dump = tmp_path / "all.jsonl"
    dump.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in everything) + "\n", encoding="utf-8"
    )
    with Database.open(tmp_path / "copy.db") as db2:
        import_one(db2, dump)
        assert export_lines(db2, tmp_path, include=Selection.ALL) == everything


def test_crlf_and_bom_are_normalized_and_offsets_follow(db: Database, tmp_path: Path) -> None:
    raw = "\ufeffسطر أول\r\nقال بوريل\rفي طوكيو"
    start = raw.index("طوكيو")
    src = tmp_path / "crlf.jsonl"
    write_jsonl(src, {"text": raw, "spans": [{"start": start, "end": start + 5, "label": "GPE"}]})
    import_one(db, src, annotator="amal")
    [line] = export_lines(db, tmp_path)
    assert line["text"] == "سطر أول\nقال بوريل\nفي طوكيو"
    [span] = line["spans"]
    assert line["text"][span["start"] : span["end"]] == "طوكيو"


def test_txt_file_with_crlf_bom_is_stored_normalized(db: Database, tmp_path: Path) -> None:
    src = tmp_path / "article.txt"
    src.write_bytes("\ufeffعنوان الخبر\r\nالنص ـ هنا 😀\r\n".encode())
    import_one(db, src)
    [line] = export_lines(db, tmp_path)
    assert line["text"] == "عنوان الخبر\nالنص ـ هنا 😀\n"
    assert line["meta"]["title"] == "عنوان الخبر"
    assert line["meta"]["source"] == "article.txt"


def test_doccano_round_trip(db: Database, tmp_path: Path) -> None:
    spans = words(TRICKY, "Nvidia", "طوكيو", "الاتحاد الأوروبي")
    src = tmp_path / "doccano.jsonl"
    src.write_text(
        json.dumps({"text": TRICKY, "label": [[s, e, "ORG"] for s, e in spans]}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    import_one(db, src, annotator="amal", status=SetStatus.APPROVED)
    [line] = export_lines(db, tmp_path, fmt="doccano")
    assert line["text"] == TRICKY
    # doccano counts UTF-16 units: every emoji before a span moves it on by one.
    utf16 = UnitMap(TRICKY, OffsetUnit.UTF16)
    assert line["label"] == [
        [utf16.from_codepoint(s), utf16.from_codepoint(e), "ORG"] for s, e in sorted(spans)
    ]
    assert line["label"] != [[s, e, "ORG"] for s, e in sorted(spans)]  # the test means it
    with Database.open(tmp_path / "two.db") as db2:
        (tmp_path / "back.jsonl").write_text(
            json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        import_one(db2, tmp_path / "back.jsonl")
        [back] = export_lines(db2, tmp_path, fmt="doccano")
    assert back == line


def test_a_rejected_set_round_trips_through_doccano(db: Database, tmp_path: Path) -> None:
    """Found by fuzzing: the doccano export wrote a rejected set's status without the
    reviewer's comment, and importing the export again was refused (a rejected set needs one)."""
    src = write_jsonl(
        tmp_path / "in.jsonl",
        {"text": "زار بوريل طوكيو", "annotator": "amal", "status": "rejected", "comment": "راجعي"},
    )
    import_one(db, src)
    [line] = export_lines(db, tmp_path, fmt="doccano")
    assert (line["status"], line["comment"]) == ("rejected", "راجعي")
    with Database.open(tmp_path / "two.db") as db2:
        back = write_jsonl(tmp_path / "back.jsonl", line)
        import_one(db2, back)
        assert export_lines(db2, tmp_path, fmt="doccano") == [line]


def test_prodigy_shape_imports(db: Database, tmp_path: Path) -> None:
    src = tmp_path / "prodigy.jsonl"
    text = "زار بوريل طوكيو"
    write_jsonl(
        src,
        {
            "text": text,
            "meta": {"source": "kuna"},
            "_input_hash": 1,
            "_task_hash": 2,
            "tokens": [{"text": "زار"}],
            "answer": "accept",
            "spans": [{"start": 4, "end": 9, "label": "PER", "token_start": 1, "token_end": 1}],
        },
    )
    import_one(db, src, annotator="amal")
    [line] = export_lines(db, tmp_path)
    assert line["spans"] == [{"start": 4, "end": 9, "label": "PER", "text": "بوريل"}]
    assert line["meta"] == {"source": "kuna", "title": text}


def test_csv_round_trip_of_text(db: Database, tmp_path: Path) -> None:
    src = tmp_path / "news.csv"
    src.write_bytes(
        (
            '\ufeffid,body,title\r\n1,"'
            + TRICKY.replace('"', '""')
            + '",خبر\r\n2,"سطر\r\nثان",آخر\r\n'
        ).encode()
    )
    import_one(db, src, text_column="body")
    lines = export_lines(db, tmp_path)
    assert [x["text"] for x in lines] == [TRICKY, "سطر\nثان"]
    assert [x["meta"]["title"] for x in lines] == ["خبر", "آخر"]
    assert lines[0]["meta"]["id"] == "1"


def test_conll_round_trip_through_the_database(db: Database, tmp_path: Path) -> None:
    src = tmp_path / "in.conll"
    src.write_text(
        "زار O\nجوزيب B-PERS\nبوريل I-PERS\nطوكيو B-LOC\n😀 O\n\n"
        "مجلس B-ORG\nالأمن I-ORG B-MISC\n\n",
        encoding="utf-8",
    )
    import_one(db, src, annotator="amal", status=SetStatus.APPROVED)
    out = tmp_path / "out.conll"
    export(Tawsim(db), out, ExportOptions(format="conll"))
    rows = [
        ln
        for ln in out.read_text(encoding="utf-8").splitlines()
        if ln and not ln.startswith("-DOCSTART-")
    ]
    assert rows == [
        "زار O",
        "جوزيب B-PERS",
        "بوريل I-PERS",
        "طوكيو B-LOC",
        "😀 O",
        "مجلس B-ORG",
        "الأمن I-ORG B-MISC",
    ]


def test_reimport_adds_nothing(db: Database, tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    write_jsonl(src, {"text": "اليابان", "spans": [{"start": 0, "end": 7, "label": "GPE"}]})
    first = import_paths(Tawsim(db, "tester"), [src], ImportOptions(annotator="amal"))
    again = import_paths(Tawsim(db, "tester"), [src], ImportOptions(annotator="amal"))
    assert (first.total("documents_added"), first.total("sets_added")) == (1, 1)
    assert (
        again.total("documents_added"),
        again.total("documents_duplicate"),
        again.total("sets_added"),
        again.total("sets_unchanged"),
    ) == (0, 1, 0, 1)


# Arbitrary text (Arabic, marks, astral, controls, CR/LF) with spans on grapheme boundaries.
ALPHABET = st.sampled_from(
    [
        *"ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإئؤةىـ",
        *"\u064b\u064e\u064f\u0650\u0651\u0652\u0670",
        *"abcXYZ0129٠٩ .,،؛\n\r\t\u200c\u200d\u200e\u200f\u202b\u202c\u2067\u2069\u00a0",
        *["😀", "🇯🇵", "👩\u200d💻", "\U0001d400"],
    ]
)


@st.composite
def texts_with_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    import regex

    text = draw(st.lists(ALPHABET, min_size=1, max_size=60).map("".join))
    from app.core.text_intake import normalize_text

    stored, _ = normalize_text(text)
    if not stored.strip():
        text = "ا" + text
        stored = "ا" + stored
    bounds = [m.start() for m in regex.finditer(r"\X", stored)] + [len(stored)]
    pairs = draw(st.lists(st.tuples(st.sampled_from(bounds), st.sampled_from(bounds)), max_size=5))
    # Spans start and end on a non-space (the import trims whitespace at span edges).
    spans = sorted(
        {
            (min(a, b), max(a, b))
            for a, b in pairs
            if a != b and not stored[min(a, b)].isspace() and not stored[max(a, b) - 1].isspace()
        }
    )
    return stored, spans


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=texts_with_spans())
def test_any_text_and_spans_round_trip(
    case: tuple[str, list[tuple[int, int]]],
    tmp_path_factory: pytest.TempPathFactory,
    _template_db: Path,
) -> None:
    text, spans = case
    folder = tmp_path_factory.mktemp("rt")
    shutil.copy(_template_db, folder / "t.db")
    src = folder / "in.jsonl"
    src.write_text(
        json.dumps(
            {
                "text": text,
                "annotator": "amal",
                "status": "approved",
                # Each span's text, as Tawsim's own JSONL carries it: without it, random spans
                # over text with emoji could count UTF-16 units as well (the file is refused).
                "spans": [
                    {"start": s, "end": e, "label": "MISC", "text": text[s:e]} for s, e in spans
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    with Database.open(folder / "t.db") as db:
        # Random spans cut words anywhere, so the span texts may also match in another unit
        # by chance (ا\naa: 'a' at code point 3 and at byte 3) with nothing else to tell them
        # apart: this is about the round trip, so the file's unit is given, as Tawsim wrote it.
        import_one(db, src, offsets=OffsetUnit.CODEPOINTS)
        [line] = export_lines(db, folder)
    assert line["text"] == text
    assert sorted((s["start"], s["end"]) for s in line["spans"]) == spans
    for s in line["spans"]:
        assert s["text"] == text[s["start"] : s["end"]]


@pytest.mark.parametrize("fmt", ["txt", "csv", "jsonl", "doccano", "conll"])
def test_tricky_text_survives_every_format(db: Database, tmp_path: Path, fmt: str) -> None:
    """Text with tashkeel, tatweel, emoji, Latin, digits and bidi controls, in every format."""
    text = TRICKY if fmt != "conll" else " ".join(TRICKY.split())  # CoNLL tokens: no spaces
    gpe = text.index("طوكيو")
    spans = [(gpe, gpe + 5, "GPE")]
    src = tmp_path / f"in.{ {'doccano': 'jsonl'}.get(fmt, fmt) }"
    if fmt == "txt":
        src.write_text(text, encoding="utf-8")
        spans = []
    elif fmt == "csv":
        src.write_text('text\n"' + text + '"\n', encoding="utf-8")
        spans = []
    elif fmt == "jsonl":
        src.write_text(
            json.dumps(
                {
                    "text": text,
                    "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
                }
            )
            + "\n",
            encoding="utf-8",
        )
    elif fmt == "doccano":
        src.write_text(
            json.dumps({"text": text, "label": [list(x) for x in spans]}) + "\n", encoding="utf-8"
        )
    else:
        tokens = text.split(" ")
        tags = ["B-GPE" if tok == "طوكيو" else "O" for tok in tokens]
        src.write_text(
            "".join(f"{t} {g}\n" for t, g in zip(tokens, tags, strict=True)), encoding="utf-8"
        )
    import_one(db, src, annotator="amal")
    [line] = export_lines(db, tmp_path, include=Selection.ALL)
    assert line["text"] == text
    assert [(s["start"], s["end"], s["label"]) for s in line["spans"]] == spans
    for s in line["spans"]:
        assert s["text"] == text[s["start"] : s["end"]] == "طوكيو"


def test_conll_in_a_txt_file_is_recognised(db: Database, tmp_path: Path) -> None:
    """ANERcorp and Wojood ship CoNLL as .txt: auto-detection reads them as CoNLL."""
    src = tmp_path / "corpus.txt"
    src.write_text(
        "زار O\nبوريل B-PERS\nطوكيو B-LOC\n\nمجلس B-ORG\nالأمن I-ORG\n", encoding="utf-8"
    )
    import_one(db, src, annotator="gold")
    lines = export_lines(db, tmp_path, include=Selection.ALL)
    assert [x["text"] for x in lines] == ["زار بوريل طوكيو", "مجلس الأمن"]
    plain = tmp_path / "article.txt"
    plain.write_text("خبر\nالنص الكامل للخبر هنا\nسطر ثالث\n", encoding="utf-8")
    import_one(db, plain)
    assert export_lines(db, tmp_path, include=Selection.ALL)[-1]["text"].startswith("خبر\n")


def test_the_same_span_twice_is_refused(db: Database, tmp_path: Path) -> None:
    src = write_jsonl(
        tmp_path / "dup.jsonl",
        {
            "text": "اليابان",
            "spans": [
                {"start": 0, "end": 7, "label": "GPE"},
                {"start": 0, "end": 7, "label": "GPE"},
            ],
        },
    )
    summary = import_paths(Tawsim(db, "tester"), [src], ImportOptions())
    assert "appears twice" in str(summary.rejected[0].error)
