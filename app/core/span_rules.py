"""Validity of spans and stance judgements against a document's text and the schema."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

import regex

from app.core.domain import EntitySpan, StanceJudgement, TextRange
from app.core.errors import InputError
from app.core.graphemes import (
    is_context_sensitive,
    is_grapheme_boundary,
    pair_breaks,
    snap_to_grapheme,
)
from app.core.schema import LabelSchema

JOINERS = "\u200c\u200d"  # ZWNJ, ZWJ: between letters they mark a word's shape, not a cluster
_JOINER_NAMES = {
    "\u200c": "zero-width non-joiner (ZWNJ, U+200C)",
    "\u200d": "zero-width joiner (ZWJ, U+200D)",
}
_EMOJI = regex.compile(r"\p{Extended_Pictographic}")


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _letter_before(text: str, index: int) -> bool:
    """Whether a letter (and nothing but its diacritics) comes before ``index``."""
    while index > 0 and _is_mark(text[index - 1]):
        index -= 1
    return index > 0 and text[index - 1].isalpha()


def is_edge(text: str, index: int) -> bool:
    """Whether a span edge at ``index`` leaves every character whole (:func:`edge_problem`)."""
    if is_grapheme_boundary(text, index):
        return True
    after, before = text[index], text[index - 1]
    return (after in JOINERS and _letter_before(text, index)) or (
        before in JOINERS and after.isalpha()
    )


@lru_cache(maxsize=16384)
def _pair_edge(before: str, after: str) -> bool:
    """Whether an edge between ``before`` and ``after`` is one when that pair alone decides
    it (no joiner, nothing whose cluster depends on more context); False also when it does
    not decide it (:func:`is_edge` does)."""
    if before in JOINERS or after in JOINERS or is_context_sensitive(after):
        return False
    return pair_breaks(before, after)


def _quick_edges(text: str, start: int, end: int) -> bool:
    """True when ``[start, end)`` is inside ``text`` and both its edges are plainly edges
    (the common case, decided by a cached pair of characters); False: ask the full rules."""
    return (
        type(start) is int
        and type(end) is int
        and 0 <= start < end <= len(text)
        and (start == 0 or _pair_edge(text[start - 1], text[start]))
        and (end == len(text) or _pair_edge(text[end - 1], text[end]))
    )


def edge_problem(text: str, index: int) -> str:
    """Why a span edge at ``index`` would cut a character in two ("" when it does not).

    An edge must not fall inside a grapheme cluster (a letter and its diacritics, an emoji
    sequence, a flag). An edge next to a zero-width non-joiner or joiner between letters
    (``فرنسا|‌وبريطانيا``, ``مصرَ|‌والأردن``: a letter's diacritics go with it) is a word edge
    like any other.
    """
    if is_edge(text, index):
        return ""
    after, before = text[index], text[index - 1]
    context = f"{text[max(0, index - 3) : index]}|{text[index : index + 3]}"
    cluster = text[
        snap_to_grapheme(text, index, forward=False) : snap_to_grapheme(text, index, forward=True)
    ]
    if _EMOJI.search(cluster):
        joined = " joined by a zero-width joiner" if "\u200d" in (before, after) else ""
        return f"it falls inside an emoji sequence{joined} ({context!r})"
    if "\U0001f1e6" <= after <= "\U0001f1ff":
        return f"it falls inside a flag ({context!r})"
    if _is_mark(after):
        name = unicodedata.name(after, f"U+{ord(after):04X}").lower()
        return (
            f"it separates {before!r} from its diacritic {name} (U+{ord(after):04X}) ({context!r})"
        )
    if after in JOINERS:
        return f"it separates {before!r} from the {_JOINER_NAMES[after]} after it ({context!r})"
    if before in JOINERS:
        return f"it separates the {_JOINER_NAMES[before]} from {after!r} ({context!r})"
    return f"it falls inside a character cluster ({context!r})"


def check_bounds(text: str, start: int, end: int, what: str = "span") -> None:
    """Raise :class:`InputError` unless ``[start, end)`` is a non-empty range inside ``text``."""
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        raise InputError(f"{what} offsets must be integers, got {start!r}, {end!r}")
    if start < 0 or end > len(text):
        raise InputError(
            f"{what} [{start}, {end}) lies outside the text (length {len(text)} code points)"
        )
    if end <= start:
        raise InputError(f"{what} [{start}, {end}) ends before it starts or is empty")


def range_problem(text: str, start: int, end: int) -> str:
    """Why the edges of a range inside ``text`` cut a character ("" when they do not)."""
    for edge in (start, end):
        why = edge_problem(text, edge)
        if why:
            return f"its edge at {edge} is not a character edge: {why}"
    return ""


def check_range(text: str, start: int, end: int, what: str = "span") -> None:
    """Raise :class:`InputError` unless ``[start, end)`` is a non-empty range inside ``text``
    whose edges fall between characters (:func:`edge_problem`)."""
    check_bounds(text, start, end, what)
    why = range_problem(text, start, end)
    if why:
        raise InputError(f"{what} [{start}, {end}): {why}")


def check_span(text: str, span: EntitySpan) -> None:
    if not span.label:
        raise InputError(f"span [{span.start}, {span.end}) has no label")
    check_range(text, span.start, span.end)


def check_stance(text: str, judgement: StanceJudgement, schema: LabelSchema) -> None:
    check_stance_fields(judgement, schema)
    ranges: list[tuple[TextRange, str]] = [(r, "evidence") for r in judgement.evidence]
    if judgement.holder is not None:
        ranges.append((judgement.holder, "stance holder"))
    for r, what in ranges:
        check_range(text, r.start, r.end, what)


def check_stance_fields(judgement: StanceJudgement, schema: LabelSchema) -> None:
    """The target and value rules (not the ranges)."""
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
    *,
    strict_edges: bool = True,
) -> list[tuple[EntitySpan | TextRange, str]]:
    """Every rule one annotator's set on ``text`` must obey (labels are checked by the caller:
    an import may add labels to the project, an edit may not).

    With ``strict_edges`` off (imports), a range whose edge cuts a character in two is kept
    exactly as given and returned with why, for the caller to report and the annotator to fix;
    anything else wrong raises :class:`InputError`.
    """
    kept: list[tuple[EntitySpan | TextRange, str]] = []

    def edges(item: EntitySpan | TextRange, what: str) -> None:
        if _quick_edges(text, item.start, item.end):
            return
        if strict_edges:
            check_range(text, item.start, item.end, what)
            return
        check_bounds(text, item.start, item.end, what)
        why = range_problem(text, item.start, item.end)
        if why:
            kept.append((item, why))

    for span in spans:
        if not span.label:
            raise InputError(f"span [{span.start}, {span.end}) has no label")
        edges(span, "span")
    check_spans_together(spans, schema)
    targets: set[str] = set()
    for judgement in stances:
        if judgement.target in targets:
            raise InputError(f"two stances towards the same target {judgement.target!r}")
        targets.add(judgement.target)
        check_stance_fields(judgement, schema)
        for r in judgement.evidence:
            edges(r, "evidence")
        if judgement.holder is not None:
            edges(judgement.holder, "stance holder")
    return kept
