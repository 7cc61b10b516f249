"""CoNLL/BIO reading and writing: offsets, nested and lenient BIO, errors, round trips."""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.core.domain import EntitySpan, SetStatus
from app.core.errors import InputError
from app.core.records import DocumentData, Record, SetData
from app.io.exporter import write_records
from app.io.formats import conll
from app.io.formats.conll import ConllWriter, read_conll
from app.io.registry import ReadOptions, WriteReport

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
ANERCORP = SHARED / "anercorp_camellab_test" / "ANERCorp_CamelLab_test.txt"
WOJOOD = SHARED / "wojood_nested_ner_sample"

Sentence = list[tuple[str, tuple[str, ...]]]


# --- helpers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """What the reader gave for one document, flattened for these tests."""

    text: str
    spans: list[EntitySpan] | None
    title: str
    line: int | None
    meta: dict[str, Any]


def flat(r: Record) -> Read:
    spans = None if r.annotation is None else list(r.annotation.spans)
    return Read(r.document.text, spans, r.document.title or "", r.line, dict(r.document.meta))


def read(path: Path) -> list[Read]:
    return [flat(r) for r in read_conll(path, ReadOptions())]


def read_text(tmp_path: Path, content: str | bytes) -> list[Read]:
    path = tmp_path / "in.conll"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return read(path)


def found(record: Read) -> list[tuple[str, str]]:
    assert record.spans is not None
    return [(record.text[s.start : s.end], s.label) for s in record.spans]


def export(records: list[Read]) -> list[Record]:
    return [
        Record(
            DocumentData(r.text, uuid=f"doc-{i}", title=r.title, meta=r.meta),
            SetData("tester", SetStatus.APPROVED, tuple(r.spans or ()), uuid=f"set-{i}"),
        )
        for i, r in enumerate(records)
    ]


def write(records: list[Record]) -> tuple[str, WriteReport]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.conll"
        report = write_records("conll", records, out)
        return out.read_text(encoding="utf-8"), report


def one(text: str, spans: tuple[EntitySpan, ...] | None, uuid: str = "d1") -> Record:
    annotation = None
    if spans is not None:
        annotation = SetData("tester", SetStatus.SUBMITTED, spans, uuid="s1")
    return Record(DocumentData(text, uuid=uuid), annotation)


def sentences(text: str) -> list[Sentence]:
    """(token, tags) per sentence, ignoring -DOCSTART- lines and how many blank lines there are."""
    result: list[Sentence] = []
    current: Sentence = []
    for line in text.split("\n"):
        fields = line.split()
        if not fields or fields[0] == "-DOCSTART-":
            if current:
                result.append(current)
            current = []
        else:
            current.append((fields[0], tuple(fields[1:])))
    if current:
        result.append(current)
    return result


def to_iob2(sents: list[Sentence]) -> list[Sentence]:
    """IOB1 -> IOB2: an ``I-T`` no ``T`` tag on the previous token can continue becomes ``B-T``.

    Nesting-aware: the previous token's ``T`` tags (B- or I-) each let one ``I-T`` continue.
    """
    result: list[Sentence] = []
    for sent in sents:
        previous: tuple[str, ...] = ()
        fixed: Sentence = []
        for token, tags in sent:
            available = Counter(t[2:] for t in previous if t != "O")
            new: list[str] = []
            for tag in tags:
                if tag.startswith("I-"):
                    if available[tag[2:]] > 0:
                        available[tag[2:]] -= 1
                    else:
                        tag = "B-" + tag[2:]
                new.append(tag)
            fixed.append((token, tuple(new)))
            previous = tags
        result.append(fixed)
    return result


def round_trip(path: Path) -> tuple[list[Read], str, WriteReport]:
    records = read(path)
    written, report = write(export(records))
    return records, written, report


def check_offsets(records: list[Read], source: Path) -> None:
    """Each record is its sentences' tokens joined by spaces; each span covers whole tokens."""
    assert [r.text.split() for r in records] == [
        [tok for tok, _ in s] for s in sentences(source.read_text("utf-8"))
    ]
    for record in records:
        assert record.spans is not None
        edges = {0, len(record.text)}
        for i, ch in enumerate(record.text):
            if ch == " ":
                edges |= {i, i + 1}
        for span in record.spans:
            assert span.start in edges and span.end in edges and span.start < span.end
            covered = record.text[span.start : span.end]
            assert covered == " ".join(covered.split())
        assert record.spans == sorted(record.spans, key=lambda s: (s.start, -s.end))


# --- reading -------------------------------------------------------------------------------


def test_offsets_title_and_line(tmp_path: Path) -> None:
    (record,) = read_text(tmp_path, "\n\nزار B-PERS\nمحمد I-PERS\nعمان B-LOC\n. O\n")
    assert record.text == "زار محمد عمان ."
    assert record.spans == [EntitySpan(0, 8, "PERS"), EntitySpan(9, 13, "LOC")]
    assert found(record) == [("زار محمد", "PERS"), ("عمان", "LOC")]
    assert record.line == 3
    assert record.title == ""  # the document service titles it from the first line


def test_nested_entities_outer_first(tmp_path: Path) -> None:
    content = (
        "مجلس B-ORG\nالأمن I-ORG\nفي I-ORG\nفلسطين I-ORG B-GPE\nالمحتلة I-ORG I-GPE\nأمس B-DATE\n"
    )
    (record,) = read_text(tmp_path, content)
    assert found(record) == [
        ("مجلس الأمن في فلسطين المحتلة", "ORG"),
        ("فلسطين المحتلة", "GPE"),
        ("أمس", "DATE"),
    ]


def test_nested_entities_of_the_same_type(tmp_path: Path) -> None:
    content = (
        "طلبة B-ORG\nجامعة I-ORG B-ORG\nبيرزيت I-ORG I-ORG B-GPE\nالفلسطينية I-ORG\n. O\n\n"
        "مكتب B-ORG\nالكونغرس I-ORG B-ORG\n. O\n"
    )
    first, second = read_text(tmp_path, content)
    assert found(first) == [
        ("طلبة جامعة بيرزيت الفلسطينية", "ORG"),  # the outer entity keeps the first I-ORG
        ("جامعة بيرزيت", "ORG"),
        ("بيرزيت", "GPE"),
    ]
    assert found(second) == [("مكتب الكونغرس", "ORG"), ("الكونغرس", "ORG")]


def test_identical_ranges_keep_column_order(tmp_path: Path) -> None:
    (record,) = read_text(tmp_path, "ووزنها O\nكيلو B-UNIT B-QUANTITY\n")
    assert found(record) == [("كيلو", "UNIT"), ("كيلو", "QUANTITY")]


def test_i_tag_starts_an_entity(tmp_path: Path) -> None:
    content = "حسني I-PERS\nمبارك I-PERS\nو O\nعمرو I-PERS\nفي B-LOC\nالقاهرة I-PERS\n"
    (record,) = read_text(tmp_path, content)
    assert found(record) == [
        ("حسني مبارك", "PERS"),
        ("عمرو", "PERS"),
        ("في", "LOC"),
        ("القاهرة", "PERS"),
    ]


def test_adjacent_entities_of_the_same_type_stay_apart(tmp_path: Path) -> None:
    content = "الصالحية B-LOC\nالمفرق B-LOC\n\nقضاء B-GPE\nالخليل I-GPE\nدورا B-GPE\n"
    first, second = read_text(tmp_path, content)
    assert found(first) == [("الصالحية", "LOC"), ("المفرق", "LOC")]
    assert found(second) == [("قضاء الخليل", "GPE"), ("دورا", "GPE")]


def test_docstart_groups_sentences_and_entities_stop_at_sentence_end(tmp_path: Path) -> None:
    content = (
        "أ B-PERS\n\nب O\n\n"  # before any -DOCSTART-: one document per sentence
        "-DOCSTART- -X- -X- O\n\nج B-ORG\nد I-ORG\n\nه I-ORG\nو O\n\n\n"
        "-DOCSTART- O\nز O\n"
    )
    records = read_text(tmp_path, content)
    assert [r.text for r in records] == ["أ", "ب", "ج د\nه و", "ز"]
    assert [r.line for r in records] == [1, 3, 7, 15]
    assert found(records[2]) == [("ج د", "ORG"), ("ه", "ORG")]
    assert all(r.spans == [] for r in (records[1], records[3]))


def test_tabs_bioes_segment_marker_and_crlf(tmp_path: Path) -> None:
    content = "\ufeffكان\tO\r\n$#$ O\r\nبان\tS-LOC\r\nكي  B-PERS\r\nمون\tE-PERS\r\nمون I-PERS\r\n"
    (record,) = read_text(tmp_path, content)
    assert record.text == "كان $#$ بان كي مون مون"
    assert found(record) == [("بان", "LOC"), ("كي مون", "PERS"), ("مون", "PERS")]


@pytest.mark.parametrize(
    ("content", "line", "needle"),
    [
        ("أ O\nب\nج O\n", 2, "has no tag"),
        ("أ O\nب B-\n", 2, "bad tag 'B-'"),
        ("أ X-PER\n", 1, "bad tag 'X-PER'"),
        ("أ O\nب b-per\n", 2, "bad tag"),
        ("-DOCSTART- -X- -X- O\nEU NNP B-NP B-ORG\n", 2, "bad tag 'NNP'"),
    ],
)
def test_bad_lines_name_their_line(tmp_path: Path, content: str, line: int, needle: str) -> None:
    with pytest.raises(InputError) as caught:
        read_text(tmp_path, content)
    assert caught.value.line == line
    assert needle in caught.value.message
    assert str(caught.value).startswith(f"{tmp_path / 'in.conll'}:{line}: ")


def test_broken_utf8_names_its_line(tmp_path: Path) -> None:
    content = "أ O\nب O\n".encode() + b"\xd8 O\n" + "د O\n".encode()
    with pytest.raises(InputError) as caught:
        read_text(tmp_path, content)
    assert ":3" in str(caught.value)
    assert "UTF-8" in str(caught.value)


def test_reading_streams(tmp_path: Path) -> None:
    path = tmp_path / "in.conll"
    path.write_bytes("أ B-LOC\n\nب O\n".encode() + b"\xff O\n")
    records = read_conll(path, ReadOptions())
    assert found(flat(next(records))) == [("أ", "LOC")]  # yielded before the bad line is read
    with pytest.raises(InputError, match="UTF-8"):
        next(records)


@pytest.mark.parametrize("content", ["", "\n  \n\t\n", "-DOCSTART- O\n\n-DOCSTART- O\n"])
def test_no_tokens_is_an_error(tmp_path: Path, content: str) -> None:
    with pytest.raises(InputError, match="no tokens") as caught:
        read_text(tmp_path, content)
    assert caught.value.path == str(tmp_path / "in.conll")


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot open file"):
        read(tmp_path / "absent.conll")


def test_registered_without_txt() -> None:
    from app.io import registry

    fmt = registry._FORMATS["conll"]
    assert fmt.read is read_conll and fmt.open is ConllWriter
    assert ".txt" not in fmt.extensions and ".conll" in fmt.extensions
    assert fmt.extensions == conll.EXTENSIONS


# --- writing -------------------------------------------------------------------------------


def test_writes_iob2_outer_first() -> None:
    text = "مجلس الأمن في فلسطين\n\n  أمس ، \n"
    spans = (
        EntitySpan(14, 20, "GPE"),  # given inner first on purpose
        EntitySpan(0, 20, "ORG"),
        EntitySpan(24, 27, "DATE"),
    )
    written, report = write([one(text, spans), one("نص", (), "d2"), one("نص آخر", None, "d3")])
    assert written == (
        "-DOCSTART- O\n\n"
        "مجلس B-ORG\nالأمن I-ORG\nفي I-ORG\nفلسطين I-ORG B-GPE\n\n"
        "أمس B-DATE\n، O\n\n"
        "-DOCSTART- O\n\nنص O\n\n"
    )
    # A document nobody annotated is not a document without entities: left out, and said so.
    assert (report.records, report.spans) == (2, 3)
    assert report.warnings == [
        "1 document(s) nobody annotated left out: CoNLL has no way to say 'not annotated' "
        "(all O would claim 'no entities')"
    ]


def test_same_range_spans_keep_annotation_order() -> None:
    written, _ = write([one("كيلو", (EntitySpan(0, 4, "UNIT"), EntitySpan(0, 4, "QUANTITY")))])
    assert "كيلو B-UNIT B-QUANTITY\n" in written


def test_clitic_and_punctuation_stay_out_of_the_entity() -> None:
    """The tokens are cut at span edges: ``ب`` and the comma are tokens of their own (the
    same tokens as the training CoNLL and Hugging Face files), nothing is widened."""
    text = "رحب بالاتحاد الأوروبي، اليوم"
    written, report = write([one(text, (EntitySpan(5, 21, "ORG"),), "doc-7")])
    assert "رحب O\nب O\nالاتحاد B-ORG\nالأوروبي I-ORG\n، O\nاليوم O\n" in written
    assert (report.spans, report.warnings) == (1, [])


def test_unwritable_spans_are_reported() -> None:
    text = "أ ب\nج  د"
    spans = (
        EntitySpan(2, 5, "LOC"),  # crosses the line break: one sentence
        EntitySpan(6, 7, "PERS"),  # only whitespace
        EntitySpan(0, 3, "X"),  # crosses the next X span without nesting
        EntitySpan(2, 8, "X"),  # also crosses the line break
    )
    written, report = write([one(text, spans), one(" \n ", ())])
    assert sentences(written) == [
        [
            ("أ", ("B-X",)),
            ("ب", ("I-X", "B-X", "B-LOC")),
            ("ج", ("O", "I-X", "I-LOC")),  # one IOB2 layer per column
            ("د", ("O", "I-X")),
        ]
    ]
    assert (report.records, report.spans) == (1, 3)
    messages = "\n".join(report.warnings)
    assert "whitespace" in messages and "PERS" in messages
    assert "overlap without nesting" in messages and "no tokens" in messages
    assert len(report.warnings) == 3


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "documents", "spans"),
    # Spans: B- tags plus I- tags that start an entity (counted separately with awk)
    [("wojood_excerpt.txt", 18, 124), ("anercorp_excerpt.txt", 22, 63)],
)
def test_fixture_round_trip(tmp_path: Path, name: str, documents: int, spans: int) -> None:
    path = FIXTURES / name
    records, written, report = round_trip(path)
    check_offsets(records, path)
    assert (len(records), sum(len(r.spans or ()) for r in records)) == (documents, spans)
    assert (report.records, report.spans, report.warnings) == (documents, spans, [])
    # Export is IOB2; both excerpts hold I- tags that start entities.
    original = sentences(path.read_text("utf-8"))
    assert to_iob2(original) != original
    assert sentences(written) == to_iob2(original)
    again = read_text(tmp_path, written)
    assert [(r.text, r.spans) for r in again] == [(r.text, r.spans) for r in records]


def test_fixture_has_the_cases_it_is_for() -> None:
    lines = (FIXTURES / "wojood_excerpt.txt").read_text("utf-8").splitlines()
    assert "بيرزيت I-EVENT I-ORG I-ORG B-GPE" in lines
    assert "كيلو B-UNIT B-QUANTITY" in lines and "$#$ O" in lines
    aner = sentences((FIXTURES / "anercorp_excerpt.txt").read_text("utf-8"))
    assert any(s[0][1][0].startswith("I-") for s in aner)


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["train.txt", "val.txt"])
def test_wojood_round_trip(name: str) -> None:
    path = WOJOOD / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    records, written, report = round_trip(path)
    check_offsets(records, path)
    assert report.warnings == []
    original = sentences(path.read_text("utf-8"))
    assert sentences(written) == to_iob2(original)
    if name == "val.txt":
        assert sentences(written) == original  # no I- starts: exactly the same tags


@pytest.mark.shared_data
def test_anercorp_round_trip_and_counts() -> None:
    if not ANERCORP.exists():
        pytest.skip(f"{ANERCORP} not present")
    records, written, report = round_trip(ANERCORP)
    check_offsets(records, ANERCORP)
    labels = Counter(s.label for r in records for s in r.spans or ())
    # The counts given in the data set's SOURCE.md.
    assert len(records) == 925 and sum(labels.values()) == 2285
    assert labels == {"PERS": 907, "LOC": 676, "ORG": 459, "MISC": 243}
    assert report.warnings == []
    assert sentences(written) == to_iob2(sentences(ANERCORP.read_text("utf-8")))
