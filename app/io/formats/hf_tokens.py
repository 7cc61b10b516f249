"""Hugging Face token classification JSONL (``.tokens.jsonl``), with ``labels.json`` beside it.

One JSON line per annotated document, tokens from :func:`app.core.tokens.tag_document` (the
same as every token format), nested spans over layers of IOB2 tags::

    {"id": doc uuid, "tokens": [...], "ner_tags": [layer 0 tags],
     "ner_tags_nested": [[layer 1 tags], ...], "offsets": [[start, end], ...],
     "spans": [{"start", "end", "label"}, ...]}

``ner_tags_nested`` always holds at least one layer (all ``O`` when nothing nests): ``datasets``
types a column from the first 10 MB of the first file it reads, and a column that is empty
there would be typed null and fail to load later rows. ``offsets`` are code points into the
document text (``text[start:end]`` is the token), or the unit ``--offsets`` asks for (a
document with a token edge inside one of its units is left out, with a warning); ``spans`` are
the annotation's own spans, in the same unit.
``NAME.labels.json`` beside ``NAME.jsonl`` (or the training set's one ``labels.json``) lists the
tag names in ClassLabel order (``O``, then ``B-`` and ``I-`` of each label, sorted:
:func:`app.core.tokens.tag_names`) for every label in ``WriteOptions.labels`` or met in the
file; :func:`token_features` gives the full column types, for files where even ``spans`` might
be empty in every line of the first 10 MB. Records without an annotation (``--include all``)
and documents without tokens are left out, and counted in the warnings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy
import orjson

from app.core import json_text
from app.core.offset_units import OffsetUnit, UnitMap
from app.core.records import Record
from app.core.token_batch import Pool, TokenBatch, gathered, layout
from app.core.tokens import is_pretokenized, tag_document, tag_names
from app.io.output import write_atomically
from app.io.registry import WriteOptions, writer
from app.io.text_writer import BatchedTextWriter

_NUMBER_TEXT: list[Any] = []
"""The texts of the numbers :func:`_numbers` made last (and up to which number)."""


def _numbers(limit: int, base: int) -> tuple[bytes, Any, Any]:
    """``[n,`` for every ``n`` below ``limit`` (a token's start), and ``n],`` and ``n]],
    "spans":`` (its end, of a document's last token or not), in one buffer that begins at
    ``base`` of the source they are gathered from: the buffer, then (offsets, lengths) of the
    first, indexed by ``n``, and of the others, indexed by (last, ``n``)."""
    if not _NUMBER_TEXT or _NUMBER_TEXT[0] < limit:
        size = max(limit, 2 * (_NUMBER_TEXT[0] if _NUMBER_TEXT else 4096))
        digits = [b"%d" % n for n in range(size)]
        parts = [
            [b"[" + d + b"," for d in digits],
            [d + b"]," for d in digits],
            [d + b']],"spans":' for d in digits],
        ]
        lengths = [numpy.fromiter(map(len, p), dtype=numpy.int64, count=size) for p in parts]
        starts = numpy.cumsum(numpy.concatenate(lengths)) - numpy.concatenate(lengths)
        _NUMBER_TEXT[:] = [size, b"".join(b"".join(p) for p in parts), starts, lengths]
    size, data, starts, lengths = _NUMBER_TEXT
    opening = (base + starts[:size], lengths[0])
    closing = (
        base + numpy.stack([starts[size : 2 * size], starts[2 * size :]]),
        numpy.stack([lengths[1], lengths[2]]),
    )
    return data, opening, closing


def labels_path(target: Path) -> Path:
    """``gold.tokens.jsonl`` -> ``gold.tokens.labels.json``."""
    return target.with_name(target.name.removesuffix(".jsonl") + ".labels.json")


def token_features(names: list[str]) -> dict[str, Any]:
    """The column types as ``datasets.Features.from_dict`` takes them, tags as ClassLabel of
    ``names`` (labels.json): ``load_dataset("json", ..., features=Features.from_dict(...))``
    needs no ``cast_column`` and no type inference."""
    string: dict[str, Any] = {"dtype": "string", "_type": "Value"}
    int64: dict[str, Any] = {"dtype": "int64", "_type": "Value"}
    tags = {"feature": {"names": list(names), "_type": "ClassLabel"}, "_type": "List"}
    return {
        "id": string,
        "tokens": {"feature": string, "_type": "List"},
        "ner_tags": tags,
        "ner_tags_nested": {"feature": tags, "_type": "List"},
        "offsets": {"feature": {"feature": int64, "_type": "List"}, "_type": "List"},
        "spans": {
            "feature": {"start": int64, "end": int64, "label": string},
            "_type": "List",
        },
    }


@writer(
    "hf-tokens",
    "Hugging Face token classification (JSON Lines)",
    (".tokens.jsonl", ".jsonl"),
    training_file="{split}.tokens.jsonl",
)
class HfTokensWriter(BatchedTextWriter):
    def __init__(self, target: Path | str, options: WriteOptions):
        super().__init__(target, options)
        self.labels = set(options.labels)
        self.left_out = 0

    def takes(self, batch: TokenBatch, records: list[Record]) -> Any:
        taken = super().takes(batch, records)
        return taken if self.options.offsets in (None, OffsetUnit.CODEPOINTS) else taken & False

    def render(self, batch: TokenBatch, docs: Any, records: list[Record]) -> tuple[bytes, Any]:
        """Every document's line at once (:func:`token_batch.layout`): its tokens, tags and
        offsets from the batch's columns, its id and spans by orjson."""
        tokens = batch.tokens_of(docs)
        counts = batch.end_token[docs] - batch.first_token[docs]
        last = numpy.zeros(len(tokens), dtype=numpy.int64)  # 1 for a document's last token
        last[numpy.cumsum(counts) - 1] = 1
        local_start = batch.starts[tokens] - numpy.repeat(batch.doc_start[docs], counts)
        local_end = batch.ends[tokens] - numpy.repeat(batch.doc_start[docs], counts)
        numbers, opening, closing = _numbers(int(local_end.max()) + 1, len(batch.utf8))
        pool = Pool(len(batch.utf8) + len(numbers))
        word_at, word_len = batch.token_bytes()
        word_at, word_len = word_at[tokens], word_len[tokens]
        # the only characters of plain text JSON escapes are the quote and the backslash,
        # each a token of its own
        single = batch.utf8_array[word_at] * (word_len == 1)
        for char in ('"', "\\"):
            escaped = single == ord(char)
            word_at[escaped], word_len[escaped] = pool.add(json_text.dumps(char)[1:-1].encode())
        heads, tails = [], []
        for record in records:
            annotation = record.annotation
            assert annotation is not None
            spans = annotation.spans  # in order (start, longest first): the batch took it
            heads.append(b'{"id":' + orjson.dumps(record.document.uuid) + b',"tokens":["')
            tails.append(
                orjson.dumps([{"start": x.start, "end": x.end, "label": x.label} for x in spans])
                + b"}\n"
            )
            self.labels.update(x.label for x in spans)
            self.report.spans_in += len(spans)
            self.report.spans += len(spans)
            self.report.records += 1
        # what follows a token's piece, by whether the token is its document's last
        after_word = pool.table([b'","', b'"],"ner_tags":['])
        names = [json_text.dumps(t).encode() for t in batch.tag_names]
        tag_table = pool.table(
            [t + b"," for t in names] + [t + b'],"ner_tags_nested":[[' for t in names]
        )
        outside = pool.table([b'"O",', b'"O"]],"offsets":['])
        tag = batch.tags[tokens] + last * len(names)
        pieces = [
            pool.each(heads),
            (
                numpy.stack([word_at, after_word[0][last]], axis=1),
                numpy.stack([word_len, after_word[1][last]], axis=1),
            ),
            (tag_table[0][tag][:, None], tag_table[1][tag][:, None]),
            (outside[0][last][:, None], outside[1][last][:, None]),
            (
                numpy.stack([opening[0][local_start], closing[0][last, local_end]], axis=1),
                numpy.stack([opening[1][local_start], closing[1][last, local_end]], axis=1),
            ),
        ]
        pieces.append(pool.each(tails))
        source = numpy.frombuffer(batch.utf8 + numbers + pool.bytes(), dtype=numpy.uint8)
        return gathered(source, *layout(counts, pieces))

    def write_one(self, record: Record) -> None:
        doc, annotation = record.document, record.annotation
        if annotation is None:
            self.left_out += 1
            return
        self.report.spans_in += len(annotation.spans)
        tagged = tag_document(
            doc.text,
            annotation.spans,
            split_clitics=self.options.split_clitics,
            pretokenized=is_pretokenized(doc.meta),
        )
        self.report.warnings.extend(
            f"{doc.uuid} [{s.start}, {s.end}) {s.label}: {why}" for s, why in tagged.left_out
        )
        if not tagged.starts:
            self.left_out += 1
            return
        unit = self.options.offsets or OffsetUnit.CODEPOINTS
        units = UnitMap(doc.text, unit)
        at = (lambda i: i) if units.is_identity else units.from_codepoint
        try:
            if units.is_identity:
                offsets = list(map(list, zip(tagged.starts, tagged.ends, strict=True)))
            else:
                offsets = [[at(a), at(b)] for a, b in zip(tagged.starts, tagged.ends, strict=True)]
            spans = [
                {"start": at(s.start), "end": at(s.end), "label": s.label} for s in tagged.spans
            ]
        except ValueError:
            self.report.warnings.append(
                f"{doc.uuid}: a token edge falls inside a {unit.value} unit; document left out"
            )
            return
        tags = tagged.tags()
        if len(tags) == 1:
            tags.append(["O"] * len(tagged.starts))
        self.labels.update(s.label for layer in tagged.layers for s in layer)
        line = {
            "id": doc.uuid,
            "tokens": tagged.words,
            "ner_tags": tags[0],
            "ner_tags_nested": tags[1:],
            "offsets": offsets,
            "spans": spans,
        }
        self.write_bytes(json_text.dumps_line(line))
        self.report.records += 1
        self.report.spans += tagged.placed

    def part_state(self) -> dict[str, Any]:
        return {"left_out": self.left_out, "labels": self.labels}

    def absorb_state(self, state: dict[str, Any]) -> None:
        self.left_out += state["left_out"]
        self.labels |= state["labels"]

    def finish(self) -> None:
        if self.left_out:
            self.report.warnings.append(
                f"{self.left_out} document(s) without an annotation or without tokens left out"
            )
        if self.options.labels_file and self.report.path != "-":
            names = {"ner_tags": tag_names(self.labels)}
            text = json.dumps(names, ensure_ascii=False, indent=2) + "\n"
            path = labels_path(Path(self.report.path))
            write_atomically(path, text)
            self.report.also_written.append(str(path))
