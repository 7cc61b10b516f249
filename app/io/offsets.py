"""Bringing a file's offsets into code points: the unit is decided per file, from evidence.

A reader of a format whose offsets come from another tool (``Format.foreign_offsets``) yields
records with the file's own offsets and, where the file gives it, the text of each span.
:func:`in_codepoints` reads the file once to decide the unit
(:func:`app.core.offset_units.decide`, or ``--offsets`` when the user forces it), then again
to convert every range of every record, so nothing is held in memory. A file whose unit
cannot be decided is refused with the record and the ``--offsets`` option named. A large file
is decided by a second process while it is stored on a guess (:mod:`app.io.unit_guess`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from app.core.domain import EntitySpan, TextRange
from app.core.errors import InputError
from app.core.offset_units import (
    UNITS,
    Decision,
    OffsetUnit,
    Sample,
    UnitMap,
    decide,
    units_fitting,
)
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


def to_codepoints(record: Record, unit: OffsetUnit, *, forced: bool = False) -> Record:
    """The record with every range in code points; checks each span's own text, if given.

    ``forced``: the user chose ``unit`` (``--offsets``), so a range it cannot read is refused
    as it stands, without sending the user back to the option.
    """
    a = record.annotation
    if a is None:
        return record
    text = record.document.text
    mapping = UnitMap(text, unit)
    if mapping.is_identity and (
        not a.span_texts
        or all(
            claimed is None
            or (0 <= s.start <= s.end <= len(text) and text[s.start : s.end] == claimed)
            for s, claimed in zip(a.spans, a.span_texts, strict=True)
        )
    ):
        # Every offset reads as itself (one past the text too: the import says so), and each
        # span that says its text covers it: nothing to convert or to check here.
        return record
    counted = f"counted in {unit.value}" + (" (the unit you chose)" if forced else "")

    def refuse(message: str) -> InputError:
        return InputError(message).located(record.origin or "", record.line)

    def point(offset: int) -> int | None:
        if offset > mapping.end or offset < 0:  # outside the text: the import says so
            return offset - mapping.end + len(text) if offset > 0 else offset
        return mapping.to_codepoint(offset)

    def convert(start: int, end: int) -> tuple[int, int]:
        a_, b_ = point(start), point(end)
        if a_ is None or b_ is None:
            edge = start if a_ is None else end
            elsewhere = "" if forced or _fits_elsewhere(record, unit) else "; no unit fits it"
            raise refuse(
                f"[{start}, {end}) {counted}: its edge at {edge} "
                f"{mapping.why_not(text, edge)}{elsewhere}"
            )
        return a_, b_

    def convert_range(r: TextRange) -> TextRange:
        return TextRange(*convert(r.start, r.end))

    spans = []
    for n, span in enumerate(a.spans):
        start, end = convert(span.start, span.end)
        claimed = a.span_texts[n] if a.span_texts else None
        found = text[start:end]
        if claimed is not None and claimed != found and 0 <= start <= end <= mapping.length:
            raise refuse(_text_mismatch(text, span, claimed, found, unit))
        if not mapping.is_identity:
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


def _fits_elsewhere(record: Record, unit: OffsetUnit) -> bool:
    """Whether another unit reads every range of ``record`` (only asked for a bad record)."""
    return any(u is not unit for s in samples([record]) for u in units_fitting(s))


def _text_mismatch(text: str, span: EntitySpan, claimed: str, found: str, unit: OffsetUnit) -> str:
    said = f"span [{span.start}, {span.end}) says its text is {claimed!r}"
    matching = []
    for other in UNITS:
        mapping = UnitMap(text, other)
        a, b = mapping.to_codepoint(span.start), mapping.to_codepoint(span.end)
        if a is not None and b is not None and text[a:b] == claimed:
            matching.append(other.value)
    counted = f"counted in {unit.value}"
    if not matching:
        return f"{said}, but its offsets give that text in no unit ({counted} they cover {found!r})"
    return f"{said} but {counted} it covers {found!r} ({matching[0]} would give {claimed!r})"


def in_codepoints(
    read: Callable[[], Iterator[Record]],
    forced: OffsetUnit | None,
    decision: Decision | None = None,
) -> tuple[Iterator[Record], OffsetUnit, bool]:
    """Records from ``read()`` with code point offsets, the unit their file counted in, and
    whether that had to be decided (False: every unit gave the same spans). The unit is
    ``forced``, else ``decision``'s (made from this file already), else decided here."""
    if forced is not None:
        unit, decided = forced, True
    else:
        decision = decision or decide(samples(read()))
        if decision.unit is None and not decision.candidates:  # forcing a unit would not help
            raise InputError(decision.why)
        if decision.unit is None:
            raise InputError(f"cannot tell which unit the offsets count: {decision.why}; {FORCE}")
        unit, decided = decision.unit, decision.decided
    return (to_codepoints(r, unit, forced=forced is not None) for r in read()), unit, decided
