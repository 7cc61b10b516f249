"""spaCy ``DocBin`` (``.spacy``) training files, as ``spacy train`` reads them.

One ``Doc`` per record. Words come from :func:`app.core.tokens.tokenize` (the same as every
token format: cut at every span edge, the file's own tokens for a document read from CoNLL,
proclitics split with ``--split-clitics``), so every span covers whole tokens (``و`` glued
before an entity, an emoji glued to a word). ``doc.text`` equals the document's text
exactly: spaCy's ``spaces`` only stand for one ``" "`` after a word, so any other whitespace
(``"\\n\\n"``, a second space, a no-break space) becomes a whitespace token of its own, as
spaCy's own tokenizer does.

Entities
    Every span is in ``doc.spans["sc"]`` (the ``spancat`` default key), nested and overlapping
    ones included, in the annotation set's order. ``doc.ents`` holds a non-overlapping subset,
    chosen greedily: longest first, then earliest, then first listed (two labels on one
    extent, as in Wojood: the first). A span that cannot be aligned (none should) is left out
    and listed in ``WriteReport.warnings`` with why.

Stance, as ``doc.cats`` for ``textcat_multilabel``
    The labels are ``"{target}|{value}"`` for every target in ``stance_targets`` or judged
    anywhere in the file, and every value in ``stance_values`` (plus any other value met in the
    data). Pass the same ``WriteOptions.stance_targets`` (every target of the whole export) to
    each split's file so train and dev share one label set. Every annotated
    doc carries *all* of them, so the label set is the same in every doc: ``1.0`` for the value
    judged towards a target, ``0.0`` for that target's other values, and ``0.0`` for every value
    of a target not judged in this doc. A record without an annotation set
    (``--include all``) gets neither ``doc.ents`` nor ``doc.cats``: spaCy treats both as
    missing, not as negative.

``doc.user_data`` (written with ``store_user_data=True``) carries ``uuid`` (the document's),
``set_uuid``, ``annotator``, ``status``, ``source`` and ``stance``: each judgement as
``{"target", "value", "evidence": [[start, end], ...], "holder": [start, end] | None}`` in
code point offsets (``doc.char_span`` maps them to tokens).

spaCy is imported only when a file is written, so the rest of Tawsim starts (and installs)
without it. The ``Doc`` objects are kept until the file is closed, when every stance label
of the file is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.domain import EntitySpan, StanceJudgement
from app.core.records import Record
from app.core.tokens import Token, is_pretokenized, tokenize
from app.io.output import write_atomically
from app.io.registry import WriteOptions, WriteReport, writer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

SPAN_KEY = "sc"


def words_and_spaces(
    text: str, tokens: Sequence[Token], cut_at: Iterable[int] = ()
) -> tuple[list[str], list[bool]]:
    """spaCy ``words``/``spaces`` whose concatenation is exactly ``text``: the ``tokens``, and
    the whitespace between them, cut at every offset in ``cut_at`` inside a whitespace run."""
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
    for token in tokens:
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


@writer(
    "spacy",
    "spaCy DocBin",
    (".spacy",),
    training_file="{split}.spacy",
    needs="spacy",
    offsets=None,  # a Doc's character offsets are Python's; nothing to count in another unit
)
class DocBinWriter:
    """One ``Doc`` per record (see the module docstring), written when closed."""

    def __init__(self, target: Path | str, options: WriteOptions):
        import spacy

        if str(target) == "-":
            from app.core.errors import InputError

            raise InputError("a spaCy DocBin is binary: give a file name, not -")
        self.target = Path(target)
        if self.target.is_dir() or not self.target.parent.exists():
            from app.core.errors import InputError

            raise InputError("give a file name in an existing folder", path=self.target)
        self.options = options
        self.report = WriteReport(str(target))
        self.vocab = spacy.blank("ar").vocab
        self.docs: list[tuple[Doc, dict[str, str] | None]] = []
        self.targets = dict.fromkeys(options.stance_targets)
        self.values = dict.fromkeys(options.stance_values)

    def write(self, record: Record) -> None:
        doc = self._doc(record)
        judged = None
        if record.annotation is not None:
            judged = {j.target: j.value for j in record.annotation.stances}
            for target, value in judged.items():
                self.targets.setdefault(target)
                self.values.setdefault(value)
        self.docs.append((doc, judged))
        self.report.records += 1

    def _doc(self, record: Record) -> Doc:
        from spacy.tokens import Doc

        document, annotation = record.document, record.annotation
        text = document.text
        spans = annotation.spans if annotation else ()
        cuts = [x for s in spans for x in (s.start, s.end)]
        tokens = tokenize(
            text,
            cuts,
            split_clitics=self.options.split_clitics,
            pretokenized=is_pretokenized(document.meta),
        )
        words, spaces = words_and_spaces(text, tokens, cuts)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if doc.text != text:  # cannot happen; a broken Doc must never reach a training set
            raise AssertionError(f"document {document.uuid}: the Doc's text differs from its text")
        doc.user_data["uuid"] = document.uuid
        doc.user_data["source"] = document.source
        if annotation is None:
            return doc
        aligned: list[Span] = []
        for span in spans:
            self.report.spans_in += 1
            char_span = None
            if 0 <= span.start < span.end <= len(text):
                char_span = doc.char_span(span.start, span.end, span.label, alignment_mode="strict")
            if char_span is None:
                why = _why_unaligned(span, text)
                self.report.warnings.append(
                    f"{document.uuid} [{span.start}, {span.end}) {span.label}: {why}"
                )
                continue
            aligned.append(char_span)
        doc.spans[SPAN_KEY] = aligned
        doc.ents = non_overlapping(aligned)
        self.report.spans += len(aligned)
        doc.user_data["set_uuid"] = annotation.uuid
        doc.user_data["annotator"] = annotation.annotator
        doc.user_data["status"] = str(annotation.status)
        doc.user_data["stance"] = [_stance_data(j) for j in annotation.stances]
        return doc

    def close(self) -> None:
        from spacy.tokens import DocBin

        labels = [(t, v) for t in self.targets for v in self.values]
        docbin = DocBin(store_user_data=True)
        for doc, judged in self.docs:
            if judged is not None:
                doc.cats = {f"{t}|{v}": 1.0 if judged.get(t) == v else 0.0 for t, v in labels}
            docbin.add(doc)
        write_atomically(self.target, docbin.to_bytes())
        self.docs = []

    def abort(self) -> None:
        self.docs = []
