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

from app.core import json_text
from app.core.offset_units import OffsetUnit, UnitMap
from app.core.records import Record
from app.core.tokens import is_pretokenized, tag_document, tag_names
from app.io.output import write_atomically
from app.io.registry import WriteOptions, writer
from app.io.text_writer import TextWriter


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
class HfTokensWriter(TextWriter):
    def __init__(self, target: Path | str, options: WriteOptions):
        super().__init__(target, options)
        self.labels = set(options.labels)
        self.left_out = 0

    def write(self, record: Record) -> None:
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
        self.out.write(json_text.dumps(line) + "\n")
        self.report.records += 1
        self.report.spans += tagged.placed

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
