"""spaCy ``DocBin`` (``.spacy``) training files, as ``spacy train`` reads them.

One ``Doc`` per record. Words come from :func:`app.core.tokens.tokenize`, cut at every span
edge, so every span covers whole tokens (``و`` glued before an entity, an emoji glued to a
word). ``doc.text`` equals the document's text exactly: spaCy's ``spaces`` only stand for one
``" "`` after a word, so any other whitespace (``"\\n\\n"``, a second space, a no-break space)
becomes a whitespace token of its own, as spaCy's own tokenizer does.

Entities
    Every span is in ``doc.spans["sc"]`` (the ``spancat`` default key), nested and overlapping
    ones included, in the annotation set's order. ``doc.ents`` holds a non-overlapping subset,
    chosen greedily: longest first, then earliest, then first listed (two labels on one
    extent, as in Wojood: the first). A span that cannot be aligned (none should) is left out
    and listed in ``FormatResult.dropped`` with why.

Stance, as ``doc.cats`` for ``textcat_multilabel``
    The labels are ``"{target}|{value}"`` for every target in ``stance_targets`` or judged
    anywhere in the file, and every value in ``stance_values`` (plus any other value met in the
    data). Pass the same ``stance_targets`` (the schema's, or every target of the whole export)
    to each split's file so train and dev share one label set. Every annotated
    doc carries *all* of them, so the label set is the same in every doc: ``1.0`` for the value
    judged towards a target, ``0.0`` for that target's other values, and ``0.0`` for every value
    of a target not judged in this doc. A record without an annotation set
    (``--include all``) gets neither ``doc.ents`` nor ``doc.cats``: spaCy treats both as
    missing, not as negative.

``doc.user_data`` (written with ``store_user_data=True``) carries ``uuid`` (the document's),
``set_uuid``, ``annotator``, ``status``, ``source`` and ``stance``: each judgement as
``{"target", "value", "evidence": [[start, end], ...], "holder": [start, end] | None}`` in
code point offsets (``doc.char_span`` maps them to tokens).

spaCy is imported only when a file is written, so the rest of Tawsim starts without it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.domain import EntitySpan, StanceJudgement
from app.core.records import Record
from app.core.tokens import tokenize
from app.io.training.result import FormatResult

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

SPAN_KEY = "sc"


def words_and_spaces(text: str, cut_at: Iterable[int] = ()) -> tuple[list[str], list[bool]]:
    """spaCy ``words``/``spaces`` whose concatenation is exactly ``text``, with a token edge at
    every offset in ``cut_at`` (also inside whitespace runs)."""
    cuts = sorted(set(cut_at))
    words: list[str] = []
    spaces: list[bool] = []

    def gap(a: int, b: int) -> None:  # whitespace text[a:b] between two tokens
        inner = [c for c in cuts if a < c < b]
        if words and text[a] == " " and a + 1 not in inner:
            spaces[-1] = True  # one plain space after a word is spaCy's own `spaces` flag
            a += 1
        edges = [a, *(c for c in inner if c > a), b]
        for start, end in pairwise(edges):
            if start < end:
                words.append(text[start:end])
                spaces.append(False)

    at = 0
    for token in tokenize(text, cuts):
        if at < token.start:
            gap(at, token.start)
        words.append(text[token.start : token.end])
        spaces.append(False)
        at = token.end
    if at < len(text):
        gap(at, len(text))
    return words, spaces


def non_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Longest first, then earliest, then first given; a span overlapping one taken is skipped."""
    taken: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start_char - s.end_char, s.start_char)):
        if all(span.end <= t.start or t.end <= span.start for t in taken):
            taken.append(span)
    return sorted(taken, key=lambda s: s.start)


def stance_labels(
    records: Sequence[Record], stance_values: Sequence[str], stance_targets: Sequence[str]
) -> list[tuple[str, str]]:
    """Every (target, value) of the export (``doc.cats`` label ``"{target}|{value}"``):
    ``stance_targets`` first, then other targets in order of first appearance."""
    targets = dict.fromkeys(stance_targets)
    values = dict.fromkeys(stance_values)
    for record in records:
        for judgement in record.annotation.stances if record.annotation else ():
            targets.setdefault(judgement.target)
            values.setdefault(judgement.value)
    return [(target, value) for target in targets for value in values]


def _stance_data(judgement: StanceJudgement) -> dict[str, Any]:
    holder = judgement.holder
    return {
        "target": judgement.target,
        "value": judgement.value,
        "evidence": [[r.start, r.end] for r in judgement.evidence],
        "holder": None if holder is None else [holder.start, holder.end],
    }


def _why_unaligned(span: EntitySpan, text: str) -> str:
    if not 0 <= span.start < span.end <= len(text):
        return "empty or outside the text"
    return "edges do not fall on token boundaries"


def record_doc(
    vocab: Vocab, record: Record, labels: Sequence[tuple[str, str]], result: FormatResult
) -> Doc:
    """The ``Doc`` of one record (see the module docstring for what it carries)."""
    from spacy.tokens import Doc

    document, annotation = record.document, record.annotation
    text = document.text
    spans = annotation.spans if annotation else ()
    words, spaces = words_and_spaces(text, (x for s in spans for x in (s.start, s.end)))
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != text:  # cannot happen; a broken Doc must never reach a training set
        raise AssertionError(f"document {document.uuid}: the Doc's text differs from its text")
    doc.user_data["uuid"] = document.uuid
    doc.user_data["source"] = document.source
    if annotation is None:
        return doc
    aligned: list[Span] = []
    for span in spans:
        result.spans_in += 1
        char_span = None
        if 0 <= span.start < span.end <= len(text):
            char_span = doc.char_span(span.start, span.end, span.label, alignment_mode="strict")
        if char_span is None:
            why = _why_unaligned(span, text)
            result.dropped.append(f"{document.uuid} [{span.start}, {span.end}) {span.label}: {why}")
            continue
        aligned.append(char_span)
    doc.spans[SPAN_KEY] = aligned
    doc.ents = non_overlapping(aligned)
    result.spans_written += len(aligned)
    judged = {j.target: j.value for j in annotation.stances}
    doc.cats = {f"{t}|{v}": 1.0 if judged.get(t) == v else 0.0 for t, v in labels}
    doc.user_data["set_uuid"] = annotation.uuid
    doc.user_data["annotator"] = annotation.annotator
    doc.user_data["status"] = str(annotation.status)
    doc.user_data["stance"] = [_stance_data(j) for j in annotation.stances]
    return doc


def write_docbin(
    records: Iterable[Record],
    out: Path,
    *,
    stance_values: Sequence[str],
    stance_targets: Sequence[str] = (),
) -> FormatResult:
    """Write ``records`` to ``out`` as one ``DocBin``, atomically; report what went in."""
    import spacy
    from spacy.tokens import DocBin

    out = Path(out)
    listed = list(records)  # two passes: the stance labels span the whole export
    labels = stance_labels(listed, stance_values, stance_targets)
    vocab = spacy.blank("ar").vocab
    result = FormatResult(path=str(out))
    docbin = DocBin(store_user_data=True)
    for record in listed:
        docbin.add(record_doc(vocab, record, labels, result))
        result.records += 1
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(docbin.to_bytes())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result
