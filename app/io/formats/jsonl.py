"""JSON Lines: the native shape (a superset of Prodigy's), read with doccano's detected too.

Each line is recognised on its own: a Label Studio task (``data``, ``annotations``,
``predictions``) or JSON-MIN object is read by :mod:`app.io.formats.label_studio` (one record
per annotation), anything else by :mod:`app.io.formats.json_shapes` (native, Prodigy, doccano).
Prodigy answers ``reject`` and ``ignore`` are read as text only and counted in
``ReadOptions.left_out``. See ``docs/formats.md`` for the native shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from app.core import json_text
from app.core.errors import InputError
from app.core.native_json import native_object
from app.core.offset_units import OffsetUnit, UnitMap
from app.core.records import Record
from app.io.formats import label_studio
from app.io.formats.json_shapes import note_answer, record_from_json
from app.io.line_reader import decoded_lines
from app.io.output import copy_file
from app.io.registry import ReadOptions, reader, writer
from app.io.text_writer import TextWriter
from app.store.values import NativeLine

EXTENSIONS = (".jsonl", ".ndjson")


@reader("jsonl", "JSON Lines (native, Prodigy or doccano)", EXTENSIONS, foreign_offsets=True)
def read_jsonl(path: Path, options: ReadOptions) -> Iterator[Record]:
    seen_any = False
    for lineno, line in decoded_lines(path):
        if not line.strip():
            continue
        seen_any = True
        try:
            yield from _records(json_text.loads_incoming(line), options, str(path), lineno)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON: {exc.msg} (column {exc.colno})", path=path, line=lineno
            ) from None
        except InputError as exc:
            raise exc.located(path, lineno) from None
    if not seen_any:
        raise InputError("file is empty", path=path)


def _records(obj: Any, options: ReadOptions, origin: str, line: int) -> Iterator[Record]:
    if label_studio.is_task(obj) or label_studio.is_min(obj):
        yield from label_studio.records_of(
            obj, text_key=options.text_column, origin=origin, line=line, left_out=options.left_out
        )
        return
    record = record_from_json(obj, text_key=options.text_column, origin=origin, line=line)
    note_answer(obj, options.left_out)
    yield record


def write_json_line(out: TextIO, obj: dict[str, Any]) -> None:
    """One JSON Lines record; straight into the file's bytes when it has them (a writer that
    writes lines this way writes nothing through the text layer, so nothing is reordered)."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        buffer.write(json_text.dumps_line(obj))
    else:
        out.write(json_text.dumps(obj) + "\n")


@writer(
    "jsonl", "JSON Lines (native, Prodigy-compatible)", EXTENSIONS, training_file="{split}.jsonl"
)
class NativeWriter(TextWriter):
    """The native shape; offsets in code points unless ``--offsets`` asks for another unit."""

    def write(self, record: Record) -> None:
        spans = len(record.annotation.spans) if record.annotation else 0
        self.report.spans_in += spans
        unit = self.options.offsets or OffsetUnit.CODEPOINTS
        try:
            mapping = UnitMap(record.document.text, unit)
            obj = native_object(record, None if mapping.is_identity else mapping)
        except ValueError:
            self.report.warnings.append(
                f"{record.document.uuid}: an edge falls inside a {unit.value} unit; set left out"
            )
            return
        write_json_line(self.out, obj)
        self.report.records += 1
        self.report.spans += spans

    def write_lines(self, lines: list[NativeLine]) -> None:
        """Lines the database rendered (``core.native_lines``), in code points: what
        :meth:`write` would write for their records."""
        assert self.options.offsets in (None, OffsetUnit.CODEPOINTS)
        self.out.buffer.write(b"\n".join([x.line for x in lines]) + b"\n")
        self._count(len(lines), sum(x.spans for x in lines))

    def _count(self, records: int, spans: int) -> None:
        self.report.records += records
        self.report.spans_in += spans
        self.report.spans += spans

    def append_lines_file(self, part: Path, records: int, spans: int) -> None:
        """The lines in the file ``part`` (rendered elsewhere, as :meth:`write_lines`
        writes them) after those written so far."""
        self.out.flush()
        with part.open("rb") as given:
            copy_file(given, self.out.buffer)
        self._count(records, spans)


@writer("doccano", "doccano JSON Lines", EXTENSIONS, offsets=OffsetUnit.UTF16)
class DoccanoWriter(TextWriter):
    """doccano's sequence-labelling shape, offsets in UTF-16 units as doccano counts them
    (``--offsets`` for another unit), doccano's own ``id`` back where the record came from it."""

    def write(self, record: Record) -> None:
        doc, aset = record.document, record.annotation
        spans = aset.spans if aset else ()
        unit = self.options.offsets or OffsetUnit.UTF16
        mapping = UnitMap(doc.text, unit)
        label = []
        for s in spans:
            try:
                label.append(
                    [mapping.from_codepoint(s.start), mapping.from_codepoint(s.end), s.label]
                )
            except ValueError:
                self.report.warnings.append(
                    f"{doc.uuid} [{s.start}, {s.end}) {s.label}: an edge inside a "
                    f"{unit.value} unit cannot be written; left out"
                )
        obj: dict[str, Any] = {
            "id": doc.meta.get("id", doc.uuid),
            "text": doc.text,
            "label": label,
            "title": doc.title or "",
            "source": doc.source,
        }
        obj["annotator"] = None  # a document nobody annotated (``--include all``)
        if aset:
            obj["annotator"] = aset.annotator
            obj["status"] = str(aset.status) if aset.status else None
            if aset.comment:  # a rejected set is read back only with the reviewer's comment
                obj["comment"] = aset.comment
            if aset.stances:
                self.report.warnings.append(
                    f"{doc.uuid}: doccano's sequence-labelling format has no stance; "
                    f"{len(aset.stances)} stance judgement(s) left out (use --format jsonl)"
                )
        write_json_line(self.out, obj)
        self.report.records += 1
        self.report.spans_in += len(spans)
        self.report.spans += len(label)
