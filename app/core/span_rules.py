"""Validity of spans and stance judgements against a document's text and the schema."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from app.core.domain import EntitySpan, StanceJudgement, TextRange
from app.core.errors import InputError
from app.core.graphemes import is_grapheme_boundary
from app.core.schema import LabelSchema


def check_range(text: str, start: int, end: int, what: str = "span") -> None:
    """Raise :class:`InputError` unless ``[start, end)`` is a non-empty range inside ``text``
    whose edges fall on grapheme-cluster boundaries."""
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        raise InputError(f"{what} offsets must be integers, got {start!r}, {end!r}")
    if start < 0 or end > len(text):
        raise InputError(
            f"{what} [{start}, {end}) lies outside the text (length {len(text)} code points)"
        )
    if end <= start:
        raise InputError(f"{what} [{start}, {end}) ends before it starts or is empty")
    for edge in (start, end):
        if not is_grapheme_boundary(text, edge):
            context = text[max(0, edge - 3) : edge] + "|" + text[edge : edge + 3]
            raise InputError(
                f"{what} [{start}, {end}) has an edge at {edge} inside a character cluster "
                f"({context!r}): an edge may not separate a letter from its diacritics"
            )


def check_span(text: str, span: EntitySpan) -> None:
    if not span.label:
        raise InputError(f"span [{span.start}, {span.end}) has no label")
    check_range(text, span.start, span.end)


def check_stance(text: str, judgement: StanceJudgement, schema: LabelSchema) -> None:
    if not judgement.target.strip():
        raise InputError("a stance needs a target")
    if judgement.value not in schema.stance_values:
        raise InputError(
            f"stance value {judgement.value!r} is not one of {', '.join(schema.stance_values)}"
        )
    if not schema.free_targets and judgement.target not in schema.stance_targets:
        raise InputError(
            f"stance target {judgement.target!r} is not in the schema's list of targets"
        )
    ranges: list[tuple[TextRange, str]] = [(r, "evidence") for r in judgement.evidence]
    if judgement.holder is not None:
        ranges.append((judgement.holder, "stance holder"))
    for r, what in ranges:
        check_range(text, r.start, r.end, what)


def check_spans_together(spans: Sequence[EntitySpan], schema: LabelSchema) -> None:
    """Rules between the spans of one set: no span twice; no overlap unless the schema nests."""
    seen: set[EntitySpan] = set()
    for span in spans:
        if span in seen:
            raise InputError(f"the span [{span.start}, {span.end}) {span.label} appears twice")
        seen.add(span)
    if not schema.allow_nested:
        ordered = sorted(spans)
        for a, b in pairwise(ordered):
            if b.start < a.end:
                raise InputError(
                    f"spans [{a.start}, {a.end}) and [{b.start}, {b.end}) overlap; this schema "
                    "does not allow overlapping spans"
                )


def check_set(
    text: str,
    spans: Sequence[EntitySpan],
    stances: Sequence[StanceJudgement],
    schema: LabelSchema,
) -> None:
    """Every rule one annotator's set on ``text`` must obey (labels are checked by the caller:
    an import may add labels to the project, an edit may not)."""
    for span in spans:
        check_span(text, span)
    check_spans_together(spans, schema)
    targets: set[str] = set()
    for judgement in stances:
        if judgement.target in targets:
            raise InputError(f"two stances towards the same target {judgement.target!r}")
        targets.add(judgement.target)
        check_stance(text, judgement, schema)
