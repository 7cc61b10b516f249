"""Stance classification JSONL: one line per (document, target) judgement.

::

    {"id": doc uuid, "text": document text, "target": "...", "label": "FAVOR",
     "evidence": [{"start", "end", "text"}, ...], "holder": {"start", "end", "text"} | null}

``label`` is the stance value (FAVOR, AGAINST, NEUTRAL, NONE or the schema's own); offsets are
code points into ``text`` and ``text[start:end]`` is the ``text`` given beside them, unless
``--offsets`` asks for another unit (a judgement with an edge inside one of its units is left
out, with a warning). Records
without an annotation are skipped. An evidence or holder range outside the text (which the
importer never lets in) is left out and listed in ``WriteReport.warnings``.

``datasets`` types each column from the first 10 MB of the first file it reads: if no line
there has evidence (or a holder), later lines that do fail to load unless ``features`` are
given (see :func:`stance_features`).
"""

from __future__ import annotations

import json
from typing import Any

from app.core.domain import TextRange
from app.core.offset_units import OffsetUnit, UnitMap
from app.core.records import Record
from app.io.registry import writer
from app.io.text_writer import TextWriter


def _range(text: str, r: TextRange, mapping: UnitMap) -> dict[str, Any] | None:
    """The range as written (ValueError: an edge inside one of ``mapping``'s units)."""
    if r.end > len(text):
        return None
    start, end = mapping.from_codepoint(r.start), mapping.from_codepoint(r.end)
    return {"start": start, "end": end, "text": text[r.start : r.end]}


def stance_features() -> dict[str, Any]:
    """The column types as ``datasets.Features.from_dict`` takes them, for
    ``load_dataset("json", ..., features=Features.from_dict(stance_features()))``."""
    string = {"dtype": "string", "_type": "Value"}
    text_range = {
        "start": {"dtype": "int64", "_type": "Value"},
        "end": {"dtype": "int64", "_type": "Value"},
        "text": string,
    }
    return {
        "id": string,
        "text": string,
        "target": string,
        "label": string,
        "evidence": {"feature": text_range, "_type": "List"},
        "holder": text_range,
    }


@writer(
    "stance-jsonl",
    "Stance classification (JSON Lines)",
    (".stance.jsonl", ".jsonl"),
    training_file="{split}.stance.jsonl",
)
class StanceWriter(TextWriter):
    """One line per stance judgement (see the module docstring)."""

    def write(self, record: Record) -> None:
        if record.annotation is None:
            return
        doc = record.document
        unit = self.options.offsets or OffsetUnit.CODEPOINTS
        mapping = UnitMap(doc.text, unit)
        for stance in record.annotation.stances:
            where = f"{doc.uuid} stance towards {stance.target!r}"
            try:
                evidence = []
                for r in stance.evidence:
                    item = _range(doc.text, r, mapping)
                    if item is None:
                        self.report.warnings.append(
                            f"{where}: evidence [{r.start}, {r.end}) outside"
                        )
                    else:
                        evidence.append(item)
                holder = None
                if stance.holder is not None:
                    holder = _range(doc.text, stance.holder, mapping)
                    if holder is None:
                        h = stance.holder
                        self.report.warnings.append(f"{where}: holder [{h.start}, {h.end}) outside")
            except ValueError:
                self.report.warnings.append(
                    f"{where}: an edge falls inside a {unit.value} unit; left out"
                )
                continue
            line = {
                "id": doc.uuid,
                "text": doc.text,
                "target": stance.target,
                "label": stance.value,
                "evidence": evidence,
                "holder": holder,
            }
            self.out.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.report.records += 1
