"""The token formats written a batch at a time (app.core.token_batch) are the files written one
record at a time, byte for byte, with the same reports: whatever the texts (plain or not, line
breaks, runs of whitespace, marks, bidi controls), the spans (cutting words, nested, crossing,
on whitespace, out of order) and the mix of records in a batch."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.domain import EntitySpan, SetStatus, StanceJudgement, TextRange
from app.core.records import DocumentData, Record, SetData
from app.core.token_batch import TokenBatch
from app.core.tokens import PRETOKENIZED
from app.io import registry
from app.io.formats import spacy_docbin
from app.io.registry import WriteOptions
from app.io.text_writer import BatchedTextWriter

pytest.importorskip("spacy")

FORMATS = ("conll", "hf-tokens", "spacy")
CHARS = [
    *"بالاتحاد الأوروبي في",
    *"ً ّ",  # marks
    *" \n\t\u00a0",
    *'.،؟"\\-«»()',
    *"0٣4aBé_",
    "\u0640",  # tatweel
    "\u200f",  # right-to-left mark
    "\u202b",
    "ﻷ",  # a presentation form
    "😀",  # beyond the BMP: not plain
    "\u0600",  # joins what follows: not plain
    "\u200d",
    "\x1c",
]
LABELS = ["PER", "ORG", "LOC", "a b"]  # a label with a space: CoNLL cannot write it
OPTIONS = WriteOptions(
    labels=tuple(LABELS),
    labels_file=False,
    stance_targets=("الحكومة",),
    stance_values=("FAVOR", "AGAINST"),
)


@st.composite
def records(draw: Any) -> Record:
    text = draw(st.text(st.sampled_from(CHARS), min_size=1, max_size=30))
    meta: dict[str, Any] = {"n": 1}
    if draw(st.integers(0, 9)) == 0:  # a token file's tokens
        meta[PRETOKENIZED] = True
    document = DocumentData(text, uuid=f"doc-{draw(st.integers(0, 10**6))}", meta=meta)
    if draw(st.integers(0, 5)) == 0:
        return Record(document)
    n = len(text)
    extents = (
        st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted).filter(lambda r: r[0] < r[1])
    )
    spans = draw(
        st.lists(
            st.builds(
                lambda r, label: EntitySpan(r[0], r[1], label), extents, st.sampled_from(LABELS)
            ),
            max_size=4,
            unique=True,
        )
    )
    if draw(st.booleans()):  # most sets come from the store, in its order
        spans.sort(key=lambda s: (s.start, -s.end))
    stances = ()
    if draw(st.booleans()):
        stances = (StanceJudgement("الحكومة", "FAVOR", (TextRange(0, 1),), None),)
    return Record(document, SetData("amal", SetStatus.APPROVED, tuple(spans), stances, uuid="set"))


def written(fmt: str, corpus: list[Record], target: Path, *, one_by_one: bool) -> tuple[Any, ...]:
    writer = registry.get(fmt).open(target, OPTIONS)
    for record in corpus:
        (writer.write_one if one_by_one else writer.write)(record)  # type: ignore[attr-defined]
    writer.close()
    report = writer.report
    if target.is_dir():
        data = [zlib.decompress(p.read_bytes()) for p in sorted(target.iterdir())]
    else:
        data = target.read_bytes()
        data = zlib.decompress(data) if fmt == "spacy" else data
    return data, report.records, report.spans_in, report.spans, report.warnings


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(corpus=st.lists(records(), min_size=1, max_size=14), fmt=st.sampled_from(FORMATS))
def test_a_batch_writes_what_one_record_at_a_time_writes(
    corpus: list[Record],
    fmt: str,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # small batches and files: several batches, shards across them
    monkeypatch.setattr(BatchedTextWriter, "BATCH", 5)
    monkeypatch.setattr(spacy_docbin.DocBinWriter, "BATCH", 5)
    monkeypatch.setattr(spacy_docbin, "SHARD_DOCS", 3)
    folder = tmp_path_factory.mktemp("formats")
    one = written(fmt, corpus, folder / "one", one_by_one=True)
    batched = written(fmt, corpus, folder / "batch", one_by_one=False)
    assert batched[1:4] == one[1:4]
    assert [w.replace("batch", "one") for w in batched[4]] == one[4]
    assert batched[0] == one[0]


def test_plain_news_is_taken_by_the_batch() -> None:
    """The batch takes what it can write exactly (else the test above proves little)."""
    texts = [
        "قال الوزير إن الاتحاد\nالأوروبي سيجتمع.",
        "نص  فيه\t\tفراغات، و«علامات»",
        "😀 ليس عاديا",
    ]
    spans = [[EntitySpan(4, 10, "PER"), EntitySpan(14, 30, "ORG")], None, []]
    batch = TokenBatch(texts, spans)
    assert batch.taken.tolist() == [True, True, False]
    first = batch.first_token[0]
    assert [
        batch.text[a:b]
        for a, b in zip(batch.starts[first : first + 3], batch.ends[first : first + 3], strict=True)
    ] == ["قال", "الوزير", "إن"]
    assert batch.tag_names[batch.tags[first + 1]] == "B-PER"
    assert not batch.breaks[first + 4]  # الأوروبي begins a line, but the ORG span runs across it
    second = TokenBatch(["سطر أول\nسطر ثان"], [[]])
    assert second.breaks.tolist() == [False, False, True, False]
