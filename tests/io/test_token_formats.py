"""Token JSONL for Hugging Face and CoNLL/BIO for training, checked in their real consumers:
``datasets`` loads the JSONL (tags cast to ClassLabel) and seqeval scores the CoNLL output."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import datasets
import pytest
from seqeval.metrics import classification_report, f1_score
from seqeval.metrics.sequence_labeling import get_entities

from app.core.commands import AddSpan, ApproveDraft, SetStance
from app.core.domain import EntitySpan, Selection, SetStatus, StanceJudgement, TextRange
from app.core.records import DocumentData, Record, SetData
from app.io.exporter import write_records
from app.io.formats.conll import read_conll
from app.io.formats.hf_tokens import labels_path, token_features
from app.io.importer import ImportOptions, import_paths
from app.io.registry import ReadOptions, WriteOptions, WriteReport
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import SEEDS, as_user, shared_file

Span = tuple[int, int, str]

# (text to find, occurrence, label), as app.gui.screenshots annotates the demo (no Qt here).
DEMO_SPANS = [
    ("اليابان", 0, "GPE"),
    ("الاتحاد الأوروبي", 0, "ORG"),  # after و: والاتحاد
    ("الاتحاد الأوروبي", 1, "ORG"),
    ("اليابان", 1, "GPE"),
    ("الصين", 0, "GPE"),
    ("كوريا الشمالية", 0, "GPE"),
    ("منسق السياسة الخارجية بالاتحاد الأوروبي", 0, "MISC"),
    ("الاتحاد الأوروبي", 3, "ORG"),  # nested in the MISC span, after ب: بالاتحاد
    ("جوزيب بوريل", 0, "PER"),
    ("يوم الجمعة", 0, "DATE"),
    ("تاكيشي إيوايا", 0, "PER"),
]
EDGE_TEXT = (
    "وصل ماكرون إلى طوكيو🇯🇵 اليوم😀، والاتحاد الأوروبي يرحب بالسيارة.\n"
    "قال منسق السياسة الخارجية بالاتحاد الأوروبي إن باريس\nفرنسا مدينة."
)


def at(text: str, needle: str, label: str, n: int = 0) -> EntitySpan:
    start = -1
    for _ in range(n + 1):
        start = text.index(needle, start + 1)
    return EntitySpan(start, start + len(needle), label)


def record(text: str, spans: list[EntitySpan], doc_id: str = "doc-1") -> Record:
    document = DocumentData(text, uuid=doc_id)
    return Record(document, SetData("gold", SetStatus.APPROVED, (*spans,), uuid="set-" + doc_id))


def edge_records() -> list[Record]:
    """An emoji glued to an entity, clitics before entities, nesting, crossing spans and a span
    running over a line break."""
    t = EDGE_TEXT
    spans = [
        at(t, "طوكيو", "GPE"),
        at(t, "الاتحاد الأوروبي", "ORG"),
        at(t, "منسق السياسة الخارجية بالاتحاد الأوروبي", "MISC"),
        at(t, "الاتحاد الأوروبي", "ORG", 1),
        at(t, "ماكرون إلى", "EVENT"),  # crosses the next one
        at(t, "إلى طوكيو🇯🇵", "LOC"),
        at(t, "ماكرون", "PER"),
        at(t, "باريس\nفرنسا", "LOC"),
    ]
    return [record(t, spans), record("لا كيانات هنا.", [], "doc-2")]


def annotated_demo(db: Database) -> list[Record]:
    """The seeds imported, the first annotated like the demo (nested span, stances), approved."""
    import_paths(Tawsim(db, "admin"), [SEEDS], ImportOptions())
    ws = as_user(db, "admin")
    doc_id = ws.page_ids(ws.query(), None, 1)[0]
    text = ws.document(doc_id).text
    for needle, n, label in DEMO_SPANS:
        ws.perform(AddSpan(doc_id, at(text, needle, label, n), str(uuid.uuid4())))
    quote = at(text, "لا يوجد سوى ترياق واحد لهذا العالم", "")
    holder = at(text, "جوزيب بوريل", "")
    judgements = [
        StanceJudgement(
            "اليابان",
            "FAVOR",
            (TextRange(quote.start, quote.end),),
            TextRange(holder.start, holder.end),
        ),
        StanceJudgement("الصين", "AGAINST"),
    ]
    for judgement in judgements:
        ws.perform(SetStance(doc_id, judgement, str(uuid.uuid4())))
    ws.perform(ApproveDraft(doc_id))
    records = list(Tawsim(db).records(Selection.APPROVED))
    assert len(records) == 1
    assert records[0].annotation is not None
    assert len(records[0].annotation.spans) == len(DEMO_SPANS)
    return records


def wojood_records(db: Database, tmp_path: Path) -> list[Record]:
    src = tmp_path / "val.conll"
    src.write_bytes(shared_file("wojood_nested_ner_sample", "val.txt").read_bytes())
    options = ImportOptions(annotator="gold", status=SetStatus.APPROVED)
    summary = import_paths(Tawsim(db, "admin"), [src], options)
    assert not summary.rejected, summary.rejected[0].error
    return list(Tawsim(db).records(Selection.APPROVED))


def write_hf_tokens(
    records: list[Record], out: Path, *, split_clitics: bool = False, labels: Any = ()
) -> WriteReport:
    options = WriteOptions(split_clitics=split_clitics, labels=tuple(labels))
    return write_records("hf-tokens", records, out, options)


def write_conll_tokens(
    records: list[Record], out: Path, *, split_clitics: bool = False
) -> WriteReport:
    return write_records("conll", records, out, WriteOptions(split_clitics=split_clitics))


def outer_layer(spans: list[EntitySpan]) -> list[Span]:
    """Greedy outermost-first: by (start, longest), each span not overlapping one taken."""
    taken: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if all(s.end <= a or b <= s.start for a, b, _ in taken):
            taken.append((s.start, s.end, s.label))
    return taken


def all_spans(records: list[Record]) -> dict[str, list[Span]]:
    return {
        r.document.uuid: sorted((s.start, s.end, s.label) for s in r.annotation.spans)
        for r in records
        if r.annotation is not None and r.annotation.spans
    }


# --- Hugging Face -----------------------------------------------------------------------


def load_tokens(path: Path, cache: Path, **kwargs: Any) -> datasets.Dataset:
    """The JSONL as ``datasets`` loads it, tags cast to the ClassLabel in labels.json."""
    names = json.loads(labels_path(path).read_text(encoding="utf-8"))["ner_tags"]
    data = datasets.load_dataset(
        "json", data_files={"train": str(path)}, cache_dir=str(cache), **kwargs
    )["train"]
    tag = datasets.ClassLabel(names=names)
    data = data.cast_column("ner_tags", datasets.List(tag))
    return data.cast_column("ner_tags_nested", datasets.List(datasets.List(tag)))


def decoded(row: dict[str, Any], names: list[str]) -> tuple[list[Span], list[Span]]:
    """(outer layer, every layer) entities of a loaded row, as character spans."""
    layers = [row["ner_tags"], *row["ner_tags_nested"]]
    spans = [
        [
            (row["offsets"][a][0], row["offsets"][b][1], label)
            for label, a, b in get_entities([names[i] for i in layer])
        ]
        for layer in layers
    ]
    return spans[0], sorted(s for layer in spans for s in layer)


def check_hf(records: list[Record], path: Path, cache: Path) -> datasets.Dataset:
    data = load_tokens(path, cache)
    names = data.features["ner_tags"].feature.names
    texts = {r.document.uuid: r.document.text for r in records}
    expected = all_spans(records)
    by_id = {r.document.uuid: r for r in records}
    assert len(data) == len([r for r in records if r.document.text.strip()])
    for row in data:
        text = texts[row["id"]]
        n = len(row["tokens"])
        assert n == len(row["ner_tags"]) == len(row["offsets"]) > 0
        assert row["ner_tags_nested"] and all(len(layer) == n for layer in row["ner_tags_nested"])
        assert row["tokens"] == [text[a:b] for a, b in row["offsets"]]
        outer, every = decoded(row, names)
        assert every == expected.get(row["id"], [])  # every span in some layer, exactly
        annotation = by_id[row["id"]].annotation
        assert annotation is not None
        assert outer == outer_layer(list(annotation.spans))
        assert sorted((s["start"], s["end"], s["label"]) for s in row["spans"]) == every
        for start, end, _ in every:  # the tokens of a span spell its text
            inside = [
                t
                for t, (a, b) in zip(row["tokens"], row["offsets"], strict=True)
                if start <= a < end
            ]
            assert "".join(inside) == "".join(text[start:end].split())
    return data


def test_hf_tokens_align_emoji_clitics_nesting_and_crossing(tmp_path: Path) -> None:
    records = edge_records()
    out = tmp_path / "train.jsonl"
    result = write_hf_tokens(records, out)
    assert (result.records, result.spans_in, result.spans) == (2, 8, 8)
    assert result.warnings == []
    labels = json.loads(labels_path(out).read_text(encoding="utf-8"))
    assert labels["ner_tags"] == [
        "O", "B-EVENT", "I-EVENT", "B-GPE", "I-GPE", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
        "B-ORG", "I-ORG", "B-PER", "I-PER",
    ]  # fmt: skip
    data = check_hf(records, out, tmp_path / "hf")
    tokens = data[0]["tokens"]
    for pair in (["طوكيو", "🇯🇵"], ["اليوم", "😀", "،"], ["و", "الاتحاد"], ["ب", "الاتحاد"]):
        assert any(tokens[i : i + len(pair)] == pair for i in range(len(tokens))), pair
    assert "بالسيارة" in tokens
    layers = [data[0]["ner_tags"], *data[0]["ner_tags_nested"]]
    assert len(layers) == 2  # MISC ⊃ ORG; EVENT, GPE outer and PER, LOC (crossing EVENT) inner
    assert data[1]["ner_tags_nested"] == [[0] * len(data[1]["tokens"])]  # one layer, all O
    split = tmp_path / "split" / "train.jsonl"
    split.parent.mkdir()
    write_hf_tokens(records, split, split_clitics=True, labels=["NORP"])
    assert "السيارة" in load_tokens(split, tmp_path / "hf2")[0]["tokens"]
    names = json.loads(labels_path(split).read_text(encoding="utf-8"))["ner_tags"]
    assert "B-NORP" in names


def test_hf_nested_layers_load_when_nesting_comes_late(tmp_path: Path) -> None:
    """datasets types columns from the first chunk: a flat start must not type them null."""
    flat = []
    for i in range(200):
        text = f"نص رقم {i} عن اليابان."
        flat.append(record(text, [at(text, "اليابان", "GPE")], f"d{i:03}"))
    out = tmp_path / "t.jsonl"
    write_hf_tokens([*flat, edge_records()[0]], out)
    data = load_tokens(out, tmp_path / "hf", chunksize=2000)
    b_org = data.features["ner_tags"].feature.str2int("B-ORG")
    assert len(data) == 201 and b_org in data[-1]["ner_tags_nested"][0]


def test_hf_token_features_type_every_column(tmp_path: Path) -> None:
    """With token_features even a file whose first lines have no spans at all loads."""
    flat = [record(f"نص رقم {i}.", [], f"d{i:03}") for i in range(200)]
    out = tmp_path / "t.jsonl"
    write_hf_tokens([*flat, *edge_records()], out, labels=["NORP"])
    names = json.loads(labels_path(out).read_text(encoding="utf-8"))["ner_tags"]
    features = datasets.Features.from_dict(token_features(names))
    data = datasets.load_dataset(
        "json",
        data_files={"train": str(out)},
        cache_dir=str(tmp_path / "hf"),
        features=features,
        chunksize=2000,
    )["train"]
    assert data.features == features and len(data) == 202
    assert data.features["ner_tags"].feature.names == names
    check_hf([*flat, *edge_records()], out, tmp_path / "hf2")


def test_hf_reports_spans_that_cover_no_whole_token(tmp_path: Path) -> None:
    text = "زار ماكرون طوكيو"
    spans = [EntitySpan(3, 10, "PER"), EntitySpan(11, 16, "GPE"), EntitySpan(20, 25, "GPE")]
    result = write_hf_tokens([record(text, spans)], tmp_path / "t.jsonl")
    assert (result.spans_in, result.spans) == (3, 1)
    assert result.warnings == [
        "doc-1 [3, 10) PER: starts or ends on whitespace or covers no token",
        "doc-1 [20, 25) GPE: empty or outside the text",
    ]


def test_hf_demo_corpus(db: Database, tmp_path: Path) -> None:
    records = annotated_demo(db)
    out = tmp_path / "demo.jsonl"
    result = write_hf_tokens(records, out)
    assert result.spans == result.spans_in == len(DEMO_SPANS) and not result.warnings
    data = check_hf(records, out, tmp_path / "hf")
    b_org = data.features["ner_tags"].feature.str2int("B-ORG")
    assert len(data[0]["ner_tags_nested"]) == 1 and b_org in data[0]["ner_tags_nested"][0]


@pytest.mark.shared_data
def test_hf_wojood_keeps_every_nested_span(db: Database, tmp_path: Path) -> None:
    records = wojood_records(db, tmp_path)
    out = tmp_path / "wojood.jsonl"
    result = write_hf_tokens(records, out)
    assert result.spans == result.spans_in > 0 and not result.warnings
    data = check_hf(records, out, tmp_path / "hf")
    assert any(set(row[0]) != {0} for row in data["ner_tags_nested"])  # nesting kept


# --- CoNLL ------------------------------------------------------------------------------

Doc = list[list[tuple[str, list[str]]]]  # sentences of (token, tags)


def parse_conll(path: Path) -> list[Doc]:
    docs: list[Doc] = []
    sentence: list[tuple[str, list[str]]] = []
    for line in [*path.read_text(encoding="utf-8").split("\n"), ""]:
        if line.startswith("-DOCSTART-"):
            assert line == "-DOCSTART- O"
            docs.append([])
        elif not line:
            if sentence:
                docs[-1].append(sentence)
            sentence = []
        else:
            token, *tags = line.split(" ")
            assert tags and all(t == "O" or t[:2] in ("B-", "I-") for t in tags), line
            sentence.append((token, tags))
    return docs


def token_offsets(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Where each token is in the text: tokens come in order, only whitespace between."""
    offsets, pos = [], 0
    for token in tokens:
        start = text.index(token, pos)
        assert not text[pos:start].strip(), (text[pos:start], token)
        offsets.append((start, start + len(token)))
        pos = start + len(token)
    assert not text[pos:].strip()
    return offsets


def check_conll(records: list[Record], path: Path) -> list[Doc]:
    docs = parse_conll(path)
    kept = [r for r in records if r.annotation is not None and r.document.text.strip()]
    assert len(docs) == len(kept)
    y: list[list[str]] = []
    for rec, doc in zip(kept, docs, strict=True):
        assert rec.annotation is not None
        rows = [row for sentence in doc for row in sentence]
        offsets = token_offsets(rec.document.text, [token for token, _ in rows])
        depth = max(len(tags) for _, tags in rows)
        layers = [[tags[k] if k < len(tags) else "O" for _, tags in rows] for k in range(depth)]
        spans = [
            (offsets[a][0], offsets[b][1], label)
            for layer in layers
            for label, a, b in get_entities(layer)
        ]
        assert sorted(spans) == sorted((s.start, s.end, s.label) for s in rec.annotation.spans)
        outer = [(offsets[a][0], offsets[b][1], lab) for lab, a, b in get_entities(layers[0])]
        assert outer == outer_layer(list(rec.annotation.spans))
        for sentence in doc:  # no entity crosses a sentence break
            y.append([tags[0] for _, tags in sentence])
            assert sentence[0][1][0][:2] != "I-"
    assert f1_score(y, y) == 1.0 or not any(t != "O" for s in y for t in s)
    assert "micro avg" in classification_report(y, y, zero_division=0)
    # The project's own CoNLL reader reads the same entities back (tokens joined by spaces).
    back = list(read_conll(path, ReadOptions()))
    for rec, got in zip(kept, back, strict=True):
        assert rec.annotation is not None
        text = rec.document.text
        words = Counter(
            (s.label, "".join(text[s.start : s.end].split())) for s in rec.annotation.spans
        )
        assert words == Counter(
            (s.label, got.document.text[s.start : s.end].replace(" ", ""))
            for s in (got.annotation.spans if got.annotation else ())
        )
    return docs


def test_conll_emoji_clitics_nesting_and_line_breaks(tmp_path: Path) -> None:
    records = edge_records()
    out = tmp_path / "train.conll"
    result = write_conll_tokens(records, out, split_clitics=False)
    assert (result.records, result.spans_in, result.spans, result.warnings) == (2, 8, 8, [])
    docs = check_conll(records, out)
    rows = [row for sentence in docs[0] for row in sentence]
    assert ("و", ["O"]) in rows and ("الاتحاد", ["B-ORG"]) in rows
    assert ("طوكيو", ["B-GPE", "I-LOC"]) in rows and ("🇯🇵", ["O", "I-LOC"]) in rows
    assert ("بالسيارة", ["O"]) in rows
    assert len(docs[0]) == 2  # three lines; the LOC span keeps the last two together
    text = out.read_text(encoding="utf-8")
    assert text.startswith("-DOCSTART- O\n\nوصل O\nماكرون B-EVENT B-PER\n")
    assert "\nالاتحاد I-MISC B-ORG\n" in text  # nested tags outer first
    split = tmp_path / "split.conll"
    write_conll_tokens(records, split, split_clitics=True)
    check_conll(records, split)
    assert "\nب O\nالسيارة O\n" in split.read_text(encoding="utf-8")


def test_conll_demo_corpus(db: Database, tmp_path: Path) -> None:
    records = annotated_demo(db)
    for split_clitics in (False, True):
        out = tmp_path / f"demo-{split_clitics}.conll"
        result = write_conll_tokens(records, out, split_clitics=split_clitics)
        assert result.spans == result.spans_in == len(DEMO_SPANS) and not result.warnings
        check_conll(records, out)
    plain, split = (
        (tmp_path / f"demo-{c}.conll").read_text(encoding="utf-8") for c in (False, True)
    )
    for text in (plain, split):  # span edges cut tokens either way
        assert "\nب I-MISC\nالاتحاد I-MISC B-ORG\nالأوروبي I-MISC I-ORG\n" in text
    assert "\nوالمحيط O\n" in plain and "\nو O\nالمحيط O\n" in split


@pytest.mark.shared_data
def test_conll_wojood_keeps_every_nested_span(db: Database, tmp_path: Path) -> None:
    records = wojood_records(db, tmp_path)
    out = tmp_path / "wojood.conll"
    result = write_conll_tokens(records, out, split_clitics=True)
    assert result.spans == result.spans_in > 0 and not result.warnings
    docs = check_conll(records, out)
    assert any(len(tags) > 1 for doc in docs for s in doc for _, tags in s)
