"""Token-level training files: Hugging Face token JSONL and CoNLL/BIO.

Tokens come from :mod:`app.core.tokens`, cut at every span edge, so every span covers whole
tokens (a ``و`` before an entity or an emoji glued to it never costs a span). Nested and
overlapping spans are spread over layers of IOB2 tags, outermost first: spans are taken in
order of (start, longest first) and each goes into the first layer where it overlaps nothing
(layer 0 is the greedy outer layer; a span nested two deep lands in layer 2). Every span that
covers whole tokens thus lands in exactly one layer; one that cannot (empty, outside the text,
starting or ending on whitespace) is listed in ``FormatResult.dropped`` with why.

Records without an annotation (``--include all``) and documents without tokens are skipped:
an unannotated document is not a document without entities.

Hugging Face (one JSON line per document)::

    {"id": doc uuid, "tokens": [...], "ner_tags": [layer 0 tags],
     "ner_tags_nested": [[layer 1 tags], ...], "offsets": [[start, end], ...],
     "spans": [{"start", "end", "label"}, ...]}

``ner_tags_nested`` always holds at least one layer (all ``O`` when nothing nests): ``datasets``
types a column from the first 10 MB of the first file it reads, and a column that is empty
there would be typed null and fail to load later rows. ``offsets`` are code points into the
document text (``text[start:end]`` is the token); ``spans`` are the annotation's own spans.
``labels.json`` beside the file lists the tag names in ClassLabel order (``O``, then ``B-``
and ``I-`` of each label, sorted); :func:`token_features` gives the full column types, for
files where even ``spans`` might be empty in every line of the first 10 MB.

CoNLL/BIO: ``TOKEN TAG [TAG ...]``, one column per layer (outer first; trailing ``O`` columns
left out, as in Wojood), ``-DOCSTART- O`` and a blank line before each document, a blank line
between sentences. A sentence is a line of the text, except that a span crossing a line break
keeps the lines it spans in one sentence (CoNLL entities cannot cross sentences).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.domain import EntitySpan
from app.core.records import Record
from app.core.tokens import Token, bio_tags, tokenize
from app.io.exporter import atomic_output
from app.io.formats.conll import DOCSTART
from app.io.training.result import FormatResult

LABELS_FILE = "labels.json"


@dataclass(slots=True)
class TaggedDocument:
    """A document's tokens with its spans spread over non-overlapping layers."""

    uuid: str
    text: str
    spans: list[EntitySpan]  # the annotation's spans, ordered by (start, longest first)
    tokens: list[Token]
    layers: list[list[EntitySpan]] = field(default_factory=list)  # layer 0 outermost

    def tags(self) -> list[list[str]]:
        """IOB2 tags per layer (at least one layer, all ``O`` without spans)."""
        return [
            bio_tags(self.tokens, [(s.start, s.end, s.label) for s in layer])
            for layer in self.layers or [[]]
        ]


def layered(spans: Iterable[EntitySpan]) -> list[list[EntitySpan]]:
    """Spread spans over layers, outermost first; spans in one layer never overlap."""
    layers: list[list[EntitySpan]] = []
    ends: list[int] = []  # where each layer's last span ends (spans arrive by start)
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        for k, end in enumerate(ends):
            if end <= span.start:
                layers[k].append(span)
                ends[k] = span.end
                break
        else:
            layers.append([span])
            ends.append(span.end)
    return layers


def tag_names(labels: Iterable[str]) -> list[str]:
    """ClassLabel names: ``O``, then ``B-L``, ``I-L`` for each label in sorted order."""
    return ["O", *(f"{p}-{label}" for label in sorted(set(labels)) for p in "BI")]


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


def tag_document(
    uuid: str,
    text: str,
    spans: Iterable[EntitySpan],
    *,
    split_clitics: bool = False,
    dropped: list[str] | None = None,
) -> TaggedDocument:
    """Tokens cut at every span edge and the spans in layers; spans that cannot cover whole
    tokens are described in ``dropped``."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    inside = [0 <= s.start < s.end <= len(text) for s in ordered]
    cuts = (e for s, ok in zip(ordered, inside, strict=True) if ok for e in (s.start, s.end))
    tokens = tokenize(text, cuts, split_clitics=split_clitics)
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    placed: list[EntitySpan] = []
    for span, ok in zip(ordered, inside, strict=True):
        why = ""
        if not ok:
            why = "empty or outside the text"
        elif span.start not in starts or span.end not in ends:
            why = "starts or ends on whitespace or covers no token"
        if why and dropped is not None:
            dropped.append(f"{uuid} [{span.start}, {span.end}) {span.label}: {why}")
        elif not why:
            placed.append(span)
    return TaggedDocument(uuid, text, ordered, tokens, layered(placed))


def _tagged(
    records: Iterable[Record], result: FormatResult, split_clitics: bool, *, conll: bool
) -> Iterator[TaggedDocument]:
    for record in records:
        if record.annotation is None:
            continue
        doc = record.document
        spans = list(record.annotation.spans)
        result.spans_in += len(spans)
        if conll:  # a tag is one whitespace-free column
            bad = [s for s in spans if not s.label or any(c.isspace() for c in s.label)]
            result.dropped.extend(
                f"{doc.uuid} [{s.start}, {s.end}) {s.label}: label has spaces" for s in bad
            )
            spans = [s for s in spans if s not in bad]
        tagged = tag_document(
            doc.uuid, doc.text, spans, split_clitics=split_clitics, dropped=result.dropped
        )
        if not tagged.tokens:
            continue
        result.records += 1
        result.spans_written += sum(len(layer) for layer in tagged.layers)
        yield tagged


def write_hf_tokens(
    records: Iterable[Record],
    out: Path,
    *,
    split_clitics: bool = False,
    labels: Iterable[str] = (),
    labels_path: Path | None = None,
) -> FormatResult:
    """Write token JSONL for ``datasets`` and ``labels.json`` beside it (or at ``labels_path``).

    ``labels`` are entity labels to list even if no span here uses them: pass the project's
    labels (or those of every split) so that all splits share one ClassLabel.
    """
    out = Path(out)
    result = FormatResult(str(out))
    seen = set(labels)
    with atomic_output(out) as handle:
        for doc in _tagged(records, result, split_clitics, conll=False):
            tags = doc.tags()
            if len(tags) == 1:
                tags.append(["O"] * len(doc.tokens))
            seen.update(s.label for layer in doc.layers for s in layer)
            line = {
                "id": doc.uuid,
                "tokens": [doc.text[t.start : t.end] for t in doc.tokens],
                "ner_tags": tags[0],
                "ner_tags_nested": tags[1:],
                "offsets": [[t.start, t.end] for t in doc.tokens],
                "spans": [{"start": s.start, "end": s.end, "label": s.label} for s in doc.spans],
            }
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    with atomic_output(labels_path or out.with_name(LABELS_FILE)) as handle:
        json.dump({"ner_tags": tag_names(seen)}, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    return result


def sentence_starts(doc: TaggedDocument) -> set[int]:
    """Indexes of the tokens that begin a sentence after the first: the first token of each
    line, unless a span runs across the line break before it."""
    line_starts = [0, *(i + 1 for i, c in enumerate(doc.text) if c == "\n")]
    lines = [bisect_right(line_starts, t.start) for t in doc.tokens]
    breaks = {i for i in range(1, len(lines)) if lines[i] != lines[i - 1]}
    first = {t.start: i for i, t in enumerate(doc.tokens)}
    last = {t.end: i for i, t in enumerate(doc.tokens)}
    for layer in doc.layers:
        for span in layer:
            breaks.difference_update(range(first[span.start] + 1, last[span.end] + 1))
    return breaks


def write_conll_tokens(
    records: Iterable[Record], out: Path, *, split_clitics: bool = False
) -> FormatResult:
    """Write CoNLL/BIO (IOB2, one tag column per layer, outer first); with ``split_clitics``
    proclitics before the article are tokens of their own (``ب O`` then ``الاتحاد B-ORG``)."""
    result = FormatResult(str(out))
    with atomic_output(out) as handle:
        for doc in _tagged(records, result, split_clitics, conll=True):
            handle.write(f"{DOCSTART} O\n\n")
            tags = doc.tags()
            breaks = sentence_starts(doc)
            for i, token in enumerate(doc.tokens):
                if i in breaks:
                    handle.write("\n")
                columns = [layer[i] for layer in tags]
                while len(columns) > 1 and columns[-1] == "O":
                    columns.pop()
                handle.write(f"{doc.text[token.start : token.end]} {' '.join(columns)}\n")
            handle.write("\n")
    return result
