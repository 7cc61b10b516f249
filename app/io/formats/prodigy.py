"""Prodigy JSON Lines out (``--format prodigy``): what ``prodigy db-in`` reads.

One line per annotation set, as Prodigy's ``ner.manual`` saves an accepted answer:

``{"text", "tokens": [{"text", "start", "end", "id", "ws"}], "spans": [{"start", "end",
"label", "token_start", "token_end", "text"}], "_input_hash", "_task_hash", "answer":
"accept", "_view_id": "ner_manual", "_annotator_id", "meta": {...}}``

- ``tokens`` are the one tokenizer's (:mod:`app.core.tokens`), cut at every span edge, so every
  span covers whole tokens (``token_end`` is the last token's index, inclusive, as in Prodigy).
  A span that covers no whole token (on whitespace only) is left out and reported.
- ``_input_hash`` and ``_task_hash`` are stable signed 32-bit integers (SHA-1 of the text; of
  the input hash and the spans): the same text and spans always give the same hashes.
- ``answer`` is ``accept`` for approved and submitted sets. Sets in progress or rejected are
  not answers a Prodigy dataset holds: left out and counted, as are documents nobody annotated
  and stance judgements (Prodigy's NER tasks have no place for them).
- ``meta`` (shown in Prodigy's interface) holds the document's meta, ``title`` and ``source``,
  and the set's identity (``tawsim_document``, ``tawsim_set``, ``annotator``, ``status``):
  importing the file into Tawsim again (``jsonl``) gives back the same document and set.

Prodigy counts offsets in code points, as Python does (``--offsets`` counts another unit).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from app.core.domain import EntitySpan, SetStatus
from app.core.offset_units import OffsetUnit, UnitMap
from app.core.records import Record
from app.core.tokens import is_pretokenized, tokenize, whitespace_after
from app.io.formats.json_shapes import OWN_META
from app.io.formats.jsonl import EXTENSIONS, write_json_line
from app.io.registry import WriteOptions, writer
from app.io.text_writer import TextWriter


def stable_hash(*parts: str) -> int:
    """A signed 32-bit integer from SHA-1 (Prodigy's hashes are signed 32-bit integers)."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


@writer("prodigy", "Prodigy JSON Lines (prodigy db-in)", EXTENSIONS)
class ProdigyWriter(TextWriter):
    """Accepted ``ner.manual`` answers, one per set (see the module docstring)."""

    def __init__(self, target: Path | str, options: WriteOptions):
        super().__init__(target, options)
        self.left_out: Counter[str] = Counter()

    def write(self, record: Record) -> None:
        doc, a = record.document, record.annotation
        if a is None:
            self.left_out["document(s) nobody annotated left out: Prodigy has no answer"] += 1
            return
        if a.status not in (SetStatus.APPROVED, SetStatus.SUBMITTED):
            self.left_out[f"{a.status} set(s) left out: not an accepted answer"] += 1
            return
        if a.stances:
            self.left_out["stance judgement(s) left out: Prodigy's NER tasks have none"] += len(
                a.stances
            )
        text = doc.text
        unit = self.options.offsets or OffsetUnit.CODEPOINTS
        mapping = UnitMap(text, unit)
        spans = sorted(a.spans, key=lambda s: (s.start, -s.end, s.label))
        tokens = tokenize(
            text,
            (e for s in spans for e in (s.start, s.end)),
            pretokenized=is_pretokenized(doc.meta),
        )
        first = {t.start: i for i, t in enumerate(tokens)}
        last = {t.end: i for i, t in enumerate(tokens)}
        try:
            token_objects = [
                {
                    "text": text[t.start : t.end],
                    "start": mapping.from_codepoint(t.start),
                    "end": mapping.from_codepoint(t.end),
                    "id": i,
                    "ws": ws,
                }
                for i, (t, ws) in enumerate(
                    zip(tokens, whitespace_after(text, tokens), strict=True)
                )
            ]
        except ValueError:
            self.report.warnings.append(
                f"{doc.uuid}: a token edge falls inside a {unit.value} unit; set left out"
            )
            self.report.spans_in += len(spans)
            return
        span_objects = []
        for s in spans:
            if s.start not in first or s.end not in last:
                self.report.warnings.append(
                    f"{doc.uuid} [{s.start}, {s.end}) {s.label}: covers no whole token; left out"
                )
                continue
            span_objects.append(self._span(text, s, mapping, first[s.start], last[s.end]))
        input_hash = stable_hash(text)
        meta = {k: v for k, v in doc.meta.items() if k not in OWN_META}
        meta.update(
            title=doc.title or "",
            source=doc.source,
            tawsim_document=doc.uuid,
            tawsim_set=a.uuid,
            annotator=a.annotator,
            status=str(a.status),
        )
        obj: dict[str, Any] = {
            "text": text,
            "meta": meta,
            "_input_hash": input_hash,
            "_task_hash": stable_hash(
                str(input_hash), json.dumps(span_objects, ensure_ascii=False, sort_keys=True)
            ),
            "tokens": token_objects,
            "spans": span_objects,
            "answer": "accept",
            "_view_id": "ner_manual",
            "_annotator_id": a.annotator,
        }
        write_json_line(self.out, obj)
        self.report.records += 1
        self.report.spans_in += len(spans)
        self.report.spans += len(span_objects)

    @staticmethod
    def _span(
        text: str, s: EntitySpan, mapping: UnitMap, token_start: int, token_end: int
    ) -> dict[str, Any]:
        return {
            "start": mapping.from_codepoint(s.start),
            "end": mapping.from_codepoint(s.end),
            "label": s.label,
            "token_start": token_start,
            "token_end": token_end,
            "text": text[s.start : s.end],
        }

    def finish(self) -> None:
        self.report.warnings.extend(f"{n} {what}" for what, n in sorted(self.left_out.items()))
