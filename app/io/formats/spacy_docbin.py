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

Size
    Up to :data:`SHARD_DOCS` documents are one ``.spacy`` file. A larger export is a folder of
    that name holding numbered ``.spacy`` files of :data:`SHARD_DOCS` documents each (spaCy's
    ``Corpus`` and ``spacy train --paths.train`` read a folder of ``.spacy`` files as one
    corpus), so memory stays bounded however large the export: each ``Doc`` goes into the
    current file's ``DocBin`` as it is made and is not kept. The ``DocBin`` stores the
    attributes a training set has (:data:`ATTRS`: words, entities), not empty tags and parses.

spaCy is imported only when a file is written, so the rest of Tawsim starts (and installs)
without it. Every stance label must be known before the first document
(``WriteOptions.stance_targets`` and ``stance_values``: the export passes all of them).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.domain import EntitySpan, StanceJudgement
from app.core.errors import Conflict
from app.core.records import Record
from app.core.tokens import Token, is_pretokenized, tokenize
from app.io.output import replace_with_folder, write_atomically
from app.io.registry import WriteOptions, WriteReport, writer

if TYPE_CHECKING:
    from spacy.tokens import Doc, DocBin, Span

SPAN_KEY = "sc"
SHARD_DOCS = 5000
"""Documents per ``.spacy`` file (a few dozen megabytes of ``DocBin`` in memory)."""
ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")
"""What each token carries into the file: its text and its entity."""


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
        self.labels = [(t, v) for t in options.stance_targets for v in options.stance_values]
        self.known = set(self.labels)
        self.shards = ShardedFile(self.target)

    def write(self, record: Record) -> None:
        doc = self._doc(record)
        if record.annotation is not None:
            judged = {j.target: j.value for j in record.annotation.stances}
            unknown = set(judged.items()) - self.known
            if unknown:
                raise Conflict(
                    f"stance {sorted(unknown)[0]} is not among the labels this file was opened "
                    "with (the data changed while exporting); export again"
                )
            doc.cats = {f"{t}|{v}": 1.0 if judged.get(t) == v else 0.0 for t, v in self.labels}
        self.shards.add(doc)
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
        self.shards.close()
        if self.shards.count > 1:
            self.report.warnings.append(
                f"{self.shards.count} files of up to {SHARD_DOCS:,} documents in the folder "
                f"{self.target.name} (spaCy reads the folder as one corpus)"
            )

    def abort(self) -> None:
        self.shards.discard()


class ShardedFile:
    """``DocBin`` files of :data:`SHARD_DOCS` documents: one file at ``target``, or a folder
    of numbered files there once there are more (made beside it and moved into place whole
    on :meth:`close`)."""

    def __init__(self, target: Path):
        self.target = target
        self.count = 0  # files written to the folder so far
        self.folder: Path | None = None
        self.docbin: DocBin | None = None
        self.in_current = 0

    def add(self, doc: Doc) -> None:
        from spacy.tokens import DocBin

        if self.in_current == SHARD_DOCS:
            self._flush()
        if self.docbin is None:
            self.docbin = DocBin(attrs=ATTRS, store_user_data=True)
            self.in_current = 0
        self.docbin.add(doc)
        self.in_current += 1

    def _flush(self) -> None:
        if self.docbin is None:
            return
        if self.folder is None:
            self.folder = Path(
                tempfile.mkdtemp(
                    prefix=f".{self.target.name}.", suffix=".part", dir=self.target.parent
                )
            )
        self.count += 1
        write_atomically(self.folder / f"{self.count:04d}.spacy", self.docbin.to_bytes())
        self.docbin = None

    def close(self) -> None:
        from spacy.tokens import DocBin

        if self.folder is None:  # one file
            docbin = self.docbin or DocBin(attrs=ATTRS, store_user_data=True)
            write_atomically(self.target, docbin.to_bytes())
            self.count = 1
            return
        self._flush()
        replace_with_folder(self.folder, self.target)
        self.folder = None

    def discard(self) -> None:
        self.docbin = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
