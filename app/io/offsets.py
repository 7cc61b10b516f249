"""Bringing a file's offsets into code points: the unit is decided per file, from evidence.

A reader of a format whose offsets come from another tool (``Format.foreign_offsets``) yields
records with the file's own offsets and, where the file gives it, the text of each span.
:func:`in_codepoints` reads the file once to decide the unit
(:func:`app.core.offset_units.decide`, or ``--offsets`` when the user forces it), then again
to convert every range of every record, so nothing is held in memory. A file whose unit
cannot be decided is refused with the record and the ``--offsets`` option named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from app.core.domain import EntitySpan, TextRange
from app.core.errors import InputError
from app.core.offset_units import OffsetUnit, Sample, UnitMap, decide
from app.core.records import Record

FORCE = "--offsets codepoints|utf16|graphemes|utf8"


def samples(records: Iterable[Record]) -> Iterator[Sample]:
    for record in records:
        a = record.annotation
        if a is None or not (a.spans or a.stances):
            continue
        texts = a.span_texts or (None,) * len(a.spans)
        ranges: list[tuple[int, int, str | None]] = [
            (s.start, s.end, t) for s, t in zip(a.spans, texts, strict=True)
        ]
        for j in a.stances:
            ranges += [(r.start, r.end, None) for r in j.evidence]
            if j.holder is not None:
                ranges.append((j.holder.start, j.holder.end, None))
        yield Sample(record.document.text, ranges, record.where)


def to_codepoints(record: Record, unit: OffsetUnit) -> Record:
    """The record with every range in code points; checks each span's own text, if given."""
    a = record.annotation
    if a is None:
        return record
    mapping = UnitMap(record.document.text, unit)

    def point(offset: int) -> int | None:
        if offset > mapping.end or offset < 0:  # outside the text: the import says so
            return offset - mapping.end + len(record.document.text) if offset > 0 else offset
        return mapping.to_codepoint(offset)

    def convert(start: int, end: int) -> tuple[int, int]:
        a_, b_ = point(start), point(end)
        if a_ is None or b_ is None:
            raise InputError(
                f"[{start}, {end}) falls inside a character or past the end of the text when "
                f"counted in {unit.value}; try {FORCE}"
            ).located(record.origin or "", record.line)
        return a_, b_

    def convert_range(r: TextRange) -> TextRange:
        return TextRange(*convert(r.start, r.end))

    spans = []
    for n, span in enumerate(a.spans):
        start, end = convert(span.start, span.end)
        claimed = a.span_texts[n] if a.span_texts else None
        found = record.document.text[start:end]
        if claimed is not None and claimed != found and 0 <= start <= end <= mapping.length:
            raise InputError(
                f"span [{span.start}, {span.end}) says its text is {claimed!r} but counted in "
                f"{unit.value} it covers {found!r}; try {FORCE}"
            ).located(record.origin or "", record.line)
        spans.append(EntitySpan(start, end, span.label))
    if mapping.is_identity:
        return record
    stances = tuple(
        replace(
            j,
            evidence=tuple(convert_range(r) for r in j.evidence),
            holder=convert_range(j.holder) if j.holder else None,
        )
        for j in a.stances
    )
    return replace(record, annotation=replace(a, spans=tuple(spans), stances=stances))


def in_codepoints(
    read: Callable[[], Iterator[Record]], forced: OffsetUnit | None
) -> tuple[Iterator[Record], OffsetUnit, bool]:
    """Records from ``read()`` with code point offsets, the unit their file counted in, and
    whether that had to be decided (False: every unit gave the same spans)."""
    if forced is not None:
        unit, decided = forced, True
    else:
        decision = decide(samples(read()))
        if decision.unit is None:
            raise InputError(f"cannot tell which unit the offsets count: {decision.why}; {FORCE}")
        unit, decided = decision.unit, decision.decided
    return (to_codepoints(r, unit) for r in read()), unit, decided
